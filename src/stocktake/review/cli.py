"""`stocktake review ...`: the frame, indicator data, progress, exports and a cycle's report."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from stocktake.core.commands import _, language, open_session, reports_errors, settings
from stocktake.core.errors import Problem, ValidationFailed, problem_shown
from stocktake.core.permissions import Principal
from stocktake.core.spreadsheets import csv_text
from stocktake.core.translation import translatable_in, translated
from stocktake.process.services import get_process
from stocktake.review.progress import IndicatorProgress, Method
from stocktake.review.services.cycles import get_cycle
from stocktake.review.services.frame import load_frame, load_frame_from_draft, read_frame_file
from stocktake.review.services.indicators import (
    assess_progress,
    export_observations_csv,
    export_observations_sdmx,
    get_indicator,
    import_opensdg,
    import_sdmx,
    write_observations_sdmx,
)
from stocktake.review.services.indicators.reporting import report_observations
from stocktake.review.services.report import (
    build_cycle_report,
    cycle_report_docx,
    narrative_of,
    regenerate_narrative,
    save_narrative,
)

REPORTING_STATUSES = {
    "complete": translatable_in("reporting status", "complete"),
    "inprogress": translatable_in("reporting status", "in progress"),
    "notstarted": translatable_in("reporting status", "not started"),
    "notapplicable": translatable_in("reporting status", "not applicable"),
}
"""Open SDG's reporting statuses of an indicator, as an import counts them."""

out = Console(soft_wrap=True)
review = typer.Typer(
    help="Follow-up and review: objectives, indicators and their data, progress.",
    no_args_is_help=True,
)
COMPONENTS = [
    "method",
    "manual",
    "series_count",
    "assessed_series",
    "series",
    "unit",
    "base_period",
    "base_value",
    "latest_period",
    "latest_value",
    "cagr",
    "required_cagr",
    "ratio",
    "scaling",
    "expected_value",
    "series_score",
    "series_status",
    "note",
    "published_score",
]


def _line(problem: Problem) -> str:
    """A skipped file, row or value as the report lists it, in the command line's language."""
    return "  " + problem_shown(problem, language())


@review.command("import-opensdg")
@reports_errors
def import_opensdg_folder(
    folder: Path = typer.Argument(
        ..., help="An Open SDG data folder: data/indicator_*.csv, meta/, indicator-config/"
    ),
    country: str = typer.Option(
        "",
        help="The country the data describe (name or ISO code); default: the metadata's "
        "national_geographical_coverage",
    ),
    strict: bool = typer.Option(
        False, "--strict", help="Refuse the whole folder when any file, row or field is bad"
    ),
) -> None:
    """Import every indicator of an Open SDG data folder with its observations, for one country.
    Rows that cannot be read are skipped and listed; with --strict any problem refuses the folder."""
    with open_session() as session:
        report = import_opensdg(
            session, folder, by=Principal.system(), country=country or None, strict=strict
        )
    statuses = _(", ").join(
        f"{n} {translated(REPORTING_STATUSES.get(status, status), language())}"
        for status, n in sorted(report.reporting.items())
    )
    out.print(
        _(
            "Imported %(indicators)s indicators (%(placeholders)s without data yet; "
            "reporting status: %(statuses)s) and %(observations)s observations for "
            "%(geography)s from %(folder)s.",
            indicators=report.indicators,
            placeholders=report.placeholders,
            statuses=statuses,
            observations=report.observations,
            geography=report.geography,
            folder=folder,
        ),
        highlight=False,
    )
    if report.problems:
        out.print(_("Skipped, %(num)s problem(s):", num=len(report.problems)), highlight=False)
        for problem in report.problems:
            out.print(_line(problem), highlight=False, markup=False)
    if report.notes:
        out.print(
            _("Values not imported as published, %(num)s note(s):", num=len(report.notes)),
            highlight=False,
        )
        for note in report.notes:
            out.print(_line(note), highlight=False, markup=False)


@review.command("import-sdmx")
@reports_errors
def import_sdmx_file(
    file: Path = typer.Argument(
        ..., help="An SDMX-ML 2.1 data file in the UN SDG layout (generic or structure-specific)"
    ),
    strict: bool = typer.Option(
        False, "--strict", help="Refuse the whole file when any observation cannot be read"
    ),
    structure: Path | None = typer.Option(
        None,
        "--structure",
        help="The global SDG data structure definition (SDMX-ML), whose CL_SERIES codes name "
        "the indicator of each series",
    ),
) -> None:
    """Import observations from SDMX-ML in the UN SDG layout; observations that cannot be read
    are listed and skipped (with --strict, nothing is imported)."""
    with open_session() as session:
        report = import_sdmx(
            session, file, by=Principal.system(), strict=strict, structure=structure
        )
    out.print(
        _(
            "Imported %(observations)s observations of %(indicators)s indicators "
            "for %(geography)s from %(file)s.",
            observations=report.observations,
            indicators=report.indicators,
            geography=report.geography or _("no named place"),
            file=file,
        ),
        highlight=False,
    )
    if report.problems:
        out.print(_("Skipped, %(num)s problem(s):", num=len(report.problems)), highlight=False)
        for problem in report.problems:
            out.print(_line(problem), highlight=False, markup=False)


@review.command("report-data")
@reports_errors
def report_data(
    code: str = typer.Argument(..., help="The indicator: its code (10-c-1) or SDG code (10.c.1)"),
    file: Path = typer.Argument(
        ...,
        exists=True,
        dir_okay=False,
        help="One data file of an Open SDG data folder (CSV: Year, breakdown columns, Value)",
    ),
    country: str = typer.Option(
        ..., "--country", help="The country the data describe (name or ISO code)"
    ),
) -> None:
    """Store one country's observations of one indicator from one data file, in place of those
    stored for that country (and only those); any bad row or field refuses the whole file."""
    with open_session() as session:
        report = report_observations(
            session,
            code,
            file.read_bytes(),
            by=Principal.system(),
            country=country,
            source=file.name,
        )
    out.print(
        _(
            "Stored %(observations)s observations of %(indicator)s for %(geography)s from "
            "%(file)s, replacing %(replaced)s.",
            observations=report.stored,
            indicator=report.sdg_code,
            geography=report.geography,
            file=file,
            replaced=report.replaced,
        ),
        highlight=False,
    )


@review.command("load-frame")
@reports_errors
def load_frame_file(
    file: Path | None = typer.Argument(None, help="A YAML file of objectives and their actions"),
    draft: int | None = typer.Option(
        None, "--draft", help="Take the frame from this negotiated draft instead of a file"
    ),
    revision: int | None = typer.Option(
        None, "--revision", help="With --draft: the revision (the final, else the latest issued)"
    ),
) -> None:
    """Load or update the objectives and actions of the adopted text, from a file or from an
    issued revision of a draft (sections headed "Objective N: title", lettered points as actions)."""
    if (file is None) == (draft is None):
        raise ValidationFailed(
            "load-frame", [Problem("FILE", _("give either a file or --draft (one of the two)"))]
        )
    with open_session() as session:
        process = get_process(session)
        if draft is not None:
            changes = load_frame_from_draft(
                session, process, draft, revision=revision, by=Principal.system()
            )
            out.print(
                _(
                    "Loaded %(num)s objectives from draft %(draft)s: %(changes)s.",
                    num=changes.objectives,
                    draft=draft,
                    changes=changes.summary(),
                ),
                highlight=False,
            )
            return
        assert file is not None
        changes = load_frame(session, process, read_frame_file(file), by=Principal.system())
    out.print(
        _(
            "Loaded %(num)s objectives from %(file)s: %(changes)s.",
            num=changes.objectives,
            file=file,
            changes=changes.summary(),
        ),
        highlight=False,
    )


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:.6g}"


def _period(time: float | None) -> str:
    if time is None:
        return ""
    year, rest = int(time), time - int(time)
    return str(year) if rest == 0 else f"{year} Q{round(rest * 4) + 1}"


def progress_rows(results: list[IndicatorProgress]) -> list[dict[str, str]]:
    """One row per indicator; the series' components joined with " | " in series order."""
    rows = []
    for result in results:

        def joined(values: list[str]) -> str:
            return " | ".join(values)

        s = result.series
        rows.append(
            {
                "indicator": result.code,
                "country": result.country,
                "score": _fmt(result.score),
                "status": result.status.value,
                "method": result.method.value,
                "manual": "yes" if result.manual else "no",
                "series_count": str(len(s)),
                "assessed_series": str(sum(1 for x in s if x.score is not None)),
                "series": joined([x.series for x in s]),
                "unit": joined([x.unit for x in s]),
                "base_period": joined([_period(x.base_time) for x in s]),
                "base_value": joined([_fmt(x.base_value) for x in s]),
                "latest_period": joined([_period(x.current_time) for x in s]),
                "latest_value": joined([_fmt(x.current_value) for x in s]),
                "cagr": joined([_fmt(x.cagr) for x in s]),
                "required_cagr": joined([_fmt(x.required_cagr) for x in s]),
                "ratio": joined([_fmt(x.ratio) for x in s]),
                "scaling": joined([_fmt(x.scaling) for x in s]),
                "expected_value": joined([_fmt(x.expected_value) for x in s]),
                "series_score": joined([_fmt(x.score) for x in s]),
                "series_status": joined([x.status.value for x in s]),
                # a reason several series share (no direction set) is said once
                "note": "; ".join(
                    dict.fromkeys(str(n) for n in [result.note, *(x.note for x in s)] if n)
                ),
                "published_score": _fmt(result.published_score),
            }
        )
    return rows


@review.command("progress")
@reports_errors
def progress(
    method: Method = typer.Option(
        Method.OPENSDG, help="opensdg (scores -5..+5) or un (the UN progress-chart variant)"
    ),
    output_format: str = typer.Option("table", "--format", help="table or csv"),
    country: list[str] = typer.Option(
        [], "--country", help="Only this country (ISO3 code); may be given several times"
    ),
) -> None:
    """Assess every indicator's progress in each country that publishes it; one row per
    indicator and country with its per-series components."""
    if output_format not in {"table", "csv"}:
        raise ValidationFailed(
            "progress",
            [
                Problem(
                    "format",
                    _("unknown format %(format)s; use table or csv", format=repr(output_format)),
                )
            ],
        )
    with open_session() as session:
        rows = progress_rows(assess_progress(session, method, countries=country or None))
    if output_format == "csv":
        columns = ["indicator", "country", "score", "status", *COMPONENTS]
        sys.stdout.write(csv_text(columns, ([row.get(c, "") for c in columns] for row in rows)))
        return
    table = Table(title=_("Progress (%(method)s)", method=method.value), title_justify="left")
    shown = ("indicator", "country", "score", "status", "assessed_series", "note")
    for column in shown:
        table.add_column(column)
    for row in rows:
        table.add_row(*(row[c] for c in shown))
    out.print(table)


@review.command("export")
@reports_errors
def export(
    indicator: str = typer.Option("", help="Only this indicator (e.g. 10-c-1)"),
    country: str = typer.Option("", "--country", help="Only this country (ISO3 code)"),
    output_format: str = typer.Option("csv", "--format", help="csv or sdmx (SDMX-ML 2.1)"),
    output: Path | None = typer.Option(None, "--out", help="Write to this file, not stdout"),
) -> None:
    """Export observations as CSV or SDMX-ML."""
    if output_format not in {"csv", "sdmx"}:
        raise ValidationFailed(
            "export",
            [
                Problem(
                    "format",
                    _("unknown format %(format)s; use csv or sdmx", format=repr(output_format)),
                )
            ],
        )
    with open_session() as session:
        found = get_indicator(session, indicator) if indicator else None
        if output_format == "sdmx" and output is not None:
            with output.open("wb") as handle:
                count = write_observations_sdmx(session, handle, found, country=country or None)
            out.print(_("Wrote %(num)s observations to %(file)s.", num=count, file=output))
            return
        if output_format == "csv":
            data = export_observations_csv(session, found, country=country or None).encode("utf-8")
        else:
            data = export_observations_sdmx(session, found, country=country or None)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        output.write_bytes(data)
        out.print(_("Wrote %(file)s.", file=output))


@review.command("report")
@reports_errors
def report(
    cycle: str = typer.Argument(..., help="The review cycle's short name, e.g. imrf-2026-review"),
    output: Path | None = typer.Option(
        None, "--out", help="Write the report as a Word document (DOCX) to this file"
    ),
    queue: bool = typer.Option(
        False,
        "--queue",
        help="Queue the Word document as a job that a worker writes into the data folder's "
        "reports/ (GET /api/v1/jobs/{id}/file gives it)",
    ),
) -> None:
    """Print a cycle's narrative (as kept, else generated from today's figures) and which
    indicators have data for which years in its scope; with --out, write the whole report as DOCX."""
    if queue:
        from stocktake.review.jobs import queue_review_report

        with open_session() as session:
            job = queue_review_report(
                session, cycle, settings().data_dir / "reports", by=Principal.system()
            )
        out.print(_("Queued as job %(job)s: a worker writes the report.", job=job.id))
        return
    with open_session() as session:
        process = get_process(session)
        found = get_cycle(session, cycle)
        built = build_cycle_report(session, process, found)
        narrative = narrative_of(found, built.figures, language())
        if output is not None:
            output.write_bytes(cycle_report_docx(built, narrative, language()))
            out.print(
                _("Wrote the report of %(cycle)s to %(file)s.", cycle=found.title, file=output),
                highlight=False,
            )
            return
        state = {"draft": _("generated, not yet kept"), "kept": _("kept"), "edited": _("edited")}
        out.print(f"{narrative.text}\n({state[narrative.state]})", highlight=False, markup=False)
        for c in built.coverage:
            out.print(
                "  "
                + _(
                    "%(indicator)s %(country)s: %(first)s–%(latest)s (%(num)s periods)",
                    indicator=c.indicator,
                    country=c.country,
                    first=c.first,
                    latest=c.latest,
                    num=c.periods,
                ),
                highlight=False,
                markup=False,
            )


@review.command("narrative")
@reports_errors
def narrative(
    cycle: str = typer.Argument(..., help="The review cycle's short name"),
    text: Path | None = typer.Option(
        None, "--text", help="Keep this file's text as the edited narrative"
    ),
    replace_edit: bool = typer.Option(
        False, "--replace-edit", help="Generate it again even though it was edited"
    ),
) -> None:
    """Generate a cycle's narrative from today's figures and keep it; an edited narrative is kept
    unless --replace-edit. With --text, keep that text as the edited narrative."""
    with open_session() as session:
        process = get_process(session)
        found = get_cycle(session, cycle)
        if text is not None:
            save_narrative(session, found, text.read_text(encoding="utf-8"), by=Principal.system())
            out.print(
                _("Kept the edited narrative of %(cycle)s.", cycle=found.title), highlight=False
            )
            return
        kept = regenerate_narrative(
            session,
            process,
            found,
            by=Principal.system(),
            replace_edit=replace_edit,
            language=language(),
        )
    out.print(_("Kept the generated narrative: %(text)s", text=kept), highlight=False, markup=False)

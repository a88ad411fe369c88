"""The commands that span domains: `analyse` runs the analysis and, with --out, writes the Chair's
summary drawn from it beside the analysis files."""

from __future__ import annotations

import contextlib
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from stocktake.analysis.files import docs_from_rows, write_outputs
from stocktake.analysis.pipeline import Context, Params, Result, run_pipeline
from stocktake.analysis.spread import connect
from stocktake.consultation.files import read_inputs
from stocktake.core.commands import _, number, open_session, reports_errors, settings
from stocktake.core.errors import Problem, ValidationFailed
from stocktake.core.permissions import Principal
from stocktake.frameworks.sdg import SdgFramework, read_sdg_folder
from stocktake.process.definition import (
    default_definition_path,
    load_definition_file,
)
from stocktake.summary.builder import from_result, render_markdown

out = Console(stderr=True, soft_wrap=True)


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
        console=out,
        transient=True,
    )


def _report(result: Result) -> None:
    groups = result.duplicate_groups()
    surfaced = [d.name for d in result.divergences if d.surfaced]
    figures = {
        "inputs": number(len(result.docs)),
        "groups": number(len(groups)),
        "duplicates": number(sum(len(g) for g in groups)),
        "clusters": number(len(result.clusters)),
        "num": len(surfaced),
    }
    if surfaced:
        out.print(
            _(
                "Analysed %(inputs)s inputs: %(groups)s duplicate groups (%(duplicates)s inputs), "
                "%(clusters)s clusters, %(num)s divergence(s) surfaced: %(divergences)s.",
                divergences="; ".join(surfaced),
                **figures,
            )
        )
    else:
        out.print(
            _(
                "Analysed %(inputs)s inputs: %(groups)s duplicate groups (%(duplicates)s inputs), "
                "%(clusters)s clusters, %(num)s divergence(s) surfaced.",
                **figures,
            )
        )


@reports_errors
def analyse(
    input_file: Path | None = typer.Option(
        None,
        "--input",
        help="A CSV, XLSX or JSON file of inputs (import columns); the database is not touched",
    ),
    out_dir: Path | None = typer.Option(
        None,
        "--out",
        help="Folder for duplicates.json, tags.csv, clusters.json, divergences.json and summary.md",
    ),
    process_file: Path | None = typer.Option(
        None,
        "--process",
        help="Process definition for --input (default: the shipped default process)",
    ),
    frameworks: Path | None = typer.Option(
        None,
        "--frameworks",
        help="Open SDG translations folder for --input (default: the framework stored in the database, if any)",
    ),
    scheduler: str | None = typer.Option(
        None,
        "--scheduler",
        help="Address of a Dask scheduler (tcp://host:8786) whose workers run the heavy stages, "
        "with the same results (default: STOCKTAKE_ANALYSIS_SCHEDULER; none: this process)",
    ),
) -> None:
    """Run the analysis: duplicates and campaigns, tags, SDG links, clusters and divergences.

    Without --input, analyses the stored inputs and stores the run; with --out, also writes the files."""
    scheduler = scheduler or settings().analysis_scheduler
    if input_file is not None:
        if out_dir is None:
            raise ValidationFailed(
                "analyse",
                [Problem("--out", _("is needed with --input: the results go only to files"))],
            )
        _analyse_file(input_file, out_dir, process_file, frameworks, scheduler=scheduler)
        return
    from stocktake.analysis.services import run_analysis
    from stocktake.process.services import get_process
    from stocktake.summary.services import meeting_view, opening_meeting

    with open_session() as session, _progress() as bar:
        process = get_process(session, settings().process)
        task = bar.add_task(_("Analysing stored inputs"), total=1.0)
        run, result = run_analysis(
            session,
            process,
            by=Principal.system(),
            params=Params(vectors=settings().analysis_vectors),
            progress=lambda stage, f: bar.update(
                task, completed=f, description=_("Analysing: %(stage)s", stage=stage)
            ),
            scheduler=scheduler,
        )
        if out_dir is not None:
            definition = process.read_definition()
            meeting = meeting_view(session, opening_meeting(session, process))
            summary = render_markdown(
                from_result(
                    result,
                    definition,
                    title=f"Chair's summary: {process.name}",
                    meeting=meeting,
                    origin=f"Draft from analysis run {run.id}.",
                )
            )
            write_outputs(result, summary, out_dir)
    _report(result)
    if out_dir is None:
        out.print(_("Stored as analysis run %(run)s.", run=run.id))
    else:
        out.print(
            _(
                "Stored as analysis run %(run)s. Files written to %(folder)s.",
                run=run.id,
                folder=out_dir,
            )
        )


def _analyse_file(
    input_file: Path,
    out_dir: Path,
    process_file: Path | None,
    frameworks: Path | None,
    *,
    scheduler: str | None,
) -> None:
    try:
        content = input_file.read_bytes()
    except OSError as exc:
        raise ValidationFailed(
            str(input_file), [Problem("", _("cannot read: %(reason)s", reason=exc.strerror))]
        ) from exc
    definition = load_definition_file(process_file or default_definition_path())
    docs = docs_from_rows(read_inputs(content, input_file.name), definition, input_file.name)
    framework = read_sdg_folder(frameworks) if frameworks else _stored_framework()
    if framework is None:
        out.print(
            _(
                "No SDG framework given (--frameworks) or stored: SDG links come only from the "
                "inputs' own references."
            )
        )
    with (
        connect(scheduler) if scheduler else contextlib.nullcontext() as workers,
        _progress() as bar,
    ):
        task = bar.add_task(_("Analysing"), total=1.0)
        result = run_pipeline(
            docs,
            Context(definition=definition, framework=framework),
            Params(vectors=settings().analysis_vectors),
            progress=lambda stage, f: bar.update(
                task, completed=f, description=_("Analysing: %(stage)s", stage=stage)
            ),
            workers=workers,
        )
    summary = render_markdown(
        from_result(
            result,
            definition,
            title=f"Chair's summary: {definition.process.name}",
            origin=f"Draft from {input_file.name}.",
        )
    )
    write_outputs(result, summary, out_dir)
    _report(result)
    out.print(_("Files written to %(folder)s; the database was not touched.", folder=out_dir))


def _stored_framework() -> SdgFramework | None:
    """The SDG framework of the configured database, read only, or None."""
    from sqlalchemy import inspect
    from sqlalchemy.orm import Session

    from stocktake.core.db import create_db_engine
    from stocktake.frameworks.services import stored_sdg_framework

    config = settings()
    if config.database_url is None and not (config.data_dir / "stocktake.sqlite3").exists():
        return None
    engine = create_db_engine(config.resolved_database_url)
    try:
        if "framework_item" not in inspect(engine).get_table_names():
            return None
        with Session(engine) as session:
            framework = stored_sdg_framework(session)
        return framework if framework.items else None
    finally:
        engine.dispose()

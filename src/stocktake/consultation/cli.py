from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import Progress

from stocktake.consultation.files import FORMATS, read_inputs, write_inputs
from stocktake.consultation.services import import_inputs
from stocktake.consultation.services.queries import InputFilter, iter_inputs
from stocktake.core.commands import (
    _,
    ngettext,
    number,
    open_session,
    reports_errors,
    settings,
)
from stocktake.core.errors import Problem, ValidationFailed
from stocktake.core.permissions import Principal
from stocktake.process.services import get_process

out = Console(stderr=True, soft_wrap=True)
inputs = typer.Typer(help="Consultation inputs and recommendation cards.", no_args_is_help=True)


@inputs.command("import")
@reports_errors
def import_file(
    file: Path = typer.Argument(
        ..., help="A CSV, XLSX or JSON file of inputs (columns in docs/consultation.md)"
    ),
    file_format: str | None = typer.Option(
        None, "--format", help="csv, xlsx or json (default: from the file name)"
    ),
    queue: bool = typer.Option(
        False,
        "--queue",
        help="Queue the import as a job that a worker runs (the file must stay where the workers "
        "read it) instead of importing it now",
    ),
) -> None:
    """Import inputs from a file: all rows or none, every bad row and field named; importing the same file again changes nothing."""
    config = settings()
    if queue:
        _queue_import(file, file_format)
        return
    try:
        size = file.stat().st_size
        if size > config.max_upload_bytes:
            raise ValidationFailed(
                str(file),
                [
                    Problem(
                        "",
                        _(
                            "the file is %(size)s bytes; the limit is %(limit)s",
                            size=number(size),
                            limit=number(config.max_upload_bytes),
                        ),
                    )
                ],
            )
        content = file.read_bytes()
    except OSError as exc:
        raise ValidationFailed(
            str(file), [Problem("", _("cannot read: %(reason)s", reason=exc.strerror))]
        ) from exc
    rows = read_inputs(content, file.name, file_format)
    with open_session() as session, Progress(console=out, transient=True) as progress:
        process = get_process(session, config.process)
        task = progress.add_task(
            ngettext(
                "Checking %(num)s row", "Checking %(num)s rows", len(rows), num=number(len(rows))
            ),
            total=len(rows),
        )
        report = import_inputs(
            session,
            process,
            rows,
            by=Principal.system(),
            source=file.name,
            max_chars=config.max_input_chars,
            progress=lambda n: progress.advance(task, n),
        )
    out.print(
        ngettext(
            "Imported %(num)s input from %(file)s; already there and left as they were: "
            "%(unchanged)s.",
            "Imported %(num)s inputs from %(file)s; already there and left as they were: "
            "%(unchanged)s.",
            report.created,
            num=number(report.created),
            file=file.name,
            unchanged=number(report.unchanged),
        )
    )


def _queue_import(file: Path, file_format: str | None) -> None:
    from stocktake.consultation.jobs import queue_inputs_import

    if not file.is_file():
        raise ValidationFailed(
            str(file), [Problem("", _("cannot read: %(reason)s", reason="no such file"))]
        )
    config = settings()
    with open_session() as session:
        job = queue_inputs_import(
            session,
            file,
            by=Principal.system(),
            file_format=file_format,
            max_chars=config.max_input_chars,
            process=config.process,
        )
    out.print(_("Queued as job %(job)s: a worker imports the file.", job=job.id))


@inputs.command("export")
@reports_errors
def export(
    file_format: str = typer.Option("csv", "--format", help=f"One of: {', '.join(FORMATS)}"),
    output: Path | None = typer.Option(
        None, "--out", help="File to write (default: standard output)"
    ),
    status: str | None = typer.Option(None, help="Only inputs with this status (e.g. published)"),
    dimension: str | None = typer.Option(None, help="Only inputs tagged with this dimension key"),
    input_type: str | None = typer.Option(None, help="Only inputs of this input type key"),
    actor_kind: str | None = typer.Option(None, help="Only inputs from this kind of actor"),
    region: str | None = typer.Option(None, help="Only inputs from actors of this M49 region"),
    regional_group: str | None = typer.Option(None, help="Only inputs from this regional group"),
    category: str | None = typer.Option(None, help="Only inputs from this stakeholder category"),
    meeting: str | None = typer.Option(None, help="Only inputs made at this meeting (slug)"),
    language: str | None = typer.Option(None, help="Only inputs in this language (ISO 639-1)"),
    q: str | None = typer.Option(None, help="Only inputs containing every word of this search"),
) -> None:
    """Export inputs as CSV, XLSX or JSON, with the same filters as the list, for open data."""
    if file_format not in FORMATS:
        raise ValidationFailed(
            "export",
            [
                Problem(
                    "format",
                    _("unknown format %(format)s; use csv, xlsx or json", format=repr(file_format)),
                )
            ],
        )
    filters = InputFilter.parse(
        {
            "dimension": dimension,
            "input_type": input_type,
            "actor_kind": actor_kind,
            "region": region,
            "regional_group": regional_group,
            "category": category,
            "meeting": meeting,
            "language": language,
            "status": status,
            "q": q,
        }
    )
    with open_session() as session:
        process = get_process(session, settings().process)
        records = iter_inputs(session, process, filters, by=Principal.system())
        if output is None:
            count = write_inputs(records, file_format, sys.stdout.buffer)
            sys.stdout.buffer.flush()
        else:
            with output.open("wb") as handle:
                count = write_inputs(records, file_format, handle)
    if output is None:
        out.print(_("Exported %(num)s inputs.", num=number(count)))
    else:
        out.print(_("Exported %(num)s inputs to %(file)s.", num=number(count), file=output))

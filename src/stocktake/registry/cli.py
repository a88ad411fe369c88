from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.progress import Progress

from stocktake.core.commands import _, open_session, reports_errors, settings
from stocktake.core.errors import Problem, ValidationFailed
from stocktake.core.permissions import Principal
from stocktake.process.services import get_process
from stocktake.registry.services import import_actors, load_reference_actors, read_actors_csv

out = Console(soft_wrap=True)
actors = typer.Typer(help="The registry of actors.", no_args_is_help=True)


@actors.command("import")
@reports_errors
def import_file(
    file: Path = typer.Argument(
        ..., help="CSV with columns code,name[,kind,short_name,category,country,description]"
    ),
) -> None:
    """Add organisations from a CSV file: all rows or none; every bad row and field is named."""
    try:
        content = file.read_bytes()
    except OSError as exc:
        raise ValidationFailed(
            str(file), [Problem("", _("cannot read: %(reason)s", reason=exc.strerror))]
        ) from exc
    rows = read_actors_csv(content, str(file))
    with open_session() as session, Progress(console=out, transient=True) as progress:
        process = get_process(session, settings().process)
        task = progress.add_task(_("Checking rows"), total=len(rows))
        created = import_actors(
            session,
            rows,
            by=Principal.system(),
            categories=[t.key for t in process.vocabulary("stakeholder_categories")],
            source=str(file),
            progress=lambda n: progress.advance(task, n),
        )
    out.print(_("Imported %(num)s actors from %(file)s.", num=len(created), file=file))


@actors.command("load-reference")
@reports_errors
def load_reference() -> None:
    """Load or refresh member and observer states, groups of states, UN entities and IGOs."""
    with open_session() as session:
        created = load_reference_actors(session, by=Principal.system())
    out.print(_("Reference registry loaded (%(num)s new actors).", num=created))

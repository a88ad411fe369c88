from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from stocktake.core.commands import _, open_session, reports_errors
from stocktake.core.permissions import Principal
from stocktake.process.definition import load_definition_file
from stocktake.process.services import load_process

out = Console(soft_wrap=True)
process = typer.Typer(help="Process definitions.", no_args_is_help=True)


@process.command("load")
@reports_errors
def load(
    file: Path = typer.Argument(..., help="A process definition (TOML)", exists=False),
    check: bool = typer.Option(False, "--check", help="Only validate; store nothing"),
) -> None:
    """Validate a process definition and load it (create or update); errors name the line or key."""
    definition = load_definition_file(file)
    if check:
        out.print(
            _(
                "%(file)s: valid (%(process)s: %(phases)s phases)",
                file=file,
                process=definition.process.slug,
                phases=len(definition.phases),
            )
        )
        return
    with open_session() as session:
        loaded = load_process(session, definition, by=Principal.system(), source=str(file))
        out.print(
            _(
                "Loaded process %(process)s: %(phases)s phases, %(dimensions)s dimensions, "
                "%(meeting_types)s meeting types.",
                process=repr(loaded.slug),
                phases=len(loaded.phases),
                dimensions=len(loaded.vocabulary("dimensions")),
                meeting_types=len(loaded.vocabulary("meeting_types")),
            )
        )

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from stocktake.core.commands import _, open_session, reports_errors
from stocktake.core.permissions import Principal
from stocktake.frameworks.services import import_sdg_framework, load_reference_framework

out = Console(soft_wrap=True)
frameworks = typer.Typer(
    help="Frameworks inputs refer to: the SDG goals, targets and indicators.", no_args_is_help=True
)


@frameworks.command("import")
@reports_errors
def import_folder(
    folder: Path = typer.Argument(
        ..., help="An Open SDG translations folder (en/, fr/, ... with global_*.yml)"
    ),
) -> None:
    """Import or update the SDG framework, in every language the folder holds."""
    with open_session() as session:
        created, updated = import_sdg_framework(session, folder, by=Principal.system())
    out.print(
        _(
            "SDG framework imported from %(folder)s: %(created)s items created, %(updated)s updated.",
            folder=folder,
            created=created,
            updated=updated,
        )
    )


@frameworks.command("load-reference")
@reports_errors
def load_reference() -> None:
    """Load or update the SDG framework shipped with stocktake (Open SDG, MIT), in six languages."""
    with open_session() as session:
        created, updated = load_reference_framework(session, by=Principal.system())
    out.print(
        _(
            "SDG framework shipped with stocktake: %(created)s items created, %(updated)s updated.",
            created=created,
            updated=updated,
        )
    )

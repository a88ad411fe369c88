from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from stocktake.core.commands import open_session, reports_errors
from stocktake.core.permissions import Principal
from stocktake.frameworks.services import import_sdg_framework

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
    out.print(f"SDG framework imported from {folder}: {created} items created, {updated} updated.")

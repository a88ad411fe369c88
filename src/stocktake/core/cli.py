"""Commands of the core: set up the database."""

from __future__ import annotations

import typer
from rich.console import Console

from stocktake.core.commands import _, reports_errors, settings
from stocktake.core.db import create_db_engine
from stocktake.core.migrate import upgrade

out = Console(soft_wrap=True)
db = typer.Typer(help="Database set-up.", no_args_is_help=True)


@db.command("upgrade")
@reports_errors
def db_upgrade(revision: str = typer.Argument("head", help="Revision to migrate to")) -> None:
    """Create or migrate the database to the latest schema."""
    engine = create_db_engine(settings().resolved_database_url)
    try:
        upgrade(engine, revision)
    finally:
        engine.dispose()
    out.print(
        _(
            "Database at revision %(revision)s: %(database)s",
            revision=revision,
            database=engine.url.render_as_string(hide_password=True),
        )
    )

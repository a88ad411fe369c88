"""`stocktake backup FILE` and `stocktake restore FILE`: the whole database in one file, and back."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from stocktake.core.commands import _, number, reports_errors, settings
from stocktake.core.db import create_db_engine

out = Console(soft_wrap=True)


@reports_errors
def backup_command(
    file: Path = typer.Argument(..., help="Where to write the backup (one file)"),
) -> None:
    """Back up the whole database, attachments included, while the app keeps serving."""
    from stocktake.core.backup import backup

    engine = create_db_engine(settings().resolved_database_url)
    try:
        with out.status(_("Backing up…")):
            manifest = backup(engine, file)
    finally:
        engine.dispose()
    out.print(
        _(
            "Backed up %(database)s to %(file)s: %(tables)s tables, %(rows)s rows, "
            "schema revision %(revision)s.",
            database=engine.url.render_as_string(hide_password=True),
            file=file,
            tables=number(len(manifest.tables)),
            rows=number(sum(manifest.tables.values())),
            revision=manifest.revision,
        ),
        highlight=False,
    )


@reports_errors
def restore_command(
    file: Path = typer.Argument(..., help="A file written by `stocktake backup`"),
    replace: bool = typer.Option(
        False,
        "--replace",
        help="Replace what the database holds (without it, only an empty database is restored into)",
    ),
) -> None:
    """Restore a backup: checked whole before anything changes, then restored all or nothing;
    a backup from an older version is migrated, one from a newer version refused."""
    from stocktake.core.backup import restore

    engine = create_db_engine(settings().resolved_database_url)
    try:
        with out.status(_("Restoring…")):
            restored = restore(engine, file, replace=replace)
    finally:
        engine.dispose()
    values = {
        "file": file,
        "made": restored.manifest.created_at,
        "database": engine.url.render_as_string(hide_password=True),
        "tables": number(len(restored.tables)),
        "rows": number(sum(restored.manifest.tables.values())),
    }
    if restored.migrated:
        said = _(
            "Restored %(file)s (made %(made)s) into %(database)s: %(tables)s tables, %(rows)s rows, "
            "migrated from schema revision %(old)s to %(new)s.",
            old=restored.manifest.revision,
            new=restored.revision,
            **values,
        )
    else:
        said = _(
            "Restored %(file)s (made %(made)s) into %(database)s: %(tables)s tables, %(rows)s rows.",
            **values,
        )
    out.print(said, highlight=False)

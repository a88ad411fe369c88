"""What every command shares: the settings, the error console, a database session, error reporting.

A leaf module: it imports only the core, so each domain's `cli.py` can use it without importing the
root command (which imports every domain's commands).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, TypeVar

import typer
from rich.console import Console
from sqlalchemy.orm import Session

from stocktake.config import Settings, get_settings
from stocktake.core.db import create_db_engine, session_factory
from stocktake.core.errors import StocktakeError
from stocktake.core.migrate import upgrade

err = Console(stderr=True, soft_wrap=True)

F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(function: F) -> F:
    """Turn the errors a user can act on into a message and exit code 1, never a traceback."""

    @wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except StocktakeError as exc:
            err.print(f"[bold red]error:[/] {exc}", highlight=False, markup=True, soft_wrap=True)
            raise typer.Exit(1) from exc

    return wrapper  # type: ignore[return-value]


def settings() -> Settings:
    return get_settings()


@contextmanager
def open_session(migrate: bool = True) -> Iterator[Session]:
    """A session on the configured database, migrated to the latest revision first."""
    engine = create_db_engine(settings().resolved_database_url)
    try:
        if migrate:
            upgrade(engine)
        with session_factory(engine)() as session:
            yield session
    finally:
        engine.dispose()

"""What every command shares: the settings, the error console, a database session, error reporting,
and the command line's language (`_`, `ngettext`, `number`: messages in the language the environment
names, docs/languages.md).

A leaf module: it imports only the core, so each domain's `cli.py` can use it without importing the
root command (which imports every domain's commands).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import Session

from stocktake.config import Settings, get_settings
from stocktake.core.db import create_db_engine, session_factory
from stocktake.core.errors import StocktakeError, ValidationFailed, message_of, problem_shown
from stocktake.core.migrate import upgrade
from stocktake.core.translation import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    catalog,
    command_language,
    shown,
)

err = Console(stderr=True, soft_wrap=True)

F = TypeVar("F", bound=Callable[..., Any])


def language() -> str:
    """The language of the command's messages, as the environment names it (read each time: a
    test runs commands in several)."""
    return command_language(os.environ)[0]


def _(message: str, **values: object) -> str:
    """A message in the command line's language, its named placeholders filled with `values`."""
    chosen = language()
    text = message if chosen == DEFAULT_LANGUAGE else catalog(chosen).gettext(message)
    return text % values if values else text


def ngettext(singular: str, plural: str, count: int, **values: object) -> str:
    """A message that counts, in the form the language's grammar needs for `count`; `%(num)s`
    is the count (or the `num` given, e.g. a formatted `number(count)`)."""
    chosen = language()
    if chosen == DEFAULT_LANGUAGE:
        text = singular if count == 1 else plural
    else:
        text = catalog(chosen).ngettext(singular, plural, count)
    return text % {"num": count, **values}


def number(value: int) -> str:
    """A whole number with the language's grouping of digits ("12,345", "12 345")."""
    chosen = language()
    if chosen == DEFAULT_LANGUAGE:
        return f"{value:,}"
    from babel.numbers import format_decimal

    return format_decimal(value, locale=chosen)


def warn_unknown_language() -> None:
    """Say once, as a command starts, that `STOCKTAKE_LANGUAGE` names none of the six."""
    refused = command_language(os.environ)[1]
    if refused:
        err.print(
            f"warning: STOCKTAKE_LANGUAGE={refused!r} is not one of stocktake's languages "
            f"({', '.join(LANGUAGES)}); messages are in English.",
            highlight=False,
            markup=False,
        )


def _error_text(exc: StocktakeError) -> str:
    """The error a command stops on, in the command line's language: the command's own words and
    the services' (what is wrong, where), as far as the catalogs have them."""
    chosen = language()
    if isinstance(exc, ValidationFailed):
        header = ngettext(
            "%(source)s: refused, nothing stored (%(num)s problem)",
            "%(source)s: refused, nothing stored (%(num)s problems)",
            len(exc.problems),
            source=exc.source,
        )
        return "\n".join([header, *("  " + problem_shown(p, chosen) for p in exc.problems)])
    return shown(message_of(exc), chosen)


def _out_of_range(exc: Exception) -> bool:
    """An id or number beyond what the database stores, as the pages refuse it: SQLite's driver
    refuses it before the query (OverflowError), PostgreSQL in it (SQLSTATE 22003)."""
    cause = exc.orig if isinstance(exc, StatementError) else exc
    return isinstance(cause, OverflowError) or getattr(cause, "sqlstate", None) == "22003"


def reports_errors(function: F) -> F:
    """Turn the errors a user can act on into a message and exit code 1, never a traceback."""

    @wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except StocktakeError as exc:
            err.print(
                "[bold red]" + escape(_("error:")) + "[/] " + escape(_error_text(exc)),
                highlight=False,
                markup=True,
                soft_wrap=True,
            )
            raise typer.Exit(1) from exc
        except (OverflowError, StatementError) as exc:
            if not _out_of_range(exc):
                raise
            err.print(
                "[bold red]" + escape(_("error:")) + "[/] " + escape(_("a number is out of range")),
                highlight=False,
                markup=True,
                soft_wrap=True,
            )
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

"""The `stocktake` command line: a root app that each domain adds its commands to."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import typer
from rich.console import Console

from stocktake.config import Settings, get_settings
from stocktake.core.errors import StocktakeError

app = typer.Typer(
    name="stocktake",
    help="stocktake: consultation, stocktaking, negotiation, follow-up and review of a compact.",
    no_args_is_help=True,
    add_completion=False,
)
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


def register_commands() -> None:
    from stocktake.accounts.cli import users
    from stocktake.analysis.cli import analyse, evaluate
    from stocktake.consultation.cli import inputs
    from stocktake.core.cli import db, demo, serve
    from stocktake.frameworks.cli import frameworks
    from stocktake.meetings.cli import meetings
    from stocktake.negotiation.cli import drafts
    from stocktake.process.cli import process
    from stocktake.registry.cli import actors

    app.command(name="demo")(demo)
    app.command(name="serve")(serve)
    app.command(name="analyse")(analyse)
    app.command(name="evaluate")(evaluate)
    app.add_typer(db, name="db")
    app.add_typer(process, name="process")
    app.add_typer(actors, name="actors")
    app.add_typer(meetings, name="meetings")
    app.add_typer(inputs, name="inputs")
    app.add_typer(frameworks, name="frameworks")
    app.add_typer(drafts, name="drafts")
    app.add_typer(users, name="users")


register_commands()


def main() -> None:
    sys.exit(app())

from __future__ import annotations

import typer
from rich.console import Console

from stocktake.accounts.services import add_user, get_user, issue_token
from stocktake.core.commands import open_session, reports_errors
from stocktake.core.permissions import Principal, Role

out = Console(soft_wrap=True)
users = typer.Typer(help="Users and API tokens.", no_args_is_help=True)

_ROLES = [r.value for r in Role if r is not Role.PUBLIC]


@users.command("add")
@reports_errors
def add(
    email: str = typer.Argument(..., help="The user's e-mail, used to sign in"),
    role: str = typer.Option(..., help=f"One of: {', '.join(_ROLES)}"),
    actor: str | None = typer.Option(None, help="Actor code (delegation member or stakeholder)"),
    name: str = typer.Option("", help="Display name"),
    password: str = typer.Option(
        ..., prompt=True, hide_input=True, confirmation_prompt=True, help="At least 10 characters"
    ),
) -> None:
    """Add a user with a role; delegation members and stakeholders are bound to their actor."""
    if role not in _ROLES:
        out.print(f"[red]error:[/] role must be one of {', '.join(_ROLES)}")
        raise typer.Exit(2)
    with open_session() as session:
        user = add_user(
            session,
            email=email,
            password=password,
            role=Role(role),
            actor_code=actor,
            display_name=name,
            by=Principal.system(),
        )
        out.print(f"Added {user.email} ({user.role}).")


@users.command("token")
@reports_errors
def token(
    email: str = typer.Argument(..., help="The user the token acts for"),
    name: str = typer.Option("", help="A label to recognise the token by"),
) -> None:
    """Issue an API token for a user; it is printed once."""
    with open_session() as session:
        user = get_user(session, email)
        out.print(issue_token(session, user, name=name, by=Principal.system()))

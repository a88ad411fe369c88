from __future__ import annotations

import datetime as dt

import typer
from rich.console import Console

from stocktake.accounts.services import (
    activate_user,
    add_user,
    deactivate_user,
    find_token,
    get_user,
    issue_token,
    revoke_token,
)
from stocktake.core.commands import _, open_session, reports_errors, settings
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
        out.print(
            "[red]"
            + _("error:")
            + "[/] "
            + _("role must be one of %(roles)s", roles=", ".join(_ROLES))
        )
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
        out.print(_("Added %(email)s (%(role)s).", email=user.email, role=user.role))


@users.command("token")
@reports_errors
def token(
    email: str = typer.Argument(..., help="The user the token acts for"),
    name: str = typer.Option("", help="A label to recognise the token by"),
) -> None:
    """Issue an API token for a user; it is printed once."""
    days = settings().token_lifetime_days
    with open_session() as session:
        user = get_user(session, email)
        lifetime = dt.timedelta(days=days)
        out.print(issue_token(session, user, name=name, lifetime=lifetime, by=Principal.system()))


@users.command("revoke-token")
@reports_errors
def revoke(
    token: str = typer.Argument(
        ..., help="The token, or its first 12 characters (stk_ and 8 more), as a list shows them"
    ),
) -> None:
    """Revoke an API token: it stops working at once."""
    with open_session() as session:
        row = find_token(session, token)
        revoke_token(session, row.id, by=Principal.system())
        out.print(_("Revoked %(prefix)s… of %(email)s.", prefix=row.prefix, email=row.user.email))


@users.command("deactivate")
@reports_errors
def deactivate(email: str = typer.Argument(..., help="The user's e-mail")) -> None:
    """Deactivate a user: their sessions end and their tokens are revoked; their history stays."""
    with open_session() as session:
        user = deactivate_user(session, email, by=Principal.system())
        out.print(_("Deactivated %(email)s.", email=user.email))


@users.command("activate")
@reports_errors
def activate(email: str = typer.Argument(..., help="The user's e-mail")) -> None:
    """Let a deactivated user sign in again (their former tokens stay revoked)."""
    with open_session() as session:
        user = activate_user(session, email, by=Principal.system())
        out.print(_("Activated %(email)s.", email=user.email))

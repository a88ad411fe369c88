"""Request dependencies: the database session, the settings and who is acting.

This module sits below the domains and imports none of them: the lookups it needs (who holds a user id
or a token, which process is current) are the domains' own, set on the app by their `register(app)`.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator, Mapping
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from sqlalchemy.orm import Session

from stocktake.config import Settings
from stocktake.core.errors import Problem, ValidationFailed
from stocktake.core.permissions import Principal
from stocktake.core.untrusted import MAX_PROBLEMS, shown, unstorable_character

PrincipalLookup = Callable[[Session, Any], Principal | None]
UserAsk = Callable[[Any], Any]
"""Given the user id's column, a scalar subquery of something of that user (`ask_with_user`)."""
UserLookup = Callable[
    [Session, tuple[int, int], Mapping[str, UserAsk]], tuple[Principal | None, dict[str, Any]]
]
ProcessLookup = Callable[[Session, str | None], Any]
ANSWERS = "stocktake.user_answers"
"""Where a session's info keeps what was asked with the signed-in user, with its transaction."""


def provide_principals(
    app: FastAPI, *, for_user_id: UserLookup, for_token: PrincipalLookup
) -> None:
    """Tell the dependencies how to find who holds a signed-in user id (with what else is asked
    of them, `ask_with_user`) and who holds a token."""
    app.state.principal_for_user_id = for_user_id
    app.state.principal_for_token = for_token


def ask_with_user(app: FastAPI, name: str, ask: UserAsk) -> None:
    """Ask for something of the signed-in user (the frame's unread notifications) in the query
    that finds them: one round trip to the database on every signed-in page instead of two."""
    app.state.user_asks = {**getattr(app.state, "user_asks", {}), name: ask}


def asked_with_user(session: Session, name: str) -> Any | None:
    """What was asked with the signed-in user, while the transaction that read it lasts: once the
    request has committed (or rolled back) what it did, None, and the caller asks again."""
    kept = session.info.get(ANSWERS)
    if kept is None or kept[0] is not session.get_transaction():
        return None
    return kept[1].get(name)


def provide_process(app: FastAPI, lookup: ProcessLookup) -> None:
    """Tell the dependencies how to find the current process by its slug."""
    app.state.process_lookup = lookup


class NotAuthenticated(Exception):
    """An API request with a token that is unknown, revoked or malformed."""


def get_session(request: Request) -> Iterator[Session]:
    session: Session = request.app.state.sessions()
    request.state.db = session  # the page's language reads the process's default through it
    try:
        yield session
    finally:
        request.state.db = None  # an error page after this opens a session of its own
        session.close()


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


DbSession = Annotated[Session, Depends(get_session)]
AppSettings = Annotated[Settings, Depends(get_settings)]


def page_principal(request: Request, session: DbSession) -> Principal:
    """Who is signed in through the session cookie, or the public."""
    user_id = request.session.get("user_id")
    generation = request.session.get("generation", 0)
    if isinstance(user_id, int) and isinstance(generation, int):
        lookup: UserLookup = request.app.state.principal_for_user_id
        asks = getattr(request.app.state, "user_asks", {})
        principal, answers = lookup(session, (user_id, generation), asks)
        if principal is not None:
            session.info[ANSWERS] = (session.get_transaction(), answers)
            request.state.principal = principal  # an error page shows who is signed in, too
            return principal
        request.session.pop("user_id", None)
    return Principal.public()


def api_principal(request: Request, session: DbSession) -> Principal:
    """Who holds the bearer token, or the public when there is none."""
    header = request.headers.get("authorization", "")
    if not header:
        return Principal.public()
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated
    lookup: PrincipalLookup = request.app.state.principal_for_token
    principal = lookup(session, token.strip())
    if principal is None:
        raise NotAuthenticated
    return principal


def current_process(request: Request, session: DbSession) -> Any:
    """The current process, as the process domain looks it up; the process domain types it
    (`stocktake.process.deps.CurrentProcess`). The settings are read from the app, not as a
    dependency of their own: every page asks for the process, and each dependency costs FastAPI
    about a hundred calls to resolve."""
    lookup: ProcessLookup = request.app.state.process_lookup
    return lookup(session, request.app.state.settings.process)


PagePrincipal = Annotated[Principal, Depends(page_principal)]
ApiPrincipal = Annotated[Principal, Depends(api_principal)]


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


class CsrfFailed(Exception):
    """A form was posted without the token of the session that showed it."""


def check_csrf(request: Request, submitted: str | None) -> None:
    expected = request.session.get("csrf")
    if (
        not isinstance(expected, str)
        or not submitted
        or not secrets.compare_digest(expected, submitted)
    ):
        raise CsrfFailed


async def checked_csrf(request: Request) -> None:
    """The check every form post passes before its handler runs: the form's `csrf` field holds the
    token of the session that showed the form. A page route takes it as
    `dependencies=[CheckCsrf]`; the form's fields are read once and kept for the handler. Its text
    fields are checked here too, multipart forms included (the middleware reads only URL-encoded
    ones): a NUL, a control character or a lone surrogate is refused naming the field."""
    form = await request.form()
    submitted = form.get("csrf")
    check_csrf(request, submitted if isinstance(submitted, str) else None)
    problems = [
        Problem(f"form.{shown(name)}", reason)
        for name, value in form.multi_items()
        if isinstance(value, str)
        and (reason := unstorable_character(name) or unstorable_character(value))
    ]
    if problems:
        raise ValidationFailed("form", problems[:MAX_PROBLEMS])


CheckCsrf = Depends(checked_csrf)


def safe_next(target: str, default: str = "/") -> str:
    """A path on this site to go to next: never an absolute or protocol-relative URL."""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default

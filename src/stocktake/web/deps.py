"""Request dependencies: the database session, the settings and who is acting."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from stocktake.accounts.services import principal_for_token, principal_for_user_id
from stocktake.config import Settings
from stocktake.core.permissions import Principal
from stocktake.process.models import Process
from stocktake.process.services import get_process


class NotAuthenticated(Exception):
    """An API request with a token that is unknown, revoked or malformed."""


def get_session(request: Request) -> Iterator[Session]:
    session: Session = request.app.state.sessions()
    try:
        yield session
    finally:
        session.close()


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


DbSession = Annotated[Session, Depends(get_session)]
AppSettings = Annotated[Settings, Depends(get_settings)]


def page_principal(request: Request, session: DbSession) -> Principal:
    """Who is signed in through the session cookie, or the public."""
    user_id = request.session.get("user_id")
    if isinstance(user_id, int):
        principal = principal_for_user_id(session, user_id)
        if principal is not None:
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
    principal = principal_for_token(session, token.strip())
    if principal is None:
        raise NotAuthenticated
    return principal


def current_process(request: Request, session: DbSession, settings: AppSettings) -> Process:
    return get_process(session, settings.process)


PagePrincipal = Annotated[Principal, Depends(page_principal)]
ApiPrincipal = Annotated[Principal, Depends(api_principal)]
CurrentProcess = Annotated[Process, Depends(current_process)]


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


def safe_next(target: str, default: str = "/") -> str:
    """A path on this site to go to next: never an absolute or protocol-relative URL."""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from stocktake.accounts.services import (
    activate_user,
    deactivate_user,
    list_tokens,
    list_users,
    revoke_token,
    sign_in,
    sign_in_limits,
    sign_out,
)
from stocktake.core.db import utcnow
from stocktake.core.errors import PermissionDenied
from stocktake.core.translation import Text
from stocktake.web.deps import AppSettings, CheckCsrf, DbSession, PagePrincipal, safe_next
from stocktake.web.flash import flash
from stocktake.web.languages import translatable
from stocktake.web.templating import render

router = APIRouter(include_in_schema=False)


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.get("/login")
def login_form(request: Request, by: PagePrincipal, next: str = "/") -> Response:
    return render(request, "accounts/login.html", by, next=safe_next(next), error="", email="")


@router.post("/login", dependencies=[CheckCsrf])
def login(
    request: Request,
    session: DbSession,
    settings: AppSettings,
    by: PagePrincipal,
    email: Annotated[str, Form(max_length=1000)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    user = sign_in(
        session,
        email,
        password,
        address=client_address(request),
        limits=sign_in_limits(settings),
        by=by,
    )
    if user is None:
        return render(
            request,
            "accounts/login.html",
            by,
            status_code=401,
            next=safe_next(next),
            error=translatable("Wrong e-mail or password."),
            email=email,
        )
    request.session.clear()
    request.session["user_id"] = user.id
    request.session["generation"] = user.session_generation
    flash(request, "Signed in as %(email)s.", values={"email": user.email})
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/logout", dependencies=[CheckCsrf])
def logout(request: Request, session: DbSession, by: PagePrincipal) -> Response:
    sign_out(session, by=by)
    request.session.clear()
    flash(request, "Signed out.")
    return RedirectResponse("/", status_code=303)


@router.get("/account/tokens")
def tokens_page(request: Request, session: DbSession, by: PagePrincipal) -> Response:
    if by.user_id is None:
        raise PermissionDenied("accounts:token:read_own", Text("sign in to see your tokens"))
    return render(
        request, "accounts/tokens.html", by, tokens=list_tokens(session, by=by), now=utcnow()
    )


@router.post("/account/tokens/{token_id}/revoke", dependencies=[CheckCsrf])
def revoke_token_form(
    request: Request,
    token_id: int,
    session: DbSession,
    by: PagePrincipal,
) -> Response:
    if by.user_id is None:
        raise PermissionDenied("accounts:token:revoke_own", Text("sign in to revoke your tokens"))
    revoke_token(session, token_id, by=by)
    flash(request, "Token revoked: it no longer opens the API.")
    return RedirectResponse("/account/tokens", status_code=303)


@router.get("/users")
def users_page(request: Request, session: DbSession, by: PagePrincipal) -> Response:
    return render(request, "accounts/users.html", by, users=list_users(session, by=by))


@router.post("/users/{email}/deactivate", dependencies=[CheckCsrf])
def deactivate(
    request: Request,
    email: str,
    session: DbSession,
    by: PagePrincipal,
) -> Response:
    deactivate_user(session, email, by=by)
    flash(request, "%(email)s deactivated: they can no longer sign in.", values={"email": email})
    return RedirectResponse("/users", status_code=303)


@router.post("/users/{email}/activate", dependencies=[CheckCsrf])
def activate(
    request: Request,
    email: str,
    session: DbSession,
    by: PagePrincipal,
) -> Response:
    activate_user(session, email, by=by)
    flash(request, "%(email)s may sign in again.", values={"email": email})
    return RedirectResponse("/users", status_code=303)

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from stocktake.accounts.services import authenticate
from stocktake.web.deps import DbSession, PagePrincipal, check_csrf, safe_next
from stocktake.web.flash import flash
from stocktake.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/login")
def login_form(request: Request, by: PagePrincipal, next: str = "/") -> Response:
    return render(request, "accounts/login.html", by, next=safe_next(next), error="", email="")


@router.post("/login")
def login(
    request: Request,
    session: DbSession,
    by: PagePrincipal,
    csrf: Annotated[str, Form()] = "",
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    check_csrf(request, csrf)
    user = authenticate(session, email, password)
    if user is None:
        return render(
            request,
            "accounts/login.html",
            by,
            status_code=401,
            next=safe_next(next),
            error="Wrong e-mail or password.",
            email=email,
        )
    request.session.clear()
    request.session["user_id"] = user.id
    flash(request, f"Signed in as {user.email}.")
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request, csrf: Annotated[str, Form()] = "") -> Response:
    check_csrf(request, csrf)
    request.session.clear()
    flash(request, "Signed out.")
    return RedirectResponse("/", status_code=303)

"""Errors become 404, 403, 409 or 422 — as JSON under /api, as a page elsewhere — never a 500."""

from __future__ import annotations

from http import HTTPStatus
from urllib.parse import quote, urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from sqlalchemy.exc import DataError, IntegrityError, SQLAlchemyError, StatementError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from stocktake.core.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    Problem,
    Throttled,
    ValidationFailed,
    message_of,
    problem_shown,
)
from stocktake.core.permissions import Principal
from stocktake.core.translation import Text, shown
from stocktake.web.deps import CsrfFailed, NotAuthenticated, page_principal, safe_next
from stocktake.web.flash import flash
from stocktake.web.languages import request_language, translatable
from stocktake.web.templating import render


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def said(request: Request, exc: BaseException) -> str:
    """What an error says, in the language of the request (the page's language; for the API the
    language that `Accept-Language` asks for, else the process's)."""
    return shown(message_of(exc), request_language(request))


def _problem(request: Request, problem: Problem) -> str:
    """A problem as a page or a flash says it: in a right-to-left page, where it is and the
    values it quotes are set apart from the sentence's direction."""
    return problem_shown(problem, request_language(request), isolate=True)


def _back(request: Request, message: str, reason: str = "") -> Response | None:
    """A form posted from one of our pages that failed: back to that page, the reason in a flash
    message. None when there is no page of this site to go back to (then an error page shows)."""
    if request.method != "POST" or _is_api(request) or "session" not in request.scope:
        return None
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc != request.url.netloc or not referer.path.startswith("/"):
        return None
    flash(request, message, "error", values={"reason": reason} if reason else None)
    target = safe_next(referer.path + (f"?{referer.query}" if referer.query else ""))
    return RedirectResponse(target, status_code=303)


def _return_to(request: Request) -> str:
    """Where signing in leads back to: the page asked for; for a form sent while signed out (the
    session ended in another window), the page of this site the form was on, since its address
    takes no GET."""
    if request.method in ("GET", "HEAD"):
        return request.url.path + (f"?{request.url.query}" if request.url.query else "")
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc != request.url.netloc or not referer.path.startswith("/"):
        return "/"
    return safe_next(referer.path + (f"?{referer.query}" if referer.query else ""))


def _page(request: Request, status: int, title: str, detail: str) -> Response:
    def page(principal: Principal) -> Response:
        return render(
            request, "error.html", principal, status_code=status, title=title, detail=detail
        )

    principal = getattr(request.state, "principal", None)
    if principal is not None or not _signed_in(request):
        return page(principal or Principal.public())
    # no route, or a method the route does not take: nothing has asked who is signed in yet,
    # and the page's frame names them (with their unread count) as every other page does
    try:
        with request.app.state.sessions() as session:
            request.state.db = session
            try:
                return page(page_principal(request, session))
            finally:
                request.state.db = None
    except SQLAlchemyError:  # an error page about the database itself still shows
        return page(Principal.public())


def _signed_in(request: Request) -> bool:
    return "session" in request.scope and isinstance(request.session.get("user_id"), int)


# what the API says, and the page's sentence (translated where it is shown: error.html)
_UNSTORABLE = Text(
    "a value cannot be stored or compared: a number out of range, a text too long for its field "
    "or a character no database accepts"
)
_UNSTORABLE_PAGE = translatable(
    "A value cannot be stored or compared: a number out of range, a text too long for its field "
    "or a character no database accepts."
)
_OUT_OF_RANGE = Text("a number is out of range")
_OUT_OF_RANGE_PAGE = translatable("A number is out of range.")
_AT_ONCE = Text(
    "someone else changed the same thing at the same moment, so nothing was saved; reload the "
    "page to see their change and try again"
)
_AT_ONCE_PAGE = translatable(
    "Someone else changed the same thing at the same moment, so nothing was saved; reload the "
    "page to see their change and try again."
)
NOT_FOUND = translatable("Not found")
NOT_ALLOWED = translatable("Not allowed")
NOT_ACCEPTED = translatable("Not accepted")
CONFLICT = translatable("Conflict")
_HTTP_TITLES = {
    403: NOT_ALLOWED,
    404: NOT_FOUND,
    405: translatable("Method not allowed"),
    413: translatable("Too large"),
}
"""The titles of error pages whose status says no more than its standard phrase."""


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _refused(request: Request, status: int, title: str, detail: str, page: str) -> Response:
    if _is_api(request):
        return JSONResponse(
            {"detail": shown(detail, request_language(request))}, status_code=status
        )
    return _page(request, status, title, page)


def install(app: FastAPI) -> None:
    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        detail = said(request, exc)
        if _is_api(request):
            return JSONResponse({"detail": detail}, status_code=404)
        return _back(request, "Not done: %(reason)s.", detail) or _page(
            request, 404, NOT_FOUND, detail
        )

    @app.exception_handler(PermissionDenied)
    async def denied(request: Request, exc: PermissionDenied) -> Response:
        if _is_api(request):
            return JSONResponse({"detail": said(request, exc)}, status_code=403)
        if "user_id" not in request.session:
            return RedirectResponse(f"/login?next={quote(_return_to(request))}", status_code=303)
        return _page(request, 403, NOT_ALLOWED, translatable("Your role does not allow this."))

    @app.exception_handler(NotAuthenticated)
    async def unauthenticated(request: Request, exc: NotAuthenticated) -> Response:
        return JSONResponse(
            {"detail": shown(Text("invalid or revoked API token"), request_language(request))},
            status_code=401,
            headers={"WWW-Authenticate": "Bearer"},
        )

    @app.exception_handler(CsrfFailed)
    async def csrf_failed(request: Request, exc: CsrfFailed) -> Response:
        return _back(
            request, "Not done: the form had expired. Please check it and send it again."
        ) or _page(
            request,
            403,
            translatable("Form expired"),
            translatable("The form was not sent from this session. Reload the page and try again."),
        )

    @app.exception_handler(ValidationFailed)
    async def invalid(request: Request, exc: ValidationFailed) -> Response:
        language = request_language(request)
        problems = [{"where": p.where, "message": shown(p.message, language)} for p in exc.problems]
        if _is_api(request):
            return JSONResponse(
                {"detail": f"{exc.source}: refused", "problems": problems}, status_code=422
            )
        detail = "; ".join(_problem(request, p) for p in exc.problems)
        return _back(request, "Not done: %(reason)s.", detail or exc.source) or _page(
            request, 422, NOT_ACCEPTED, detail
        )

    @app.exception_handler(DataError)
    async def unstorable(request: Request, exc: DataError) -> Response:
        return _refused(request, 422, NOT_ACCEPTED, _UNSTORABLE, _UNSTORABLE_PAGE)

    @app.exception_handler(IntegrityError)
    async def at_once(request: Request, exc: IntegrityError) -> Response:
        # the database's own rule (a unique key) refused what a check made a moment earlier
        # allowed: two requests raced, the transaction was rolled back whole
        at_once = shown(_AT_ONCE, request_language(request))
        if _is_api(request):
            return JSONResponse({"detail": at_once}, status_code=409)
        return _back(request, "Not done: %(reason)s.", at_once) or _page(
            request, 409, CONFLICT, _AT_ONCE_PAGE
        )

    @app.exception_handler(OverflowError)
    async def overflow(request: Request, exc: OverflowError) -> Response:
        return _refused(request, 422, NOT_ACCEPTED, _OUT_OF_RANGE, _OUT_OF_RANGE_PAGE)

    @app.exception_handler(StatementError)
    async def statement(request: Request, exc: StatementError) -> Response:
        if isinstance(exc.orig, OverflowError):
            return _refused(request, 422, NOT_ACCEPTED, _OUT_OF_RANGE, _OUT_OF_RANGE_PAGE)
        raise exc

    @app.exception_handler(Throttled)
    async def throttled(request: Request, exc: Throttled) -> Response:
        headers = {"Retry-After": str(exc.retry_after)}
        detail = said(request, exc)
        if _is_api(request):
            return JSONResponse({"detail": detail}, status_code=429, headers=headers)
        response = _page(
            request, 429, translatable("Too many attempts"), f"{detail[:1].upper()}{detail[1:]}."
        )
        response.headers.update(headers)
        return response

    @app.exception_handler(Conflict)
    async def conflict(request: Request, exc: Conflict) -> Response:
        detail = said(request, exc)
        if _is_api(request):
            return JSONResponse({"detail": detail}, status_code=409)
        return _back(request, "Not done: %(reason)s", detail) or _page(
            request, 409, CONFLICT, detail
        )

    @app.exception_handler(RequestValidationError)
    async def malformed(request: Request, exc: RequestValidationError) -> Response:
        problems = [
            {"where": ".".join(str(p) for p in error["loc"]), "message": error["msg"]}
            for error in exc.errors()
        ]
        if _is_api(request):
            return JSONResponse(
                {"detail": "malformed request", "problems": problems}, status_code=422
            )
        return _page(
            request,
            422,
            NOT_ACCEPTED,
            "; ".join(f"{p['where']}: {p['message']}" for p in problems),
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if isinstance(exc.detail, Text):  # our own words (a body too large): in the reader's
            detail = shown(exc.detail, request_language(request))
            if _is_api(request):
                return JSONResponse({"detail": detail}, status_code=exc.status_code)
            title = _HTTP_TITLES.get(exc.status_code, _phrase(exc.status_code))
            return _page(request, exc.status_code, title, detail)
        if _is_api(request):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        title = str(exc.detail)
        if title == _phrase(exc.status_code):  # the status's own words: in the page's language
            title = _HTTP_TITLES.get(exc.status_code, title)
        return _page(request, exc.status_code, title, "")

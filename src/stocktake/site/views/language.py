"""The language switch: every page's header sends the reader's choice here (a plain form, no
script); the choice is kept in a cookie for a year and the reader goes back to the page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from stocktake.notifications.services import choose_language as keep_language
from stocktake.web.deps import DbSession, PagePrincipal, safe_next
from stocktake.web.flash import flash
from stocktake.web.languages import LANGUAGE_COOKIE, LANGUAGES, default_language

router = APIRouter(include_in_schema=False)

YEAR = 365 * 24 * 3600


@router.get("/language")
def choose_language(
    request: Request, session: DbSession, by: PagePrincipal, lang: str = "", next: str = "/"
) -> Response:
    """Keep the language chosen; an unknown code keeps the process's default and says so. A
    signed-in user's choice is also kept with their account: their e-mails follow it."""
    response = RedirectResponse(safe_next(next), status_code=303)
    chosen = lang.strip().lower()
    if not chosen:  # nothing chosen: nothing to keep
        return response
    if chosen not in LANGUAGES:
        chosen = default_language(request)
        flash(
            request,
            "“%(code)s” is not one of the languages of this site; the pages are shown in its "
            "default language.",
            "warning",
            values={"code": lang[:20]},
        )
    keep_language(session, chosen, by=by)
    response.set_cookie(
        LANGUAGE_COOKIE,
        chosen,
        max_age=YEAR,
        samesite="lax",
        httponly=True,
        secure=request.app.state.settings.https_only_cookies,
    )
    return response

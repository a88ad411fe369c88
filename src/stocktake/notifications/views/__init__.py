"""The pages of notifications: the signed-in user's settings (what they hear of, how, in which
language), their notifications in the site with marking them read, and the unsubscribe page an
e-mail's link opens without signing in."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from stocktake.accounts.models import User
from stocktake.core.db import utcnow
from stocktake.core.errors import PermissionDenied
from stocktake.core.permissions import Principal
from stocktake.core.translation import Text
from stocktake.notifications.kinds import DELIVERY_NAMES, DIGEST, NAMES, Kind
from stocktake.notifications.render import worded
from stocktake.notifications.services import (
    language_of,
    list_notifications,
    mark_read,
    read_preferences,
    save_preferences,
    unsubscribe,
)
from stocktake.notifications.tokens import verify
from stocktake.web.deps import AppSettings, CheckCsrf, DbSession, PagePrincipal
from stocktake.web.flash import Plural, flash
from stocktake.web.languages import (
    ENDONYMS,
    LANGUAGE_COOKIE,
    LANGUAGES,
    Choice,
    request_language,
)
from stocktake.web.templating import render

router = APIRouter(include_in_schema=False)


def _signed_in(by: Principal) -> None:
    if by.user_id is None:
        raise PermissionDenied(
            "notifications:settings:own", Text("sign in to see your notifications")
        )


@router.get("/account/notifications")
def settings_page(
    request: Request, session: DbSession, settings: AppSettings, by: PagePrincipal
) -> Response:
    _signed_in(by)
    return render(
        request,
        "notifications/settings.html",
        by,
        preferences=read_preferences(session, by=by),
        kinds=list(Kind),
        kind_names=NAMES,
        deliveries=DELIVERY_NAMES,
        languages=[(code, ENDONYMS[code]) for code in LANGUAGES],
        mail_waits=not settings.smtp_host,
    )


@router.post("/account/notifications", dependencies=[CheckCsrf])
async def save_settings(request: Request, session: DbSession, by: PagePrincipal) -> Response:
    _signed_in(by)
    form = await request.form()
    choices = {
        kind.value: (
            str(form.get(f"email_{kind.value}", "none")),
            form.get(f"app_{kind.value}") == "1",
        )
        for kind in Kind
    }
    language = str(form.get("language", ""))
    save_preferences(session, choices, language=language, by=by)
    flash(request, "Your notification settings are saved.")
    return RedirectResponse("/account/notifications", status_code=303)


@router.get("/notifications")
def notifications_page(
    request: Request, session: DbSession, by: PagePrincipal, page: int = 1
) -> Response:
    _signed_in(by)
    found = list_notifications(session, by=by, page=max(1, min(page, 10_000)))
    language = request_language(request)
    return render(
        request,
        "notifications/list.html",
        by,
        page=found,
        rows=[(n, worded(n.message, n.values, language)) for n in found.items],
    )


@router.post("/notifications/read", dependencies=[CheckCsrf])
def read_form(
    request: Request,
    session: DbSession,
    by: PagePrincipal,
    notification: Annotated[int | None, Form()] = None,
) -> Response:
    _signed_in(by)
    marked = mark_read(session, None if notification is None else [notification], by=by)
    if notification is None:
        flash(
            request,
            Plural(
                "%(num)s notification marked as read.",
                "%(num)s notifications marked as read.",
                marked,
            ),
        )
    else:
        flash(request, "The notification is marked as read.")
    return RedirectResponse("/notifications", status_code=303)


def _in_their_language(request: Request, session: DbSession, user_id: int) -> None:
    """The unsubscribe page in the language of the e-mail whose link opened it (the user's, else
    the process's), unless the reader chose a language on this site."""
    if request.cookies.get(LANGUAGE_COOKIE):
        return
    user = session.get(User, user_id)
    if user is not None:
        request.state.language_choice = Choice(language_of(session, user))


def _refused(request: Request, by: Principal) -> Response:
    return render(request, "notifications/unsubscribe.html", by, status_code=404, valid=False)


@router.get("/unsubscribe/{token}")
def unsubscribe_page(
    request: Request, token: str, session: DbSession, settings: AppSettings, by: PagePrincipal
) -> Response:
    """Ask before stopping: a link opened by a mail scanner stops nothing."""
    found = verify(settings.session_secret(), token, now=utcnow())
    if found is None:
        return _refused(request, by)
    _in_their_language(request, session, found.user_id)
    return render(
        request,
        "notifications/unsubscribe.html",
        by,
        valid=True,
        done=False,
        token=token,
        kind_name=NAMES.get(Kind(found.kind)) if found.kind in Kind.__members__.values() else None,
        digest=found.kind == DIGEST,
    )


@router.post("/unsubscribe/{token}")
def unsubscribe_post(
    request: Request, token: str, session: DbSession, settings: AppSettings, by: PagePrincipal
) -> Response:
    """Stop the e-mails the link names: from the page's button, or in one click from a mail client
    (RFC 8058). The signed link is the authority; no session, no CSRF token is needed."""
    found = verify(settings.session_secret(), token, now=utcnow())
    if found is None:
        return _refused(request, by)
    _in_their_language(request, session, found.user_id)
    unsubscribe(session, found.user_id, found.kind)
    return render(
        request,
        "notifications/unsubscribe.html",
        by,
        valid=True,
        done=True,
        token=token,
        kind_name=NAMES.get(Kind(found.kind)) if found.kind in Kind.__members__.values() else None,
        digest=found.kind == DIGEST,
    )

"""The signed-in user's notification settings and notifications, over the API."""

from __future__ import annotations

from fastapi import APIRouter, Query

from stocktake.accounts.models import User
from stocktake.core.permissions import Principal
from stocktake.notifications.render import worded
from stocktake.notifications.schemas import (
    KindSettingIO,
    MarkedOut,
    MarkReadIn,
    NotificationOut,
    NotificationSettingsIO,
    NotificationsOut,
)
from stocktake.notifications.services import (
    Preferences,
    language_of,
    list_notifications,
    mark_read,
    read_preferences,
    save_preferences,
    unread_count,
)
from stocktake.web.deps import ApiPrincipal, DbSession

router = APIRouter(tags=["notifications"])
OWN: dict[int | str, dict[str, str]] = {403: {"description": "Not signed in: no token given"}}


def _out(preferences: Preferences) -> NotificationSettingsIO:
    return NotificationSettingsIO(
        language=preferences.language,
        kinds=[
            KindSettingIO(kind=c.kind, email=c.email, in_app=c.in_app) for c in preferences.choices
        ],
    )


@router.get(
    "/me/notification-settings",
    response_model=NotificationSettingsIO,
    responses=OWN,
    summary="What the caller hears of, how, and in which language",
)
def read_settings(session: DbSession, by: ApiPrincipal) -> NotificationSettingsIO:
    return _out(read_preferences(session, by=by))


@router.put(
    "/me/notification-settings",
    response_model=NotificationSettingsIO,
    responses={**OWN, 422: {"description": "An unknown kind, delivery or language"}},
    summary="Choose what the caller hears of (kinds not listed keep their choice)",
)
def put_settings(
    body: NotificationSettingsIO, session: DbSession, by: ApiPrincipal
) -> NotificationSettingsIO:
    choices = {k.kind.value: (k.email.value, k.in_app) for k in body.kinds}
    language = (body.language or "") if "language" in body.model_fields_set else None
    return _out(save_preferences(session, choices, language=language, by=by))


def _language(session: DbSession, by: Principal) -> str:
    user = session.get(User, by.user_id) if by.user_id is not None else None
    return language_of(session, user) if user is not None else "en"


@router.get(
    "/me/notifications",
    response_model=NotificationsOut,
    responses=OWN,
    summary="The caller's notifications, newest first, in their language",
)
def read_notifications(
    session: DbSession,
    by: ApiPrincipal,
    page: int = Query(1, ge=1, le=10_000),
    unread: bool = Query(False, description="Only those not yet read"),
) -> NotificationsOut:
    found = list_notifications(session, by=by, page=page, unread_only=unread)
    language = _language(session, by)
    return NotificationsOut(
        items=[
            NotificationOut(
                id=n.id,
                kind=n.kind,
                text=worded(n.message, n.values, language),
                link=n.link,
                created_at=n.created_at,
                read=n.read_at is not None,
            )
            for n in found.items
        ],
        total=found.total,
        unread=unread_count(session, by.user_id or 0),
        page=found.page,
        page_size=found.page_size,
    )


@router.post(
    "/me/notifications/read",
    response_model=MarkedOut,
    responses=OWN,
    summary="Mark the caller's notifications read (those named, or all)",
)
def post_read(body: MarkReadIn, session: DbSession, by: ApiPrincipal) -> MarkedOut:
    return MarkedOut(marked=mark_read(session, body.ids, by=by))

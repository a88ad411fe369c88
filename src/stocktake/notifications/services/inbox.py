"""A user's notifications in the site: their list, how many are unread, marking them read. Each
user reads and marks only their own."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ScalarSelect, func, select, update
from sqlalchemy.orm import Session

from stocktake.core.db import transaction, utcnow
from stocktake.core.errors import PermissionDenied
from stocktake.core.pages import ResultPage
from stocktake.core.permissions import Principal
from stocktake.core.translation import Text
from stocktake.notifications.models import Notification


def _own(by: Principal) -> int:
    if by.user_id is None:
        raise PermissionDenied(
            "notifications:notification:read_own", Text("sign in to read your news")
        )
    return by.user_id


def list_notifications(
    session: Session, *, by: Principal, page: int = 1, per_page: int = 50, unread_only: bool = False
) -> ResultPage[Notification]:
    """The signed-in user's notifications, newest first."""
    user_id = _own(by)
    where = [Notification.user_id == user_id, Notification.in_app.is_(True)]
    if unread_only:
        where.append(Notification.read_at.is_(None))
    total = session.scalar(select(func.count()).select_from(Notification).where(*where)) or 0
    page = max(page, 1)
    items = list(
        session.scalars(
            select(Notification)
            .where(*where)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .offset((page - 1) * per_page)
            .limit(per_page)
        )
    )
    return ResultPage(items=items, total=total, page=page, page_size=per_page)


def unread_of(user_id: Any) -> ScalarSelect[int]:
    """How many in-app notifications of the user (an id, or the column of one) are unread, as a
    subquery: asked on its own (`unread_count`) or with the signed-in user (the frame)."""
    return (
        select(func.count())
        .select_from(Notification)
        .where(
            Notification.user_id == user_id,
            Notification.in_app.is_(True),
            Notification.read_at.is_(None),
        )
        .scalar_subquery()
    )


def unread_count(session: Session, user_id: int) -> int:
    return session.scalar(select(unread_of(user_id))) or 0


def mark_read(session: Session, ids: Sequence[int] | None = None, *, by: Principal) -> int:
    """Mark the signed-in user's notifications read: those named, or all when none are named.
    Another user's are left as they are (and not counted). How many were marked."""
    user_id = _own(by)
    query = update(Notification).where(
        Notification.user_id == user_id, Notification.read_at.is_(None)
    )
    if ids is not None:
        query = query.where(Notification.id.in_(list(ids)[:1000]))
    with transaction(session):
        done = session.execute(
            query.values(read_at=utcnow()).execution_options(synchronize_session=False)
        )
    return int(done.rowcount)  # type: ignore[attr-defined]

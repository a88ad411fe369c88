"""Write and read the audit log."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from stocktake.audit.events import AuditAction
from stocktake.audit.models import AuditEvent
from stocktake.core.db import contains
from stocktake.core.errors import Problem, ValidationFailed
from stocktake.core.pages import ResultPage
from stocktake.core.permissions import Permission, Principal, require
from stocktake.core.translation import Text


def record_event(
    session: Session,
    *,
    by: Principal,
    action: AuditAction,
    target_type: str,
    target_key: object,
    summary: str = "",
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an audit event to the caller's transaction; it commits or rolls back with the change."""
    event = AuditEvent(
        action=action.value,
        user_id=by.user_id,
        user_label=by.label,
        acting_for_id=by.actor_id,
        target_type=target_type,
        target_key=str(target_key),
        summary=summary,
        changes=changes or {},
    )
    session.add(event)
    return event


@dataclass(frozen=True)
class AuditFilter:
    action: str | None = None
    user: str | None = None
    target_type: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    text: str | None = None  # words in the event's summary or target, any case


def list_events(
    session: Session,
    *,
    by: Principal,
    filters: AuditFilter,
    page: int = 1,
    page_size: int = 50,
    strict: bool = False,
) -> ResultPage[AuditEvent]:
    """Events matching the filters, newest first. `strict` refuses an unknown action (as the API
    does) where the page finds nothing."""
    require(by, Permission.AUDIT_READ)
    if strict and filters.action and filters.action not in {a.value for a in AuditAction}:
        allowed = ", ".join(a.value for a in AuditAction)
        raise ValidationFailed(
            "filters",
            [
                Problem(
                    "action",
                    Text(
                        "unknown value %(value)r; allowed: %(allowed)s",
                        value=filters.action,
                        allowed=allowed,
                    ),
                )
            ],
        )
    query = select(AuditEvent)
    if filters.action:
        query = query.where(AuditEvent.action == filters.action)
    if filters.user:
        query = query.where(contains(AuditEvent.user_label, filters.user))
    if filters.target_type:
        query = query.where(AuditEvent.target_type == filters.target_type)
    if filters.text:
        query = query.where(
            or_(
                contains(AuditEvent.summary, filters.text),
                contains(AuditEvent.target_key, filters.text),
            )
        )
    if filters.since:
        start = dt.datetime.combine(filters.since, dt.time.min, dt.UTC)
        query = query.where(AuditEvent.created_at >= start)
    if filters.until:
        end = dt.datetime.combine(filters.until + dt.timedelta(days=1), dt.time.min, dt.UTC)
        query = query.where(AuditEvent.created_at < end)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(AuditEvent.id.desc()).offset((page - 1) * page_size).limit(page_size)
    ).all()
    return ResultPage(items=rows, total=total, page=page, page_size=page_size)

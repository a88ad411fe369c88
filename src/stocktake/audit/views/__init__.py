from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from stocktake.audit.events import AuditAction
from stocktake.audit.services import AuditFilter, list_events
from stocktake.web.deps import AppSettings, DbSession, PagePrincipal
from stocktake.web.templating import render

router = APIRouter(include_in_schema=False)


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@router.get("/audit")
def audit_log(
    request: Request,
    session: DbSession,
    settings: AppSettings,
    by: PagePrincipal,
    action: str = "",
    user: str = "",
    since: str = "",
    until: str = "",
    q: str = Query("", max_length=200),
    page: int = Query(1, ge=1),
) -> Response:
    filters = AuditFilter(
        action=action or None,
        user=user or None,
        since=_date(since),
        until=_date(until),
        text=q.strip() or None,
    )
    result = list_events(session, by=by, filters=filters, page=page, page_size=settings.page_size)
    return render(
        request,
        "audit/log.html",
        by,
        result=result,
        filters=filters,
        actions=[a.value for a in AuditAction],
    )

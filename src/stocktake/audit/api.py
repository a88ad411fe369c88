from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Query, Request

from stocktake.audit.schemas import AuditEventOut, AuditPageOut
from stocktake.audit.services import AuditFilter, list_events
from stocktake.web.deps import ApiPrincipal, AppSettings, DbSession
from stocktake.web.paging import Page, PerPage, next_page_link

router = APIRouter(tags=["audit"])


@router.get("/audit", response_model=AuditPageOut, summary="The audit log (secretariat)")
def read_audit(
    request: Request,
    session: DbSession,
    settings: AppSettings,
    by: ApiPrincipal,
    action: str | None = None,
    user: str | None = None,
    target_type: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    q: str | None = Query(
        None, max_length=200, description="Words in the event's summary or target, any case"
    ),
    page: Page = 1,
    per_page: PerPage = None,
) -> AuditPageOut:
    size = per_page or settings.page_size
    result = list_events(
        session,
        by=by,
        filters=AuditFilter(
            action=action,
            user=user,
            target_type=target_type,
            since=since,
            until=until,
            text=(q or "").strip() or None,
        ),
        page=page,
        page_size=size,
        strict=True,
    )
    return AuditPageOut(
        items=[AuditEventOut.model_validate(e) for e in result.items],
        total=result.total,
        page=result.page,
        pages=result.pages,
        per_page=size,
        next=next_page_link(request, result.page, result.pages),
    )

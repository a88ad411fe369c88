from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Query

from stocktake.audit.schemas import AuditEventOut, AuditPageOut
from stocktake.audit.services import AuditFilter, list_events
from stocktake.web.deps import ApiPrincipal, AppSettings, DbSession

router = APIRouter(tags=["audit"])


@router.get("/audit", response_model=AuditPageOut, summary="The audit log (secretariat)")
def read_audit(
    session: DbSession,
    settings: AppSettings,
    by: ApiPrincipal,
    action: str | None = None,
    user: str | None = None,
    target_type: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    page: int = Query(1, ge=1),
) -> AuditPageOut:
    result = list_events(
        session,
        by=by,
        filters=AuditFilter(
            action=action, user=user, target_type=target_type, since=since, until=until
        ),
        page=page,
        page_size=settings.page_size,
    )
    return AuditPageOut(
        items=[AuditEventOut.model_validate(e) for e in result.events],
        total=result.total,
        page=result.page,
        pages=result.pages,
    )

"""The process overview: its phases, its meetings by phase and how many actors of each kind."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from starlette.responses import Response

from stocktake.core.permissions import Permission, require
from stocktake.meetings.services import list_meetings
from stocktake.process.deps import CurrentProcess
from stocktake.registry.services import count_actors_by_kind
from stocktake.web.deps import DbSession, PagePrincipal
from stocktake.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/")
def overview(
    request: Request, session: DbSession, process: CurrentProcess, by: PagePrincipal
) -> Response:
    require(by, Permission.PROCESS_READ)
    today = dt.datetime.now(dt.UTC).date()
    current = process.phase_on(today)
    meetings = list_meetings(session, process, by=by)
    by_phase = {
        phase.key: [m for m in meetings if m.phase_key == phase.key] for phase in process.phases
    }
    return render(
        request,
        "process/overview.html",
        by,
        process=process,
        today=today,
        current_phase=current,
        meetings_by_phase=by_phase,
        actor_counts=count_actors_by_kind(session),
    )

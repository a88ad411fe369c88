"""The process overview: its phases, its meetings by phase and how many actors of each kind."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fastapi import APIRouter, Request
from starlette.responses import FileResponse, Response

from stocktake.core.permissions import Permission, require
from stocktake.meetings.services import list_meetings
from stocktake.process.deps import CurrentProcess
from stocktake.process.overview import overview_in
from stocktake.registry.services import count_actors_by_kind
from stocktake.web.deps import DbSession, PagePrincipal
from stocktake.web.languages import request_language
from stocktake.web.templating import render

router = APIRouter(include_in_schema=False)

FAVICON = Path(__file__).resolve().parents[2] / "static" / "favicon.svg"


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
        told=overview_in(process.read_definition(), request_language(request)),
        today=today,
        current_phase=current,
        meetings_by_phase=by_phase,
        actor_counts=count_actors_by_kind(session),
    )


@router.get("/favicon.ico")
def favicon() -> Response:
    """Browsers ask for /favicon.ico whatever the page names; answer with the page's icon."""
    return FileResponse(
        FAVICON, media_type="image/svg+xml", headers={"Cache-Control": "max-age=86400"}
    )

"""An actor's page: the registry's record with the meetings the actor attended."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from stocktake.core.permissions import Permission, require
from stocktake.meetings.services import meetings_attended
from stocktake.process.deps import CurrentProcess
from stocktake.registry.services import get_actor
from stocktake.web.deps import DbSession, PagePrincipal
from stocktake.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/actors/{code}")
def actor_detail(
    request: Request, code: str, session: DbSession, process: CurrentProcess, by: PagePrincipal
) -> Response:
    require(by, Permission.ACTORS_READ)
    actor = get_actor(session, code)
    return render(
        request,
        "registry/actor.html",
        by,
        process=process,
        actor=actor,
        meetings=meetings_attended(session, actor),
    )

from __future__ import annotations

from fastapi import APIRouter

from stocktake.core.permissions import Permission, require
from stocktake.process.deps import CurrentProcess
from stocktake.process.schemas import ProcessOut
from stocktake.process.services import get_process, list_processes
from stocktake.web.deps import ApiPrincipal, DbSession

router = APIRouter(tags=["process"])


@router.get("/process", response_model=ProcessOut, summary="The process this site runs")
def read_current_process(process: CurrentProcess, by: ApiPrincipal) -> ProcessOut:
    require(by, Permission.PROCESS_READ)
    return ProcessOut.model_validate(process)


@router.get("/processes", response_model=list[str], summary="Slugs of every process loaded")
def read_process_slugs(session: DbSession, by: ApiPrincipal) -> list[str]:
    return [p.slug for p in list_processes(session, by=by)]


@router.get("/processes/{slug}", response_model=ProcessOut, summary="One process by slug")
def read_process(slug: str, session: DbSession, by: ApiPrincipal) -> ProcessOut:
    require(by, Permission.PROCESS_READ)
    return ProcessOut.model_validate(get_process(session, slug))

from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks, Request

from stocktake.analysis.pipeline import Params
from stocktake.analysis.schemas import ClusterOut, RunOut
from stocktake.analysis.services import (
    clusters_of,
    get_run,
    list_runs,
    run_in_background,
    start_run,
)
from stocktake.process.deps import CurrentProcess
from stocktake.web.deps import ApiPrincipal, DbSession

router = APIRouter(tags=["analysis"])


@router.get(
    "/analysis/runs",
    response_model=list[RunOut],
    summary="Analysis runs, newest first (secretariat)",
)
def read_runs(session: DbSession, process: CurrentProcess, by: ApiPrincipal) -> list[RunOut]:
    return [RunOut.model_validate(r) for r in list_runs(session, process, by=by)]


@router.post(
    "/analysis/runs",
    response_model=RunOut,
    status_code=202,
    summary="Start an analysis run; poll it for progress",
)
def post_run(
    request: Request,
    background: BackgroundTasks,
    session: DbSession,
    process: CurrentProcess,
    by: ApiPrincipal,
) -> RunOut:
    params = Params(vectors=request.app.state.settings.analysis_vectors)
    run = start_run(session, process, by=by, params=params)
    out = RunOut.model_validate(run)
    background.add_task(
        run_in_background,
        request.app.state.sessions,
        run.id,
        by,
        scheduler=request.app.state.settings.analysis_scheduler,
    )
    return out


@router.get(
    "/analysis/runs/{run_id}", response_model=RunOut, summary="One analysis run with its progress"
)
def read_run(run_id: int, session: DbSession, by: ApiPrincipal) -> RunOut:
    return RunOut.model_validate(get_run(session, run_id, by=by))


@router.get(
    "/analysis/runs/{run_id}/clusters",
    response_model=list[ClusterOut],
    summary="The clusters of a run",
)
def read_clusters(run_id: int, session: DbSession, by: ApiPrincipal) -> list[ClusterOut]:
    run = get_run(session, run_id, by=by)
    return [ClusterOut.model_validate(c) for c in clusters_of(session, run)]

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from stocktake.analysis.models import AnalysisRun, RunStatus
from stocktake.analysis.pipeline import Params
from stocktake.analysis.services import (
    cluster_inputs,
    clusters_of,
    current_run,
    divergences_of,
    get_cluster,
    get_run,
    latest_run,
    list_runs,
    merge_clusters,
    rename_cluster,
    review_queue,
    split_cluster,
    start_run,
)
from stocktake.analysis.services.cluster_list import cluster_page
from stocktake.analysis.services.results import label_to_edit
from stocktake.analysis.views import names as names  # the words for the pages' stored keys
from stocktake.consultation.references import format_reference
from stocktake.core.errors import Problem, ValidationFailed
from stocktake.core.permissions import Principal
from stocktake.process.deps import CurrentProcess
from stocktake.process.models import Process
from stocktake.web.deps import CheckCsrf, DbSession, PagePrincipal
from stocktake.web.flash import Plural, flash
from stocktake.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/analysis")
def dashboard(
    request: Request, session: DbSession, process: CurrentProcess, by: PagePrincipal
) -> Response:
    runs = list_runs(session, process, by=by)
    run = latest_run(session, process)
    clusters = clusters_of(session, run)[:15] if run else []
    return render(
        request,
        "analysis/dashboard.html",
        by,
        process=process,
        runs=runs,
        run=run,
        clusters=clusters,
        divergences=divergences_of(session, run) if run else [],
        running=any(r.status == RunStatus.RUNNING for r in runs),
    )


@router.post("/analysis/runs", dependencies=[CheckCsrf])
def post_run(
    request: Request,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
) -> Response:
    params = Params(vectors=request.app.state.settings.analysis_vectors)
    run = start_run(session, process, by=by, params=params)
    flash(
        request,
        "Analysis run %(run)s started: this page shows its progress.",
        values={"run": run.id},
    )
    return RedirectResponse(f"/analysis/runs/{run.id}", status_code=303)


@router.get("/analysis/runs/{run_id}")
def run_detail(
    request: Request, run_id: int, session: DbSession, process: CurrentProcess, by: PagePrincipal
) -> Response:
    run = get_run(session, run_id, by=by)
    return render(
        request,
        "analysis/run.html",
        by,
        process=process,
        run=run,
        latest=latest_run(session, process),
    )


def _clusters_page(
    request: Request,
    session: DbSession,
    process: Process,
    by: Principal,
    run: AnalysisRun,
    problems: Sequence[Problem],
    status_code: int = 200,
) -> Response:
    q = (request.query_params.get("q") or "").strip()[:200] or None
    raw_page = request.query_params.get("page", "1")
    page = min(int(raw_page), 100_000) if raw_page.isdigit() and int(raw_page) > 0 else 1
    result = cluster_page(session, run, by=by, q=q, page=page)
    return render(
        request,
        "analysis/clusters.html",
        by,
        status_code=status_code,
        process=process,
        run=run,
        result=result,
        clusters=result.items,
        q=q or "",
        problems=problems,
    )


def _cluster_page(
    request: Request,
    session: DbSession,
    process: Process,
    by: Principal,
    run: AnalysisRun,
    number: int,
    problems: Sequence[Problem],
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "analysis/cluster.html",
        by,
        status_code=status_code,
        process=process,
        run=run,
        cluster=(cluster := get_cluster(session, run, number)),
        label_to_edit=label_to_edit(cluster),
        members=cluster_inputs(session, run, number),
        problems=problems,
        format_reference=format_reference,
    )


@router.get("/analysis/clusters")
def clusters(
    request: Request, session: DbSession, process: CurrentProcess, by: PagePrincipal
) -> Response:
    return _clusters_page(request, session, process, by, current_run(session, process, by=by), [])


@router.post("/analysis/clusters/merge", dependencies=[CheckCsrf])
def post_merge(
    request: Request,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    numbers: Annotated[list[int] | None, Form()] = None,
    label: Annotated[str, Form()] = "",
) -> Response:
    run = current_run(session, process, by=by)
    try:
        merged = merge_clusters(session, run, numbers or [], label, by=by)
    except ValidationFailed as exc:
        return _clusters_page(request, session, process, by, run, exc.problems, 422)
    flash(
        request,
        Plural(
            "%(num)s cluster merged into “%(label)s”.",
            "%(num)s clusters merged into “%(label)s”.",
            len(numbers or []),
        ),
        values={"label": merged.label},
    )
    return RedirectResponse(f"/analysis/clusters/{merged.number}", status_code=303)


@router.get("/analysis/clusters/{number}")
def cluster_detail(
    request: Request, number: int, session: DbSession, process: CurrentProcess, by: PagePrincipal
) -> Response:
    run = current_run(session, process, by=by)
    return _cluster_page(request, session, process, by, run, number, [])


@router.post("/analysis/clusters/{number}/rename", dependencies=[CheckCsrf])
def post_rename(
    request: Request,
    number: int,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    label: Annotated[str, Form()] = "",
) -> Response:
    renamed = rename_cluster(session, current_run(session, process, by=by), number, label, by=by)
    flash(request, "Cluster renamed “%(label)s”.", values={"label": renamed.label})
    return RedirectResponse(f"/analysis/clusters/{number}", status_code=303)


@router.post("/analysis/clusters/{number}/split", dependencies=[CheckCsrf])
def post_split(
    request: Request,
    number: int,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    inputs: Annotated[list[int] | None, Form()] = None,
    label: Annotated[str, Form()] = "",
) -> Response:
    run = current_run(session, process, by=by)
    try:
        new = split_cluster(session, run, number, inputs or [], label, by=by)
    except ValidationFailed as exc:
        return _cluster_page(request, session, process, by, run, number, exc.problems, 422)
    flash(
        request,
        Plural(
            "%(num)s input split off into “%(label)s”.",
            "%(num)s inputs split off into “%(label)s”.",
            len(inputs or []),
        ),
        values={"label": new.label},
    )
    return RedirectResponse(f"/analysis/clusters/{new.number}", status_code=303)


@router.get("/analysis/review")
def review(
    request: Request,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    page: Annotated[int, Query(ge=1)] = 1,
) -> Response:
    run = current_run(session, process, by=by)
    items, total = review_queue(session, run, limit=25, offset=(page - 1) * 25)
    return render(
        request,
        "analysis/review.html",
        by,
        process=process,
        run=run,
        items=items,
        total=total,
        page=page,
        pages=max(1, -(-total // 25)),
    )

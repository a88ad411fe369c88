"""The thread's pages: the thread of a paragraph or an objective, "where did our inputs go?" (with
its export) and the coverage of a draft or of the adopted text."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from stocktake.analysis.services.runs import latest_run
from stocktake.core.errors import Problem, ValidationFailed
from stocktake.core.permissions import Permission
from stocktake.process.deps import CurrentProcess
from stocktake.site.thread import (
    FORMATS,
    coverage,
    export_report,
    inputs_report,
    objective_thread,
    paragraph_thread,
)
from stocktake.site.thread.paragraphs import Thread
from stocktake.web.charts import Bar, bar_chart
from stocktake.web.deps import DbSession, PagePrincipal
from stocktake.web.templating import render

router = APIRouter(include_in_schema=False)


def _page(
    request: Request, session: DbSession, process: CurrentProcess, by: PagePrincipal, thread: Thread
) -> Response:
    run = latest_run(session, process) if by.can(Permission.THREAD_LINK) else None
    return render(request, "site/thread.html", by, process=process, thread=thread, run=run)


@router.get("/drafts/{draft_id}/paragraphs/{eid}/thread")
def paragraph_page(
    request: Request,
    draft_id: int,
    eid: str,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
) -> Response:
    thread = paragraph_thread(session, process, draft_id, eid, by=by)
    return _page(request, session, process, by, thread)


@router.get("/review/objectives/{objective}/thread")
def objective_page(
    request: Request, objective: int, session: DbSession, process: CurrentProcess, by: PagePrincipal
) -> Response:
    thread = objective_thread(session, process, objective, by=by)
    return _page(request, session, process, by, thread)


@router.get("/actors/{code}/inputs")
def inputs_page(
    request: Request, code: str, session: DbSession, process: CurrentProcess, by: PagePrincipal
) -> Response:
    report = inputs_report(session, process, code, by=by)
    counts = report.counts()
    chart = bar_chart("What became of the inputs", [Bar(k, v) for k, v in counts.items()])
    return render(
        request, "site/inputs.html", by, process=process, report=report, counts=counts, chart=chart
    )


@router.get("/actors/{code}/inputs/export")
def inputs_export(
    code: str, session: DbSession, process: CurrentProcess, by: PagePrincipal, format: str = "csv"
) -> Response:
    if format not in FORMATS:
        raise ValidationFailed(
            "export", [Problem("format", f"is one of {', '.join(FORMATS)}, not {format!r}")]
        )
    body, media_type, name = export_report(inputs_report(session, process, code, by=by), format)
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/drafts/{draft_id}/coverage")
def coverage_page(
    request: Request,
    draft_id: int,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    adopted: bool = False,
) -> Response:
    result = coverage(session, process, draft_id, adopted=adopted, by=by)
    shares = [result.clusters, result.actors, result.inputs]
    chart = bar_chart(
        "Share reflected (%)",
        [Bar(f"{s.name}", s.percent) for s in shares]
        + [Bar(f"region: {s.name}", s.percent) for s in result.regions],
        unit="%",
    )
    return render(
        request,
        "site/coverage.html",
        by,
        process=process,
        result=result,
        draft_id=draft_id,
        adopted=adopted,
        chart=chart,
    )

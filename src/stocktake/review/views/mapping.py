"""Pages of the lighter mode and the cycles: practices, capacity needs and offers with their
matches, review cycles with voluntary reports and the progress report (HTML and DOCX)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session
from starlette.responses import Response

from stocktake.core.errors import Conflict, ValidationFailed
from stocktake.core.permissions import Permission, Principal, require
from stocktake.process.deps import CurrentProcess
from stocktake.process.models import Process
from stocktake.registry.services import named_or_own, own_actor
from stocktake.review.services.cycles import (
    SCOPES,
    build_cycle_report,
    create_cycle,
    cycle_report_docx,
    get_cycle,
    list_cycles,
)
from stocktake.review.services.frame import list_objectives
from stocktake.review.services.mapping import (
    SUPPORT_KINDS,
    PracticeData,
    PracticeSearch,
    capacity_matches,
    get_item,
    list_capacity,
    list_reports,
    principles,
    publish,
    search_practices,
    submit_capacity,
    submit_practice,
    submit_voluntary_report,
)
from stocktake.review.services.pledges import KINDS, STATUSES
from stocktake.web.charts import Bar, bar_chart
from stocktake.web.deps import CheckCsrf, DbSession, PagePrincipal
from stocktake.web.templating import render

router = APIRouter(include_in_schema=False)
LABELS: dict[str, Any] = {
    "support": SUPPORT_KINDS,
    "scopes": SCOPES,
    "statuses": STATUSES,
    "kinds": KINDS,
}


@router.get("/review/practices")
def practices(
    request: Request,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    q: str = "",
    objective: str = "",
    country: str = "",
    actor: str = "",
    criterion: str = "",
) -> Response:
    search = PracticeSearch(
        text=q,
        objective=int(objective) if objective.isdigit() else None,
        country=country.strip()[:3],
        actor=actor.strip(),
        criterion=criterion,
    )
    found = search_practices(session, process, search, by=by)
    return render(
        request,
        "review/practices.html",
        by,
        practices=found,
        filters={
            "q": q,
            "objective": objective,
            "country": country,
            "actor": actor,
            "criterion": criterion,
        },
        objectives=list_objectives(session, process),
        countries=sorted(
            {p.country_iso3 for p in search_practices(session, process, by=by) if p.country_iso3}
        ),
        labels={**LABELS, "criteria": principles(process)},
        data={
            "title": "",
            "description": "",
            "objectives": [],
            "criteria": [],
            "place": "",
            "actor": "",
        },
        problems=[],
    )


@router.post("/review/practices", dependencies=[CheckCsrf])
def post_practice(
    request: Request,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    actor: Annotated[str, Form()] = "",
    title: Annotated[str, Form()] = "",
    description: Annotated[str, Form()] = "",
    objectives: Annotated[list[int] | None, Form()] = None,
    criteria: Annotated[list[str] | None, Form()] = None,
    place: Annotated[str, Form()] = "",
) -> Response:
    data = PracticeData(
        actor=named_or_own(session, by, actor),
        title=title,
        description=description,
        objectives=objectives or [],
        criteria=criteria or [],
        place=place,
    )
    try:
        practice = submit_practice(session, process, data, by=by)
    except ValidationFailed as exc:
        return render(
            request,
            "review/practices.html",
            by,
            status_code=422,
            practices=search_practices(session, process, by=by),
            filters={"q": "", "objective": "", "country": "", "actor": "", "criterion": ""},
            objectives=list_objectives(session, process),
            countries=[],
            labels={**LABELS, "criteria": principles(process)},
            data={**data.__dict__, "actor": actor},
            problems=[str(p) for p in exc.problems],
        )
    return RedirectResponse(f"/review/practices#practice-{practice.id}", status_code=303)


@router.get("/review/capacity")
def capacity(
    request: Request, session: DbSession, process: CurrentProcess, by: PagePrincipal
) -> Response:
    items = list_capacity(session, process, by=by)
    return render(
        request,
        "review/capacity.html",
        by,
        needs=[i for i in items if i.direction == "need"],
        offers=[i for i in items if i.direction == "offer"],
        matches=capacity_matches([i for i in items if i.is_published]),
        objectives=list_objectives(session, process),
        labels=LABELS,
        problems=[],
    )


@router.post("/review/capacity", dependencies=[CheckCsrf])
def post_capacity(
    request: Request,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    actor: Annotated[str, Form()] = "",
    direction: Annotated[str, Form()] = "need",
    objective: Annotated[str, Form()] = "",
    kind: Annotated[str, Form()] = "",
    description: Annotated[str, Form()] = "",
) -> Response:
    try:
        submit_capacity(
            session,
            process,
            direction=direction,
            actor=named_or_own(session, by, actor),
            objective=int(objective) if objective.isdigit() else 0,
            kind=kind,
            description=description,
            by=by,
        )
    except ValidationFailed as exc:
        items = list_capacity(session, process, by=by)
        return render(
            request,
            "review/capacity.html",
            by,
            status_code=422,
            needs=[i for i in items if i.direction == "need"],
            offers=[i for i in items if i.direction == "offer"],
            matches=capacity_matches([i for i in items if i.is_published]),
            objectives=list_objectives(session, process),
            labels=LABELS,
            problems=[str(p) for p in exc.problems],
        )
    return RedirectResponse("/review/capacity", status_code=303)


@router.post("/review/{kind}/{item_id}/publish", dependencies=[CheckCsrf])
def post_publish_item(
    request: Request,
    kind: str,
    item_id: int,
    session: DbSession,
    by: PagePrincipal,
) -> Response:
    item = get_item(session, kind, item_id, by=by, acting=Permission.CONTRIBUTIONS_PUBLISH)
    publish(session, item, by=by)
    back = {"reports": "/review/cycles", "practices": "/review/practices"}.get(
        kind, "/review/capacity"
    )
    return RedirectResponse(back, status_code=303)


@router.get("/review/cycles")
def cycles(
    request: Request, session: DbSession, process: CurrentProcess, by: PagePrincipal
) -> Response:
    return render(
        request,
        "review/cycles.html",
        by,
        cycles=list_cycles(session, process, by=by),
        labels=LABELS,
        problems=[],
    )


@router.post("/review/cycles", dependencies=[CheckCsrf])
def post_cycle(
    request: Request,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    slug: Annotated[str, Form()] = "",
    title: Annotated[str, Form()] = "",
    scope: Annotated[str, Form()] = "global",
    region: Annotated[str, Form()] = "",
    start_date: Annotated[str, Form()] = "",
    end_date: Annotated[str, Form()] = "",
) -> Response:
    try:
        cycle = create_cycle(
            session,
            process,
            slug=slug,
            title=title,
            scope=scope,
            region=region,
            start_date=start_date,
            end_date=end_date,
            by=by,
        )
    except (ValidationFailed, Conflict) as exc:
        messages = (
            [str(p) for p in exc.problems] if isinstance(exc, ValidationFailed) else [str(exc)]
        )
        return render(
            request,
            "review/cycles.html",
            by,
            status_code=422 if isinstance(exc, ValidationFailed) else 409,
            cycles=list_cycles(session, process, by=by),
            labels=LABELS,
            problems=messages,
        )
    return RedirectResponse(f"/review/cycles/{cycle.slug}", status_code=303)


def _report_page(
    request: Request,
    session: Session,
    process: Process,
    by: Principal,
    slug: str,
    problems: list[str] | None = None,
    status_code: int = 200,
) -> Response:
    cycle = get_cycle(session, slug)
    report = build_cycle_report(session, process, cycle)
    return render(
        request,
        "review/cycle.html",
        by,
        status_code=status_code,
        report=report,
        charts={
            "Indicators by progress status": bar_chart(
                "Indicators by progress status",
                [Bar(k, v) for k, v in report.indicator_statuses.items()],
            ),
            "Pledges by status": bar_chart(
                "Pledges by status", [Bar(k, v) for k, v in report.pledge_statuses.items()]
            ),
        },
        own_reports=[r for r in list_reports(session, cycle, by=by) if not r.is_published],
        own_actor=own_actor(session, by),
        objectives=list_objectives(session, process),
        labels=LABELS,
        problems=problems or [],
    )


@router.get("/review/cycles/{slug}")
def cycle_report(
    request: Request, slug: str, session: DbSession, process: CurrentProcess, by: PagePrincipal
) -> Response:
    require(by, Permission.REVIEW_READ_PUBLISHED)
    return _report_page(request, session, process, by, slug)


@router.get("/review/cycles/{slug}/report.docx")
def cycle_report_download(
    slug: str, session: DbSession, process: CurrentProcess, by: PagePrincipal
) -> Response:
    require(by, Permission.REVIEW_READ_PUBLISHED)
    report = build_cycle_report(session, process, get_cycle(session, slug))
    return Response(
        cycle_report_docx(report),
        media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        headers={"content-disposition": f'attachment; filename="{slug}-progress-report.docx"'},
    )


@router.post("/review/cycles/{slug}/reports", dependencies=[CheckCsrf])
def post_voluntary_report(
    request: Request,
    slug: str,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    actor: Annotated[str, Form()] = "",
    objective: Annotated[str, Form()] = "",
    text: Annotated[str, Form()] = "",
) -> Response:
    cycle = get_cycle(session, slug)
    try:
        submit_voluntary_report(
            session,
            process,
            cycle,
            actor=named_or_own(session, by, actor),
            objective=int(objective) if objective.isdigit() else 0,
            text=text,
            by=by,
        )
    except ValidationFailed as exc:
        problems = [str(p) for p in exc.problems]
        return _report_page(request, session, process, by, slug, problems, 422)
    except Conflict as exc:
        return _report_page(request, session, process, by, slug, [str(exc)], 409)
    return RedirectResponse(f"/review/cycles/{slug}#reports", status_code=303)

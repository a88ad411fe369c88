"""Pages of the lighter mode and the cycles: practices, capacity needs and offers with their
matches, review cycles with voluntary reports and the progress report (HTML and DOCX)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session
from starlette.responses import Response

from stocktake.core.errors import Problem, ValidationFailed
from stocktake.core.permissions import Permission, Principal
from stocktake.process.deps import CurrentProcess
from stocktake.process.models import Process
from stocktake.registry.services import named_or_own
from stocktake.review.services.frame import list_objectives
from stocktake.review.services.mapping import (
    PracticeData,
    PracticeSearch,
    capacity_matches,
    get_item,
    list_capacity,
    principles_in,
    publish,
    search_practices,
    submit_capacity,
    submit_practice,
)
from stocktake.review.services.pledges import pledges_answering
from stocktake.review.views.labels import LABELS, objective_titles
from stocktake.web.deps import CheckCsrf, DbSession, PagePrincipal
from stocktake.web.flash import flash
from stocktake.web.languages import request_language
from stocktake.web.templating import render

router = APIRouter(include_in_schema=False)


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
    # the countries to filter by, of every practice: the list itself when nothing filters it
    every = found if search == PracticeSearch() else search_practices(session, process, by=by)
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
        objectives=list_objectives(session, process, actions=False),
        objective_title=objective_titles(request, process),
        countries=sorted({p.country_iso3 for p in every if p.country_iso3}),
        labels={**LABELS, "criteria": principles_in(process, request_language(request))},
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
            objectives=list_objectives(session, process, actions=False),
            objective_title=objective_titles(request, process),
            countries=[],
            labels={**LABELS, "criteria": principles_in(process, request_language(request))},
            data={**data.__dict__, "actor": actor},
            problems=exc.problems,
        )
    flash(
        request,
        "Practice “%(title)s” submitted: the secretariat will review it before it is published.",
        values={"title": practice.title},
    )
    return RedirectResponse(f"/review/practices#practice-{practice.id}", status_code=303)


def _capacity_page(
    request: Request,
    session: Session,
    process: Process,
    by: Principal,
    problems: Sequence[Problem | str] | None = None,
    status_code: int = 200,
) -> Response:
    """Needs and offers, the matches of published ones, and the pledges that answer needs."""
    items = list_capacity(session, process, by=by)
    needs = [i for i in items if i.direction == "need"]
    answers = pledges_answering(session, process, by=by)
    return render(
        request,
        "review/capacity.html",
        by,
        status_code=status_code,
        needs=needs,
        offers=[i for i in items if i.direction == "offer"],
        matches=capacity_matches([i for i in items if i.is_published]),
        answers=answers,
        answered=[(n, answers[n.id]) for n in needs if n.id in answers],
        objectives=list_objectives(session, process, actions=False),
        objective_title=objective_titles(request, process),
        labels=LABELS,
        problems=problems or [],
    )


@router.get("/review/capacity")
def capacity(
    request: Request, session: DbSession, process: CurrentProcess, by: PagePrincipal
) -> Response:
    return _capacity_page(request, session, process, by)


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
        return _capacity_page(request, session, process, by, exc.problems, 422)
    if direction == "offer":
        flash(
            request, "Capacity offer recorded: the secretariat publishes it before it is matched."
        )
    else:
        flash(request, "Capacity need recorded: the secretariat publishes it before it is matched.")
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
    flash(request, "Published: everyone can read it now.")
    back = {"reports": "/review/cycles", "practices": "/review/practices"}.get(
        kind, "/review/capacity"
    )
    return RedirectResponse(back, status_code=303)

"""Review pages: the overview of objectives and progress, indicators, pledges."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session
from starlette.responses import Response

from stocktake.core.errors import Problem, ValidationFailed
from stocktake.core.numbers import UnreadableNumber, number_example, read_number
from stocktake.core.permissions import Permission, Principal, require
from stocktake.process.deps import CurrentProcess
from stocktake.process.models import Process
from stocktake.registry.names import actor_name, country_name
from stocktake.registry.services import named_or_own, own_actor
from stocktake.review.progress import STATUS_LABELS, Method, ProgressStatus
from stocktake.review.services.frame import list_objectives
from stocktake.review.services.indicators import (
    IndicatorTitles,
    assess_progress,
    list_indicators,
    places_with_data,
    unit_in,
)
from stocktake.review.services.mapping import list_capacity
from stocktake.review.services.pledges import (
    PledgeData,
    PledgeFilter,
    confirm_pledge,
    currency_name,
    get_pledge,
    list_pledges,
    pledge_dashboard,
    pledges_by_objective,
    publish_pledge,
    submit_pledge,
    update_pledge_status,
)
from stocktake.review.views.labels import (
    LABELS,
    NO_DATA,
    objective_bars,
    objective_titles,
    page_direction,
    page_gettext,
    translated_chart,
)
from stocktake.web.deps import CheckCsrf, DbSession, PagePrincipal
from stocktake.web.flash import flash
from stocktake.web.languages import request_language, translatable
from stocktake.web.templating import render

router = APIRouter(include_in_schema=False)
STATUS_CHANGED = {
    "planned": translatable("The pledge is now planned; its history records the change."),
    "in_progress": translatable("The pledge is now in progress; its history records the change."),
    "completed": translatable("The pledge is now completed; its history records the change."),
    "discontinued": translatable("The pledge is now discontinued; its history records the change."),
}


def status_counts(
    results: Iterable[Any], objectives: Sequence[Any], by_sdg: dict[str, Any]
) -> dict[str, int]:
    """Indicators per progress status, only the statuses some indicator has, then the compact's
    indicators without data: the figures beside the objectives' tags, never "Not available 0"."""
    found = list(results)
    counts = {
        STATUS_LABELS[s]: n for s in ProgressStatus if (n := sum(1 for r in found if r.status is s))
    }
    missing = {code for o in objectives for code in o.sdg_indicators if code not in by_sdg}
    if missing:
        counts[NO_DATA] = len(missing)
    return counts


def _charts(request: Request, values: dict[str, dict[str, int]]) -> dict[str, Any]:
    gettext = page_gettext(request)
    direction = page_direction(request)
    return {
        title: translated_chart(title, counts, gettext, direction)
        for title, counts in values.items()
    }


@router.get("/review")
def overview(
    request: Request,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    country: str = "",
) -> Response:
    require(by, Permission.REVIEW_READ_PUBLISHED)
    places = places_with_data(session)
    chosen = country.upper() if country.upper() in places else (places[0] if places else "")
    progress = {r.code: r for r in assess_progress(session, countries=[chosen] if chosen else None)}
    by_sdg = {i.sdg_code: i for i in list_indicators(session) if i.sdg_code}
    objectives = list_objectives(session, process, actions=False)
    statuses = status_counts(progress.values(), objectives, by_sdg)
    return render(
        request,
        "review/overview.html",
        by,
        process=process,
        objectives=objectives,
        objective_title=objective_titles(request, process),
        indicators=by_sdg,
        progress=progress,
        pledge_counts=pledges_by_objective(session, process, by=by),
        labels=LABELS,
        chart=translated_chart(
            "Indicators by progress status",
            statuses,
            page_gettext(request),
            page_direction(request),
        ),
        statuses=statuses,
        places=places,
        country=chosen,
        country_name=lambda code: country_name(code, request_language(request)),
    )


@router.get("/review/indicators")
def indicators(
    request: Request,
    session: DbSession,
    by: PagePrincipal,
    method: str = "opensdg",
    country: str = "",
) -> Response:
    require(by, Permission.REVIEW_READ_PUBLISHED)
    chosen = Method(method) if method in {m.value for m in Method} else Method.OPENSDG
    found = {i.code: i for i in list_indicators(session)}
    places = places_with_data(session)
    place = country.upper() if country.upper() in places else ""
    language = request_language(request)
    return render(
        request,
        "review/indicators.html",
        by,
        results=assess_progress(session, chosen, countries=[place] if place else None),
        indicators=found,
        titles=IndicatorTitles(session, found.values(), [place] if place else None, language),
        unit_in=lambda unit: unit_in(unit, language),
        method=chosen.value,
        labels=LABELS,
        places=places,
        country=place,
        country_name=lambda code: country_name(code, language),
    )


def _filters(
    objective: str, region: str, kind: str, status: str
) -> tuple[PledgeFilter, dict[str, str]]:
    raw = {"objective": objective, "region": region, "kind": kind, "status": status}
    return (
        PledgeFilter(
            objective=int(objective) if objective.isdigit() else None,
            region=region or None,
            kind=kind or None,
            status=status or None,
        ),
        raw,
    )


@router.get("/review/pledges")
def pledges(
    request: Request,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    objective: str = "",
    region: str = "",
    kind: str = "",
    status: str = "",
) -> Response:
    filters, raw = _filters(objective, region, kind, status)
    found = list_pledges(session, process, filters, by=by)
    dashboard = pledge_dashboard(found)
    # the regions to filter by, of every pledge: the list itself when nothing filters it
    everything = found if filters == PledgeFilter() else list_pledges(session, process, by=by)
    objectives = list_objectives(session, process, actions=False)
    titles = objective_titles(request, process)
    return render(
        request,
        "review/pledges.html",
        by,
        pledges=found,
        dashboard=dashboard,
        charts=_charts(
            request,
            {
                "Pledges by objective": objective_bars(
                    dashboard.by_objective, objectives, titles, page_gettext(request)
                ),
                "Pledges by region": dashboard.by_region,
                "Pledges by kind": dashboard.by_kind,
                "Pledges by status": dashboard.by_status,
            },
        ),
        filters=raw,
        objectives=objectives,
        objective_title=titles,
        regions=sorted({p.actor.region for p in everything if p.actor.region}),
        labels=LABELS,
    )


def _form(
    request: Request,
    session: Session,
    process: Process,
    by: Principal,
    data: dict[str, Any],
    problems: Sequence[Problem | str] | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "review/pledge_form.html",
        by,
        status_code=status_code,
        data=data,
        problems=problems or [],
        amount_example=number_example(request_language(request)),
        own_actor=own_actor(session, by),
        objectives=list_objectives(session, process),
        objective_title=objective_titles(request, process),
        needs=[
            c
            for c in list_capacity(session, process, by=Principal.public())
            if c.direction == "need"
        ],
        labels=LABELS,
    )


EMPTY = {
    "actor": "",
    "title": "",
    "description": "",
    "kind": "policy",
    "level": "national",
    "objectives": [],
    "actions": "",
    "start_year": "2024",
    "end_year": "2026",
    "mode": "single",
    "partners": "",
    "matches": "",
    "amount": "",
    "currency": "",
    "answers": "",
}


@router.get("/review/pledges/new")
def new_pledge(
    request: Request,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    answers: str = "",
    objective: str = "",
) -> Response:
    """The form; `answers` and `objective` preset the need it answers and its objective (the
    capacity page links here from a need)."""
    require(by, Permission.PLEDGES_SUBMIT_OWN)
    data: dict[str, Any] = dict(EMPTY)
    if answers.isdigit():
        data["answers"] = answers
    if objective.isdigit():
        data["objectives"] = [int(objective)]
    return _form(request, session, process, by, data)


def _year(text: str) -> int:
    return int(text) if text.strip().isdigit() else 0


def _amount(text: str, language: str, unread: list[Problem]) -> Decimal | None:
    """An amount as the page's language writes it — `250 000,50` on a French page — or plainly
    (`250000.50`); what cannot be read is refused by name, never guessed."""
    try:
        return read_number(text, language)
    except UnreadableNumber as exc:
        unread.append(Problem("amount", exc.text))
        return None


def _codes(text: str) -> list[str]:
    return [c.strip() for c in text.replace(";", ",").split(",") if c.strip()]


@router.post("/review/pledges/new", dependencies=[CheckCsrf])
def post_pledge(
    request: Request,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    actor: Annotated[str, Form()] = "",
    title: Annotated[str, Form()] = "",
    description: Annotated[str, Form()] = "",
    kind: Annotated[str, Form()] = "",
    level: Annotated[str, Form()] = "",
    objectives: Annotated[list[int] | None, Form()] = None,
    actions: Annotated[str, Form()] = "",
    start_year: Annotated[str, Form()] = "",
    end_year: Annotated[str, Form()] = "",
    mode: Annotated[str, Form()] = "single",
    partners: Annotated[str, Form()] = "",
    matches: Annotated[str, Form()] = "",
    amount: Annotated[str, Form()] = "",
    currency: Annotated[str, Form()] = "",
    answers: Annotated[str, Form()] = "",
) -> Response:
    unread: list[Problem] = []
    data = PledgeData(
        actor=named_or_own(session, by, actor),
        title=title,
        description=description,
        kind=kind,
        level=level,
        objectives=objectives or [],
        actions=_codes(actions),
        start_year=_year(start_year),
        end_year=_year(end_year),
        mode=mode,
        partners=_codes(partners),
        matches=int(matches) if matches.strip().isdigit() else None,
        amount=_amount(amount, request_language(request), unread),
        currency=currency,
        answers=int(answers) if answers.strip().isdigit() else None,
        unread=unread,
    )
    try:
        pledge = submit_pledge(session, process, data, by=by)
    except ValidationFailed as exc:
        echo = {
            **EMPTY,
            "actor": actor,
            "title": title,
            "description": description,
            "kind": kind,
            "level": level,
            "objectives": objectives or [],
            "actions": actions,
            "start_year": start_year,
            "end_year": end_year,
            "mode": mode,
            "partners": partners,
            "matches": matches,
            "amount": amount,
            "currency": currency,
            "answers": answers,
        }
        return _form(request, session, process, by, echo, exc.problems, status_code=422)
    flash(request, "Your pledge is submitted; the secretariat publishes it after review.")
    return RedirectResponse(f"/review/pledges/{pledge.id}", status_code=303)


@router.get("/review/pledges/{pledge_id}")
def pledge_detail(
    request: Request,
    pledge_id: int,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
) -> Response:
    pledge = get_pledge(session, pledge_id, by=by)
    may_report = by.can(Permission.PLEDGES_SUBMIT_ANY) or (
        by.can(Permission.PLEDGES_SUBMIT_OWN) and by.actor_id == pledge.actor_id
    )
    return render(
        request,
        "review/pledge.html",
        by,
        pledge=pledge,
        objective_title=objective_titles(request, process),
        currency_name=currency_name(pledge.currency) or "",
        may_report=may_report,
        may_confirm=(
            by.can(Permission.PLEDGES_SUBMIT_OWN)
            and any(a.id == by.actor_id for a in pledge.partners)
            and pledge.confirmation_of(by.actor_id) is None
        ),
        may_record_for=(
            [a for a in pledge.partners if pledge.confirmation_of(a.id) is None]
            if by.can(Permission.PLEDGES_SUBMIT_ANY)
            else []
        ),
        labels=LABELS,
    )


@router.post("/review/pledges/{pledge_id}/status", dependencies=[CheckCsrf])
def post_status(
    request: Request,
    pledge_id: int,
    session: DbSession,
    by: PagePrincipal,
    status: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> Response:
    pledge = get_pledge(session, pledge_id, by=by, acting=Permission.PLEDGES_SUBMIT_OWN)
    update_pledge_status(session, pledge, status=status, note=note, by=by)
    flash(request, STATUS_CHANGED.get(pledge.status, STATUS_CHANGED["planned"]))
    return RedirectResponse(f"/review/pledges/{pledge_id}#history", status_code=303)


@router.post("/review/pledges/{pledge_id}/publish", dependencies=[CheckCsrf])
def post_publish(
    request: Request,
    pledge_id: int,
    session: DbSession,
    by: PagePrincipal,
) -> Response:
    pledge = get_pledge(session, pledge_id, by=by, acting=Permission.PLEDGES_PUBLISH)
    publish_pledge(session, pledge, by=by)
    flash(
        request,
        "Pledge “%(title)s” published: everyone can read it now.",
        values={"title": pledge.title},
    )
    return RedirectResponse(f"/review/pledges/{pledge_id}", status_code=303)


@router.post("/review/pledges/{pledge_id}/confirm", dependencies=[CheckCsrf])
def post_confirm(
    request: Request,
    pledge_id: int,
    session: DbSession,
    by: PagePrincipal,
    partner: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> Response:
    """A partner confirms for itself; the secretariat records a partner's confirmation (`partner`)
    received otherwise, saying how (`note`)."""
    pledge = get_pledge(session, pledge_id, by=by, acting=Permission.PLEDGES_SUBMIT_OWN)
    found = confirm_pledge(session, pledge, by=by, partner=partner, note=note)
    if found.on_behalf:
        flash(
            request,
            "%(partner)s's confirmation is recorded on its behalf.",
            values={"partner": actor_name(found.actor, request_language(request))},
        )
    else:
        flash(request, "Your confirmation is recorded.")
    return RedirectResponse(f"/review/pledges/{pledge_id}#partners", status_code=303)

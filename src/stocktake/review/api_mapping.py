"""The review API of the lighter mode and the cycles: cycles, voluntary reports, practices,
capacity needs and offers with their matches, publication."""

from __future__ import annotations

from fastapi import APIRouter

from stocktake.core.permissions import Permission
from stocktake.process.deps import CurrentProcess
from stocktake.registry.services import named_or_own
from stocktake.review.models import CapacityItem, Practice, VoluntaryReport
from stocktake.review.schemas import (
    CapacityIn,
    CapacityOut,
    CycleIn,
    CycleOut,
    MatchOut,
    PracticeIn,
    PracticeOut,
    VoluntaryReportIn,
    VoluntaryReportOut,
)
from stocktake.review.services.cycles import create_cycle, get_cycle, list_cycles
from stocktake.review.services.mapping import (
    PracticeData,
    PracticeSearch,
    capacity_matches,
    get_item,
    list_capacity,
    list_reports,
    publish,
    search_practices,
    submit_capacity,
    submit_practice,
    submit_voluntary_report,
)
from stocktake.review.services.pledges import pledges_answering
from stocktake.web.deps import ApiPrincipal, DbSession

router = APIRouter(prefix="/review", tags=["review"])


def report_out(r: VoluntaryReport) -> VoluntaryReportOut:
    return VoluntaryReportOut(
        id=r.id,
        cycle=r.cycle.slug,
        actor=r.actor.code,
        objective=r.objective.number,
        text=r.text,
        published=r.is_published,
    )


def practice_out(p: Practice) -> PracticeOut:
    return PracticeOut(
        id=p.id,
        actor=p.actor.code,
        title=p.title,
        description=p.description,
        objectives=[o.number for o in p.objectives],
        criteria=p.criteria,
        country_iso3=p.country_iso3,
        place=p.place,
        published=p.is_published,
    )


def capacity_out(c: CapacityItem, answered_by: list[int] | None = None) -> CapacityOut:
    return CapacityOut(
        id=c.id,
        direction=c.direction,
        actor=c.actor.code,
        objective=c.objective.number,
        kind=c.kind,
        description=c.description,
        published=c.is_published,
        answered_by=answered_by or [],
    )


@router.get("/cycles", response_model=list[CycleOut], summary="Review cycles")
def read_cycles(session: DbSession, process: CurrentProcess, by: ApiPrincipal) -> list[CycleOut]:
    return [CycleOut.model_validate(c) for c in list_cycles(session, process, by=by)]


@router.post("/cycles", response_model=CycleOut, status_code=201, summary="Open a review cycle")
def post_cycle(
    body: CycleIn, session: DbSession, process: CurrentProcess, by: ApiPrincipal
) -> CycleOut:
    cycle = create_cycle(session, process, **body.model_dump(), by=by)
    return CycleOut.model_validate(cycle)


@router.get(
    "/cycles/{slug}/reports",
    response_model=list[VoluntaryReportOut],
    summary="Voluntary reports of a cycle the caller may read",
)
def read_reports(slug: str, session: DbSession, by: ApiPrincipal) -> list[VoluntaryReportOut]:
    return [report_out(r) for r in list_reports(session, get_cycle(session, slug), by=by)]


@router.post(
    "/cycles/{slug}/reports",
    response_model=VoluntaryReportOut,
    status_code=201,
    summary="A state's voluntary report on an objective, for itself",
)
def post_report(
    slug: str,
    body: VoluntaryReportIn,
    session: DbSession,
    process: CurrentProcess,
    by: ApiPrincipal,
) -> VoluntaryReportOut:
    report = submit_voluntary_report(
        session,
        process,
        get_cycle(session, slug),
        actor=named_or_own(session, by, body.actor),
        objective=body.objective,
        text=body.text,
        by=by,
    )
    return report_out(report)


@router.get("/practices", response_model=list[PracticeOut], summary="Search the practices")
def read_practices(
    session: DbSession,
    process: CurrentProcess,
    by: ApiPrincipal,
    q: str = "",
    objective: int | None = None,
    country: str = "",
    actor: str = "",
) -> list[PracticeOut]:
    search = PracticeSearch(text=q, objective=objective, country=country, actor=actor)
    return [practice_out(p) for p in search_practices(session, process, search, by=by)]


@router.post("/practices", response_model=PracticeOut, status_code=201, summary="Share a practice")
def post_practice(
    body: PracticeIn, session: DbSession, process: CurrentProcess, by: ApiPrincipal
) -> PracticeOut:
    data = PracticeData(**{**body.model_dump(), "actor": named_or_own(session, by, body.actor)})
    return practice_out(submit_practice(session, process, data, by=by))


@router.get("/capacity", response_model=list[CapacityOut], summary="Capacity needs and offers")
def read_capacity(
    session: DbSession, process: CurrentProcess, by: ApiPrincipal
) -> list[CapacityOut]:
    answers = pledges_answering(session, process, by=by)
    return [
        capacity_out(c, [p.id for p in answers.get(c.id, [])])
        for c in list_capacity(session, process, by=by)
    ]


@router.post(
    "/capacity", response_model=CapacityOut, status_code=201, summary="State a need or an offer"
)
def post_capacity(
    body: CapacityIn, session: DbSession, process: CurrentProcess, by: ApiPrincipal
) -> CapacityOut:
    fields = {**body.model_dump(), "actor": named_or_own(session, by, body.actor)}
    return capacity_out(submit_capacity(session, process, **fields, by=by))


@router.get(
    "/capacity/matches",
    response_model=list[MatchOut],
    summary="Published needs and offers of the same objective and kind",
)
def read_matches(session: DbSession, process: CurrentProcess, by: ApiPrincipal) -> list[MatchOut]:
    published = [c for c in list_capacity(session, process, by=by) if c.is_published]
    return [
        MatchOut(
            objective=m.need.objective.number,
            kind=m.need.kind,
            need=capacity_out(m.need),
            offer=capacity_out(m.offer),
        )
        for m in capacity_matches(published)
    ]


@router.post(
    "/{kind}/{item_id}/publish",
    status_code=204,
    summary="Publish a voluntary report, practice or capacity item (kind: reports, practices, capacity)",
)
def post_publish(kind: str, item_id: int, session: DbSession, by: ApiPrincipal) -> None:
    item = get_item(session, kind, item_id, by=by, acting=Permission.CONTRIBUTIONS_PUBLISH)
    publish(session, item, by=by)

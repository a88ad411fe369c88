from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from stocktake.core.errors import Conflict, ValidationFailed
from stocktake.core.permissions import Permission, Principal, require
from stocktake.meetings.models import Meeting
from stocktake.meetings.services import (
    ParticipationFigures,
    get_meeting,
    list_meetings,
    participation_figures,
    record_attendance,
    register_participant,
    registration_actor,
)
from stocktake.meetings.services.registrations import RegistrationFilter, registration_page
from stocktake.meetings.views import manage
from stocktake.process.deps import CurrentProcess
from stocktake.process.models import Process
from stocktake.registry.services import own_actor
from stocktake.web.charts import Bar, bar_chart
from stocktake.web.deps import CheckCsrf, DbSession, PagePrincipal
from stocktake.web.flash import flash
from stocktake.web.templating import render

router = APIRouter(include_in_schema=False)
router.include_router(manage.router)  # first: "/meetings/{slug}.ics" before "/meetings/{slug}"


@router.get("/meetings")
def meetings(
    request: Request, session: DbSession, process: CurrentProcess, by: PagePrincipal
) -> Response:
    meetings = list_meetings(session, process, by=by)
    return render(request, "meetings/list.html", by, process=process, meetings=meetings)


def _charts(process: Process, figures: ParticipationFigures) -> dict[str, object]:
    kinds = {t.key: t.name for t in process.vocabulary("actor_kinds")}
    categories = {t.key: t.name for t in process.vocabulary("stakeholder_categories")}
    return {
        "kind": bar_chart(
            "Participants by kind of actor",
            [Bar(kinds.get(k, k), t.participants) for k, t in figures.by_kind.items()],
        ),
        "region": bar_chart(
            "Participants by region",
            [Bar(k, t.participants) for k, t in figures.by_region.items()],
        ),
        "group": bar_chart(
            "Participants by regional group",
            [Bar(k, t.participants) for k, t in figures.by_regional_group.items()],
        ),
        "category": bar_chart(
            "Stakeholder organisations by category",
            [Bar(categories.get(k, k), t.actors) for k, t in figures.by_category.items()],
        ),
    }


def _page(
    request: Request,
    session: DbSession,
    process: Process,
    by: PagePrincipal,
    meeting: Meeting,
    *,
    status_code: int = 200,
) -> Response:
    figures = participation_figures(session, meeting)
    registered = (
        registration_page(session, meeting, RegistrationFilter(), by=by, page_size=1).total
        if by.can(Permission.REGISTRATIONS_READ_OWN)
        else 0
    )
    return render(
        request,
        "meetings/detail.html",
        by,
        status_code=status_code,
        process=process,
        meeting=meeting,
        figures=figures,
        charts=_charts(process, figures),
        registered=registered,
    )


def _registrations(
    request: Request,
    session: DbSession,
    process: Process,
    by: Principal,
    meeting: Meeting,
    *,
    page: int = 1,
    problems: list[str] | None = None,
    status_code: int = 200,
) -> Response:
    filters = RegistrationFilter(
        q=(request.query_params.get("q") or "").strip()[:200] or None,
        attended=request.query_params.get("attended") or None,
    )
    result = registration_page(session, meeting, filters, by=by, page=page)
    return render(
        request,
        "meetings/registrations.html",
        by,
        status_code=status_code,
        process=process,
        meeting=meeting,
        result=result,
        filters=filters,
        own_actor=own_actor(session, by),
        problems=problems or [],
    )


@router.get("/meetings/{slug}/registrations")
def registrations(
    request: Request,
    slug: str,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    return _registrations(request, session, process, by, get_meeting(session, slug), page=page)


@router.get("/meetings/{slug}")
def meeting_detail(
    request: Request, slug: str, session: DbSession, process: CurrentProcess, by: PagePrincipal
) -> Response:
    require(by, Permission.MEETINGS_READ)
    return _page(request, session, process, by, get_meeting(session, slug))


@router.post("/meetings/{slug}/registrations", dependencies=[CheckCsrf])
def post_registration(
    request: Request,
    slug: str,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    name: Annotated[str, Form()] = "",
    function: Annotated[str, Form()] = "",
    actor: Annotated[str, Form()] = "",
) -> Response:
    # Who may register for which actor is the service's to decide; the form only names the actor.
    target = registration_actor(session, actor, by=by)
    meeting = get_meeting(session, slug)
    try:
        register_participant(session, meeting, target, name=name, function=function, by=by)
    except ValidationFailed as exc:
        return _registrations(
            request,
            session,
            process,
            by,
            meeting,
            problems=[str(p) for p in exc.problems],
            status_code=422,
        )
    except Conflict as exc:
        return _registrations(
            request, session, process, by, meeting, problems=[str(exc)], status_code=409
        )
    flash(request, f"{name.strip()} is registered for {target.name}.")
    return RedirectResponse(f"/meetings/{slug}/registrations", status_code=303)


@router.post("/meetings/{slug}/registrations/{participant_id}/attendance", dependencies=[CheckCsrf])
def post_attendance(
    request: Request,
    slug: str,
    participant_id: int,
    session: DbSession,
    by: PagePrincipal,
    attended: Annotated[str, Form()] = "",
) -> Response:
    meeting = get_meeting(session, slug)
    record_attendance(session, meeting, participant_id, attended=attended == "yes", by=by)
    flash(request, "Attendance recorded." if attended == "yes" else "Marked as not attended.")
    return RedirectResponse(f"/meetings/{slug}/registrations", status_code=303)

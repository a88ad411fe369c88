from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from stocktake.core.errors import Conflict, Problem, ValidationFailed, message_of
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
from stocktake.registry.names import named_as
from stocktake.registry.services import own_actor
from stocktake.web.charts import Bar, bar_chart
from stocktake.web.deps import CheckCsrf, DbSession, PagePrincipal
from stocktake.web.flash import flash
from stocktake.web.languages import Choice, catalog, request_language, translatable
from stocktake.web.templating import render

router = APIRouter(include_in_schema=False)
router.include_router(manage.router)  # first: "/meetings/{slug}.ics" before "/meetings/{slug}"


@router.get("/meetings")
def meetings(
    request: Request, session: DbSession, process: CurrentProcess, by: PagePrincipal
) -> Response:
    meetings = list_meetings(session, process, by=by)
    return render(request, "meetings/list.html", by, process=process, meetings=meetings)


# what the participation figures name in English (registry.models.REGIONAL_GROUPS, the M49
# regions, and the services' words for an actor without either), for the catalogs
FIGURE_WORDS = (
    translatable("Africa"),
    translatable("Americas"),
    translatable("Asia"),
    translatable("Europe"),
    translatable("Oceania"),
    translatable("International (no country)"),
    translatable("No regional group"),
)
CHART_TITLES = {
    "kind": translatable("Participants by kind of actor"),
    "region": translatable("Participants by region"),
    "group": translatable("Participants by regional group"),
    "category": translatable("Stakeholder organisations by category"),
}


def _labels(
    process: Process, figures: ParticipationFigures, language: str
) -> dict[str, dict[str, str]]:
    """The names of the figures' rows in the reader's language: the process's terms by their
    names in the definition, regions and regional groups through the catalogs."""

    def named(vocabulary: str) -> dict[str, str]:
        return {t.key: t.names.get(language) or t.name for t in process.vocabulary(vocabulary)}

    words = catalog(language).gettext
    return {
        "kind": named("actor_kinds"),
        "region": {key: words(key) for key in figures.by_region},
        "group": {key: words(key) for key in figures.by_regional_group},
        "category": named("stakeholder_categories"),
    }


def _charts(
    figures: ParticipationFigures, labels: dict[str, dict[str, str]], language: str
) -> dict[str, object]:
    words = catalog(language).gettext
    tallies = {
        "kind": figures.by_kind,
        "region": figures.by_region,
        "group": figures.by_regional_group,
        "category": figures.by_category,
    }
    return {
        name: bar_chart(
            words(CHART_TITLES[name]),
            [
                Bar(labels[name].get(k, k), t.actors if name == "category" else t.participants)
                for k, t in tallies[name].items()
            ],
            direction=Choice(language).direction,
        )
        for name in CHART_TITLES
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
    language = request_language(request)
    labels = _labels(process, figures, language)
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
        charts=_charts(figures, labels, language),
        labels=labels,
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
    problems: Sequence[Problem | str] | None = None,
    status_code: int = 200,
) -> Response:
    filters = RegistrationFilter(
        q=(request.query_params.get("q") or "").strip()[:200] or None,
        attended=request.query_params.get("attended") or None,
        language=request_language(request),
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
            problems=exc.problems,
            status_code=422,
        )
    except Conflict as exc:
        return _registrations(
            request, session, process, by, meeting, problems=[message_of(exc)], status_code=409
        )
    flash(
        request,
        "%(name)s is registered for %(actor)s.",
        values={
            "name": name.strip(),
            "actor": named_as(target.kind, target.iso3, target.name, request_language(request)),
        },
    )
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
    if attended == "yes":
        flash(request, "Attendance recorded.")
    else:
        flash(request, "Marked as not attended.")
    return RedirectResponse(f"/meetings/{slug}/registrations", status_code=303)

from __future__ import annotations

from fastapi import APIRouter, Request

from stocktake.core.permissions import Permission, require
from stocktake.meetings.models import Participant
from stocktake.meetings.schemas import (
    AttendanceIn,
    FiguresOut,
    MeetingIn,
    MeetingOut,
    MeetingPatch,
    RegistrationIn,
    RegistrationOut,
    RegistrationPageOut,
)
from stocktake.meetings.services import (
    MeetingData,
    create_meeting,
    get_meeting,
    list_meetings,
    participation_figures,
    record_attendance,
    register_participant,
    registration_actor,
)
from stocktake.meetings.services.changes import MeetingChanges, cancel_meeting, update_meeting
from stocktake.meetings.services.registrations import RegistrationFilter, registration_page
from stocktake.process.deps import CurrentProcess
from stocktake.web.deps import ApiPrincipal, AppSettings, DbSession
from stocktake.web.paging import Page, PerPage, next_page_link

router = APIRouter(tags=["meetings"])


def _registration(participant: Participant) -> RegistrationOut:
    return RegistrationOut(
        id=participant.id,
        actor=participant.actor.code,
        name=participant.name,
        function=participant.function,
        attended=participant.attended,
    )


@router.get(
    "/meetings", response_model=list[MeetingOut], summary="Meetings of the process, by date"
)
def read_meetings(
    session: DbSession, process: CurrentProcess, by: ApiPrincipal
) -> list[MeetingOut]:
    return [MeetingOut.model_validate(m) for m in list_meetings(session, process, by=by)]


@router.post("/meetings", response_model=MeetingOut, status_code=201, summary="Add a meeting")
def post_meeting(
    body: MeetingIn, session: DbSession, process: CurrentProcess, by: ApiPrincipal
) -> MeetingOut:
    meeting = create_meeting(session, process, MeetingData(**body.model_dump()), by=by)
    return MeetingOut.model_validate(meeting)


@router.get("/meetings/{slug}", response_model=MeetingOut, summary="One meeting")
def read_meeting(slug: str, session: DbSession, by: ApiPrincipal) -> MeetingOut:
    require(by, Permission.MEETINGS_READ)
    return MeetingOut.model_validate(get_meeting(session, slug))


@router.patch(
    "/meetings/{slug}",
    response_model=MeetingOut,
    summary="Change a meeting (secretariat): its calendar event updates, and the change is news",
)
def patch_meeting(
    slug: str, body: MeetingPatch, session: DbSession, process: CurrentProcess, by: ApiPrincipal
) -> MeetingOut:
    require(by, Permission.MEETINGS_MANAGE)
    meeting = get_meeting(session, slug)
    changed = update_meeting(session, process, meeting, MeetingChanges(**body.model_dump()), by=by)
    return MeetingOut.model_validate(changed)


@router.post(
    "/meetings/{slug}/cancel",
    response_model=MeetingOut,
    summary="Cancel a meeting (secretariat): it stays listed and in the calendars, cancelled",
)
def post_cancel(
    slug: str, session: DbSession, process: CurrentProcess, by: ApiPrincipal
) -> MeetingOut:
    require(by, Permission.MEETINGS_MANAGE)
    meeting = get_meeting(session, slug)
    return MeetingOut.model_validate(cancel_meeting(session, process, meeting, by=by))


@router.get(
    "/meetings/{slug}/participation",
    response_model=FiguresOut,
    summary="Participation figures: delegations, participants, stakeholders, with breakdowns",
)
def read_participation(slug: str, session: DbSession, by: ApiPrincipal) -> FiguresOut:
    require(by, Permission.MEETINGS_READ)
    return FiguresOut.model_validate(participation_figures(session, get_meeting(session, slug)))


@router.get(
    "/meetings/{slug}/registrations",
    response_model=RegistrationPageOut,
    summary="Registrations, a page at a time: all for the secretariat, its own for a delegation or stakeholder",
)
def read_registrations(
    request: Request,
    slug: str,
    session: DbSession,
    settings: AppSettings,
    by: ApiPrincipal,
    page: Page = 1,
    per_page: PerPage = None,
) -> RegistrationPageOut:
    size = per_page or settings.page_size
    result = registration_page(
        session,
        get_meeting(session, slug),
        RegistrationFilter(),
        by=by,
        page=page,
        page_size=size,
        newest_first=False,
    )
    return RegistrationPageOut(
        items=[_registration(p) for p in result.items],
        total=result.total,
        page=result.page,
        pages=result.pages,
        per_page=size,
        next=next_page_link(request, result.page, result.pages),
    )


@router.post(
    "/meetings/{slug}/registrations",
    response_model=RegistrationOut,
    status_code=201,
    summary="Register a participant for an actor (a delegation only for itself)",
)
def post_registration(
    slug: str, body: RegistrationIn, session: DbSession, by: ApiPrincipal
) -> RegistrationOut:
    actor = registration_actor(session, body.actor, by=by)
    meeting = get_meeting(session, slug)
    participant = register_participant(
        session,
        meeting,
        actor,
        name=body.name,
        function=body.function,
        by=by,
    )
    return _registration(participant)


@router.put(
    "/meetings/{slug}/registrations/{participant_id}/attendance",
    response_model=RegistrationOut,
    summary="Record whether a registered participant attended (secretariat)",
)
def put_attendance(
    slug: str, participant_id: int, body: AttendanceIn, session: DbSession, by: ApiPrincipal
) -> RegistrationOut:
    meeting = get_meeting(session, slug)
    participant = record_attendance(session, meeting, participant_id, attended=body.attended, by=by)
    return _registration(participant)

"""Meeting actions (create, register a participant, record attendance) and participation figures."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Select, distinct, func, select
from sqlalchemy.orm import Session, joinedload

from stocktake.audit.events import AuditAction
from stocktake.audit.services import record_event
from stocktake.core.db import transaction
from stocktake.core.errors import Conflict, NotFound, PermissionDenied, Problem, ValidationFailed
from stocktake.core.permissions import Permission, Principal, require
from stocktake.core.translation import Text
from stocktake.meetings.models import Meeting, Participant
from stocktake.meetings.services.changes import meeting_news
from stocktake.process.models import Process
from stocktake.process.terms import unknown_term
from stocktake.registry.models import GOVERNMENTAL_KINDS, REGIONAL_GROUPS, STATE_KINDS, Actor
from stocktake.registry.names import named_actor
from stocktake.registry.services import get_actor, own_actor


@dataclass
class MeetingData:
    slug: str
    title: str
    meeting_type: str
    start_date: dt.date
    end_date: dt.date
    phase_key: str | None = None
    city: str = ""
    country_iso3: str | None = None
    description: str = ""


def create_meeting(
    session: Session, process: Process, data: MeetingData, *, by: Principal
) -> Meeting:
    require(by, Permission.MEETINGS_CREATE)
    problems = []
    types = {t.key for t in process.vocabulary("meeting_types")}
    if data.meeting_type not in types:
        problems.append(Problem("meeting_type", unknown_term("meeting_types", data.meeting_type)))
    if data.end_date < data.start_date:
        problems.append(Problem("end_date", Text("ends before it starts")))
    phase = process.phase_on(data.start_date)
    phase_key = data.phase_key or (phase.key if phase else None)
    if phase_key not in {p.key for p in process.phases}:
        problems.append(
            Problem(
                "phase_key",
                Text(
                    "no phase %(phase)r in %(process)s",
                    phase=phase_key,
                    process=process.short_name,
                ),
            )
        )
    if session.scalar(select(Meeting.id).where(Meeting.slug == data.slug)):
        problems.append(
            Problem("slug", Text("a meeting %(meeting)r already exists", meeting=data.slug))
        )
    if problems:
        raise ValidationFailed("meeting", problems)
    meeting = Meeting(
        process_id=process.id,
        slug=data.slug,
        title=data.title,
        meeting_type=data.meeting_type,
        phase_key=phase_key or "",
        start_date=data.start_date,
        end_date=data.end_date,
        city=data.city,
        country_iso3=data.country_iso3,
        description=data.description,
    )
    with transaction(session):
        session.add(meeting)
        session.flush()
        record_event(
            session,
            by=by,
            action=AuditAction.MEETING_CREATED,
            target_type="meeting",
            target_key=meeting.slug,
            summary=meeting.title,
        )
        meeting_news(session, process, meeting, "added", by=by)
    return meeting


def get_meeting(session: Session, slug: str) -> Meeting:
    meeting = session.scalar(select(Meeting).where(Meeting.slug == slug))
    if meeting is None:
        raise NotFound(Text("meeting"), slug)
    return meeting


def list_meetings(session: Session, process: Process, *, by: Principal) -> list[Meeting]:
    require(by, Permission.MEETINGS_READ)
    return list(
        session.scalars(
            select(Meeting)
            .where(Meeting.process_id == process.id)
            .order_by(Meeting.start_date, Meeting.slug)
        )
    )


def _require_registrar(by: Principal) -> None:
    if not by.can(Permission.REGISTRATIONS_CREATE_ANY):
        require(by, Permission.REGISTRATIONS_CREATE_OWN)


def registration_actor(session: Session, code: str, *, by: Principal) -> Actor:
    """The actor a registration is for: the one named, or else the registrar's own. Whoever may not
    register anyone is refused before any actor is looked up."""
    _require_registrar(by)
    if code.strip():
        return get_actor(session, code.strip())
    own = own_actor(session, by)
    if own is None:
        raise PermissionDenied(
            Permission.REGISTRATIONS_CREATE_OWN, Text("name the actor to register for")
        )
    return own


def _refuse_duplicate(session: Session, meeting: Meeting, actor: Actor, name: str) -> None:
    duplicate = session.scalar(
        select(Participant.id).where(
            Participant.meeting_id == meeting.id,
            Participant.actor_id == actor.id,
            func.lower(Participant.name) == name.lower(),
        )
    )
    if duplicate:
        raise Conflict(
            Text(
                "%(name)s is already registered for %(actor)s at this meeting",
                name=name,
                actor=named_actor(actor),
            )
        )


def register_participant(
    session: Session,
    meeting: Meeting,
    actor: Actor,
    *,
    name: str,
    function: str = "",
    by: Principal,
) -> Participant:
    """Register a person for a meeting on behalf of an actor: a delegation or stakeholder only for
    its own actor, the secretariat for any."""
    _require_registrar(by)
    if not by.can(Permission.REGISTRATIONS_CREATE_ANY) and by.actor_id != actor.id:
        raise PermissionDenied(
            Permission.REGISTRATIONS_CREATE_OWN,
            Text("a delegation registers only its own participants"),
        )
    name = name.strip()
    if not name:
        raise ValidationFailed("registration", [Problem("name", Text("is empty"))])
    if len(name) > 200:
        too_long = Text("is longer than %(limit)s characters", limit=200)
        raise ValidationFailed("registration", [Problem("name", too_long)])
    _refuse_duplicate(session, meeting, actor, name)
    participant = Participant(
        meeting_id=meeting.id,
        actor_id=actor.id,
        name=name,
        function=function.strip()[:200],
        registered_by_id=by.user_id,
    )
    with transaction(session):
        # the meeting's row locked, the registrations as they are now: of two clicks on
        # "Register" at once, the second finds the person registered
        session.refresh(meeting, ["slug"], with_for_update=True)
        _refuse_duplicate(session, meeting, actor, name)
        session.add(participant)
        session.flush()
        record_event(
            session,
            by=by,
            action=AuditAction.PARTICIPANT_REGISTERED,
            target_type="participant",
            target_key=participant.id,
            summary=f"{name} for {actor.code} at {meeting.slug}",
            changes={"meeting": meeting.slug, "actor": actor.code, "name": name},
        )
    return participant


def record_attendance(
    session: Session, meeting: Meeting, participant_id: int, *, attended: bool, by: Principal
) -> Participant:
    require(by, Permission.ATTENDANCE_RECORD)
    participant = session.get(Participant, participant_id)
    if participant is None or participant.meeting_id != meeting.id:
        raise NotFound(Text("participant"), participant_id)
    if participant.attended == attended:
        return participant
    with transaction(session):
        # as it is now, inside the write: of two registrars at once, the second finds it recorded
        session.refresh(participant, ["attended"], with_for_update=True)
        if participant.attended == attended:
            return participant
        participant.attended = attended
        record_event(
            session,
            by=by,
            action=AuditAction.ATTENDANCE_RECORDED,
            target_type="participant",
            target_key=participant.id,
            summary=f"{participant.name} {'attended' if attended else 'did not attend'} {meeting.slug}",
            changes={"attended": [not attended, attended]},
        )
    return participant


def _registrations_query(meeting: Meeting, by: Principal) -> Select[Participant]:
    """All registrations for the secretariat; a delegation or stakeholder sees its own only."""
    query = select(Participant).where(Participant.meeting_id == meeting.id)
    if by.can(Permission.REGISTRATIONS_READ_ANY):
        return query
    require(by, Permission.REGISTRATIONS_READ_OWN)
    return query.where(Participant.actor_id == by.actor_id)


def list_registrations(
    session: Session, meeting: Meeting, *, by: Principal
) -> Sequence[Participant]:
    """All registrations for the secretariat; a delegation or stakeholder sees its own only."""
    query = _registrations_query(meeting, by)
    return session.scalars(
        query.options(joinedload(Participant.actor)).order_by(Participant.id)
    ).all()


# ---------------------------------------------------------------- participation figures


@dataclass
class Tally:
    actors: int = 0
    participants: int = 0


@dataclass
class ParticipationFigures:
    """What a secretariat prints: delegations (states that attended), participants (persons who
    attended, for any actor), non-governmental stakeholders (organisations that attended),
    with breakdowns by actor kind, region, regional group and stakeholder category."""

    meeting_slug: str
    delegations: int = 0
    participants: int = 0
    stakeholders: int = 0
    organisations: int = 0
    registered: int = 0
    by_kind: dict[str, Tally] = field(default_factory=dict)
    by_region: dict[str, Tally] = field(default_factory=dict)
    by_regional_group: dict[str, Tally] = field(default_factory=dict)
    by_category: dict[str, Tally] = field(default_factory=dict)

    def headline(self) -> str:
        return (
            f"{self.delegations} delegations, {self.participants} participants, "
            f"{self.stakeholders} non-governmental stakeholders"
        )


def participation_figures(session: Session, meeting: Meeting) -> ParticipationFigures:
    # the actors and participants of each kind, region, group and category, counted by the
    # database: a row per combination, not per actor that attended
    described = (Actor.kind, Actor.region, Actor.regional_group, Actor.stakeholder_category)
    rows = session.execute(
        select(
            *described,
            func.count(distinct(Participant.actor_id)),
            func.count(Participant.id),
        )
        .join(Participant, Participant.actor_id == Actor.id)
        .where(Participant.meeting_id == meeting.id, Participant.attended.is_(True))
        .group_by(*described)
        .order_by(func.min(Actor.id))  # the kinds in the order of their first actor
    ).all()
    figures = ParticipationFigures(meeting_slug=meeting.slug)
    figures.registered = (
        session.scalar(
            select(func.count(Participant.id)).where(Participant.meeting_id == meeting.id)
        )
        or 0
    )
    breakdowns: dict[str, defaultdict[str, Tally]] = {
        name: defaultdict(Tally) for name in ("kind", "region", "group", "category")
    }
    kinds: Counter[str] = Counter()
    for kind, region, group, category, actors, count in rows:
        kinds[kind] += actors
        figures.participants += count
        keys = {
            "kind": kind,
            "region": region or "International (no country)",
            "group": REGIONAL_GROUPS.get(group or "", "No regional group"),
            "category": category,
        }
        for name, key in keys.items():
            if key is None:
                continue
            breakdowns[name][key].actors += actors
            breakdowns[name][key].participants += count
    figures.delegations = sum(kinds[k] for k in STATE_KINDS)
    figures.stakeholders = kinds["stakeholder"]
    figures.organisations = sum(kinds[k] for k in GOVERNMENTAL_KINDS if k not in STATE_KINDS)
    figures.by_kind = dict(breakdowns["kind"])
    figures.by_region = dict(sorted(breakdowns["region"].items()))
    figures.by_regional_group = dict(sorted(breakdowns["group"].items()))
    figures.by_category = dict(sorted(breakdowns["category"].items()))
    return figures


def meetings_attended(session: Session, actor: Actor) -> list[tuple[Meeting, int]]:
    """The meetings an actor attended, with how many of its participants attended each."""
    rows = session.execute(
        select(Meeting, func.count(Participant.id))
        .join(Participant, Participant.meeting_id == Meeting.id)
        .where(Participant.actor_id == actor.id, Participant.attended.is_(True))
        .group_by(Meeting.id)
        .order_by(Meeting.start_date)
    ).all()
    return [(meeting, count) for meeting, count in rows]


def registrations_of_actor(session: Session, actor: Actor) -> list[tuple[Meeting, int]]:
    """The meetings an actor has registered participants for, with how many: for its own list of
    items. Soonest meeting first."""
    rows = session.execute(
        select(Meeting, func.count(Participant.id))
        .join(Participant, Participant.meeting_id == Meeting.id)
        .where(Participant.actor_id == actor.id)
        .group_by(Meeting.id)
        .order_by(Meeting.start_date, Meeting.id)
    )
    return [(meeting, count) for meeting, count in rows]

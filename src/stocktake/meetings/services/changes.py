"""Changing and cancelling a meeting, and the news each step of the calendar makes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

from sqlalchemy import select
from sqlalchemy.orm import Session

from stocktake.audit.events import AuditAction
from stocktake.audit.services import record_event
from stocktake.core.db import transaction
from stocktake.core.errors import Conflict, Problem, ValidationFailed
from stocktake.core.permissions import Permission, Principal, require
from stocktake.core.translation import Text
from stocktake.meetings.models import CANCELLED, Meeting, Participant
from stocktake.news.drafting import meeting_event
from stocktake.news.services import draft_news
from stocktake.notifications.kinds import Kind, Said
from stocktake.notifications.services import notify, users_of_actors
from stocktake.process.models import Process
from stocktake.process.terms import unknown_term


def meeting_news(
    session: Session, process: Process, meeting: Meeting, event: str, *, by: Principal
) -> None:
    """The item of news of a meeting "added", "changed" or "cancelled", in the caller's transaction."""
    draft_news(
        session,
        process,
        origin=f"meeting_{event}",
        source=f"meeting:{meeting.slug}",
        texts=meeting_event(
            event, meeting.title, meeting.city, meeting.start_date, meeting.end_date
        ),
        links=[{"href": f"/meetings/{meeting.slug}", "label": meeting.title[:200]}],
        by=by,
    )


def tell_registered(session: Session, meeting: Meeting, *, by: Principal) -> None:
    """The delegations registered for a meeting hear that it changed or was cancelled, as each of
    their users chose to hear of it, in the caller's transaction."""
    registered = session.scalars(
        select(Participant.actor_id).where(Participant.meeting_id == meeting.id).distinct()
    )
    place = ", ".join(p for p in (meeting.city, meeting.country_iso3 or "") if p)
    notify(
        session,
        Kind.MEETING,
        users_of_actors(session, registered),
        message=Said.MEETING_CANCELLED if meeting.cancelled else Said.MEETING_CHANGED,
        values={
            "title": meeting.title,
            "start": meeting.start_date.isoformat(),
            "end": meeting.end_date.isoformat(),
            "place": place or "—",
        },
        link=f"/meetings/{meeting.slug}",
        by=by,
    )


EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2199, 12, 31)
"""The days a meeting may be given."""


@dataclass
class MeetingChanges:
    """What changes in a meeting; a field left None stays as it is."""

    title: str | None = None
    meeting_type: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    city: str | None = None
    country_iso3: str | None = None
    description: str | None = None


def _problems(process: Process, meeting: Meeting, changes: MeetingChanges) -> list[Problem]:
    problems: list[Problem] = []
    if changes.title is not None and not changes.title.strip():
        problems.append(Problem("title", Text("is empty")))
    if changes.title is not None and len(changes.title) > 300:
        problems.append(Problem("title", Text("is longer than %(limit)s characters", limit=300)))
    if changes.meeting_type is not None and changes.meeting_type not in {
        t.key for t in process.vocabulary("meeting_types")
    }:
        problems.append(
            Problem("meeting_type", unknown_term("meeting_types", changes.meeting_type))
        )
    start = changes.start_date or meeting.start_date
    end = changes.end_date or meeting.end_date
    if end < start:
        problems.append(Problem("end_date", Text("ends before it starts")))
    for name, day in (("start_date", start), ("end_date", end)):
        if not EARLIEST <= day <= LATEST:
            # a calendar cannot hold it (the day after 31 Dec 9999 does not exist), nor a reader
            between = Text(
                "is not a day between %(earliest)s and %(latest)s", earliest=EARLIEST, latest=LATEST
            )
            problems.append(Problem(name, between))
    if changes.city is not None and len(changes.city) > 120:
        problems.append(Problem("city", Text("is longer than %(limit)s characters", limit=120)))
    if changes.country_iso3 and len(changes.country_iso3) != 3:
        problems.append(Problem("country_iso3", Text("is three letters (ISO 3166-1 alpha-3)")))
    return problems


def update_meeting(
    session: Session, process: Process, meeting: Meeting, changes: MeetingChanges, *, by: Principal
) -> Meeting:
    """Change a meeting's title, type, dates or place: its calendar event's SEQUENCE goes up, so
    that subscribers' calendars update it, and the change is news."""
    require(by, Permission.MEETINGS_MANAGE)
    if meeting.cancelled:
        raise Conflict(
            Text("the meeting %(meeting)r is cancelled: it changes no more", meeting=meeting.slug)
        )
    if problems := _problems(process, meeting, changes):
        raise ValidationFailed("meeting", problems)
    with transaction(session):
        session.refresh(meeting, with_for_update=True)  # as it is now
        changed: dict[str, object] = {}
        for f in fields(changes):
            value = getattr(changes, f.name)
            if value is None:
                continue
            if isinstance(value, str):
                value = value.strip() or (None if f.name == "country_iso3" else "")
            before = getattr(meeting, f.name)
            if before != value:
                changed[f.name] = [str(before), str(value)]
                setattr(meeting, f.name, value)
        if not changed:
            return meeting
        meeting.sequence += 1
        record_event(
            session,
            by=by,
            action=AuditAction.MEETING_CHANGED,
            target_type="meeting",
            target_key=meeting.slug,
            summary=f"{meeting.title}: {', '.join(changed)} changed",
            changes=changed,
        )
        meeting_news(session, process, meeting, "changed", by=by)
        tell_registered(session, meeting, by=by)
    return meeting


def cancel_meeting(
    session: Session, process: Process, meeting: Meeting, *, by: Principal
) -> Meeting:
    """Cancel a meeting: it stays listed and in the calendars, marked cancelled."""
    require(by, Permission.MEETINGS_MANAGE)
    if meeting.cancelled:
        return meeting
    with transaction(session):
        session.refresh(meeting, with_for_update=True)
        if meeting.cancelled:
            return meeting
        meeting.status = CANCELLED
        meeting.sequence += 1
        record_event(
            session,
            by=by,
            action=AuditAction.MEETING_CANCELLED,
            target_type="meeting",
            target_key=meeting.slug,
            summary=meeting.title,
        )
        meeting_news(session, process, meeting, "cancelled", by=by)
        tell_registered(session, meeting, by=by)
    return meeting

"""The meetings as iCalendar (RFC 5545), written with the icalendar library.

Meetings have dates, not hours: each is an all-day event (DTSTART;VALUE=DATE, DTEND the day after
its last day). Its UID never changes; SEQUENCE counts its changes and LAST-MODIFIED says when the
last was made, so that a subscriber's calendar updates the event rather than adding another; a
cancelled meeting stays, with STATUS:CANCELLED."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from icalendar import Calendar, Event

from stocktake.meetings.models import Meeting
from stocktake.process.models import Process

PRODUCT = "-//stocktake//meetings//EN"


def meeting_uid(process: Process, meeting: Meeting) -> str:
    """The event's identity: the same for as long as the meeting exists, wherever it is served."""
    return f"meeting-{meeting.id}.{process.slug}@stocktake"


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def _event(process: Process, meeting: Meeting, base: str) -> Event:
    event = Event()
    event.add("uid", meeting_uid(process, meeting))
    event.add("dtstamp", _utc(meeting.updated_at))
    event.add("created", _utc(meeting.created_at))
    event.add("last-modified", _utc(meeting.updated_at))
    event.add("sequence", meeting.sequence)
    event.add("summary", meeting.title)
    event.add("dtstart", meeting.start_date)
    event.add("dtend", meeting.end_date + dt.timedelta(days=1))
    place = ", ".join(p for p in (meeting.city, meeting.country_iso3 or "") if p)
    if place:
        event.add("location", place)
    if meeting.description:
        event.add("description", meeting.description)
    event.add("url", f"{base.rstrip('/')}/meetings/{meeting.slug}")
    event.add("status", "CANCELLED" if meeting.cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT")
    return event


def calendar(process: Process, meetings: Sequence[Meeting], *, base: str, name: str) -> bytes:
    """A calendar of the meetings, to import or subscribe to."""
    cal = Calendar()
    cal.add("prodid", PRODUCT)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    for meeting in meetings:
        cal.add_component(_event(process, meeting, base))
    return bytes(cal.to_ical())

"""The meetings as iCalendar: they import into a calendar library and round-trip; a changed
meeting keeps its event's identity with a higher SEQUENCE, a cancelled one stays, cancelled."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient
from icalendar import Calendar
from sqlalchemy import select
from sqlalchemy.orm import Session

from stocktake.accounts.services import get_user, issue_token, principal_for
from stocktake.meetings.models import Meeting
from stocktake.news.models import NewsItem
from tests.conftest import csrf_of, sign_in

SLUG = "imrf-2022"


def _calendar(client: TestClient, path: str) -> Calendar:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    parsed = Calendar.from_ical(response.content)
    # round trip: what it writes back reads as the same calendar
    assert Calendar.from_ical(parsed.to_ical()) == parsed
    return parsed


def _event(calendar: Calendar, title: str) -> dict[str, object]:
    events = [e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]) == title]
    assert len(events) == 1, f"{len(events)} events for {title}"
    return events[0]


def test_the_meetings_are_all_day_events_of_one_calendar(
    client: TestClient, session: Session
) -> None:
    meetings = session.scalars(select(Meeting)).all()
    calendar = _calendar(client, "/meetings.ics")
    assert str(calendar["VERSION"]) == "2.0"
    assert calendar["PRODID"]
    events = calendar.walk("VEVENT")
    assert len(events) == len(meetings)
    assert len({str(e["UID"]) for e in events}) == len(meetings)
    forum = session.scalar(select(Meeting).where(Meeting.slug == SLUG))
    assert forum is not None
    event = _event(calendar, forum.title)
    start, end = event["DTSTART"].dt, event["DTEND"].dt  # type: ignore[attr-defined]
    assert type(start) is dt.date
    assert start == forum.start_date
    assert end == forum.end_date + dt.timedelta(days=1)  # exclusive, the day after the last
    assert b"DTSTART;VALUE=DATE:20220517" in client.get("/meetings.ics").content
    assert str(event["STATUS"]) == "CONFIRMED"
    assert int(event["SEQUENCE"]) == 0  # type: ignore[call-overload]
    assert str(event["URL"]) == f"http://testserver/meetings/{SLUG}"
    # one meeting alone, the same event
    alone = _calendar(client, f"/meetings/{SLUG}.ics")
    assert str(_event(alone, forum.title)["UID"]) == str(event["UID"])
    page = client.get("/meetings")
    assert 'rel="alternate" type="text/calendar"' in page.text
    assert f'href="/meetings/{SLUG}.ics"' in client.get(f"/meetings/{SLUG}").text


def test_a_changed_meeting_updates_its_event_and_a_cancelled_one_stays_cancelled(
    client: TestClient, session: Session
) -> None:
    forum = session.scalar(select(Meeting).where(Meeting.slug == SLUG))
    assert forum is not None
    before = _event(_calendar(client, "/meetings.ics"), forum.title)
    sign_in(client, "secretariat@gcm.example")
    response = client.post(
        f"/meetings/{SLUG}/edit",
        data={
            "csrf": csrf_of(client, f"/meetings/{SLUG}/edit"),
            "title": forum.title,
            "meeting_type": forum.meeting_type,
            "start_date": "2022-05-18",
            "end_date": "2022-05-21",
            "city": "Geneva",
            "country_iso3": "CHE",
            "description": forum.description,
        },
    )
    assert "The meeting is changed" in response.text
    after = _event(_calendar(client, "/meetings.ics"), forum.title)
    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1  # type: ignore[call-overload]
    assert after["DTSTART"].dt == dt.date(2022, 5, 18)  # type: ignore[attr-defined]
    assert after["DTEND"].dt == dt.date(2022, 5, 22)  # type: ignore[attr-defined]
    assert str(after["LOCATION"]) == "Geneva, CHE"
    assert after["LAST-MODIFIED"].dt >= before["LAST-MODIFIED"].dt  # type: ignore[attr-defined]
    changed = session.scalar(
        select(NewsItem).where(NewsItem.origin == "meeting_changed").order_by(NewsItem.id.desc())
    )
    assert changed is not None
    assert changed.status == "published"
    assert changed.body.startswith(f"{forum.title} was changed: now Geneva, 18")

    cancelled = client.post(f"/meetings/{SLUG}/cancel", data={"csrf": csrf_of(client, "/")})
    assert "The meeting is cancelled" in cancelled.text
    assert "This meeting is cancelled." in cancelled.text
    event = _event(_calendar(client, "/meetings.ics"), forum.title)
    assert str(event["UID"]) == str(before["UID"])
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == int(before["SEQUENCE"]) + 2  # type: ignore[call-overload]
    news = client.get("/news").text
    assert f"Meeting cancelled: {forum.title}" in news
    # a cancelled meeting changes no more
    user = get_user(session, "secretariat@gcm.example")
    token = issue_token(session, user, by=principal_for(user))
    refused = client.patch(
        f"/api/v1/meetings/{SLUG}",
        json={"city": "Bonn"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert refused.status_code == 409


def test_the_api_changes_a_meeting_and_refuses_odd_dates(
    client: TestClient, session: Session
) -> None:
    user = get_user(session, "secretariat@gcm.example")
    headers = {"Authorization": f"Bearer {issue_token(session, user, by=principal_for(user))}"}
    changed = client.patch(f"/api/v1/meetings/{SLUG}", json={"title": "IMRF"}, headers=headers)
    assert changed.status_code == 200
    assert changed.json()["sequence"] == 1
    assert changed.json()["status"] == "scheduled"
    backwards = client.patch(
        f"/api/v1/meetings/{SLUG}", json={"end_date": "2000-01-01"}, headers=headers
    )
    assert backwards.status_code == 422
    assert "ends before it starts" in backwards.text
    # a day no calendar can hold is refused, and the feeds stay readable
    for far in ({"end_date": "9999-12-31"}, {"start_date": "0001-01-01"}):
        refused = client.patch(f"/api/v1/meetings/{SLUG}", json=far, headers=headers)
        assert refused.status_code == 422, far
        assert "is not a day between" in refused.text
    assert client.get("/meetings.ics").status_code == 200
    assert client.get(f"/meetings/{SLUG}.ics").status_code == 200
    nul = client.patch(f"/api/v1/meetings/{SLUG}", json={"city": "Gen\x00eva"}, headers=headers)
    assert 400 <= nul.status_code < 500
    cancelled = client.post(f"/api/v1/meetings/{SLUG}/cancel", headers=headers)
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["sequence"] == 2
    assert client.get("/meetings/no-such-meeting.ics").status_code == 404

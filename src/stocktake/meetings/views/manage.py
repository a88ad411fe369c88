"""The meetings' calendars (iCalendar, per process and per meeting) and the secretariat's forms
to change or cancel a meeting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from stocktake.core.errors import Conflict, Problem, ValidationFailed, message_of
from stocktake.core.permissions import Permission, require
from stocktake.core.translation import Text
from stocktake.meetings.calendar import calendar
from stocktake.meetings.models import Meeting
from stocktake.meetings.services import get_meeting, list_meetings
from stocktake.meetings.services.changes import MeetingChanges, cancel_meeting, update_meeting
from stocktake.process.deps import CurrentProcess
from stocktake.process.models import Process
from stocktake.web.deps import CheckCsrf, DbSession, PagePrincipal
from stocktake.web.flash import flash
from stocktake.web.templating import render

router = APIRouter(include_in_schema=False)

CALENDAR_TYPE = "text/calendar; charset=utf-8"


@router.get("/meetings.ics")
def meetings_calendar(
    request: Request, session: DbSession, process: CurrentProcess, by: PagePrincipal
) -> Response:
    meetings = list_meetings(session, process, by=by)
    body = calendar(
        process, meetings, base=str(request.base_url), name=f"{process.short_name}: meetings"
    )
    return Response(
        body,
        media_type=CALENDAR_TYPE,
        headers={"Content-Disposition": f'inline; filename="{process.slug}-meetings.ics"'},
    )


@router.get("/meetings/{slug}.ics")
def meeting_calendar(
    request: Request, slug: str, session: DbSession, process: CurrentProcess, by: PagePrincipal
) -> Response:
    require(by, Permission.MEETINGS_READ)
    meeting = get_meeting(session, slug)
    body = calendar(process, [meeting], base=str(request.base_url), name=meeting.title)
    return Response(
        body,
        media_type=CALENDAR_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{meeting.slug}.ics"'},
    )


def _form(
    request: Request,
    by: PagePrincipal,
    process: Process,
    meeting: Meeting,
    values: dict[str, str],
    *,
    problems: Sequence[Problem | str] | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "meetings/edit.html",
        by,
        status_code=status_code,
        process=process,
        meeting=meeting,
        values=values,
        problems=problems or [],
    )


@router.get("/meetings/{slug}/edit")
def edit_meeting(
    request: Request, slug: str, session: DbSession, process: CurrentProcess, by: PagePrincipal
) -> Response:
    require(by, Permission.MEETINGS_MANAGE)
    meeting = get_meeting(session, slug)
    values = {
        "title": meeting.title,
        "meeting_type": meeting.meeting_type,
        "start_date": meeting.start_date.isoformat(),
        "end_date": meeting.end_date.isoformat(),
        "city": meeting.city,
        "country_iso3": meeting.country_iso3 or "",
        "description": meeting.description,
    }
    return _form(request, by, process, meeting, values)


def _day(value: str, name: str, problems: list[Problem]) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        problems.append(
            Problem(name, Text("%(value)r is not a date (YYYY-MM-DD)", value=value[:20]))
        )
        return None


@router.post("/meetings/{slug}/edit", dependencies=[CheckCsrf])
def post_edit(
    request: Request,
    slug: str,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    title: Annotated[str, Form(max_length=300)] = "",
    meeting_type: Annotated[str, Form(max_length=60)] = "",
    start_date: Annotated[str, Form(max_length=20)] = "",
    end_date: Annotated[str, Form(max_length=20)] = "",
    city: Annotated[str, Form(max_length=120)] = "",
    country_iso3: Annotated[str, Form(max_length=3)] = "",
    description: Annotated[str, Form(max_length=20_000)] = "",
) -> Response:
    require(by, Permission.MEETINGS_MANAGE)
    meeting = get_meeting(session, slug)
    values = {
        "title": title,
        "meeting_type": meeting_type,
        "start_date": start_date,
        "end_date": end_date,
        "city": city,
        "country_iso3": country_iso3,
        "description": description,
    }
    problems: list[Problem] = []
    start, end = _day(start_date, "start_date", problems), _day(end_date, "end_date", problems)
    try:
        if problems:
            raise ValidationFailed("meeting", problems)
        update_meeting(
            session,
            process,
            meeting,
            MeetingChanges(
                title=title,
                meeting_type=meeting_type,
                start_date=start,
                end_date=end,
                city=city,
                country_iso3=country_iso3.upper(),
                description=description,
            ),
            by=by,
        )
    except ValidationFailed as exc:
        return _form(
            request,
            by,
            process,
            meeting,
            values,
            problems=exc.problems,
            status_code=422,
        )
    except Conflict as exc:
        return _form(
            request, by, process, meeting, values, problems=[message_of(exc)], status_code=409
        )
    flash(request, "The meeting is changed; calendars that subscribe to it will update.")
    return RedirectResponse(f"/meetings/{slug}", status_code=303)


@router.post("/meetings/{slug}/cancel", dependencies=[CheckCsrf])
def post_cancel(
    request: Request, slug: str, session: DbSession, process: CurrentProcess, by: PagePrincipal
) -> Response:
    require(
        by, Permission.MEETINGS_MANAGE
    )  # before the lookup: no telling who may not act what exists
    meeting = get_meeting(session, slug)
    cancel_meeting(session, process, meeting, by=by)
    flash(request, "The meeting is cancelled; it stays listed, marked cancelled.")
    return RedirectResponse(f"/meetings/{slug}", status_code=303)

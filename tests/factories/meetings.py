from __future__ import annotations

import datetime as dt
from itertools import count

from sqlalchemy.orm import Session

from stocktake.core.permissions import Principal
from stocktake.meetings.models import Meeting
from stocktake.meetings.services import MeetingData, create_meeting
from stocktake.process.models import Process

SYSTEM = Principal.system()
_numbers = count(1)


def meeting(
    session: Session,
    process: Process,
    *,
    meeting_type: str,
    start: dt.date,
    days: int = 1,
    slug: str = "",
    title: str = "",
    city: str = "Geneva",
) -> Meeting:
    """A new meeting of this type, from `start` for `days` days, in the phase of its dates."""
    number = next(_numbers)
    return create_meeting(
        session,
        process,
        MeetingData(
            slug=slug or f"test-meeting-{number}",
            title=title or f"Test meeting {number}",
            meeting_type=meeting_type,
            start_date=start,
            end_date=start + dt.timedelta(days=days - 1),
            city=city,
        ),
        by=SYSTEM,
    )

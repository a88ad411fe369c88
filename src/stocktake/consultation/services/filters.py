"""The values each filter of the inputs list accepts: an unknown value is refused with the
parameter named and the values it takes, never answered with an empty list."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from stocktake.consultation.language import LANGUAGE_NAMES
from stocktake.consultation.models import Input, InputStatus
from stocktake.consultation.services.queries import InputFilter
from stocktake.core.errors import Problem, ValidationFailed
from stocktake.core.translation import Text
from stocktake.meetings.models import Meeting
from stocktake.process.models import Process
from stocktake.registry.models import REGIONAL_GROUPS, Actor
from stocktake.registry.services import regions


def unknown(parameter: str, value: str, allowed: list[str]) -> Problem:
    shown = ", ".join(allowed[:60]) + (" …" if len(allowed) > 60 else "")
    return Problem(
        parameter, Text("unknown value %(value)r; allowed: %(allowed)s", value=value, allowed=shown)
    )


def check_input_filter(session: Session, process: Process, filters: InputFilter) -> None:
    """Raise ValidationFailed naming every filter whose value is not one it takes."""
    allowed = {
        "dimension": [t.key for t in process.vocabulary("dimensions")],
        "input_type": [t.key for t in process.vocabulary("input_types")],
        "actor_kind": [t.key for t in process.vocabulary("actor_kinds")],
        "category": [t.key for t in process.vocabulary("stakeholder_categories")],
        "region": regions(session),
        "regional_group": list(REGIONAL_GROUPS),
        "language": sorted(
            {*LANGUAGE_NAMES, "und"} | set(session.scalars(select(Input.language).distinct()))
        ),
        "status": [s.value for s in InputStatus],
    }
    problems = [
        unknown(name, value, values)
        for name, values in allowed.items()
        if (value := getattr(filters, name)) and value not in values
    ]
    if filters.meeting and not session.scalar(
        select(Meeting.id).where(Meeting.process_id == process.id, Meeting.slug == filters.meeting)
    ):
        slugs = list(
            session.scalars(
                select(Meeting.slug).where(Meeting.process_id == process.id).order_by(Meeting.slug)
            )
        )
        problems.append(unknown("meeting", filters.meeting, slugs))
    if filters.submitter and not session.scalar(
        select(Actor.id).where(Actor.code == filters.submitter)
    ):
        problems.append(
            Problem("submitter", Text("unknown actor code %(actor)r", actor=filters.submitter))
        )
    if problems:
        raise ValidationFailed("filters", problems)

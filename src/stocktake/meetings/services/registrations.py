"""A meeting's registrations as a paged, searchable list: the secretariat's hundreds, or a
delegation's own."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from urllib.parse import urlencode

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, joinedload

from stocktake.core.db import contains
from stocktake.core.pages import ResultPage
from stocktake.core.permissions import Permission, Principal, require
from stocktake.core.translation import DEFAULT_LANGUAGE
from stocktake.meetings.models import Meeting, Participant
from stocktake.registry.models import Actor
from stocktake.registry.services import actor_matches


@dataclass(frozen=True)
class RegistrationFilter:
    q: str | None = None
    """Words found in the name, function, or the actor's name or code, or the name of its State
    in the reader's language (`language`)."""
    attended: str | None = None
    """'yes' or 'no'."""
    language: str = field(default=DEFAULT_LANGUAGE, compare=False)
    """The reader's language, whose names of States `q` finds too; not part of the address."""

    def query_string(self) -> str:
        return urlencode(
            {
                f.name: getattr(self, f.name)
                for f in fields(self)
                if f.name != "language" and getattr(self, f.name)
            }
        )


def registration_page(
    session: Session,
    meeting: Meeting,
    filters: RegistrationFilter,
    *,
    by: Principal,
    page: int = 1,
    page_size: int = 50,
    newest_first: bool = True,
) -> ResultPage[Participant]:
    """Every registration for the secretariat; its own for a delegation or stakeholder. The page
    lists the newest first, the API the oldest (in the order they were made)."""
    require(by, Permission.REGISTRATIONS_READ_OWN)
    query = select(Participant).where(Participant.meeting_id == meeting.id)
    if not by.can(Permission.REGISTRATIONS_READ_ANY):
        query = query.where(Participant.actor_id == by.actor_id)
    if filters.attended in ("yes", "no"):
        query = query.where(Participant.attended.is_(filters.attended == "yes"))
    for word in (filters.q or "").split()[:10]:
        query = query.where(
            or_(
                contains(Participant.name, word),
                contains(Participant.function, word),
                Participant.actor_id.in_(
                    select(Actor.id).where(actor_matches(word, filters.language))
                ),
            )
        )
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.options(joinedload(Participant.actor))
        .order_by(Participant.id.desc() if newest_first else Participant.id)
        .offset((page - 1) * page_size)
        .limit(page_size)
    ).all()
    return ResultPage(rows, total, page, page_size)

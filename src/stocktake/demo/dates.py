"""The demo's past at its own dates: a negotiation of 2018 loaded today still reads as it happened.
Revisions bear the day they were issued (given as they are issued: an issued revision never
changes), amendments the days they were tabled and decided in their round, and the news of the
negotiation the days it was told."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from stocktake.core.db import transaction
from stocktake.demo.calendar import CALENDAR
from stocktake.negotiation.models import Amendment, Draft, NegotiationRound
from stocktake.news.models import NewsItem
from stocktake.process.models import Process

ZERO_DRAFT_ISSUED = dt.datetime(2018, 2, 5, 15, 0, tzinfo=dt.UTC)
"""The zero draft of 5 February 2018."""
REV1_ISSUED = dt.datetime(2018, 3, 5, 15, 0, tzinfo=dt.UTC)
"""Revision 1 of 5 March 2018."""
TABLED_FROM = dt.datetime(2018, 2, 12, 9, 0, tzinfo=dt.UTC)
"""The demo's amendments were tabled from this day on, a week after the zero draft."""
ANNOUNCED_BEFORE = dt.timedelta(weeks=6)
"""A meeting is told of six weeks before it opens."""
TIME_OF_DECISION = dt.time(16, 0, tzinfo=dt.UTC)


def decided_in_round(
    amendment: Amendment, rounds: dict[int, NegotiationRound], index: int
) -> dt.datetime:
    """The moment a decision was taken: on the last day of the amendment's round, one after
    another."""
    taken = rounds.get(amendment.round_id or 0)
    day = taken.end_date if taken is not None else REV1_ISSUED.date() - dt.timedelta(days=1)
    return dt.datetime.combine(day, TIME_OF_DECISION) + dt.timedelta(minutes=10 * index)


def date_the_tabling(session: Session, amendments: Sequence[Amendment]) -> None:
    """The demo's amendments tabled a day apart from `TABLED_FROM`: before its rounds are
    recorded, which take the amendments tabled on the revision they discuss."""
    with transaction(session):
        for index, amendment in enumerate(amendments):
            tabled = TABLED_FROM + dt.timedelta(days=index // 3, hours=index % 3)
            amendment.created_at = amendment.updated_at = tabled


def date_the_decisions(session: Session, draft: Draft, amendments: Sequence[Amendment]) -> None:
    """The demo's decisions taken in their round, and the news of its revisions told on the days
    they were issued."""
    rounds = {
        r.id: r
        for r in session.scalars(
            select(NegotiationRound).where(NegotiationRound.draft_id == draft.id)
        )
    }
    issued = {f"draft:{draft.id}:revision:{r.number}": r.issued_at for r in draft.revisions}
    with transaction(session):
        for index, amendment in enumerate(amendments):
            if amendment.decided_at is not None:
                amendment.decided_at = decided_in_round(amendment, rounds, index)
        for item in session.scalars(select(NewsItem).where(NewsItem.source.in_(issued))):
            _dated(item, issued[item.source])


def date_the_meeting_news(session: Session, process: Process) -> None:
    """The items that told of the demo's meetings, dated six weeks before each opened."""
    opens = {f"meeting:{m.slug}": m.start for m in CALENDAR}
    with transaction(session):
        query = select(NewsItem).where(
            NewsItem.process_id == process.id, NewsItem.source.in_(opens)
        )
        for item in session.scalars(query):
            day = opens[item.source] - ANNOUNCED_BEFORE
            _dated(item, dt.datetime.combine(day, dt.time(9, 0, tzinfo=dt.UTC)))


def _dated(item: NewsItem, moment: dt.datetime) -> None:
    item.created_at = item.updated_at = moment
    if item.published_at is not None:
        item.published_at = moment

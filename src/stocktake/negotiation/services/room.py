"""What the room works from in a round: the deadline for tabling amendments, the amendment list
(the text beside the amendments proposed to it) and the list of decisions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session, selectinload

from stocktake.audit.events import AuditAction
from stocktake.audit.services import record_event
from stocktake.core.db import transaction, utcnow
from stocktake.core.errors import NotFound, Problem, ValidationFailed
from stocktake.core.permissions import Permission, Principal, require
from stocktake.core.translation import Text
from stocktake.negotiation.models import (
    PENDING,
    Amendment,
    AmendmentStatus,
    Draft,
    NegotiationRound,
)
from stocktake.negotiation.services.queries import AmendmentView, pending_views, working_nodes
from stocktake.negotiation.text import Node


def deadline_words(moment: dt.datetime) -> str:
    """A deadline as the room reads it: 5 March 2018, 18:00 UTC."""
    moment = moment.astimezone(dt.UTC)
    return f"{moment.day} {moment:%B %Y, %H:%M} UTC"


def get_round(session: Session, draft: Draft, round_id: int) -> NegotiationRound:
    item = session.get(NegotiationRound, round_id)
    if item is None or item.draft_id != draft.id:
        raise NotFound(Text("round"), round_id)
    return item


def tabling_round(session: Session, draft: Draft) -> NegotiationRound | None:
    """The round amendments are tabled for now: of the rounds that discuss the latest revision,
    the first that has not ended, else the last; none before a revision or a round exists."""
    if not draft.revisions:
        return None
    rounds = list(
        session.scalars(
            select(NegotiationRound)
            .where(
                NegotiationRound.draft_id == draft.id,
                NegotiationRound.revision_number == draft.revisions[-1].number,
            )
            .order_by(NegotiationRound.start_date, NegotiationRound.id)
        )
    )
    today = utcnow().date()
    return next((r for r in rounds if r.end_date >= today), rounds[-1] if rounds else None)


def decided_in(session: Session, draft: Draft, amendment: Amendment) -> int | None:
    """The round an amendment's decision is taken in, by the day it was taken: the round held
    that day, else the last round begun by then, else the round it was tabled for."""
    if amendment.decided_at is None:
        return None
    day = amendment.decided_at.astimezone(dt.UTC).date()
    rounds = list(
        session.scalars(
            select(NegotiationRound)
            .where(NegotiationRound.draft_id == draft.id, NegotiationRound.start_date <= day)
            .order_by(NegotiationRound.start_date, NegotiationRound.id)
        )
    )
    during: list[int | None] = [r.id for r in rounds if r.end_date >= day]
    begun: list[int | None] = [r.id for r in rounds]
    return (during or begun or [amendment.round_id])[-1]


def tabled_late(item: NegotiationRound | None, *, refuse: bool) -> bool:
    """Whether an amendment tabled now is late for the round; refused (naming the deadline) when
    the round refuses late amendments and `refuse` says the caller is held to it."""
    if item is None or item.tabling_deadline is None or utcnow() <= item.tabling_deadline:
        return False
    if refuse and item.refuse_late:
        raise ValidationFailed(
            "amendment",
            [
                Problem(
                    "deadline",
                    Text(
                        "the deadline for tabling amendments in %(round)s was %(deadline)s; "
                        "late amendments are not accepted",
                        round=item.name,
                        deadline=deadline_words(item.tabling_deadline),
                    ),
                )
            ],
        )
    return True


def set_tabling_deadline(
    session: Session,
    draft: Draft,
    item: NegotiationRound,
    deadline: dt.datetime | None,
    *,
    refuse_late: bool = False,
    by: Principal,
) -> NegotiationRound:
    """The secretariat sets (or clears) a round's deadline for tabling amendments, and whether
    late ones are refused or only marked late."""
    require(by, Permission.DRAFTS_MANAGE)
    if deadline is not None and deadline.tzinfo is None:
        deadline = deadline.replace(tzinfo=dt.UTC)
    if deadline is None and refuse_late:
        raise ValidationFailed(
            item.name, [Problem("refuse_late", Text("give the deadline late amendments miss"))]
        )
    before = (item.tabling_deadline, item.refuse_late)
    if before == (deadline, refuse_late):
        return item  # so already: nothing changes, nothing is recorded
    with transaction(session):
        item.tabling_deadline = deadline
        item.refuse_late = refuse_late
        session.flush()
        summary = (
            f"{item.name}: amendments tabled by {deadline_words(deadline)}"
            + ("; late ones refused" if refuse_late else "; late ones marked")
            if deadline is not None
            else f"{item.name}: no deadline for tabling"
        )
        record_event(
            session,
            by=by,
            action=AuditAction.ROUND_DEADLINE_SET,
            target_type="draft",
            target_key=draft.id,
            summary=summary,
            changes={
                "tabling_deadline": [
                    before[0].isoformat() if before[0] else None,
                    deadline.isoformat() if deadline else None,
                ],
                "refuse_late": [before[1], refuse_late],
            },
        )
    return item


def attach_tabled(session: Session, draft: Draft, item: NegotiationRound) -> int:
    """Give a newly recorded round the amendments tabled on the revision it discusses that no
    round holds yet (tabled before the round was recorded); how many."""
    issued = {r.number: r.issued_at for r in draft.revisions}
    since = issued.get(item.revision_number)
    if since is None:
        return 0
    following = [at for number, at in issued.items() if number > item.revision_number]
    query = update(Amendment).where(
        Amendment.draft_id == draft.id,
        Amendment.round_id.is_(None),
        Amendment.created_at >= since,
    )
    if following:
        query = query.where(Amendment.created_at < min(following))
    result = session.execute(query.values(round_id=item.id))
    return int(getattr(result, "rowcount", 0) or 0)


# --- the amendment list -----------------------------------------------------------------------


@dataclass(frozen=True)
class ListedParagraph:
    """One row of the amendment list: the text as it stands, and the amendments proposed to it."""

    node: Node
    amendments: list[AmendmentView]


def amendment_list(session: Session, draft: Draft, language: str = "en") -> list[ListedParagraph]:
    """The pending amendments beside the paragraphs they amend, in the order of the text; their
    actors named for a list in `language`."""
    views = pending_views(session, draft, language)
    rows = []
    for node in working_nodes(draft):
        mine = [a for a in views if a.target_eid == node.eid]
        if mine:
            rows.append(ListedParagraph(node, mine))
    return rows


# --- the list of decisions --------------------------------------------------------------------

DECISIONS = {
    AmendmentStatus.ACCEPTED: "accepted",
    AmendmentStatus.ACCEPTED_AS_MODIFIED: "accepted as modified",
    AmendmentStatus.REJECTED: "rejected",
    AmendmentStatus.WITHDRAWN: "withdrawn",
    AmendmentStatus.MERGED: "merged",
    AmendmentStatus.SUPERSEDED: "superseded",
}


@dataclass(frozen=True)
class Decision:
    label: str
    number: int
    paragraph: str
    sponsors: str  # their codes, "MEX, RG-GRULAC"
    decision: str  # accepted, accepted as modified, rejected, withdrawn, merged into A7 …
    decided_at: dt.datetime | None
    late: bool
    modified_text: str | None
    status: str = ""  # the amendment's status, for the decision's words in another language
    merged_into: int | None = None
    sponsor_names: str = ""  # as the papers name them, "Mexico, GRULAC"
    tabled_for: str = ""  # the round it was tabled for, when not the one it was decided in


@dataclass(frozen=True)
class Decisions:
    title: str  # the round's name, or "All rounds"
    rows: list[Decision]
    pending: int  # amendments of the round still to decide


def decisions_of(
    session: Session, draft: Draft, item: NegotiationRound | None, language: str = "en"
) -> Decisions:
    """Each amendment decided in the round (of the whole draft when no round is named), whichever
    round it was tabled for, with its decision and when it was taken, and how many tabled for
    the round are still pending; the sponsors named for a list in `language`."""
    query = (
        select(Amendment)
        .where(Amendment.draft_id == draft.id)
        .options(selectinload(Amendment.positions))
        .order_by(Amendment.number)
    )
    if item is not None:
        query = query.where(
            or_(
                Amendment.decided_round_id == item.id,
                and_(Amendment.round_id == item.id, Amendment.status.in_([*PENDING])),
            )
        )
    amendments = list(session.scalars(query))
    numbers = {n.eid: n.number for n in working_nodes(draft)}
    names = {
        r.id: r.name
        for r in session.scalars(
            select(NegotiationRound).where(NegotiationRound.draft_id == draft.id)
        )
    }
    rows = []
    for a in amendments:
        if a.pending:
            continue
        tabled = a.round_id if a.round_id != a.decided_round_id else None
        decision = DECISIONS.get(AmendmentStatus(a.status), a.status)
        if a.status == AmendmentStatus.MERGED and a.merged_into is not None:
            decision = f"merged into A{a.merged_into}"
        rows.append(
            Decision(
                a.label,
                a.number,
                numbers.get(a.target_eid, a.target_eid),
                ", ".join(a.sponsors),
                decision,
                a.decided_at,
                a.late,
                a.modified_text,
                a.status,
                a.merged_into,
                ", ".join(a.sponsors_in(language)),
                names.get(tabled, "") if tabled is not None else "",
            )
        )
    pending = sum(a.status in PENDING for a in amendments)
    return Decisions(item.name if item else "All rounds", rows, pending)

"""Revisions: issued from the working text and the accepted amendments, never changed after;
compared by element identity; each paragraph's lineage; rounds of negotiation and progress."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from stocktake.audit.events import AuditAction
from stocktake.audit.services import record_event
from stocktake.core.db import transaction
from stocktake.core.errors import (
    Conflict,
    PermissionDenied,
    Problem,
    ValidationFailed,
    message_of,
)
from stocktake.core.permissions import Permission, Principal, require
from stocktake.core.translation import Text
from stocktake.meetings.models import Meeting
from stocktake.negotiation.models import (
    ACCEPTED,
    Amendment,
    AmendmentKind,
    Draft,
    DraftElement,
    DraftRevision,
    ElementKind,
    NegotiationRound,
    ParagraphStatus,
)
from stocktake.negotiation.services.anchoring import reanchor_pending
from stocktake.negotiation.services.applying import apply_amendment
from stocktake.negotiation.services.drafts import reads_working_text
from stocktake.negotiation.services.news import revision_news, revision_published_news
from stocktake.negotiation.services.queries import revision_of, working_nodes
from stocktake.negotiation.services.room import attach_tabled
from stocktake.negotiation.text import (
    AnchorLost,
    Node,
    number_nodes,
)
from stocktake.notifications.kinds import Kind, Said
from stocktake.notifications.services import active_users, notify
from stocktake.process.models import Process

STATUS_KINDS = (ElementKind.PREAMBLE.value, ElementKind.PARAGRAPH.value)


def revision_label(number: int, final: bool) -> str:
    if final:
        return "Final"
    return "Zero draft" if number == 0 else f"Rev.{number}"


def apply_amendments(
    draft: Draft, nodes: list[Node], amendments: list[Amendment]
) -> tuple[list[Node], dict[str, list[str]]]:
    """The text with the accepted amendments applied in their order, and for each element the
    amendments that changed it. One that no longer fits the text stops the whole revision."""
    changed: dict[str, list[str]] = {}
    problems: list[Problem] = []
    for amendment in amendments:
        try:
            nodes, target = apply_amendment(draft, nodes, amendment)
        except AnchorLost as exc:
            problems.append(Problem(amendment.label, message_of(exc)))
            continue
        if amendment.kind == AmendmentKind.ADD_PARAGRAPH:
            amendment.created_eid = target
        changed.setdefault(target, []).append(amendment.label)
    if problems:
        raise ValidationFailed("revision", problems)
    return nodes, changed


def issue_revision(
    session: Session,
    draft: Draft,
    *,
    note: str = "",
    final: bool = False,
    issued_at: dt.datetime | None = None,
    by: Principal,
) -> DraftRevision:
    """Apply the accepted amendments to the working text and keep the result as the next
    revision (the first is the zero draft); pending amendments are re-anchored or flagged.

    `issued_at`: the day a revision issued before it was kept here bears (a past negotiation
    loaded as it happened, as the demo's of 2018); the system alone gives it, and it is set as
    the revision is stored, never changed after. Else a revision bears the moment it is issued."""
    require(by, Permission.DRAFTS_MANAGE)
    if issued_at is not None and not by.is_system:
        raise PermissionDenied(
            Permission.DRAFTS_MANAGE, Text("only the system dates a revision in the past")
        )
    if draft.revisions and draft.revisions[-1].final:
        raise Conflict(
            Text(
                "the final text of draft %(draft)s is issued; no revision follows it",
                draft=draft.id,
            )
        )
    accepted = list(
        session.scalars(
            select(Amendment)
            .where(
                Amendment.draft_id == draft.id,
                Amendment.status.in_([s.value for s in ACCEPTED]),
                Amendment.applied_revision.is_(None),
            )
            .order_by(Amendment.number)
        )
    )
    conflicts = [a.label for a in accepted if a.in_conflict]
    if conflicts:
        raise ValidationFailed(
            "revision",
            [
                Problem(label, Text("is in conflict with the text; re-anchor it first"))
                for label in conflicts
            ],
        )
    number = draft.revisions[-1].number + 1 if draft.revisions else 0
    with transaction(session):
        nodes, changed = apply_amendments(draft, working_nodes(draft), accepted)
        number_nodes(nodes)
        _store_working_text(session, draft, nodes)
        snapshot = []
        for node in nodes:
            data = node.as_dict()
            if node.eid in changed:
                data["changed_by"] = changed[node.eid]
            snapshot.append(data)
        revision = DraftRevision(
            number=number,
            label=revision_label(number, final),
            title=draft.title,
            final=final,
            note=note.strip()[:500],
            issued_by=by.label,
            elements=snapshot,
            applied=[a.number for a in accepted],
        )
        if issued_at is not None:
            revision.issued_at = issued_at
        draft.revisions.append(revision)
        for amendment in accepted:
            amendment.applied_revision = number
        session.flush()
        conflicts_after = reanchor_pending(session, draft)
        record_event(
            session,
            by=by,
            action=AuditAction.REVISION_ISSUED,
            target_type="draft",
            target_key=draft.id,
            summary=f"{revision.label}: {len(accepted)} amendment(s) applied, "
            f"{conflicts_after} pending amendment(s) in conflict",
        )
        _tell(session, draft, revision, Said.REVISION_ISSUED, working=True, by=by)
        revision_news(session, draft, revision, by=by)
    return revision


def _tell(
    session: Session,
    draft: Draft,
    revision: DraftRevision,
    message: str,
    *,
    working: bool,
    by: Principal,
) -> None:
    """Tell of a revision those entitled to read it: an issued one, whoever reads the working
    text (the secretariat, and delegations as the process says); a published one, everyone else,
    who could not read it before (stakeholders never hear of a revision they may not read)."""
    process = session.get(Process, draft.process_id)
    if process is None:
        return

    def entitled(principal: Principal) -> bool:
        return reads_working_text(session, process, principal) is working

    notify(
        session,
        Kind.REVISION,
        active_users(session),
        message=message,
        values={"label": revision.label, "title": draft.title},
        link=f"/drafts/{draft.id}/revisions",
        audience=entitled,
        by=by,
    )


def _store_working_text(session: Session, draft: Draft, nodes: list[Node]) -> None:
    by_eid = {e.eid: e for e in draft.elements}
    keep = {n.eid for n in nodes}
    for element in list(draft.elements):
        if element.eid not in keep:
            draft.elements.remove(element)
    for position, node in enumerate(nodes, start=1):
        element = by_eid.get(node.eid) or DraftElement(
            eid=node.eid, kind=node.kind, text=node.text, origin={}
        )
        if element.id is None:
            draft.elements.append(element)
        if element.text != node.text:
            element.text = node.text
        if element.position != position * 10:
            element.position = position * 10
    session.flush()


def publish_revision(
    session: Session, draft: Draft, number: int, *, by: Principal
) -> DraftRevision:
    """Make an issued revision the text that stakeholders and the public read."""
    require(by, Permission.DRAFTS_MANAGE)
    revision = revision_of(draft, number)
    with transaction(session):
        session.refresh(draft, ["published_revision"], with_for_update=True)  # as it is now
        previous = draft.published_revision
        if previous == revision.number:
            return revision  # published already: nothing changes, nothing is recorded
        draft.published_revision = revision.number
        record_event(
            session,
            by=by,
            action=AuditAction.REVISION_PUBLISHED,
            target_type="draft",
            target_key=draft.id,
            summary=f"{revision.label} published",
            changes={"published_revision": [previous, revision.number]},
        )
        _tell(session, draft, revision, Said.REVISION_PUBLISHED, working=False, by=by)
        revision_published_news(session, draft, revision, by=by)
    return revision


def revision_nodes(revision: DraftRevision) -> list[Node]:
    return [Node.of(data) for data in revision.elements]


@dataclass(frozen=True)
class LineageStep:
    revision: str
    issued_at: dt.datetime
    number: str
    text: str
    change: str  # new, changed, renumbered, moved, unchanged, deleted
    amendments: list[str]


def lineage(draft: Draft, eid: str) -> list[LineageStep]:
    """How one element fared from revision to revision, and which amendments changed it."""
    steps: list[LineageStep] = []
    previous: Node | None = None
    previous_order: list[str] = []
    for revision in draft.revisions:
        nodes = revision_nodes(revision)
        order = [n.eid for n in nodes]
        node = next((n for n in nodes if n.eid == eid), None)
        amendments: list[str] = next(
            (d.get("changed_by", []) for d in revision.elements if d["eid"] == eid), []
        )
        if node is None:
            if previous is not None:
                steps.append(
                    LineageStep(revision.label, revision.issued_at, "", "", "deleted", amendments)
                )
            previous = None
            continue
        if previous is None:
            change = "new"
        elif previous.text != node.text:
            change = "changed"
        elif _moved(previous_order, order, eid):
            change = "moved"
        elif previous.number != node.number:
            change = "renumbered"
        else:
            change = "unchanged"
        steps.append(
            LineageStep(
                revision.label, revision.issued_at, node.number, node.text, change, amendments
            )
        )
        previous, previous_order = node, order
    return steps


def _moved(old: list[str], new: list[str], eid: str) -> bool:
    """Whether the element's neighbours that exist in both revisions changed around it."""
    common = set(old) & set(new)
    a = [e for e in old if e in common]
    b = [e for e in new if e in common]
    i, j = a.index(eid), b.index(eid)
    return (a[i - 1] if i else None) != (b[j - 1] if j else None) and (
        a[i + 1] if i + 1 < len(a) else None
    ) != (b[j + 1] if j + 1 < len(b) else None)


def status_counts(nodes: list[Node]) -> dict[str, int]:
    counts = Counter(n.status for n in nodes if n.kind in STATUS_KINDS)
    return {status.value: counts.get(status.value, 0) for status in ParagraphStatus}


def record_round(
    session: Session,
    draft: Draft,
    *,
    name: str = "",
    start: dt.date | None = None,
    end: dt.date | None = None,
    revision: int,
    meeting: Meeting | None = None,
    by: Principal,
) -> NegotiationRound:
    """A round of negotiation and the revision it discussed. A round held at a meeting takes the
    meeting's dates when none are given, and its title when no name is; one day by default."""
    require(by, Permission.DRAFTS_MANAGE)
    if start is None and meeting is not None:
        start, end = meeting.start_date, meeting.end_date
    if start is None:
        raise ValidationFailed("round", [Problem("start", Text("give the dates or a meeting"))])
    end = end or start
    name = name or (meeting.title if meeting else "")
    revision_of(draft, revision)
    problems = []
    if not name.strip():
        problems.append(Problem("name", Text("is empty")))
    if end < start:
        problems.append(Problem("end", Text("is before the start")))
    if problems:
        raise ValidationFailed("round", problems)
    if session.scalar(
        select(NegotiationRound.id).where(
            NegotiationRound.draft_id == draft.id, NegotiationRound.name == name.strip()
        )
    ):
        raise Conflict(Text("a round named %(name)r exists already", name=name.strip()))

    with transaction(session):
        item = NegotiationRound(
            draft_id=draft.id,
            meeting_id=meeting.id if meeting else None,
            name=name.strip()[:200],
            start_date=start,
            end_date=end,
            revision_number=revision,
        )
        session.add(item)
        session.flush()
        attach_tabled(session, draft, item)
        record_event(
            session,
            by=by,
            action=AuditAction.ROUND_RECORDED,
            target_type="draft",
            target_key=draft.id,
            summary=f"{item.name} on revision {revision}",
        )
    return item


def rounds_of(session: Session, draft: Draft) -> list[NegotiationRound]:
    return list(
        session.scalars(
            select(NegotiationRound)
            .where(NegotiationRound.draft_id == draft.id)
            .order_by(NegotiationRound.start_date, NegotiationRound.id)
        )
    )


@dataclass(frozen=True)
class RoundProgress:
    name: str
    dates: str
    revision: str
    counts: dict[str, int]
    round: NegotiationRound | None = None


def progress(session: Session, draft: Draft) -> list[RoundProgress]:
    """Paragraph status after each round: as the next revision records it, or as the working
    text stands for a round no revision has followed yet."""
    out = []
    for item in rounds_of(session, draft):
        after = next((r for r in draft.revisions if r.number > item.revision_number), None)
        nodes = revision_nodes(after) if after else working_nodes(draft)
        discussed = revision_of(draft, item.revision_number)
        out.append(
            RoundProgress(
                item.name,
                f"{item.start_date:%d %b %Y}–{item.end_date:%d %b %Y}",
                discussed.label,
                status_counts(nodes),
                item,
            )
        )
    return out

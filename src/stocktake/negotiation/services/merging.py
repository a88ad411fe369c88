"""Merging amendments: identical amendments to a paragraph become one with all their sponsors;
different ones become one compromise text. The originals stay on record, merged into it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from stocktake.audit.events import AuditAction
from stocktake.audit.services import record_event
from stocktake.core.db import transaction, utcnow
from stocktake.core.errors import Conflict, Problem, ValidationFailed
from stocktake.core.permissions import Permission, Principal, require
from stocktake.core.translation import Text
from stocktake.negotiation.models import (
    PENDING,
    WORD_KINDS,
    Amendment,
    AmendmentPosition,
    AmendmentStatus,
    Draft,
    PositionRole,
)
from stocktake.negotiation.said import state_words
from stocktake.negotiation.services.amendments import AmendmentData, check_anchor
from stocktake.negotiation.services.anchoring import reanchor
from stocktake.negotiation.services.queries import get_amendment, working_nodes
from stocktake.negotiation.services.room import decided_in

# what makes two amendments the same proposal
SAME = ("kind", "target_eid", "quoted", "occurrence", "placement", "new_text", "new_kind")
SPONSORING = (PositionRole.SPONSOR, PositionRole.CO_SPONSOR)


def _key(amendment: Amendment) -> tuple[object, ...]:
    key = [getattr(amendment, name) for name in SAME]
    if amendment.kind not in WORD_KINDS:
        key[2:5] = ["", 1, "after"]  # quoted words and placement mean nothing to these kinds
    key[5] = " ".join(str(key[5]).split()).casefold()
    return (*key, amendment.destination_eid or "")


def identical_groups(session: Session, draft: Draft) -> list[list[Amendment]]:
    """The pending amendments that propose the same thing to the same paragraph, in groups of
    two or more (the secretariat is offered to merge each)."""
    groups: dict[tuple[object, ...], list[Amendment]] = {}
    for amendment in session.scalars(
        select(Amendment)
        .where(
            Amendment.draft_id == draft.id,
            Amendment.status.in_([s.value for s in PENDING]),
        )
        .options(selectinload(Amendment.positions))
        .order_by(Amendment.number)
    ):
        groups.setdefault(_key(amendment), []).append(amendment)
    return [group for group in groups.values() if len(group) > 1]


def merged_from(session: Session, draft: Draft, amendment: Amendment) -> list[Amendment]:
    """The amendments merged into this one."""
    return list(
        session.scalars(
            select(Amendment)
            .where(Amendment.draft_id == draft.id, Amendment.merged_into == amendment.number)
            .order_by(Amendment.number)
        )
    )


def _check(amendments: list[Amendment], compromise: bool) -> None:
    first = amendments[0]
    for amendment in amendments:
        if not amendment.pending:
            raise Conflict(
                Text(
                    "%(amendment)s is %(state)s; only pending amendments are merged",
                    amendment=amendment.label,
                    state=state_words(amendment.status),
                )
            )
    problems = [
        Problem(
            a.label,
            Text(
                "amends %(element)s, not %(first)s; merged amendments amend the same paragraph",
                element=a.target_eid,
                first=first.target_eid,
            ),
        )
        for a in amendments[1:]
        if a.target_eid != first.target_eid
    ]
    if not problems and not compromise:
        problems = [
            Problem(
                a.label,
                Text(
                    "proposes other words than %(amendment)s; give a compromise text to merge them",
                    amendment=first.label,
                ),
            )
            for a in amendments[1:]
            if _key(a) != _key(first)
        ]
    if problems:
        raise ValidationFailed("merge", problems)


def _gather(into: Amendment, others: list[Amendment]) -> None:
    """Every sponsor and co-sponsor of the others co-sponsors `into` (a sponsor's own text: its
    co-sponsorship is confirmed); supporters and objectors keep their stand unless they sponsor."""
    held = {p.actor_id: p for p in into.positions}
    for amendment in others:
        for position in amendment.positions:
            role = PositionRole(position.role)
            sponsoring = role in SPONSORING
            confirmed = role is PositionRole.SPONSOR or position.confirmed
            existing = held.get(position.actor_id)
            if existing is None:
                existing = AmendmentPosition(
                    actor_id=position.actor_id,
                    role=(PositionRole.CO_SPONSOR if sponsoring else role).value,
                    confirmed=confirmed if sponsoring else False,
                )
                into.positions.append(existing)
                held[position.actor_id] = existing
            elif sponsoring and existing.role not in SPONSORING:
                existing.role = PositionRole.CO_SPONSOR.value
                existing.confirmed = confirmed
            elif existing.role == PositionRole.CO_SPONSOR and confirmed:
                existing.confirmed = True


def merge_amendments(
    session: Session,
    draft: Draft,
    numbers: list[int],
    *,
    new_text: str | None = None,
    quoted: str | None = None,
    by: Principal,
) -> Amendment:
    """The secretariat merges two or more pending amendments to one paragraph. Identical ones
    (no `new_text`) merge into the first, which all their sponsors then co-sponsor; with a
    compromise text (and, for words, the quoted words it amends) a new amendment is tabled by
    the first one's sponsor, co-sponsored by the others. The originals are kept, marked merged
    into it."""
    require(by, Permission.AMENDMENTS_DECIDE)
    wanted = sorted(set(numbers))
    if len(wanted) < 2:
        raise ValidationFailed(
            "merge", [Problem("amendments", Text("name two or more amendments"))]
        )
    amendments = [get_amendment(session, draft, number) for number in wanted]
    compromise = new_text is not None
    _check(amendments, compromise)
    first = amendments[0]
    if compromise:
        data = AmendmentData(
            kind=first.kind,
            target=first.target_eid,
            quoted=first.quoted if quoted is None else quoted,
            occurrence=first.occurrence,
            placement=first.placement,
            new_text=" ".join((new_text or "").split()),
            new_kind=first.new_kind,
            destination=first.destination_eid or "",
        )
        nodes = working_nodes(draft)
        problems = check_anchor({n.eid: n for n in nodes}, data, [n.eid for n in nodes])
        if problems:
            raise ValidationFailed("merge", problems)
    labels = ", ".join(a.label for a in amendments)
    try:
        with transaction(session):
            if compromise:
                into = _compromise(session, draft, first, data=data, labels=labels, by=by)
                merged = amendments
            else:
                into, merged = first, amendments[1:]
            _gather(into, merged)
            now = utcnow()
            for amendment in merged:
                amendment.status = AmendmentStatus.MERGED.value
                amendment.merged_into = into.number
                amendment.decided_at = now
                amendment.decided_round_id = decided_in(session, draft, amendment)
            session.flush()
            how = "a compromise text" if compromise else "identical"
            record_event(
                session,
                by=by,
                action=AuditAction.AMENDMENTS_MERGED,
                target_type="amendment",
                target_key=f"{draft.id}/{into.label}",
                summary=f"{labels} merged into {into.label} ({how})",
                changes={"merged": [a.label for a in merged], "into": into.label},
            )
    except StaleDataError as exc:
        raise Conflict(
            Text("%(amendments)s: one was changed by someone else; reload them", amendments=labels)
        ) from exc

    return into


def _compromise(
    session: Session,
    draft: Draft,
    first: Amendment,
    *,
    data: AmendmentData,
    labels: str,
    by: Principal,
) -> Amendment:
    """The new amendment that holds the compromise text, numbered next."""
    session.refresh(draft, ["next_amendment"], with_for_update=True)  # as it is now
    into = Amendment(
        draft_id=draft.id,
        number=draft.next_amendment,
        kind=data.kind,
        target_eid=data.target,
        quoted=data.quoted if data.kind in WORD_KINDS else "",
        occurrence=data.occurrence,
        placement=data.placement,
        new_text=data.new_text,
        new_kind=data.new_kind,
        destination_eid=data.destination or None,
        justification=f"Compromise text merging {labels}.",
        status=AmendmentStatus.PROPOSED.value,
        proposed_by=by.label,
        round_id=first.round_id,
    )
    draft.next_amendment += 1
    sponsor = next(p for p in first.positions if p.role == PositionRole.SPONSOR)
    into.positions.append(
        AmendmentPosition(actor_id=sponsor.actor_id, role=PositionRole.SPONSOR.value)
    )
    session.add(into)
    session.flush()
    reanchor(into, {n.eid: n for n in working_nodes(draft)})
    return into

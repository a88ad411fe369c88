"""Amendments: proposed by delegations for their own actor, supported or objected to by others,
decided by the secretariat, and kept anchored to the exact words they amend."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from stocktake.audit.events import AuditAction
from stocktake.audit.services import record_event
from stocktake.core.db import transaction, utcnow
from stocktake.core.errors import Conflict, PermissionDenied, Problem, ValidationFailed, message_of
from stocktake.core.permissions import Permission, Principal, require
from stocktake.core.translation import Text
from stocktake.negotiation.models import (
    ACCEPTED,
    PENDING,
    WORD_KINDS,
    Amendment,
    AmendmentKind,
    AmendmentPosition,
    AmendmentStatus,
    Draft,
    ElementKind,
    PositionRole,
)
from stocktake.negotiation.said import (
    changed_meanwhile,
    changed_since,
    element_named,
    longer_than,
    state_named,
)
from stocktake.negotiation.services.anchoring import conflict_of
from stocktake.negotiation.services.applying import agreed_change
from stocktake.negotiation.services.queries import working_nodes
from stocktake.negotiation.services.room import decided_in, tabled_late, tabling_round
from stocktake.negotiation.text import Node, WordChange, WordsJoined, locate, occurrences
from stocktake.notifications.kinds import Kind, Said
from stocktake.notifications.services import notify, users_of_actors
from stocktake.registry.models import Actor, GroupMembership
from stocktake.registry.services import get_actor

MAX_TEXT = 20_000
NEGOTIATING_KINDS = ("member_state", "observer_state", "group_of_states")


@dataclass
class AmendmentData:
    kind: str
    target: str  # the element's identity (eid)
    sponsor: str = ""  # actor code; default: the caller's own actor
    quoted: str = ""
    occurrence: int = 1
    placement: str = "after"
    new_text: str = ""
    new_kind: str = ElementKind.PARAGRAPH.value
    destination: str = ""
    justification: str = ""
    co_sponsors: list[str] = field(default_factory=list)


def _speaks_for(session: Session, by: Principal, code: str) -> int:
    """The actor a delegation may act as: its own, or a group of states it belongs to."""
    actor = get_actor(session, code)
    if by.can(Permission.AMENDMENTS_PROPOSE_ANY):
        return actor.id
    require(by, Permission.AMENDMENTS_PROPOSE_OWN)
    if by.actor_id is None:
        raise PermissionDenied(Permission.AMENDMENTS_PROPOSE_OWN, Text("no delegation"))
    if actor.kind not in NEGOTIATING_KINDS:
        raise PermissionDenied(
            Permission.AMENDMENTS_PROPOSE_OWN,
            Text("%(actor)s does not negotiate the text", actor=code),
        )
    if actor.id == by.actor_id:
        return actor.id
    member = session.scalar(
        select(GroupMembership.id).where(
            GroupMembership.group_id == actor.id, GroupMembership.member_id == by.actor_id
        )
    )
    if member is None:
        raise PermissionDenied(
            Permission.AMENDMENTS_PROPOSE_OWN,
            Text("your delegation does not speak for %(actor)s", actor=code),
        )
    return actor.id


def _own_code(session: Session, by: Principal) -> str:
    actor = session.get(Actor, by.actor_id) if by.actor_id else None
    if actor is None:
        raise ValidationFailed("amendment", [Problem("sponsor", Text("is required"))])
    return actor.code


def check_anchor(nodes: dict[str, Node], data: AmendmentData, order: list[str]) -> list[Problem]:
    """Every problem of an amendment against the current text, each naming its field."""
    problems: list[Problem] = []
    try:
        kind = AmendmentKind(data.kind)
    except ValueError:
        return [Problem("kind", Text("unknown kind %(kind)r", kind=data.kind))]
    target = nodes.get(data.target)
    if target is None:
        return [
            Problem(
                "target",
                Text("no element %(element)r in the current text", element=data.target),
            )
        ]
    if kind in WORD_KINDS:
        problems += _check_words(target, data, kind)
    needs_text = kind in (
        AmendmentKind.INSERT,
        AmendmentKind.REPLACE,
        AmendmentKind.ALTERNATIVE,
        AmendmentKind.ADD_PARAGRAPH,
    )
    if needs_text and not data.new_text.strip():
        problems.append(Problem("new_text", Text("give the proposed words")))
    if len(data.new_text) > MAX_TEXT or len(data.justification) > MAX_TEXT:
        problems.append(Problem("new_text", longer_than(MAX_TEXT)))
    if kind is AmendmentKind.ADD_PARAGRAPH and data.new_kind not in (
        ElementKind.PARAGRAPH,
        ElementKind.POINT,
        ElementKind.PREAMBLE,
    ):
        problems.append(Problem("new_kind", Text("is paragraph, point or preamble")))
    if kind is AmendmentKind.MOVE_PARAGRAPH:
        if data.destination not in nodes:
            problems.append(
                Problem(
                    "destination",
                    Text("no element %(element)r to move after", element=data.destination),
                )
            )
        elif data.destination == data.target:
            problems.append(Problem("destination", Text("is the paragraph itself")))
    return problems


def _joined(target: Node, change: WordChange, name: str) -> list[Problem]:
    """A problem when making the change runs two words together."""
    try:
        change.apply(target.text)
    except WordsJoined as exc:
        said = Text(
            "%(element)s: %(problem)s; quote whole words",
            element=element_named(target.kind, target.number),
            problem=message_of(exc),
        )
        return [Problem(name, said)]
    return []


def _check_words(target: Node, data: AmendmentData, kind: AmendmentKind) -> list[Problem]:
    """The quoted words are there (at their occurrence), and new words would not join others."""
    problems: list[Problem] = []
    if not data.quoted.strip():
        problems.append(Problem("quoted", Text("quote the words to amend")))
    elif locate(target.text, data.quoted, data.occurrence) is None:
        found = occurrences(target.text, data.quoted)
        said = (
            Text(
                "the words %(words)r occur %(found)s time(s), not %(occurrence)s "
                "(paragraph %(number)s)",
                words=data.quoted,
                found=found,
                occurrence=data.occurrence,
                number=target.number,
            )
            if found
            else Text(
                "the words %(words)r are not in the paragraph (paragraph %(number)s)",
                words=data.quoted,
                number=target.number,
            )
        )
        problems.append(Problem("quoted", said))
    elif kind is AmendmentKind.REPLACE and data.new_text.strip():
        change = WordChange(kind, data.quoted, data.occurrence, data.new_text)
        problems += _joined(target, change, "new_text")
    if data.placement not in ("before", "after"):
        problems.append(Problem("placement", Text("is before or after")))
    return problems


def propose_amendment(
    session: Session, draft: Draft, data: AmendmentData, *, by: Principal
) -> Amendment:
    """A delegation proposes for its own actor or a group it belongs to; nothing is stored when
    the quoted words or the places named are not in the current text."""
    if not (by.can(Permission.AMENDMENTS_PROPOSE_ANY) or by.can(Permission.AMENDMENTS_PROPOSE_OWN)):
        raise PermissionDenied(
            Permission.AMENDMENTS_PROPOSE_OWN, Text("role %(role)s", role=by.role.value)
        )
    data.sponsor = data.sponsor or _own_code(session, by)
    sponsor_id = _speaks_for(session, by, data.sponsor)
    nodes = working_nodes(draft)
    by_eid = {n.eid: n for n in nodes}
    data.new_text = " ".join(data.new_text.split())
    problems = check_anchor(by_eid, data, [n.eid for n in nodes])
    co_ids = []
    for code in data.co_sponsors:
        if not by.can(Permission.AMENDMENTS_PROPOSE_ANY):
            problems.append(Problem("co_sponsors", Text("others co-sponsor for themselves")))
            break
        co_ids.append(get_actor(session, code).id)
    if problems:
        raise ValidationFailed("amendment", problems)
    # after the round's deadline: marked late, or refused to delegations when the round says so
    # (the secretariat may still read one into the record, marked late)
    tabled_for = tabling_round(session, draft)
    late = tabled_late(tabled_for, refuse=not by.can(Permission.AMENDMENTS_PROPOSE_ANY))
    target = by_eid[data.target]
    with transaction(session):
        # the next number as it is now, inside the write: two delegations proposing at once get
        # one number each
        session.refresh(draft, ["next_amendment"], with_for_update=True)
        amendment = Amendment(
            draft_id=draft.id,
            number=draft.next_amendment,
            kind=data.kind,
            target_eid=data.target,
            quoted=data.quoted if data.kind in WORD_KINDS else "",
            occurrence=max(1, data.occurrence),
            placement=data.placement,
            new_text=data.new_text,
            new_kind=data.new_kind,
            destination_eid=data.destination or None,
            justification=data.justification.strip(),
            status=AmendmentStatus.PROPOSED.value,
            anchor_start=locate(target.text, data.quoted, data.occurrence)
            if data.kind in WORD_KINDS
            else None,
            proposed_by=by.label,
            round_id=tabled_for.id if tabled_for else None,
            late=late,
        )
        draft.next_amendment += 1
        amendment.positions.append(
            AmendmentPosition(actor_id=sponsor_id, role=PositionRole.SPONSOR.value)
        )
        for actor_id in dict.fromkeys(co_ids):
            if actor_id != sponsor_id:
                amendment.positions.append(
                    AmendmentPosition(actor_id=actor_id, role=PositionRole.CO_SPONSOR.value)
                )
        session.add(amendment)
        session.flush()
        record_event(
            session,
            by=by,
            action=AuditAction.AMENDMENT_PROPOSED,
            target_type="amendment",
            target_key=f"{draft.id}/{amendment.label}",
            summary=f"{amendment.label} {data.kind} on {data.target} by {data.sponsor}"
            + (" (late)" if late else ""),
        )
    return amendment


def check_version(amendment: Amendment, expected: int | None) -> None:
    if expected is not None and expected != amendment.version:
        raise Conflict(changed_since(amendment.label, expected, amendment.version))


def take_position(
    session: Session,
    draft: Draft,
    amendment: Amendment,
    role: PositionRole,
    *,
    actor: str = "",
    by: Principal,
) -> AmendmentPosition:
    """Co-sponsor, support or object to an amendment as one's own actor (or a group of it)."""
    if role is PositionRole.SPONSOR:
        raise ValidationFailed(
            amendment.label, [Problem("role", Text("an amendment has one sponsor"))]
        )
    if not (by.can(Permission.AMENDMENTS_PROPOSE_ANY) or by.can(Permission.AMENDMENTS_PROPOSE_OWN)):
        raise PermissionDenied(
            Permission.AMENDMENTS_PROPOSE_OWN, Text("role %(role)s", role=by.role.value)
        )
    code = actor or _own_code(session, by)
    actor_id = _speaks_for(session, by, code)
    _check_position(amendment, actor_id, code)
    with transaction(session):
        # as it is now, inside the write: the same delegation's two clicks at once make one position
        session.refresh(amendment, ["status", "version", "positions"], with_for_update=True)
        existing = _check_position(amendment, actor_id, code)
        if existing is not None and existing.role == role.value:
            return existing  # taken already: nothing changes, nothing is recorded
        if existing is None:
            existing = AmendmentPosition(actor_id=actor_id, role=role.value)
            amendment.positions.append(existing)
        previous = existing.role
        existing.role = role.value
        existing.confirmed = role is PositionRole.CO_SPONSOR  # co-sponsoring itself: confirmed
        session.flush()
        record_event(
            session,
            by=by,
            action=AuditAction.AMENDMENT_POSITION_TAKEN,
            target_type="amendment",
            target_key=f"{draft.id}/{amendment.label}",
            summary=f"{code} {role.value.replace('_', '-')}s {amendment.label}",
            changes={"role": [previous if previous != role.value else None, role.value]},
        )
    return existing


def _check_position(amendment: Amendment, actor_id: int, code: str) -> AmendmentPosition | None:
    """The actor's position on a pending amendment, if any; a conflict for a decided one or for
    its sponsor."""
    if not amendment.pending:
        raise Conflict(
            Text(
                "%(amendment)s is %(state)s; positions are taken on pending ones",
                amendment=amendment.label,
                state=state_named(amendment.status),
            )
        )
    existing = next((p for p in amendment.positions if p.actor_id == actor_id), None)
    if existing is not None and existing.role == PositionRole.SPONSOR:
        raise Conflict(
            Text("%(actor)s sponsors %(amendment)s", actor=code, amendment=amendment.label)
        )
    return existing


ALLOWED = {
    AmendmentStatus.PROPOSED: set(AmendmentStatus) - {AmendmentStatus.PROPOSED},
    AmendmentStatus.UNDER_DISCUSSION: set(AmendmentStatus) - {AmendmentStatus.UNDER_DISCUSSION},
    AmendmentStatus.ACCEPTED: {AmendmentStatus.UNDER_DISCUSSION, AmendmentStatus.SUPERSEDED},
    AmendmentStatus.ACCEPTED_AS_MODIFIED: {
        AmendmentStatus.UNDER_DISCUSSION,
        AmendmentStatus.SUPERSEDED,
    },
    AmendmentStatus.REJECTED: {AmendmentStatus.UNDER_DISCUSSION},
    AmendmentStatus.WITHDRAWN: {AmendmentStatus.UNDER_DISCUSSION},
    AmendmentStatus.SUPERSEDED: set(),
    AmendmentStatus.MERGED: set(),
}


def decide_amendment(
    session: Session,
    draft: Draft,
    amendment: Amendment,
    status: AmendmentStatus,
    *,
    modified_text: str = "",
    expected_version: int | None = None,
    by: Principal,
) -> Amendment:
    """The secretariat moves an amendment on; an accepted one waits for the next revision."""
    require(by, Permission.AMENDMENTS_DECIDE)
    check_version(amendment, expected_version)
    current = AmendmentStatus(amendment.status)
    if amendment.applied_revision is not None:
        raise Conflict(
            Text(
                "%(amendment)s is in revision %(revision)s already",
                amendment=amendment.label,
                revision=amendment.applied_revision,
            )
        )
    if status not in ALLOWED[current]:
        raise Conflict(
            Text(
                "%(amendment)s is %(state)s; it cannot become %(new_state)s",
                amendment=amendment.label,
                state=state_named(current),
                new_state=state_named(status),
            )
        )
    if status is AmendmentStatus.ACCEPTED_AS_MODIFIED and not modified_text.strip():
        raise ValidationFailed(
            amendment.label, [Problem("modified_text", Text("give the agreed words"))]
        )
    if status in ACCEPTED and amendment.in_conflict:
        raise Conflict(
            Text(
                "%(amendment)s is in conflict with the text (%(reason)s); its sponsor "
                "re-anchors it first",
                amendment=amendment.label,
                reason=conflict_of(amendment, draft),
            )
        )
    if status is AmendmentStatus.ACCEPTED_AS_MODIFIED and amendment.kind in WORD_KINDS:
        target = {n.eid: n for n in working_nodes(draft)}.get(amendment.target_eid)
        change = agreed_change(amendment, " ".join(modified_text.split()))
        problems = _joined(target, change, "modified_text") if target is not None else []
        if problems:
            raise ValidationFailed(amendment.label, problems)
    try:
        with transaction(session):
            amendment.status = status.value
            amendment.modified_text = (
                " ".join(modified_text.split())
                if status is AmendmentStatus.ACCEPTED_AS_MODIFIED
                else None
            )
            amendment.decided_at = None if status in PENDING else utcnow()
            amendment.decided_round_id = decided_in(session, draft, amendment)
            session.flush()
            record_event(
                session,
                by=by,
                action=AuditAction.AMENDMENT_DECIDED,
                target_type="amendment",
                target_key=f"{draft.id}/{amendment.label}",
                summary=f"{amendment.label}: {status.value}",
                changes={"status": [current.value, status.value]},
            )
            sponsors = [
                p.actor_id
                for p in amendment.positions
                if p.role == PositionRole.SPONSOR
                or (p.role == PositionRole.CO_SPONSOR and p.confirmed)
            ]
            notify(
                session,
                Kind.AMENDMENT,
                users_of_actors(session, sponsors),
                message=Said.AMENDMENT_DECIDED,
                values={"label": amendment.label, "title": draft.title, "status": status.value},
                link=f"/drafts/{draft.id}/amendments/{amendment.number}",
                by=by,
            )
    except StaleDataError as exc:
        raise Conflict(changed_meanwhile(amendment.label)) from exc

    return amendment

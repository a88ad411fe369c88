"""A sponsor's own amendments: changing the words of a pending one, and withdrawing it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from stocktake.audit.events import AuditAction
from stocktake.audit.services import record_event
from stocktake.core.db import transaction, utcnow
from stocktake.core.errors import Conflict, PermissionDenied, ValidationFailed
from stocktake.core.permissions import Permission, Principal
from stocktake.core.translation import Text
from stocktake.negotiation.models import (
    Amendment,
    AmendmentPosition,
    AmendmentStatus,
    Draft,
    PositionRole,
)
from stocktake.negotiation.said import changed_meanwhile, state_named
from stocktake.negotiation.services.amendments import AmendmentData, check_anchor, check_version
from stocktake.negotiation.services.queries import working_nodes
from stocktake.negotiation.services.room import decided_in
from stocktake.registry.models import Actor, GroupMembership
from stocktake.registry.services import get_actor


def acts_for_sponsor(session: Session, amendment: Amendment, by: Principal) -> bool:
    """The caller's delegation sponsors the amendment, itself or as a group of states it is in."""
    if by.actor_id is None:
        return False
    sponsors = {p.actor_id for p in amendment.positions if p.role == PositionRole.SPONSOR}
    if by.actor_id in sponsors:
        return True
    groups = set(
        session.scalars(
            select(GroupMembership.group_id).where(GroupMembership.member_id == by.actor_id)
        )
    )
    return bool(sponsors & groups)


def update_amendment(
    session: Session,
    draft: Draft,
    amendment: Amendment,
    *,
    new_text: str | None = None,
    justification: str | None = None,
    quoted: str | None = None,
    occurrence: int | None = None,
    expected_version: int | None = None,
    by: Principal,
) -> Amendment:
    """The sponsor (or the secretariat) changes a pending amendment's words."""
    if not (by.can(Permission.AMENDMENTS_DECIDE) or acts_for_sponsor(session, amendment, by)):
        raise PermissionDenied(
            Permission.AMENDMENTS_PROPOSE_OWN, Text("only its sponsor changes it")
        )
    if not amendment.pending:
        raise Conflict(
            Text(
                "%(amendment)s is %(state)s; only a pending one changes",
                amendment=amendment.label,
                state=state_named(amendment.status),
            )
        )
    check_version(amendment, expected_version)
    data = AmendmentData(
        kind=amendment.kind,
        target=amendment.target_eid,
        quoted=amendment.quoted if quoted is None else quoted,
        occurrence=amendment.occurrence if occurrence is None else occurrence,
        placement=amendment.placement,
        new_text=amendment.new_text if new_text is None else " ".join(new_text.split()),
        new_kind=amendment.new_kind,
        destination=amendment.destination_eid or "",
        justification=amendment.justification if justification is None else justification,
    )
    nodes = working_nodes(draft)
    problems = check_anchor({n.eid: n for n in nodes}, data, [n.eid for n in nodes])
    if problems:
        raise ValidationFailed(amendment.label, problems)
    if (data.new_text, data.quoted, data.occurrence, data.justification.strip()) == (
        amendment.new_text,
        amendment.quoted,
        amendment.occurrence,
        amendment.justification,
    ) and not amendment.in_conflict:
        return amendment  # the same words again: nothing changes, nothing is recorded
    try:
        with transaction(session):
            before = {"new_text": amendment.new_text, "quoted": amendment.quoted}
            amendment.new_text = data.new_text
            amendment.quoted = data.quoted
            amendment.occurrence = data.occurrence
            amendment.justification = data.justification.strip()
            amendment.in_conflict = False
            amendment.conflict_reason = ""
            session.flush()
            record_event(
                session,
                by=by,
                action=AuditAction.AMENDMENT_UPDATED,
                target_type="amendment",
                target_key=f"{draft.id}/{amendment.label}",
                summary=f"{amendment.label} changed",
                changes={"before": before},
            )
    except StaleDataError as exc:
        raise Conflict(changed_meanwhile(amendment.label)) from exc
    return amendment


def withdraw_amendment(
    session: Session,
    draft: Draft,
    amendment: Amendment,
    *,
    reason: str = "",
    expected_version: int | None = None,
    by: Principal,
) -> Amendment:
    """Its sponsor takes a pending amendment back: it leaves the compilation text and stays on
    record as withdrawn."""
    if not acts_for_sponsor(session, amendment, by):
        raise PermissionDenied(
            Permission.AMENDMENTS_PROPOSE_OWN, Text("only its sponsor withdraws it")
        )
    if not amendment.pending:
        raise Conflict(
            Text(
                "%(amendment)s is %(state)s; only a pending one is withdrawn",
                amendment=amendment.label,
                state=state_named(amendment.status),
            )
        )
    check_version(amendment, expected_version)
    try:
        with transaction(session):
            previous = amendment.status
            amendment.status = AmendmentStatus.WITHDRAWN.value
            amendment.decided_at = utcnow()
            amendment.decided_round_id = decided_in(session, draft, amendment)
            session.flush()
            record_event(
                session,
                by=by,
                action=AuditAction.AMENDMENT_WITHDRAWN,
                target_type="amendment",
                target_key=f"{draft.id}/{amendment.label}",
                summary=f"{amendment.label} withdrawn by its sponsor"
                + (f": {' '.join(reason.split())[:300]}" if reason.strip() else ""),
                changes={"status": [previous, AmendmentStatus.WITHDRAWN.value]},
            )
    except StaleDataError as exc:
        raise Conflict(changed_meanwhile(amendment.label)) from exc
    return amendment


def _as_itself(session: Session, by: Principal, code: str) -> Actor:
    """The actor a delegation confirms for: its own, or a group of states it is in; never another's,
    and the secretariat confirms for no one."""
    if by.actor_id is None:
        raise PermissionDenied(
            Permission.AMENDMENTS_PROPOSE_OWN, Text("only a delegation confirms")
        )
    actor = get_actor(session, code) if code else session.get(Actor, by.actor_id)
    assert actor is not None  # the principal's own actor
    member = actor.id == by.actor_id or session.scalar(
        select(GroupMembership.id).where(
            GroupMembership.group_id == actor.id, GroupMembership.member_id == by.actor_id
        )
    )
    if not member:
        raise PermissionDenied(
            Permission.AMENDMENTS_PROPOSE_OWN,
            Text("your delegation does not speak for %(actor)s", actor=actor.code),
        )
    return actor


def confirm_co_sponsorship(
    session: Session, draft: Draft, amendment: Amendment, *, actor: str = "", by: Principal
) -> AmendmentPosition:
    """A co-sponsor named on an amendment confirms that it co-sponsors it."""
    who = _as_itself(session, by, actor)
    position = next((p for p in amendment.positions if p.actor_id == who.id), None)
    if position is None or position.role != PositionRole.CO_SPONSOR:
        raise Conflict(
            Text(
                "%(actor)s is not named a co-sponsor of %(amendment)s",
                actor=who.code,
                amendment=amendment.label,
            )
        )
    if not amendment.pending:
        raise Conflict(
            Text(
                "%(amendment)s is %(state)s; co-sponsors confirm pending ones",
                amendment=amendment.label,
                state=state_named(amendment.status),
            )
        )
    if position.confirmed:
        return position  # confirmed already: nothing changes, nothing is recorded
    with transaction(session):
        position.confirmed = True
        session.flush()
        record_event(
            session,
            by=by,
            action=AuditAction.AMENDMENT_CO_SPONSORSHIP_CONFIRMED,
            target_type="amendment",
            target_key=f"{draft.id}/{amendment.label}",
            summary=f"{who.code} confirms co-sponsoring {amendment.label}",
        )
    return position

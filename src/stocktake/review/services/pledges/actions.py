"""Pledges: an actor submits for itself, the secretariat publishes; status updates keep their
history; each partner of a joint pledge confirms it, or the secretariat records its confirmation."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from stocktake.audit.events import AuditAction
from stocktake.audit.services import record_event
from stocktake.core.db import transaction, utcnow
from stocktake.core.errors import Conflict, PermissionDenied, Problem, ValidationFailed
from stocktake.core.permissions import Permission, Principal, require
from stocktake.core.translation import Text
from stocktake.notifications.kinds import Kind, Said
from stocktake.notifications.services import notify, users_of_actors
from stocktake.process.models import Process
from stocktake.registry.models import STATE_KINDS, Actor
from stocktake.review.models import Pledge, PledgeConfirmation, PledgeUpdate
from stocktake.review.services.pledges.checks import (
    CENTS,
    STATUSES,
    SUBMITTED,
    PledgeData,
    check_pledge,
    choice,
    find_need,
    find_objectives,
)


def _actor(session: Session, code: str) -> Actor | None:
    return session.scalar(select(Actor).where(Actor.code == code.strip()))


def _may_act_for(by: Principal, actor: Actor, own: Permission, any_: Permission) -> None:
    if by.can(any_):
        return
    require(by, own)
    if by.actor_id != actor.id:
        raise PermissionDenied(own, Text("an actor pledges and reports only for itself"))


NAME_THE_ACTOR = Text("name the State or organisation making the pledge, by its code (e.g. MEX)")


def no_actor(code: str) -> Text:
    """What is said of an actor's code the registry does not hold."""
    return Text("no actor %(code)r", code=code)


def submit_pledge(session: Session, process: Process, data: PledgeData, *, by: Principal) -> Pledge:
    """An actor's pledge, recorded unpublished until the secretariat publishes it. Whoever may not
    pledge at all is refused before the actor is looked up."""
    if not by.can(Permission.PLEDGES_SUBMIT_ANY):
        require(by, Permission.PLEDGES_SUBMIT_OWN)
    if not data.actor.strip():
        raise ValidationFailed("pledge", [Problem("actor", NAME_THE_ACTOR)])
    actor = _actor(session, data.actor)
    if actor is None:
        raise ValidationFailed("pledge", [Problem("actor", no_actor(data.actor))])
    _may_act_for(by, actor, Permission.PLEDGES_SUBMIT_OWN, Permission.PLEDGES_SUBMIT_ANY)
    problems: list[Problem] = []
    check_pledge(data, problems)
    objectives, actions = find_objectives(session, process, data, problems)
    need = find_need(session, process, data, objectives, problems)
    partners = []
    for code in dict.fromkeys(data.partners):
        partner = _actor(session, code)
        if partner is None:
            problems.append(Problem("partners", no_actor(code)))
        elif partner.id != actor.id:
            partners.append(partner)
    matches = session.get(Pledge, data.matches) if data.matches is not None else None
    if data.matches is not None and (matches is None or not matches.is_published):
        problems.append(
            Problem("matches", Text("no published pledge %(pledge)s", pledge=data.matches))
        )
    if problems:
        raise ValidationFailed("pledge", problems)
    pledge = Pledge(
        process_id=process.id,
        actor=actor,
        mode=data.mode,
        matches=matches,
        title=data.title.strip(),
        description=data.description.strip(),
        kind=data.kind,
        level=data.level,
        start_year=data.start_year,
        end_year=data.end_year,
        amount=data.amount.quantize(CENTS) if data.amount is not None else None,
        currency=data.currency.strip().upper() if data.amount is not None else "",
        status=data.status,
        partners=partners if data.mode == "joint" else [],
        objectives=objectives,
        actions=actions,
        answers=need,
        created_by_id=by.user_id,
    )
    pledge.updates.append(
        PledgeUpdate(status=data.status, note=SUBMITTED, recorded_by_id=by.user_id)
    )
    with transaction(session):
        session.add(pledge)
        session.flush()
        record_event(
            session,
            by=by,
            action=AuditAction.PLEDGE_SUBMITTED,
            target_type="pledge",
            target_key=pledge.id,
            summary=f"{actor.code}: {pledge.title}",
            changes={
                "objectives": [o.number for o in objectives],
                "kind": data.kind,
                "amount": str(pledge.amount) if pledge.amount is not None else None,
                "currency": pledge.currency,
                "answers": need.id if need is not None else None,
            },
        )
    return pledge


def publish_pledge(session: Session, pledge: Pledge, *, by: Principal) -> Pledge:
    require(by, Permission.PLEDGES_PUBLISH)
    if pledge.is_published:
        raise Conflict(Text("pledge %(pledge)s is already published", pledge=pledge.id))
    with transaction(session):
        # as it is now, inside the write: of two publishers at once, the second is told
        session.refresh(pledge, ["published_at"], with_for_update=True)
        if pledge.is_published:
            raise Conflict(Text("pledge %(pledge)s is already published", pledge=pledge.id))
        pledge.published_at = utcnow()
        record_event(
            session,
            by=by,
            action=AuditAction.PLEDGE_PUBLISHED,
            target_type="pledge",
            target_key=pledge.id,
            summary=pledge.title,
        )
    return pledge


def update_pledge_status(
    session: Session, pledge: Pledge, *, status: str, note: str = "", by: Principal
) -> PledgeUpdate:
    """A new status with a note; only the pledging actor (or the secretariat) reports on it."""
    _may_act_for(by, pledge.actor, Permission.PLEDGES_SUBMIT_OWN, Permission.PLEDGES_SUBMIT_ANY)
    problems: list[Problem] = []
    choice(status, STATUSES, "status", problems)
    if len(note) > 3000:
        problems.append(Problem("note", Text("is longer than 3,000 characters")))
    if problems:
        raise ValidationFailed("status update", problems)
    update = PledgeUpdate(status=status, note=note.strip(), recorded_by_id=by.user_id)
    with transaction(session):
        # the status as it is now, inside the write: what another report set a moment ago
        session.refresh(pledge, ["status"], with_for_update=True)
        previous = pledge.status
        pledge.status = status
        pledge.updates.append(update)
        session.flush()
        record_event(
            session,
            by=by,
            action=AuditAction.PLEDGE_STATUS_UPDATED,
            target_type="pledge",
            target_key=pledge.id,
            summary=f"{previous} → {status}",
            changes={"from": previous, "to": status},
        )
    return update


def confirm_pledge(
    session: Session,
    pledge: Pledge,
    *,
    by: Principal,
    partner: str = "",
    note: str = "",
) -> PledgeConfirmation:
    """A partner of a joint pledge, through one of its own users, confirms that it is party to it.
    The secretariat may record a partner's confirmation on its behalf (`partner`: its code), saying
    how it came (`note`, e.g. "by letter of 3 March 2026"); the audit log says so. Whoever does not
    act for one of the pledge's partners is refused; a partner confirms once."""
    on_behalf = bool(partner.strip())
    if on_behalf:
        require(by, Permission.PLEDGES_SUBMIT_ANY)
        found = next((a for a in pledge.partners if a.code == partner.strip()), None)
        problems = []
        if found is None:
            listed = ", ".join(a.code for a in pledge.partners)
            problems.append(
                Problem(
                    "partner",
                    Text(
                        "%(partner)r is not a partner of this pledge (partners: %(listed)s)",
                        partner=partner,
                        listed=listed,
                    )
                    if listed
                    else Text(
                        "%(partner)r is not a partner of this pledge (partners: none)",
                        partner=partner,
                    ),
                )
            )
        if not note.strip():
            problems.append(Problem("note", Text("say how the confirmation came, e.g. by letter")))
        elif len(note) > 1000:
            problems.append(Problem("note", Text("is longer than 1,000 characters")))
        if problems or found is None:
            raise ValidationFailed("confirmation", problems)
    else:
        require(by, Permission.PLEDGES_SUBMIT_OWN)
        found = next((a for a in pledge.partners if a.id == by.actor_id), None)
        if found is None:
            raise PermissionDenied(
                Permission.PLEDGES_SUBMIT_OWN, Text("only a partner of a joint pledge confirms it")
            )
    if pledge.confirmation_of(found.id) is not None:
        raise Conflict(
            Text(
                "%(partner)s has already confirmed pledge %(pledge)s",
                partner=found.code,
                pledge=pledge.id,
            )
        )
    confirmation = PledgeConfirmation(
        actor=found, confirmed_by_id=by.user_id, on_behalf=on_behalf, note=note.strip()
    )
    with transaction(session):
        pledge.confirmations.append(confirmation)
        session.flush()
        record_event(
            session,
            by=by,
            action=(
                AuditAction.PLEDGE_CONFIRMATION_RECORDED
                if on_behalf
                else AuditAction.PLEDGE_CONFIRMED
            ),
            target_type="pledge",
            target_key=pledge.id,
            summary=(
                f"{found.code}'s confirmation recorded on its behalf ({note.strip()}): {pledge.title}"
                if on_behalf
                else f"{found.code} confirms: {pledge.title}"
            ),
            changes={"partner": found.code, "on_behalf": on_behalf, "note": note.strip()},
        )
        # the pledge's own actor reads it, published or not
        notify(
            session,
            Kind.PLEDGE,
            users_of_actors(session, [pledge.actor_id]),
            message=Said.PLEDGE_CONFIRMED,
            values={
                "partner": found.display_name,
                "partner_iso3": found.iso3 if found.kind in STATE_KINDS else None,
                "title": pledge.title,
            },
            link=f"/review/pledges/{pledge.id}",
            by=by,
        )
    return confirmation

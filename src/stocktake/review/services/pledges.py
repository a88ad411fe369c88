"""Pledges: an actor submits for itself, the secretariat publishes, the public reads what is
published; status updates keep their history."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

import pycountry
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from stocktake.audit.events import AuditAction
from stocktake.audit.services import record_event
from stocktake.core.db import transaction, utcnow
from stocktake.core.errors import Conflict, NotFound, PermissionDenied, Problem, ValidationFailed
from stocktake.core.permissions import Permission, Principal, require
from stocktake.process.models import Process
from stocktake.registry.models import Actor
from stocktake.review.models import (
    Action,
    Objective,
    Pledge,
    PledgeConfirmation,
    PledgeUpdate,
    pledge_partner,
)

KINDS = {
    "financial": "Financial",
    "human_resources": "Human resources",
    "process": "Process",
    "policy": "Policy",
}
LEVELS = {"local": "Local", "national": "National", "regional": "Regional", "global": "Global"}
MODES = {
    "single": "By one actor",
    "joint": "In common with partners",
    "matching": "Matching another pledge",
}
STATUSES = {
    "planned": "Planned",
    "in_progress": "In progress",
    "completed": "Completed",
    "discontinued": "Discontinued",
}
DESCRIPTION_MIN, DESCRIPTION_MAX = 300, 3000


@dataclass
class PledgeData:
    actor: str
    title: str
    description: str
    kind: str
    level: str
    objectives: list[int]
    start_year: int
    end_year: int
    actions: list[str] = field(default_factory=list)  # "20(b)"
    mode: str = "single"
    partners: list[str] = field(default_factory=list)
    matches: int | None = None
    status: str = "planned"
    amount: Decimal | None = None
    currency: str = ""  # ISO 4217, e.g. USD


@dataclass
class PledgeFilter:
    objective: int | None = None
    region: str | None = None
    kind: str | None = None
    status: str | None = None
    actor: str | None = None


def _actor(session: Session, code: str) -> Actor | None:
    return session.scalar(select(Actor).where(Actor.code == code.strip()))


def _may_act_for(by: Principal, actor: Actor, own: Permission, any_: Permission) -> None:
    if by.can(any_):
        return
    require(by, own)
    if by.actor_id != actor.id:
        raise PermissionDenied(own, "an actor pledges and reports only for itself")


def _choice(value: str, allowed: dict[str, str], name: str, problems: list[Problem]) -> None:
    if value not in allowed:
        problems.append(Problem(name, f"{value!r} is not one of {', '.join(allowed)}"))


def _check(data: PledgeData, problems: list[Problem]) -> None:
    _choice(data.kind, KINDS, "kind", problems)
    _choice(data.level, LEVELS, "level", problems)
    _choice(data.mode, MODES, "mode", problems)
    _choice(data.status, STATUSES, "status", problems)
    if not data.title.strip():
        problems.append(Problem("title", "is empty"))
    elif len(data.title) > 300:
        problems.append(Problem("title", "is longer than 300 characters"))
    length = len(data.description.strip())
    if not DESCRIPTION_MIN <= length <= DESCRIPTION_MAX:
        problems.append(
            Problem(
                "description",
                f"has {length} characters; a pledge is described in {DESCRIPTION_MIN}–{DESCRIPTION_MAX:,}",
            )
        )
    if not data.objectives:
        problems.append(Problem("objectives", "name at least one objective"))
    if not 1990 <= data.start_year <= data.end_year <= 2100:
        problems.append(
            Problem("end_year", "the timeframe must run forward, between 1990 and 2100")
        )
    _check_amount(data, problems)
    if data.mode == "joint" and not data.partners:
        problems.append(Problem("partners", "a joint pledge names its partners"))
    if data.mode == "matching" and data.matches is None:
        problems.append(Problem("matches", "a matching pledge names the pledge it matches"))


AMOUNT_MAX, CENTS = Decimal("1e16"), Decimal("0.01")


def currency_name(code: str) -> str | None:
    """The name of an ISO 4217 currency by its three letters, or None."""
    found = pycountry.currencies.get(alpha_3=code.strip().upper()) if code.strip() else None
    return str(found.name) if found is not None else None


def _check_amount(data: PledgeData, problems: list[Problem]) -> None:
    """An amount comes with its currency, a currency with an amount."""
    currency = data.currency.strip()
    if currency and (len(currency) != 3 or currency_name(currency) is None):
        problems.append(
            Problem("currency", f"{currency!r} is not an ISO 4217 currency code, e.g. USD, EUR")
        )
    if data.amount is None:
        if currency:
            problems.append(Problem("amount", "a currency comes with an amount"))
        return
    if not data.amount.is_finite() or not 0 < data.amount < AMOUNT_MAX:
        problems.append(Problem("amount", "must be more than 0 and less than 10^16"))
    elif data.amount != data.amount.quantize(CENTS):
        problems.append(Problem("amount", "has more than two decimal places"))
    if not currency:
        problems.append(Problem("currency", "an amount names its currency, e.g. USD"))


def _objectives(
    session: Session, process: Process, data: PledgeData, problems: list[Problem]
) -> tuple[list[Objective], list[Action]]:
    found = {
        o.number: o
        for o in session.scalars(
            select(Objective)
            .where(Objective.process_id == process.id)
            .options(selectinload(Objective.actions))
        )
    }
    objectives = []
    for number in dict.fromkeys(data.objectives):
        if number in found:
            objectives.append(found[number])
        else:
            problems.append(Problem("objectives", f"objective {number} does not exist"))
    actions = []
    for raw in dict.fromkeys(data.actions):
        action = _find_action(raw, found, problems)
        if action is not None:
            actions.append(action)
    return objectives, actions


_ACTION_REF = re.compile(
    r"^\s*(\d{1,3})\s*(?:\(\s*([a-z]{1,2})\s*\)|[.\s]?\s*([a-z]{1,2}))\s*$", re.I
)


def action_ref(raw: str) -> tuple[int, str] | None:
    """An action as people write it — `20(b)`, `20 (b)`, `20b`, `20.b`, `20(B)` — as (objective
    number, letter), or None."""
    match = _ACTION_REF.match(raw)
    if match is None:
        return None
    return int(match[1]), (match[2] or match[3]).lower()


def _find_action(raw: str, found: dict[int, Objective], problems: list[Problem]) -> Action | None:
    ref = action_ref(raw)
    if ref is None:
        problems.append(
            Problem("actions", f"{raw!r} is not an action; write objective(letter), e.g. 20(b)")
        )
        return None
    number, letter = ref
    objective = found.get(number)
    if objective is None:
        problems.append(Problem("actions", f"objective {number} does not exist"))
        return None
    letters = {a.letter.lower(): a for a in objective.actions}
    action = letters.get(letter)
    if action is not None and not action.retired:
        return action
    current = [a.ref for a in objective.actions if not a.retired]
    if action is not None:
        why = f"action {action.ref} is retired from the frame"
    elif not current:
        why = f"the frame lists no actions for objective {number}"
    else:
        why = f"action {number}({letter}) does not exist"
    listed = f"; objective {number} has {', '.join(current)}" if current else ""
    problems.append(Problem("actions", why + listed))
    return None


def submit_pledge(session: Session, process: Process, data: PledgeData, *, by: Principal) -> Pledge:
    """An actor's pledge, recorded unpublished until the secretariat publishes it. Whoever may not
    pledge at all is refused before the actor is looked up."""
    if not by.can(Permission.PLEDGES_SUBMIT_ANY):
        require(by, Permission.PLEDGES_SUBMIT_OWN)
    actor = _actor(session, data.actor)
    if actor is None:
        raise ValidationFailed("pledge", [Problem("actor", f"no actor {data.actor!r}")])
    _may_act_for(by, actor, Permission.PLEDGES_SUBMIT_OWN, Permission.PLEDGES_SUBMIT_ANY)
    problems: list[Problem] = []
    _check(data, problems)
    objectives, actions = _objectives(session, process, data, problems)
    partners = []
    for code in dict.fromkeys(data.partners):
        partner = _actor(session, code)
        if partner is None:
            problems.append(Problem("partners", f"no actor {code!r}"))
        elif partner.id != actor.id:
            partners.append(partner)
    matches = session.get(Pledge, data.matches) if data.matches is not None else None
    if data.matches is not None and (matches is None or not matches.is_published):
        problems.append(Problem("matches", f"no published pledge {data.matches}"))
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
        created_by_id=by.user_id,
    )
    pledge.updates.append(
        PledgeUpdate(status=data.status, note="Pledge submitted", recorded_by_id=by.user_id)
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
            },
        )
    return pledge


def publish_pledge(session: Session, pledge: Pledge, *, by: Principal) -> Pledge:
    require(by, Permission.PLEDGES_PUBLISH)
    if pledge.is_published:
        raise Conflict(f"pledge {pledge.id} is already published")
    with transaction(session):
        # as it is now, inside the write: of two publishers at once, the second is told
        session.refresh(pledge, ["published_at"], with_for_update=True)
        if pledge.is_published:
            raise Conflict(f"pledge {pledge.id} is already published")
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
    _choice(status, STATUSES, "status", problems)
    if len(note) > 3000:
        problems.append(Problem("note", "is longer than 3,000 characters"))
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


def confirm_pledge(session: Session, pledge: Pledge, *, by: Principal) -> PledgeConfirmation:
    """A partner of a joint pledge, through one of its own users, confirms that it is party to it.
    Whoever does not act for one of the pledge's partners is refused; a partner confirms once."""
    require(by, Permission.PLEDGES_SUBMIT_OWN)
    partner = next((a for a in pledge.partners if a.id == by.actor_id), None)
    if partner is None:
        raise PermissionDenied(
            Permission.PLEDGES_SUBMIT_OWN, "only a partner of a joint pledge confirms it"
        )
    if pledge.confirmation_of(partner.id) is not None:
        raise Conflict(f"{partner.code} has already confirmed pledge {pledge.id}")
    confirmation = PledgeConfirmation(actor=partner, confirmed_by_id=by.user_id)
    with transaction(session):
        pledge.confirmations.append(confirmation)
        session.flush()
        record_event(
            session,
            by=by,
            action=AuditAction.PLEDGE_CONFIRMED,
            target_type="pledge",
            target_key=pledge.id,
            summary=f"{partner.code} confirms: {pledge.title}",
            changes={"partner": partner.code},
        )
    return confirmation


def _visible(by: Principal, pledge: Pledge) -> bool:
    if pledge.is_published or by.can(Permission.PLEDGES_READ_ANY):
        return True
    if not by.can(Permission.PLEDGES_READ_OWN) or by.actor_id is None:
        return False
    # a joint pledge is its partners' too: they read it before publication, to confirm it
    return by.actor_id == pledge.actor_id or any(a.id == by.actor_id for a in pledge.partners)


def get_pledge(
    session: Session, pledge_id: int, *, by: Principal, acting: Permission | None = None
) -> Pledge:
    """A pledge the caller may read; any other is as if it did not exist. `acting` names the
    permission of the action the caller takes on it next, checked before the lookup."""
    if acting is not None:
        require(by, acting)
    require(by, Permission.REVIEW_READ_PUBLISHED)
    pledge = session.get(Pledge, pledge_id)
    if pledge is None or not _visible(by, pledge):
        raise NotFound("pledge", pledge_id)
    return pledge


def list_pledges(
    session: Session, process: Process, filters: PledgeFilter | None = None, *, by: Principal
) -> list[Pledge]:
    require(by, Permission.REVIEW_READ_PUBLISHED)
    filters = filters or PledgeFilter()
    query = (
        select(Pledge)
        .join(Pledge.actor)
        .where(Pledge.process_id == process.id)
        .options(selectinload(Pledge.objectives), selectinload(Pledge.partners))
        .order_by(Pledge.id.desc())
    )
    if not by.can(Permission.PLEDGES_READ_ANY):
        own = (
            (Pledge.actor_id == by.actor_id)
            | Pledge.id.in_(
                select(pledge_partner.c.pledge_id).where(pledge_partner.c.actor_id == by.actor_id)
            )
            if by.actor_id
            else False
        )
        query = query.where(Pledge.published_at.is_not(None) | own)
    if filters.objective is not None:
        query = query.where(Pledge.objectives.any(Objective.number == filters.objective))
    if filters.region:
        query = query.where(Actor.region == filters.region)
    if filters.kind:
        query = query.where(Pledge.kind == filters.kind)
    if filters.status:
        query = query.where(Pledge.status == filters.status)
    if filters.actor:
        query = query.where(Actor.code == filters.actor)
    return list(session.scalars(query))


@dataclass
class PledgeDashboard:
    total: int
    by_objective: dict[str, int]
    by_region: dict[str, int]
    by_kind: dict[str, int]
    by_status: dict[str, int]


def pledge_dashboard(pledges: list[Pledge]) -> PledgeDashboard:
    objectives: Counter[int] = Counter(o.number for p in pledges for o in p.objectives)
    return PledgeDashboard(
        total=len(pledges),
        by_objective={f"Objective {n}": c for n, c in sorted(objectives.items())},
        by_region=dict(Counter(p.actor.region or "No region" for p in pledges).most_common()),
        by_kind={KINDS[k]: c for k, c in Counter(p.kind for p in pledges).most_common()},
        by_status={STATUSES[s]: c for s, c in Counter(p.status for p in pledges).most_common()},
    )

"""Reading pledges: one pledge, the list with its filters, the dashboard's counts and the pledges
that answer capacity needs. An unpublished pledge is read by its actor, its partners (who must
confirm it) and the secretariat; by nobody else."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, or_, select, true
from sqlalchemy.orm import Session, contains_eager, selectinload

from stocktake.core.errors import NotFound
from stocktake.core.permissions import Permission, Principal, require
from stocktake.core.translation import Text
from stocktake.process.models import Process
from stocktake.registry.models import Actor
from stocktake.review.models import Objective, Pledge, pledge_objective, pledge_partner
from stocktake.review.services.pledges.checks import KINDS, STATUSES


@dataclass
class PledgeFilter:
    objective: int | None = None
    region: str | None = None
    kind: str | None = None
    status: str | None = None
    actor: str | None = None
    answers: int | None = None  # pledges answering this capacity need


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
        raise NotFound(Text("pledge"), pledge_id)
    return pledge


def _readable(by: Principal) -> ColumnElement[bool]:
    """The pledges `by` may read: published ones, and their own and their partners' (`_visible`)."""
    if by.can(Permission.PLEDGES_READ_ANY):
        return true()
    published = Pledge.published_at.is_not(None)
    if not by.actor_id:
        return published
    partner = select(pledge_partner.c.pledge_id).where(pledge_partner.c.actor_id == by.actor_id)
    return or_(published, Pledge.actor_id == by.actor_id, Pledge.id.in_(partner))


def list_pledges(
    session: Session,
    process: Process,
    filters: PledgeFilter | None = None,
    *,
    by: Principal,
    relations: bool = True,
) -> list[Pledge]:
    """The pledges `by` may read, newest first, with their actor; with their objectives, partners
    and confirmations too unless `relations` is false: a list that only names each pledge, its
    actor and its status asks nothing more (three queries fewer)."""
    require(by, Permission.REVIEW_READ_PUBLISHED)
    filters = filters or PledgeFilter()
    query = (
        select(Pledge)
        .join(Pledge.actor)
        .where(Pledge.process_id == process.id)
        # the actor from the join: no query per pledge for its actor
        .options(contains_eager(Pledge.actor))
        .order_by(Pledge.id.desc())
    )
    if relations:
        query = query.options(
            selectinload(Pledge.objectives),
            selectinload(Pledge.partners),
            selectinload(Pledge.confirmations),
        )
    query = query.where(_readable(by))
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
    if filters.answers is not None:
        query = query.where(Pledge.answers_id == filters.answers)
    return list(session.scalars(query))


def pledges_by_objective(session: Session, process: Process, *, by: Principal) -> dict[str, int]:
    """How many of the pledges `by` may read name each objective, as `pledge_dashboard` counts
    them ("Objective 3": 2), counted by the database rather than from every pledge read."""
    require(by, Permission.REVIEW_READ_PUBLISHED)
    rows = session.execute(
        select(Objective.number, func.count())
        .select_from(Pledge)
        .join(pledge_objective, pledge_objective.c.pledge_id == Pledge.id)
        .join(Objective, Objective.id == pledge_objective.c.objective_id)
        .where(Pledge.process_id == process.id, _readable(by))
        .group_by(Objective.number)
        .order_by(Objective.number)
    )
    return {f"Objective {number}": count for number, count in rows}


def pledges_answering(
    session: Session, process: Process, *, by: Principal
) -> dict[int, list[Pledge]]:
    """The pledges the caller may read that answer a capacity need, by the need's id, oldest
    first."""
    return answering(list_pledges(session, process, by=by))


def answering(pledges: list[Pledge]) -> dict[int, list[Pledge]]:
    """Of these pledges (newest first, as `list_pledges` gives them), those that answer a
    capacity need, by the need's id, oldest first."""
    found: dict[int, list[Pledge]] = {}
    for pledge in reversed(pledges):
        if pledge.answers_id is not None:
            found.setdefault(pledge.answers_id, []).append(pledge)
    return found


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

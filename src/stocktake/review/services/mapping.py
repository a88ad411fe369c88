"""The lighter mode of follow-up: voluntary reports per country, objective and cycle; a repository
of practices; capacity needs and offers matched by objective and kind. Each is submitted by an
actor for itself, published by the secretariat, read by the public once published."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, or_, select, true
from sqlalchemy.orm import Session, contains_eager, joinedload, selectinload

from stocktake.audit.events import AuditAction
from stocktake.audit.services import record_event
from stocktake.core.db import contains, transaction, utcnow
from stocktake.core.errors import Conflict, NotFound, PermissionDenied, Problem, ValidationFailed
from stocktake.core.permissions import Permission, Principal, require
from stocktake.core.translation import Counted, Text
from stocktake.process.models import Process
from stocktake.registry.models import STATE_KINDS, Actor
from stocktake.review.models import (
    CapacityItem,
    Objective,
    Practice,
    ReviewCycle,
    VoluntaryReport,
)

SUPPORT_KINDS = {
    "financial": "Financial",
    "technical_assistance": "Technical assistance",
    "training": "Training",
    "data_and_research": "Data and research",
    "policy_advice": "Policy advice",
}
Published = TypeVar("Published", VoluntaryReport, Practice, CapacityItem)


def principles(process: Process) -> dict[str, str]:
    """The process's guiding principles by key, in definition order: the criteria a practice is
    described by."""
    return {term.key: term.name for term in process.read_definition().principles}


@dataclass(frozen=True)
class Criterion:
    """A guiding principle as a page shows it: its name in the reader's language where the
    definition gives one, else its English name; `language` is the one it is written in."""

    name: str
    language: str

    def __str__(self) -> str:  # as a choice of a list shows it
        return self.name


def principles_in(process: Process, language: str) -> dict[str, Criterion]:
    """The process's guiding principles by key, in definition order, named in `language` (the
    way the definition names its dimensions and input types: `names` beside `name`)."""
    shown = {}
    for term in process.read_definition().principles:
        named = getattr(term.names, language, None) if language != "en" else None
        shown[term.key] = Criterion(named, language) if named else Criterion(term.name, "en")
    return shown


def _folded(text: str) -> str:
    return "_".join(text.casefold().replace("-", " ").replace("_", " ").split())


def criterion_key(value: str, criteria: dict[str, str]) -> str | None:
    """A principle as people write it — its key (`people_centred`) or its displayed name
    (`People-centred`, `people-centred`) — as its key, or None."""
    wanted = _folded(value)
    for key, name in criteria.items():
        if wanted in (_folded(key), _folded(name)):
            return key
    return None


def _criteria(values: list[str], criteria: dict[str, str], problems: list[Problem]) -> list[str]:
    keys = []
    for value in values:
        key = criterion_key(value, criteria)
        if key is None:
            accepted = "; ".join(f"{name} ({k})" for k, name in criteria.items())
            problems.append(
                Problem(
                    "criteria",
                    Text(
                        "%(value)r is not one of %(allowed)s",
                        value=value,
                        allowed=accepted or Text("(none defined)"),
                    ),
                )
            )
        else:
            keys.append(key)
    return list(dict.fromkeys(keys))


NAME_THE_ACTOR = Text("name the State or organisation it is for, by its code (e.g. MEX)")


def _actor(session: Session, code: str) -> Actor:
    if not code.strip():
        raise ValidationFailed("submission", [Problem("actor", NAME_THE_ACTOR)])
    actor = session.scalar(select(Actor).where(Actor.code == code.strip()))
    if actor is None:
        raise ValidationFailed(
            "submission", [Problem("actor", Text("no actor %(code)r", code=code))]
        )
    return actor


def _require_contributor(by: Principal) -> None:
    """Whoever may not contribute at all is refused before any actor or objective is looked up."""
    if not by.can(Permission.CONTRIBUTIONS_SUBMIT_ANY):
        require(by, Permission.CONTRIBUTIONS_SUBMIT_OWN)


def _for_itself(by: Principal, actor: Actor) -> None:
    if by.can(Permission.CONTRIBUTIONS_SUBMIT_ANY):
        return
    require(by, Permission.CONTRIBUTIONS_SUBMIT_OWN)
    if by.actor_id != actor.id:
        raise PermissionDenied(
            Permission.CONTRIBUTIONS_SUBMIT_OWN, Text("an actor reports only for itself")
        )


def _objective(
    session: Session, process: Process, number: int, problems: list[Problem]
) -> Objective | None:
    objective = session.scalar(
        select(Objective).where(Objective.process_id == process.id, Objective.number == number)
    )
    if objective is None:
        problems.append(
            Problem("objective", Text("objective %(number)s does not exist", number=number))
        )
    return objective


def _text(value: str, name: str, low: int, high: int, problems: list[Problem]) -> str:
    value = value.strip()
    if not low <= len(value) <= high:
        problems.append(
            Problem(
                name,
                Text(
                    "has %(num)s characters; %(low)s–%(high)s are expected",
                    num=len(value),
                    low=low,
                    high=Counted(high),
                ),
            )
        )
    return value


def _record(
    session: Session, by: Principal, action: AuditAction, kind: str, key: object, *, summary: str
) -> None:
    record_event(session, by=by, action=action, target_type=kind, target_key=key, summary=summary)


def submit_voluntary_report(
    session: Session,
    process: Process,
    cycle: ReviewCycle,
    *,
    actor: str,
    objective: int,
    text: str,
    by: Principal,
) -> VoluntaryReport:
    """A state's report on one objective for a cycle; a second one for the same replaces none."""
    _require_contributor(by)
    found = _actor(session, actor)
    _for_itself(by, found)
    problems: list[Problem] = []
    if found.kind not in STATE_KINDS:
        if not by.can(Permission.CONTRIBUTIONS_SUBMIT_ANY):
            raise PermissionDenied(
                Permission.CONTRIBUTIONS_SUBMIT_OWN, Text("voluntary reports are made by states")
            )
        problems.append(Problem("actor", Text("voluntary reports are made by states")))
    goal = _objective(session, process, objective, problems)
    body = _text(text, "text", 100, 20000, problems)
    if problems or goal is None:
        raise ValidationFailed("voluntary report", problems)
    if session.scalar(
        select(VoluntaryReport.id).where(
            VoluntaryReport.cycle_id == cycle.id,
            VoluntaryReport.actor_id == found.id,
            VoluntaryReport.objective_id == goal.id,
        )
    ):
        raise Conflict(
            Text(
                "%(actor)s has already reported on objective %(objective)s for %(cycle)s",
                actor=found.code,
                objective=objective,
                cycle=cycle.title,
            )
        )
    report = VoluntaryReport(cycle=cycle, actor=found, objective=goal, text=body)
    with transaction(session):
        session.add(report)
        session.flush()
        _record(
            session,
            by,
            AuditAction.CONTRIBUTION_SUBMITTED,
            "voluntary_report",
            report.id,
            summary=f"{found.code} on objective {objective}",
        )
    return report


@dataclass
class PracticeData:
    actor: str
    title: str
    description: str
    objectives: list[int]
    criteria: list[str] = field(default_factory=list)
    country_iso3: str = ""
    place: str = ""


def submit_practice(
    session: Session, process: Process, data: PracticeData, *, by: Principal
) -> Practice:
    _require_contributor(by)
    found = _actor(session, data.actor)
    _for_itself(by, found)
    problems: list[Problem] = []
    title = _text(data.title, "title", 1, 300, problems)
    description = _text(data.description, "description", 100, 5000, problems)
    objectives = [
        o
        for n in dict.fromkeys(data.objectives)
        if (o := _objective(session, process, n, problems))
    ]
    if not data.objectives:
        problems.append(Problem("objectives", Text("name at least one objective")))
    criteria = _criteria(data.criteria, principles(process), problems)
    if problems:
        raise ValidationFailed("practice", problems)
    practice = Practice(
        process_id=process.id,
        actor=found,
        title=title,
        description=description,
        objectives=objectives,
        criteria=criteria,
        country_iso3=(data.country_iso3 or found.country_iso3 or found.iso3 or "").upper()[:3],
        place=data.place.strip()[:200],
    )
    with transaction(session):
        session.add(practice)
        session.flush()
        _record(
            session, by, AuditAction.CONTRIBUTION_SUBMITTED, "practice", practice.id, summary=title
        )
    return practice


def submit_capacity(
    session: Session,
    process: Process,
    *,
    direction: str,
    actor: str,
    objective: int,
    kind: str,
    description: str,
    by: Principal,
) -> CapacityItem:
    """A capacity need or offer."""
    _require_contributor(by)
    found = _actor(session, actor)
    _for_itself(by, found)
    problems: list[Problem] = []
    if direction not in {"need", "offer"}:
        problems.append(Problem("direction", Text("is need or offer")))
    if kind not in SUPPORT_KINDS:
        problems.append(
            Problem(
                "kind",
                Text(
                    "%(value)r is not one of %(allowed)s",
                    value=kind,
                    allowed=", ".join(SUPPORT_KINDS),
                ),
            )
        )
    goal = _objective(session, process, objective, problems)
    body = _text(description, "description", 50, 3000, problems)
    if problems or goal is None:
        raise ValidationFailed(f"capacity {direction}", problems)
    item = CapacityItem(
        process_id=process.id,
        direction=direction,
        actor=found,
        objective=goal,
        kind=kind,
        description=body,
    )
    with transaction(session):
        session.add(item)
        session.flush()
        _record(
            session,
            by,
            AuditAction.CONTRIBUTION_SUBMITTED,
            f"capacity_{direction}",
            item.id,
            summary=f"{found.code}: {SUPPORT_KINDS[kind]} for objective {objective}",
        )
    return item


def publish(
    session: Session, item: VoluntaryReport | Practice | CapacityItem, *, by: Principal
) -> None:
    """Publish a voluntary report, practice or capacity item after review."""
    require(by, Permission.CONTRIBUTIONS_PUBLISH)
    if item.is_published:
        raise Conflict(Text("already published"))
    with transaction(session):
        # as it is now, inside the write: of two officers at once, the second finds it published
        session.refresh(item, ["published_at"], with_for_update=True)
        if item.is_published:
            raise Conflict(Text("already published"))
        item.published_at = utcnow()
        _record(
            session,
            by,
            AuditAction.CONTRIBUTION_PUBLISHED,
            type(item).__tablename__,
            item.id,
            summary="published",
        )


ITEM_NAMES = {
    "reports": Text("voluntary report"),
    "practices": Text("practice"),
    "capacity": Text("capacity need or offer"),
}
"""What a missing item is called, by the kind its address names."""
MODELS: dict[str, type[Any]] = {
    "reports": VoluntaryReport,
    "practices": Practice,
    "capacity": CapacityItem,
}


def _visible_clause(model: type[Published], by: Principal) -> ColumnElement[bool]:
    if by.can(Permission.CONTRIBUTIONS_SUBMIT_ANY):
        return true()
    published = model.published_at.is_not(None)
    return or_(published, model.actor_id == by.actor_id) if by.actor_id else published


def get_item(
    session: Session, kind: str, item_id: int, *, by: Principal, acting: Permission | None = None
) -> VoluntaryReport | Practice | CapacityItem:
    """A report, practice or capacity item the caller may read. `acting` names the permission of
    the action the caller takes on it next, checked before the lookup."""
    if acting is not None:
        require(by, acting)
    require(by, Permission.REVIEW_READ_PUBLISHED)
    model = MODELS.get(kind)
    item: VoluntaryReport | Practice | CapacityItem | None = (
        session.get(model, item_id) if model else None
    )
    if item is None or not (
        item.is_published
        or by.can(Permission.CONTRIBUTIONS_SUBMIT_ANY)
        or (by.actor_id and by.actor_id == item.actor_id)
    ):
        raise NotFound(ITEM_NAMES.get(kind, kind), item_id)
    return item


def list_reports(
    session: Session, cycle: ReviewCycle | None = None, *, by: Principal
) -> list[VoluntaryReport]:
    require(by, Permission.REVIEW_READ_PUBLISHED)
    query = (
        select(VoluntaryReport)
        .where(_visible_clause(VoluntaryReport, by))
        # each report names its actor and objective: read with it, not one query per report
        .options(joinedload(VoluntaryReport.actor), joinedload(VoluntaryReport.objective))
        .order_by(VoluntaryReport.id)
    )
    if cycle is not None:
        query = query.where(VoluntaryReport.cycle_id == cycle.id)
    return list(session.scalars(query))


@dataclass
class PracticeSearch:
    text: str = ""
    objective: int | None = None
    country: str = ""
    actor: str = ""
    criterion: str = ""


def search_practices(
    session: Session, process: Process, search: PracticeSearch | None = None, *, by: Principal
) -> list[Practice]:
    require(by, Permission.REVIEW_READ_PUBLISHED)
    search = search or PracticeSearch()
    query = (
        select(Practice)
        .join(Practice.actor)
        .where(Practice.process_id == process.id, _visible_clause(Practice, by))
        # its actor from the join, its objectives at once: not one query per practice
        .options(contains_eager(Practice.actor), selectinload(Practice.objectives))
        .order_by(Practice.id.desc())
    )
    if search.text.strip():
        needle = search.text.strip()
        query = query.where(
            or_(contains(Practice.title, needle), contains(Practice.description, needle))
        )
    if search.objective is not None:
        query = query.where(Practice.objectives.any(Objective.number == search.objective))
    if search.country:
        query = query.where(Practice.country_iso3 == search.country.upper())
    if search.actor:
        query = query.where(Actor.code == search.actor)
    practices = list(session.scalars(query))
    if search.criterion:
        key = criterion_key(search.criterion, principles(process)) or search.criterion
        practices = [p for p in practices if key in p.criteria]
    return practices


def list_capacity(session: Session, process: Process, *, by: Principal) -> list[CapacityItem]:
    require(by, Permission.REVIEW_READ_PUBLISHED)
    query = (
        select(CapacityItem)
        .where(CapacityItem.process_id == process.id, _visible_clause(CapacityItem, by))
        # each item names its actor and objective: read with it, not one query per item
        .options(joinedload(CapacityItem.actor), joinedload(CapacityItem.objective))
        .order_by(CapacityItem.id)
    )
    return list(session.scalars(query))


@dataclass(frozen=True)
class CapacityMatch:
    need: CapacityItem
    offer: CapacityItem


def capacity_matches(items: list[CapacityItem]) -> list[CapacityMatch]:
    """Every need with every offer of the same objective and kind, from another actor."""
    offers: dict[tuple[int, str], list[CapacityItem]] = {}
    for item in items:
        if item.direction == "offer":
            offers.setdefault((item.objective_id, item.kind), []).append(item)
    return [
        CapacityMatch(need, offer)
        for need in items
        if need.direction == "need"
        for offer in offers.get((need.objective_id, need.kind), [])
        if offer.actor_id != need.actor_id
    ]

"""Registry actions: load the reference actors, create one actor, import organisations from CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session, selectinload

from stocktake.audit.events import AuditAction
from stocktake.audit.services import record_event
from stocktake.core.db import contains, transaction
from stocktake.core.errors import Conflict, NotFound, Problem, ValidationFailed
from stocktake.core.pages import ResultPage
from stocktake.core.permissions import Permission, Principal, require
from stocktake.core.translation import DEFAULT_LANGUAGE, Text
from stocktake.process.models import Process
from stocktake.registry import reference
from stocktake.registry.models import (
    GROUP_SHORT_NAMES,
    REGIONAL_GROUPS,
    STATE_KINDS,
    Actor,
    GroupMembership,
)
from stocktake.registry.names import sort_key, states_named

IMPORTABLE_KINDS = ("un_entity", "igo", "stakeholder")
ACTOR_COLUMNS = ("code", "kind", "name", "short_name", "category", "country", "description")
REQUIRED_COLUMNS = ("code", "name")


# ---------------------------------------------------------------- reference data


def load_reference_actors(session: Session, *, by: Principal) -> int:
    """Create or update member and observer states, the regional groups, the EU and the African
    Group, UN entities and other intergovernmental organisations. Returns the number created."""
    require(by, Permission.ACTORS_CREATE)
    with transaction(session):
        existing = {actor.code: actor for actor in session.scalars(select(Actor))}
        created = 0

        def upsert(code: str, **values: object) -> Actor:
            nonlocal created
            actor = existing.get(code)
            if actor is None:
                actor = Actor(code=code)
                session.add(actor)
                existing[code] = actor
                created += 1
            for name, value in values.items():
                setattr(actor, name, value)
            return actor

        records = reference.states()
        for record in records:
            upsert(
                record.iso3,
                kind="member_state" if record.member else "observer_state",
                name=record.name,
                iso3=record.iso3,
                m49_code=record.m49_code,
                country_iso3=record.iso3,
                region=record.region,
                sub_region=record.sub_region,
                intermediate_region=record.intermediate_region,
                regional_group=record.regional_group,
            )
        groups: dict[str, tuple[str, str, list[str]]] = {
            f"RG-{key.upper().replace('_', '-')}": (
                f"Group of {label}",
                GROUP_SHORT_NAMES.get(key, label),
                [r.iso3 for r in records if r.regional_group == key],
            )
            for key, label in REGIONAL_GROUPS.items()
        }
        groups["EU"] = ("European Union", "EU", [r.iso3 for r in records if r.eu_member])
        groups["AFRICAN-GROUP"] = (
            "African Group",
            "African Group",
            [r.iso3 for r in records if r.regional_group == "african"],
        )
        for code, (name, short, member_codes) in groups.items():
            group = upsert(code, kind="group_of_states", name=name, short_name=short)
            session.flush()
            current = {m.member_id for m in group.members}
            for member_code in member_codes:
                member = existing[member_code]
                if member.id not in current:
                    group.members.append(GroupMembership(member=member))
        for org in reference.organisations():
            upsert(org.code, kind=org.kind, name=org.name, short_name=org.short_name)
        if created:
            record_event(
                session,
                by=by,
                action=AuditAction.REFERENCE_LOADED,
                target_type="registry",
                target_key="reference",
                summary=f"{created} reference actors created",
                changes={"created": created},
            )
    return created


# ---------------------------------------------------------------- creating actors


@dataclass
class ActorData:
    """What a secretariat gives to register an organisation (one row of an import)."""

    code: str
    name: str
    kind: str = "stakeholder"
    short_name: str = ""
    category: str = ""
    country: str = ""
    description: str = ""


@dataclass
class _Lookup:
    states_by_key: dict[str, Actor]
    codes: set[str]
    categories: set[str]
    problems: list[Problem] = field(default_factory=list)


def _lookup(session: Session, categories: Sequence[str]) -> _Lookup:
    states: dict[str, Actor] = {}
    for state in session.scalars(select(Actor).where(Actor.iso3.is_not(None))):
        states[state.iso3.upper() if state.iso3 else ""] = state
        states[state.name.casefold()] = state
    codes = {code.upper() for code in session.scalars(select(Actor.code))}
    return _Lookup(states_by_key=states, codes=codes, categories=set(categories))


def _validate(data: ActorData, where: str, lookup: _Lookup) -> Actor | None:
    problems = lookup.problems
    before = len(problems)
    code = data.code.strip()
    if not code:
        problems.append(Problem(f"{where}, field code", Text("is empty")))
    elif len(code) > 60:
        problems.append(
            Problem(f"{where}, field code", Text("is longer than %(limit)s characters", limit=60))
        )
    elif code.upper() in lookup.codes:
        problems.append(Problem(f"{where}, field code", Text("duplicate code %(code)r", code=code)))
    if not data.name.strip():
        problems.append(Problem(f"{where}, field name", Text("is empty")))
    kind = data.kind.strip() or "stakeholder"
    if kind not in IMPORTABLE_KINDS:
        problems.append(
            Problem(
                f"{where}, field kind",
                Text(
                    "%(value)r is not one of %(allowed)s",
                    value=kind,
                    allowed=", ".join(IMPORTABLE_KINDS),
                ),
            )
        )
    category = data.category.strip()
    if kind == "stakeholder":
        if not category:
            problems.append(
                Problem(f"{where}, field category", Text("a stakeholder needs a category"))
            )
        elif category not in lookup.categories:
            problems.append(
                Problem(
                    f"{where}, field category",
                    Text(
                        "unknown stakeholder category %(category)r; known: %(known)s",
                        category=category,
                        known=", ".join(sorted(lookup.categories)),
                    ),
                )
            )
    country = None
    if data.country.strip():
        country = lookup.states_by_key.get(
            data.country.strip().upper()
        ) or lookup.states_by_key.get(data.country.strip().casefold())
        if country is None:
            problems.append(
                Problem(
                    f"{where}, field country",
                    Text("unknown country %(country)r", country=data.country.strip()),
                )
            )
    if len(problems) > before:
        return None
    lookup.codes.add(code.upper())
    return Actor(
        code=code,
        kind=kind,
        name=data.name.strip(),
        short_name=data.short_name.strip(),
        stakeholder_category=category or None if kind == "stakeholder" else None,
        country_iso3=country.iso3 if country else None,
        region=country.region if country else None,
        sub_region=country.sub_region if country else None,
        intermediate_region=country.intermediate_region if country else None,
        regional_group=country.regional_group if country else None,
        description=data.description.strip(),
    )


def create_actor(
    session: Session, data: ActorData, *, by: Principal, categories: Sequence[str]
) -> Actor:
    """Register one organisation (a UN entity, an IGO or a stakeholder)."""
    require(by, Permission.ACTORS_CREATE)
    lookup = _lookup(session, categories)
    if data.code.strip().upper() in lookup.codes:
        raise Conflict(Text("an actor with code %(code)r already exists", code=data.code))
    actor = _validate(data, "actor", lookup)
    if actor is None:
        raise ValidationFailed("actor", lookup.problems)
    with transaction(session):
        session.add(actor)
        session.flush()
        record_event(
            session,
            by=by,
            action=AuditAction.ACTOR_CREATED,
            target_type="actor",
            target_key=actor.code,
            summary=f"registered {actor.name}",
            changes={"kind": actor.kind, "category": actor.stakeholder_category},
        )
    return actor


def read_actors_csv(content: bytes, source: str) -> list[tuple[str, ActorData]]:
    """Parse an actors CSV; refuse invalid UTF-8, a missing header or unknown columns."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed(
            source, [Problem(f"byte {exc.start}", Text("the file is not UTF-8 text"))]
        ) from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in reader.fieldnames or []]
    problems = [
        Problem("header", Text("required column %(column)r is missing", column=c))
        for c in REQUIRED_COLUMNS
        if c not in header
    ]
    problems += [
        Problem(
            "header",
            Text(
                "unknown column %(column)r; known: %(known)s",
                column=c,
                known=", ".join(ACTOR_COLUMNS),
            ),
        )
        for c in header
        if c not in ACTOR_COLUMNS
    ]
    if problems:
        raise ValidationFailed(source, problems)
    rows = []
    for row in reader:
        values = {k.strip(): (v or "").strip() for k, v in row.items() if k is not None}
        if not any(values.values()):
            continue
        if None in row:
            problems.append(Problem(f"row {reader.line_num}", Text("more values than columns")))
            continue
        rows.append(
            (
                f"row {reader.line_num}",
                ActorData(
                    **{k: v for k, v in values.items() if k in ActorData.__dataclass_fields__}
                ),
            )
        )
    if problems:
        raise ValidationFailed(source, problems)
    return rows


def import_actors(
    session: Session,
    rows: Sequence[tuple[str, ActorData]],
    *,
    by: Principal,
    categories: Sequence[str],
    source: str,
    progress: Callable[[int], None] | None = None,
) -> list[Actor]:
    """Add organisations from parsed rows: all of them, or none with every bad row named."""
    require(by, Permission.ACTORS_CREATE)
    if not rows:
        raise ValidationFailed(source, [Problem("", Text("the file has no rows"))])
    lookup = _lookup(session, categories)
    actors = []
    for where, data in rows:
        actor = _validate(data, where, lookup)
        if actor is not None:
            actors.append(actor)
        if progress:
            progress(1)
    if lookup.problems:
        raise ValidationFailed(source, lookup.problems)
    with transaction(session):
        session.add_all(actors)
        record_event(
            session,
            by=by,
            action=AuditAction.ACTORS_IMPORTED,
            target_type="registry",
            target_key=Path(source).name,
            summary=f"{len(actors)} actors imported from {Path(source).name}",
            changes={"codes": [a.code for a in actors]},
        )
    return actors


# ---------------------------------------------------------------- reading


@dataclass(frozen=True)
class ActorFilter:
    kind: str | None = None
    region: str | None = None
    regional_group: str | None = None
    category: str | None = None
    q: str | None = None
    language: str = field(default=DEFAULT_LANGUAGE, compare=False)
    """The reader's language, whose names of States `q` finds too."""


def actor_matches(needle: str, language: str = DEFAULT_LANGUAGE) -> ColumnElement[bool]:
    """An actor whose name, short name or code holds `needle`, or a State whose name in the
    reader's `language` holds it ("Mexique" in French): the States' codes are found from their
    names in Python (`names.states_named`), so a search stays one query."""
    found = [
        contains(Actor.name, needle),
        contains(Actor.short_name, needle),
        contains(Actor.code, needle),
    ]
    if language != DEFAULT_LANGUAGE and (codes := states_named(needle, language)):
        found.append(Actor.iso3.in_(codes) & Actor.kind.in_(STATE_KINDS))
    return or_(*found)


def list_actors(
    session: Session, filters: ActorFilter, *, by: Principal, page: int = 1, page_size: int = 50
) -> ResultPage[Actor]:
    require(by, Permission.ACTORS_READ)
    query = select(Actor)
    if filters.kind:
        query = query.where(Actor.kind == filters.kind)
    if filters.region:
        query = query.where(Actor.region == filters.region)
    if filters.regional_group:
        query = query.where(Actor.regional_group == filters.regional_group)
    if filters.category:
        query = query.where(Actor.stakeholder_category == filters.category)
    if filters.q:
        query = query.where(actor_matches(filters.q.strip(), filters.language))
    # in the order of the names the reader sees, which the database cannot sort by: the columns
    # that order every matching actor in one query, sorted here, then the page's actors loaded
    columns = query.with_only_columns(Actor.id, Actor.kind, Actor.iso3, Actor.name, Actor.code)
    found = sorted(
        session.execute(columns),
        key=lambda row: sort_key(row.kind, row.iso3, row.name, row.code, filters.language),
    )
    start = (page - 1) * page_size
    ids = [row.id for row in found[start : start + page_size]]
    loaded = {actor.id: actor for actor in session.scalars(select(Actor).where(Actor.id.in_(ids)))}
    rows = [loaded[actor_id] for actor_id in ids]
    return ResultPage(items=rows, total=len(found), page=page, page_size=page_size)


def get_actor(session: Session, code: str, *, groups: bool = True) -> Actor:
    """The actor with this code; with its groups and members, unless `groups` is false: a page
    that only names the actor asks nothing more."""
    query = select(Actor).where(Actor.code == code)
    if groups:
        query = query.options(
            selectinload(Actor.memberships).selectinload(GroupMembership.group),
            selectinload(Actor.members).selectinload(GroupMembership.member),
        )
    actor = session.scalar(query)
    if actor is None:
        raise NotFound(Text("actor"), code)
    return actor


def own_actor(session: Session, by: Principal) -> Actor | None:
    """The actor a delegation member or stakeholder acts for; None for the secretariat and the public."""
    return session.get(Actor, by.actor_id) if by.actor_id is not None else None


def named_or_own(session: Session, by: Principal, code: str) -> str:
    """The code of the actor a form or request names, or else of the principal's own actor ("" if
    it has none): who may act for which actor is the action's to decide."""
    if code.strip():
        return code.strip()
    own = own_actor(session, by)
    return own.code if own is not None else ""


def check_actor_filter(session: Session, process: Process, filters: ActorFilter) -> None:
    """Raise ValidationFailed naming every filter whose value is not one it takes, with those values."""
    allowed = {
        "kind": [t.key for t in process.vocabulary("actor_kinds")],
        "category": [t.key for t in process.vocabulary("stakeholder_categories")],
        "region": regions(session),
        "regional_group": list(REGIONAL_GROUPS),
    }
    problems = [
        Problem(
            name,
            Text(
                "unknown value %(value)r; allowed: %(allowed)s",
                value=value,
                allowed=", ".join(values),
            ),
        )
        for name, values in allowed.items()
        if (value := getattr(filters, name)) and value not in values
    ]
    if problems:
        raise ValidationFailed("filters", problems)


def groups_of(session: Session, actor_id: int | None) -> list[Actor]:
    """The groups of states this actor is a member of (none for no actor), by name."""
    if actor_id is None:
        return []
    return list(
        session.scalars(
            select(Actor)
            .join(GroupMembership, GroupMembership.group_id == Actor.id)
            .where(GroupMembership.member_id == actor_id)
            .order_by(Actor.name)
        )
    )


_REGIONS = select(Actor.region).where(Actor.region.is_not(None)).distinct().order_by(Actor.region)
"""Built once: a statement built per request costs more than its execution from the cache."""


def regions(session: Session) -> list[str]:
    return list(session.scalars(_REGIONS))


def count_actors_by_kind(session: Session) -> dict[str, int]:
    rows = session.execute(select(Actor.kind, func.count(Actor.id)).group_by(Actor.kind)).all()
    return {row[0]: row[1] for row in rows}

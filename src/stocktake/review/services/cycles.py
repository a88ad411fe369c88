"""Review cycles: national (one country), regional (the countries of a region) or global."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from stocktake.audit.events import AuditAction
from stocktake.audit.services import record_event
from stocktake.core.db import transaction
from stocktake.core.errors import Conflict, NotFound, Problem, ValidationFailed
from stocktake.core.permissions import Permission, Principal, require
from stocktake.core.translation import Text
from stocktake.news.drafting import cycle_opened
from stocktake.news.services import draft_news
from stocktake.process.models import Process
from stocktake.registry import reference
from stocktake.registry.models import Actor
from stocktake.registry.names import country_name
from stocktake.review.models import ReviewCycle

SCOPES = {"national": "National", "regional": "Regional", "global": "Global"}
UNNAMED = {
    "national": Text("a national cycle names its country"),
    "regional": Text("a regional cycle names its region"),
}
"""What is said of a cycle that does not name the country or region it reviews."""


def _date(value: dt.date | str, name: str, problems: list[Problem]) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        problems.append(Problem(name, Text("%(value)r is not a date (YYYY-MM-DD)", value=value)))
        return dt.date(1, 1, 1)


def create_cycle(
    session: Session,
    process: Process,
    *,
    slug: str,
    title: str,
    scope: str,
    start_date: dt.date | str,
    end_date: dt.date | str,
    region: str = "",
    by: Principal,
) -> ReviewCycle:
    """A national (region: the country's ISO3), regional (region: the M49 region) or global cycle.
    Dates may be given as text (YYYY-MM-DD), as a form sends them."""
    require(by, Permission.REVIEW_MANAGE)
    problems: list[Problem] = []
    start_date = _date(start_date, "start_date", problems)
    end_date = _date(end_date, "end_date", problems)
    if problems:
        raise ValidationFailed("review cycle", problems)
    if scope not in SCOPES:
        problems.append(
            Problem(
                "scope",
                Text("%(value)r is not one of %(allowed)s", value=scope, allowed=", ".join(SCOPES)),
            )
        )
    if scope in UNNAMED and not region.strip():
        problems.append(Problem("region", UNNAMED[scope]))
    elif scope == "national":
        region = _registry_country(region, problems)
    elif scope == "regional":
        region = _registry_region(region, problems)
    if end_date < start_date:
        problems.append(Problem("end_date", Text("ends before it starts")))
    if not title.strip():
        problems.append(Problem("title", Text("is empty")))
    if not slug.strip() or not slug.replace("-", "").isalnum():
        problems.append(Problem("slug", Text("letters, digits and hyphens only")))
    if problems:
        raise ValidationFailed("review cycle", problems)
    if session.scalar(select(ReviewCycle.id).where(ReviewCycle.slug == slug)):
        raise Conflict(Text("a review cycle %(slug)r already exists", slug=slug))
    cycle = ReviewCycle(
        process_id=process.id,
        slug=slug,
        title=title.strip(),
        scope=scope,
        region=region.strip(),
        start_date=start_date,
        end_date=end_date,
    )
    with transaction(session):
        session.add(cycle)
        session.flush()
        record_event(
            session,
            by=by,
            action=AuditAction.CYCLE_CREATED,
            target_type="review_cycle",
            target_key=slug,
            summary=title,
        )
        draft_news(
            session,
            process,
            origin="cycle_opened",
            source=f"review_cycle:{slug}",
            texts=cycle_opened(cycle.title, cycle.start_date, cycle.end_date),
            links=[{"href": f"/review/cycles/{slug}", "label": cycle.title[:200]}],
            by=by,
        )
    return cycle


def _registry_country(name: str, problems: list[Problem]) -> str:
    states = {s.iso3: s for s in reference.states()}
    text = name.strip()
    by_name = {s.name.lower(): s.iso3 for s in states.values()}
    code = text.upper() if text.upper() in states else by_name.get(text.lower())
    if code is None:
        problems.append(
            Problem(
                "region",
                Text(
                    "%(name)r is not a country of the registry (its ISO3 code or name)", name=name
                ),
            )
        )
        return text
    return code


def region_names() -> list[str]:
    """The M49 regions, sub-regions and intermediate regions of the registry's states."""
    return sorted(
        {
            name
            for s in reference.states()
            for name in (s.region, s.sub_region, s.intermediate_region)
            if name
        }
    )


def _registry_region(name: str, problems: list[Problem]) -> str:
    names = {n.lower(): n for n in region_names()}
    found = names.get(name.strip().lower())
    if found is None:
        problems.append(
            Problem(
                "region",
                Text(
                    "%(name)r is not a region of the registry; one of: %(regions)s",
                    name=name,
                    regions=", ".join(sorted(names.values())),
                ),
            )
        )
        return name.strip()
    return found


def scope_countries(cycle: ReviewCycle) -> set[str] | None:
    """The ISO3 codes of the countries a cycle reviews; None for a global cycle (every one)."""
    if cycle.scope == "national":
        return {cycle.region.upper()}
    if cycle.scope == "regional":
        return {
            s.iso3
            for s in reference.states()
            if cycle.region in {s.region, s.sub_region, s.intermediate_region}
        }
    return None


def list_cycles(session: Session, process: Process, *, by: Principal) -> list[ReviewCycle]:
    require(by, Permission.REVIEW_READ_PUBLISHED)
    return list(
        session.scalars(
            select(ReviewCycle)
            .where(ReviewCycle.process_id == process.id)
            .order_by(ReviewCycle.start_date.desc())
        )
    )


def get_cycle(session: Session, slug: str) -> ReviewCycle:
    cycle = session.scalar(select(ReviewCycle).where(ReviewCycle.slug == slug))
    if cycle is None:
        raise NotFound(Text("review cycle"), slug)
    return cycle


def stock_day(cycle: ReviewCycle, today: dt.date | None = None) -> dt.date | None:
    """The day a cycle's report takes stock on: its last day once it has ended (what was published
    by then, data of periods begun by then), or None while it runs (everything to date)."""
    today = today or dt.datetime.now(dt.UTC).date()
    return cycle.end_date if cycle.end_date < today else None


def time_of(day: dt.date) -> float:
    """A day as observations count time: the year and the part of it gone (1 April 2022 is
    2022.25 in a 365-day year: the second quarter's observations have begun)."""
    start = dt.date(day.year, 1, 1)
    length = (dt.date(day.year + 1, 1, 1) - start).days
    return day.year + (day - start).days / length


def in_scope(cycle: ReviewCycle, actor: Actor) -> bool:
    """Whether an actor belongs to a cycle's scope: its country, a country of its region, or any
    actor for a global cycle."""
    if cycle.scope == "global":
        return True
    if cycle.scope == "regional":
        places = scope_countries(cycle) or set()
        return (actor.region or "") == cycle.region or bool(
            {actor.iso3, actor.country_iso3} & places
        )
    return cycle.region.upper() in {actor.iso3 or "", actor.country_iso3 or ""}


def scope_name(cycle: ReviewCycle, language: str = "en") -> str:
    """Where a cycle reviews, as a reader of `language` names it: the country's name, the region,
    or ""."""
    if cycle.scope == "national":
        return country_name(cycle.region, language)
    return cycle.region if cycle.scope == "regional" else ""

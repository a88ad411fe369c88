"""Review cycles and the progress report of a cycle (HTML and DOCX)."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from docx import Document
from sqlalchemy import select
from sqlalchemy.orm import Session

from stocktake.audit.events import AuditAction
from stocktake.audit.services import record_event
from stocktake.core.db import transaction
from stocktake.core.errors import Conflict, NotFound, Problem, ValidationFailed
from stocktake.core.permissions import Permission, Principal, require
from stocktake.process.models import Process
from stocktake.registry import reference
from stocktake.registry.models import Actor
from stocktake.review.models import (
    Indicator,
    Objective,
    Observation,
    Pledge,
    Practice,
    ReviewCycle,
    VoluntaryReport,
)
from stocktake.review.progress import STATUS_LABELS, IndicatorProgress, ProgressStatus
from stocktake.review.services.frame import list_objectives
from stocktake.review.services.indicators import assess_progress, list_indicators
from stocktake.review.services.mapping import (
    SUPPORT_KINDS,
    CapacityMatch,
    capacity_matches,
    list_capacity,
    list_reports,
    search_practices,
)
from stocktake.review.services.pledges import STATUSES, list_pledges

SCOPES = {"national": "National", "regional": "Regional", "global": "Global"}


def _date(value: dt.date | str, name: str, problems: list[Problem]) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        problems.append(Problem(name, f"{value!r} is not a date (YYYY-MM-DD)"))
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
        problems.append(Problem("scope", f"{scope!r} is not one of {', '.join(SCOPES)}"))
    if scope != "global" and not region.strip():
        problems.append(
            Problem(
                "region",
                f"a {scope} cycle names its {'country' if scope == 'national' else 'region'}",
            )
        )
    elif scope == "national":
        region = _registry_country(region, problems)
    elif scope == "regional":
        region = _registry_region(region, problems)
    if end_date < start_date:
        problems.append(Problem("end_date", "ends before it starts"))
    if not title.strip():
        problems.append(Problem("title", "is empty"))
    if not slug.strip() or not slug.replace("-", "").isalnum():
        problems.append(Problem("slug", "letters, digits and hyphens only"))
    if problems:
        raise ValidationFailed("review cycle", problems)
    if session.scalar(select(ReviewCycle.id).where(ReviewCycle.slug == slug)):
        raise Conflict(f"a review cycle {slug!r} already exists")
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
    return cycle


def _registry_country(name: str, problems: list[Problem]) -> str:
    states = {s.iso3: s for s in reference.states()}
    text = name.strip()
    by_name = {s.name.lower(): s.iso3 for s in states.values()}
    code = text.upper() if text.upper() in states else by_name.get(text.lower())
    if code is None:
        problems.append(
            Problem("region", f"{name!r} is not a country of the registry (its ISO3 code or name)")
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
                f"{name!r} is not a region of the registry; one of: {', '.join(sorted(names.values()))}",
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
        raise NotFound("review cycle", slug)
    return cycle


@dataclass
class ObjectiveRow:
    objective: Objective
    statuses: Counter[str]
    indicators: list[tuple[str, str]]  # (SDG code, status label)
    pledges: int


@dataclass
class Coverage:
    """Which years an indicator has data for, in one country."""

    indicator: str  # SDG code or national code
    country: str
    first: str
    latest: str
    periods: int
    observations: int


@dataclass
class CycleReport:
    cycle: ReviewCycle
    objectives: list[ObjectiveRow]
    indicator_statuses: dict[str, int]
    coverage: list[Coverage]
    pledges: list[Pledge]
    pledge_statuses: dict[str, int]
    practices: list[Practice]
    matches: list[CapacityMatch]
    reports: list[VoluntaryReport]
    generated_on: dt.date = field(default_factory=dt.date.today)


def _in_scope(cycle: ReviewCycle, actor: Actor) -> bool:
    if cycle.scope == "global":
        return True
    if cycle.scope == "regional":
        places = scope_countries(cycle) or set()
        return (actor.region or "") == cycle.region or bool(
            {actor.iso3, actor.country_iso3} & places
        )
    return cycle.region.upper() in {actor.iso3 or "", actor.country_iso3 or ""}


def _coverage(
    session: Session, countries: set[str] | None, indicators: dict[int, Indicator]
) -> list[Coverage]:
    query = select(
        Observation.indicator_id,
        Observation.geography,
        Observation.period,
        Observation.time,
    )
    if countries is not None:
        query = query.where(Observation.geography.in_(countries))
    spans: dict[tuple[int, str], list[tuple[float, str]]] = {}
    for indicator_id, geography, period, time in session.execute(query):
        spans.setdefault((indicator_id, geography), []).append((time, period))
    found = []
    for (indicator_id, geography), points in spans.items():
        points.sort()
        found.append(
            Coverage(
                indicator=indicators[indicator_id].dotted,
                country=geography,
                first=points[0][1],
                latest=points[-1][1],
                periods=len({p for _, p in points}),
                observations=len(points),
            )
        )
    return sorted(found, key=lambda c: (_code_key(c.indicator), c.country))


def _code_key(code: str) -> tuple[tuple[int, str], ...]:
    return tuple((int(p), "") if p.isdigit() else (999, p) for p in code.split("."))


def build_cycle_report(session: Session, process: Process, cycle: ReviewCycle) -> CycleReport:
    """What the public may read, for the cycle's scope (its country, the countries of its region,
    or every one): published pledges, practices, capacity items and voluntary reports, the
    progress of the indicators with data there, and which years they have data for."""
    public = Principal.public()
    countries = scope_countries(cycle)
    results = assess_progress(session, countries=countries)
    several = len({r.country for r in results}) > 1
    by_code: dict[str, list[IndicatorProgress]] = {}
    for result in results:
        by_code.setdefault(result.code, []).append(result)
    indicators = list_indicators(session)
    by_sdg = {i.sdg_code: i for i in indicators if i.sdg_code}
    pledges = [p for p in list_pledges(session, process, by=public) if _in_scope(cycle, p.actor)]
    rows = []
    for objective in list_objectives(session, process):
        found: list[tuple[str, str]] = []
        for code in objective.sdg_indicators:
            assessed = by_code.get(by_sdg[code].code, []) if code in by_sdg else []
            found.extend(
                (f"{code} ({r.country})" if several else code, STATUS_LABELS[r.status])
                for r in assessed
            )
            if not assessed:
                found.append((code, "No data"))
        rows.append(
            ObjectiveRow(
                objective=objective,
                statuses=Counter(label for _, label in found),
                indicators=found,
                pledges=sum(1 for p in pledges if objective in p.objectives),
            )
        )
    capacity = [
        c
        for c in list_capacity(session, process, by=public)
        if _in_scope(cycle, c.actor) or cycle.scope == "global"
    ]
    return CycleReport(
        cycle=cycle,
        objectives=rows,
        indicator_statuses={
            STATUS_LABELS[s]: sum(1 for r in results if r.status is s) for s in ProgressStatus
        },
        coverage=_coverage(session, countries, {i.id: i for i in indicators}),
        pledges=pledges,
        pledge_statuses={
            STATUSES[k]: v for k, v in Counter(p.status for p in pledges).most_common()
        },
        practices=[
            p for p in search_practices(session, process, by=public) if _in_scope(cycle, p.actor)
        ],
        matches=capacity_matches(capacity),
        reports=list_reports(session, cycle, by=public),
    )


def cycle_report_docx(report: CycleReport) -> bytes:
    """The report as a Word document; each chart of the HTML report is given as its table."""
    document = Document()
    cycle = report.cycle
    document.add_heading(f"Progress report: {cycle.title}", level=0)
    document.add_paragraph(
        f"{SCOPES[cycle.scope]} review, {cycle.start_date:%d %B %Y} – {cycle.end_date:%d %B %Y}. "
        f"Generated on {report.generated_on:%d %B %Y} from the published data."
    )
    document.add_heading("Indicators by progress status", level=1)
    _table(
        document,
        ["Status", "Indicators"],
        [[k, str(v)] for k, v in report.indicator_statuses.items()],
    )
    document.add_heading("Indicators with data, by country and years", level=1)
    _table(
        document,
        ["Indicator", "Country", "First", "Latest", "Periods"],
        [[c.indicator, c.country, c.first, c.latest, str(c.periods)] for c in report.coverage],
    )
    document.add_heading("Objectives by indicator status", level=1)
    _table(
        document,
        ["Objective", "Indicators and status", "Pledges"],
        [
            [
                f"{row.objective.number}. {row.objective.title}",
                "; ".join(f"{code}: {label}" for code, label in row.indicators) or "—",
                str(row.pledges),
            ]
            for row in report.objectives
        ],
    )
    document.add_heading("Pledges and their status", level=1)
    _table(
        document, ["Status", "Pledges"], [[k, str(v)] for k, v in report.pledge_statuses.items()]
    )
    _table(
        document,
        ["Pledge", "By", "Objectives", "Status"],
        [
            [
                p.title,
                p.actor.display_name,
                ", ".join(str(o.number) for o in p.objectives),
                STATUSES[p.status],
            ]
            for p in report.pledges
        ],
    )
    document.add_heading("Practices", level=1)
    for practice in report.practices:
        document.add_paragraph(
            f"{practice.title} ({practice.actor.display_name})", style="List Bullet"
        )
    document.add_heading("Capacity needs matched with offers", level=1)
    _table(
        document,
        ["Objective", "Kind", "Need", "Offer"],
        [
            [
                str(m.need.objective.number),
                SUPPORT_KINDS[m.need.kind],
                m.need.actor.display_name,
                m.offer.actor.display_name,
            ]
            for m in report.matches
        ],
    )
    document.add_heading("Voluntary reports", level=1)
    for item in report.reports:
        document.add_paragraph(
            f"{item.actor.display_name}, objective {item.objective.number}: {item.text}"
        )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _table(document: Any, header: list[str], rows: list[list[str]]) -> None:
    if not rows:
        document.add_paragraph("None yet.")
        return
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text

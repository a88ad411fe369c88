"""What a cycle's report says, for the cycle's scope only (its country, the countries of its region,
or every one): per objective of the frame, the published pledges with their actors, amounts and
timeframe, the indicators with data there with their latest year, progress and values over time,
the practices and the capacity matched; which indicators have data for which years; the figures its
narrative is generated from."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from sqlalchemy import Text, cast, func, or_, select
from sqlalchemy.orm import Session

from stocktake.core.permissions import Principal
from stocktake.process.models import Process
from stocktake.registry.models import STATE_KINDS, Actor
from stocktake.review.models import (
    CapacityItem,
    Indicator,
    Objective,
    Observation,
    Pledge,
    Practice,
    ReviewCycle,
    VoluntaryReport,
)
from stocktake.review.progress import STATUS_LABELS, IndicatorProgress, ProgressStatus
from stocktake.review.services.cycles import in_scope, scope_countries, stock_day, time_of
from stocktake.review.services.frame import list_objectives
from stocktake.review.services.indicators import (
    assess_progress,
    country_titles,
    list_indicators,
)
from stocktake.review.services.indicators.kept import kept
from stocktake.review.services.indicators.titles import Shown, framework_titles, title_in
from stocktake.review.services.mapping import (
    CapacityMatch,
    capacity_matches,
    list_capacity,
    list_reports,
    search_practices,
)
from stocktake.review.services.objective_titles import definition_titles
from stocktake.review.services.objective_titles import title_in as objective_title_in
from stocktake.review.services.pledges import STATUSES, answering, list_pledges

ON_TRACK = {ProgressStatus.TARGET_ACHIEVED, ProgressStatus.SUBSTANTIAL}
"""The statuses the narrative counts as on track."""


@dataclass
class Coverage:
    """Which years an indicator has data for, in one country."""

    indicator: str  # SDG code or national code
    country: str
    first: str
    latest: str
    periods: int
    observations: int
    first_year: int = 0
    latest_year: int = 0


@dataclass
class IndicatorLine:
    """An indicator with data in one country of the scope: its latest period, its progress and
    the values of the series its chart draws (the assessed headline series)."""

    code: str
    title: str
    country: str
    coverage: Coverage
    status: ProgressStatus
    score: float | None
    series: str
    unit: str
    points: list[tuple[float, float]]
    labels: dict[float, str] = field(default_factory=dict)  # each point's period as published
    titles: dict[str, str] = field(default_factory=dict)  # the SDG framework's, by language

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    def title_in(self, language: str) -> Shown:
        """The title to show in `language` (`titles.title_in`): the framework's in that
        language, or the title as the country gave it."""
        return title_in(self.title, self.titles, language)


@dataclass
class ObjectiveSection:
    objective: Objective
    pledges: list[Pledge]
    indicators: list[IndicatorLine]
    without_data: list[str]  # SDG codes linked to the objective with no data in the scope
    practices: list[Practice]
    matches: list[CapacityMatch]
    answered: list[tuple[CapacityItem, list[Pledge]]]  # needs answered by pledges
    titles: dict[str, dict[str, str]] = field(default_factory=dict)  # SDG code: title by language
    names: dict[str, str] = field(default_factory=dict)  # the objective's, by language

    def title_in(self, language: str) -> Shown:
        """The objective's title in `language` where the process definition gives it
        (`objective_titles.title_in`), else as written."""
        return objective_title_in(self.objective.title, self.names, language)

    def missing(self, language: str = "en") -> list[str]:
        """The indicators without data, each by its code and its title in the framework, in
        `language` where the framework has it: "10.7.2 Number of countries with…"."""
        named = []
        for code in self.without_data:
            texts = self.titles.get(code, {})
            title = unicodedata.normalize("NFC", texts.get(language) or texts.get("en", ""))
            named.append(f"{code} {title}".strip())
        return named

    @property
    def statuses(self) -> Counter[str]:
        return Counter(line.status_label for line in self.indicators)

    @property
    def is_empty(self) -> bool:
        return not (
            self.pledges or self.indicators or self.practices or self.matches or self.answered
        )


@dataclass
class Figures:
    """The counts the narrative is generated from."""

    pledges: int = 0
    states: int = 0
    stakeholders: int = 0
    amounts: dict[str, Decimal] = field(default_factory=dict)  # by ISO 4217 currency
    indicators: int = 0  # distinct indicators with data in the scope
    countries: int = 0  # countries those data describe
    since: int | None = None
    latest: int | None = None
    assessed: int = 0  # indicator-country pairs with a status
    on_track: int = 0
    deteriorating: int = 0
    practices: int = 0
    needs: int = 0
    needs_matched: int = 0
    needs_answered: int = 0


@dataclass
class CycleReport:
    cycle: ReviewCycle
    sections: list[ObjectiveSection]
    indicator_statuses: dict[str, int]
    coverage: list[Coverage]
    pledges: list[Pledge]
    pledge_statuses: dict[str, int]
    practices: list[Practice]
    matches: list[CapacityMatch]
    answered: list[tuple[CapacityItem, list[Pledge]]]
    reports: list[VoluntaryReport]
    figures: Figures
    generated_on: dt.date = field(default_factory=dt.date.today)
    # the cycle's last day once it has ended: what was published by then and data of periods
    # begun by then; None while it runs (everything to date)
    as_of: dt.date | None = None


def pledge_makers(pledge: Pledge) -> list[Actor]:
    """Who has made the pledge: its actor and the partners that have confirmed it (a partner
    named but not yet confirmed has not pledged anything)."""
    return [pledge.actor, *(p for p in pledge.partners if pledge.confirmation_of(p.id))]


def _pledge_in_scope(cycle: ReviewCycle, pledge: Pledge) -> bool:
    """Whether one of those who made the pledge is in the cycle's scope: a State named as a
    partner of another's pledge finds it in its own report once it has confirmed it."""
    return any(in_scope(cycle, actor) for actor in pledge_makers(pledge))


@dataclass
class _Data:
    """The headline values and the periods of data of one indicator in one country: each period
    (time, label, year) with how many observations it has."""

    periods: list[tuple[float, str, int, int]] = field(default_factory=list)
    series: dict[tuple[str, str], dict[float, float]] = field(default_factory=dict)


def _observations(
    session: Session, countries: set[str] | None, until: float | None
) -> dict[tuple[int, str], _Data]:
    """Kept for the data as stored (`kept`), shared by every report of that scope and day."""
    places = None if countries is None else tuple(sorted(countries))
    return kept(
        session, ("report", places, until), lambda: _read_observations(session, places, until)
    )


def _read_observations(
    session: Session, countries: tuple[str, ...] | None, until: float | None
) -> dict[tuple[int, str], _Data]:
    """Counted and filtered in the database: the periods of each indicator and country with their
    number of observations, and the headline (undisaggregated) values only, so that a scope of a
    million observations is never read row by row into memory."""
    periods = select(
        Observation.indicator_id,
        Observation.geography,
        Observation.time,
        Observation.period,
        Observation.year,
        func.count().label("observations"),
    ).group_by(
        Observation.indicator_id,
        Observation.geography,
        Observation.time,
        Observation.period,
        Observation.year,
    )
    headline = (
        select(
            Observation.indicator_id,
            Observation.geography,
            Observation.series,
            Observation.unit,
            Observation.time,
            Observation.value,
        )
        .where(
            or_(
                Observation.disaggregation.is_(None),
                cast(Observation.disaggregation, Text).in_(["{}", "null"]),
            )
        )
        .order_by(Observation.id)
    )
    if countries is not None:
        periods = periods.where(Observation.geography.in_(countries))
        headline = headline.where(Observation.geography.in_(countries))
    if until is not None:
        periods = periods.where(Observation.time <= until)
        headline = headline.where(Observation.time <= until)
    found: dict[tuple[int, str], _Data] = {}
    for period in session.execute(periods):
        data = found.setdefault((period.indicator_id, period.geography), _Data())
        data.periods.append((period.time, period.period, period.year, period.observations))
    for value in session.execute(headline):
        data = found.setdefault((value.indicator_id, value.geography), _Data())
        data.series.setdefault((value.series, value.unit), {})[value.time] = value.value
    return found


def _coverage(indicator: Indicator, country: str, data: _Data) -> Coverage:
    points = sorted(data.periods)
    return Coverage(
        indicator=indicator.dotted,
        country=country,
        first=points[0][1],
        latest=points[-1][1],
        periods=len({p for _, p, _, _ in points}),
        observations=sum(n for *_, n in points),
        first_year=points[0][2],
        latest_year=points[-1][2],
    )


def _line(
    indicator: Indicator,
    result: IndicatorProgress | None,
    coverage: Coverage,
    data: _Data,
    title: str,
    *,
    titles: dict[str, str],
) -> IndicatorLine:
    """The chart draws the first assessed series, else the longest headline series."""
    assessed = [s for s in (result.series if result else []) if s.score is not None]
    key = (assessed[0].series, assessed[0].unit) if assessed else None
    if key not in data.series:
        key = max(data.series, key=lambda k: len(data.series[k]), default=None)
    values = data.series.get(key, {}) if key else {}
    return IndicatorLine(
        code=indicator.dotted,
        title=title,
        country=coverage.country,
        coverage=coverage,
        status=result.status if result else ProgressStatus.NOT_AVAILABLE,
        score=result.score if result else None,
        series=key[0] if key else "",
        unit=key[1] if key else "",
        points=sorted(values.items()),
        labels={time: label for time, label, *_ in sorted(data.periods, reverse=True)},
        titles=titles,
    )


def _code_key(code: str) -> tuple[tuple[int, str], ...]:
    return tuple((int(p), "") if p.isdigit() else (999, p) for p in code.split("."))


def _answered(
    published: list[Pledge], needs: list[CapacityItem]
) -> list[tuple[CapacityItem, list[Pledge]]]:
    answers = answering(published)
    return [(need, answers[need.id]) for need in needs if need.id in answers]


def build_cycle_report(
    session: Session,
    process: Process,
    cycle: ReviewCycle,
    *,
    reports: list[VoluntaryReport] | None = None,
) -> CycleReport:
    """What the public may read, for the cycle's scope: published pledges (by an actor there, or a
    partner there that has confirmed it), practices, capacity items and voluntary reports, and the indicators with data there.
    `reports`, when given, are the cycle's voluntary reports as a reader sees them (the published
    ones among them are the report's), so that a page showing the reader's own reports as well
    reads them once."""
    public = Principal.public()
    countries = scope_countries(cycle)
    as_of = stock_day(cycle)
    until = time_of(as_of) if as_of is not None else None
    by_then = _published_by(as_of)
    indicators = list_indicators(session)
    observed = _observations(session, countries, until)
    results = {
        (r.code, r.country): r for r in assess_progress(session, countries=countries, until=until)
    }
    titles = country_titles(session, countries)
    framework = framework_titles(session)
    lines: dict[int, list[IndicatorLine]] = {}
    coverage = []
    for indicator in indicators:
        for country in sorted(c for i, c in observed if i == indicator.id):
            data = observed[(indicator.id, country)]
            covered = _coverage(indicator, country, data)
            coverage.append(covered)
            result = results.get((indicator.code, country))
            title = titles.get((indicator.id, country)) or indicator.title
            lines.setdefault(indicator.id, []).append(
                _line(
                    indicator,
                    result,
                    covered,
                    data,
                    title,
                    titles=framework.get(indicator.sdg_code or "", {}),
                )
            )
    coverage.sort(key=lambda c: (_code_key(c.indicator), c.country))
    by_sdg = {i.sdg_code: i for i in indicators if i.sdg_code}
    published = [p for p in list_pledges(session, process, by=public) if by_then(p)]
    pledges = [p for p in published if _pledge_in_scope(cycle, p)]
    pledges.reverse()  # oldest first
    practices = [
        p
        for p in search_practices(session, process, by=public)
        if in_scope(cycle, p.actor) and by_then(p)
    ]
    everywhere = [c for c in list_capacity(session, process, by=public) if by_then(c)]
    # a need of the scope met by an offer from anywhere, and an offer of the scope met elsewhere
    matches = [
        m
        for m in capacity_matches(everywhere)
        if in_scope(cycle, m.need.actor) or in_scope(cycle, m.offer.actor)
    ]
    capacity = [c for c in everywhere if in_scope(cycle, c.actor)]
    answered = _answered(published, [c for c in capacity if c.direction == "need"])
    sections = []
    named = definition_titles(process)
    for objective in list_objectives(session, process, actions=False):
        found = [
            line
            for code in objective.sdg_indicators
            if code in by_sdg
            for line in lines.get(by_sdg[code].id, [])
        ]
        with_data = {line.code for line in found}
        sections.append(
            ObjectiveSection(
                objective=objective,
                pledges=[p for p in pledges if objective in p.objectives],
                indicators=found,
                without_data=[c for c in objective.sdg_indicators if c not in with_data],
                practices=[p for p in practices if objective in p.objectives],
                matches=[m for m in matches if m.need.objective_id == objective.id],
                answered=[(n, ps) for n, ps in answered if n.objective_id == objective.id],
                titles=framework,
                names=named.get(objective.number, {}),
            )
        )
    every_line = [line for group in lines.values() for line in group]
    return CycleReport(
        cycle=cycle,
        sections=sections,
        indicator_statuses={
            STATUS_LABELS[s]: sum(1 for line in every_line if line.status is s)
            for s in ProgressStatus
        },
        coverage=coverage,
        pledges=pledges,
        pledge_statuses={
            STATUSES[k]: v for k, v in Counter(p.status for p in pledges).most_common()
        },
        practices=practices,
        matches=matches,
        answered=answered,
        reports=(
            list_reports(session, cycle, by=public)
            if reports is None
            else [r for r in reports if r.is_published]
        ),
        figures=_figures(pledges, every_line, coverage, practices, capacity, matches, answered),
        as_of=as_of,
    )


class _Published(Protocol):
    published_at: dt.datetime | None


def _published_by(day: dt.date | None) -> Callable[[_Published], bool]:
    """Whether a thing was published by the end of `day` (any published thing when None)."""
    if day is None:
        return lambda _: True
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=dt.UTC)

    def by_then(thing: _Published) -> bool:
        at = thing.published_at
        if at is None:
            return False
        return (at if at.tzinfo else at.replace(tzinfo=dt.UTC)) < end

    return by_then


def _figures(  # noqa: PLR0917  (the report's parts, each counted once)
    pledges: list[Pledge],
    lines: list[IndicatorLine],
    coverage: list[Coverage],
    practices: list[Practice],
    capacity: list[CapacityItem],
    matches: list[CapacityMatch],
    answered: list[tuple[CapacityItem, list[Pledge]]],
) -> Figures:
    actors = {a.id: a for p in pledges for a in pledge_makers(p)}
    amounts: dict[str, Decimal] = {}
    for pledge in pledges:
        if pledge.amount is not None:
            amounts[pledge.currency] = amounts.get(pledge.currency, Decimal(0)) + pledge.amount
    assessed = [line for line in lines if line.status is not ProgressStatus.NOT_AVAILABLE]
    return Figures(
        pledges=len(pledges),
        states=sum(1 for a in actors.values() if a.kind in STATE_KINDS),
        stakeholders=sum(1 for a in actors.values() if a.kind not in STATE_KINDS),
        amounts=dict(sorted(amounts.items())),
        indicators=len({c.indicator for c in coverage}),
        countries=len({c.country for c in coverage if c.country}),
        since=min((c.first_year for c in coverage), default=None),
        latest=max((c.latest_year for c in coverage), default=None),
        assessed=len(assessed),
        on_track=sum(1 for line in assessed if line.status in ON_TRACK),
        deteriorating=sum(1 for line in assessed if line.status is ProgressStatus.DETERIORATION),
        practices=len(practices),
        needs=sum(1 for c in capacity if c.direction == "need"),
        needs_matched=len({m.need.id for m in matches if m.need in capacity}),
        needs_answered=len(answered),
    )

"""Indicators and observations as they are read, and their progress assessed per indicator and
country."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator, Sequence
from itertools import groupby
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from stocktake.core.errors import NotFound
from stocktake.core.translation import Text
from stocktake.review import progress, selection
from stocktake.review.models import CountryIndicator, Indicator, Observation
from stocktake.review.services.indicators.kept import kept

_OBSERVED = (
    Observation.indicator_id,
    Observation.geography,
    Observation.series,
    Observation.unit,
    Observation.time,
    Observation.value,
    Observation.disaggregation,
    Observation.attributes,
)
"""The columns progress is assessed from (`Observed`), in its order."""


def list_indicators(session: Session) -> list[Indicator]:
    indicators = list(session.scalars(select(Indicator)))
    return sorted(indicators, key=lambda i: _sort_key(i.code))


def _sort_key(code: str) -> tuple[tuple[int, str], ...]:
    return tuple((int(p), "") if p.isdigit() else (999, p) for p in code.split("-"))


def get_indicator(session: Session, code: str) -> Indicator:
    code = code.strip().replace(".", "-")
    indicator = session.scalar(select(Indicator).where(Indicator.code == code))
    if indicator is None:
        raise NotFound(Text("indicator"), code)
    return indicator


def list_observations(
    session: Session, indicator: Indicator | None = None, *, country: str | None = None
) -> list[Observation]:
    query = select(Observation).join(Indicator).order_by(Indicator.code, Observation.id)
    if indicator is not None:
        query = query.where(Observation.indicator_id == indicator.id)
    if country:
        query = query.where(Observation.geography == country.upper())
    return list(session.scalars(query))


def settings_of(indicator: Indicator) -> progress.Settings:
    return progress.Settings(
        direction=indicator.direction,
        target=indicator.target,
        target_year=indicator.target_year or 2030,
        base_year=indicator.base_year or 2015,
        limit=indicator.natural_limit,
    )


def assess_indicator(
    indicator: Indicator,
    observations: Sequence[Observed],
    method: progress.Method = progress.Method.OPENSDG,
    published: CountryIndicator | None = None,
) -> progress.IndicatorProgress:
    """Assess one indicator in one country (`observations` are that country's; `published`: the
    indicator as it publishes it), as its platform does (docs/review.md, Progress):

    - `auto_progress_calculation: true`: Open SDG's rules, its defaults for what the options
      leave out, the manual status ignored;
    - `auto_progress_calculation: false`: no score (the platform computes none), the manual
      status if any;
    - otherwise the options given (if any) choose the series, with the indicator's settings as
      defaults; without options every headline series (by series and unit) is scored."""
    auto = published.meta.get("auto_progress_calculation") if published else None
    options = published.progress_options if published else []
    if auto is False or (published is not None and not published.auto_progress):
        result = progress.IndicatorProgress(
            indicator.code, method, progress.ProgressStatus.NOT_AVAILABLE, None
        )
        result.note = Text("automatic progress calculation is off in the country's configuration")
    elif auto is True or options:
        fallback = selection.OPEN_SDG_DEFAULTS if auto is True else settings_of(indicator)
        choices = selection.read_choices(options, fallback)
        result = selection.assess_configured(indicator.code, observations, choices, method)
    else:
        result = selection.assess_headlines(
            indicator.code, observations, settings_of(indicator), method
        )
    result.country = published.geography if published else ""
    if observations and not result.country:
        result.country = observations[0].geography
    result.published_score = published.published_score if published else None
    manual = published.manual_status if published else indicator.manual_status
    if manual and auto is not True:
        result.status = progress.ProgressStatus(manual)
        result.manual = True
    return result


class Observed(selection.Row, Protocol):
    """An observation as `observed` reads it (or as stored): with its place."""

    @property
    def geography(self) -> str: ...


def observed(
    session: Session,
    *,
    countries: Collection[str] | None = None,
    indicators: Collection[int] | None = None,
) -> defaultdict[tuple[int, str], list[Observed]]:
    """The observations progress is assessed from, by indicator id and place, in storage order.

    They are read as column tuples, not as `Observation` objects: building thousands of ORM
    objects cost the review pages most of their time."""
    query = select(*_OBSERVED).order_by(Observation.id)
    if countries is not None:
        query = query.where(Observation.geography.in_([c.upper() for c in countries]))
    if indicators is not None:
        query = query.where(Observation.indicator_id.in_(indicators))
    by_place: defaultdict[tuple[int, str], list[Observed]] = defaultdict(list)
    for row in session.execute(query):
        by_place[(row.indicator_id, row.geography)].append(row)
    return by_place


def places_with_data(session: Session) -> list[str]:
    """The countries (ISO3) observations are stored for, in code order; kept for the data as
    stored (`kept`), as the progress the same pages show is."""

    def read() -> tuple[str, ...]:
        found = session.scalars(select(Observation.geography).distinct())
        return tuple(sorted(g for g in found if g))  # "" = no named place

    return list(kept(session, ("places",), read))


def assess_progress(
    session: Session,
    method: progress.Method = progress.Method.OPENSDG,
    *,
    countries: Collection[str] | None = None,
    until: float | None = None,
) -> list[progress.IndicatorProgress]:
    """Each indicator's progress in each country that publishes it, in indicator then country
    order; never two countries in one score. `countries` limits the result to those places (an
    indicator no place of them publishes is left out); `until`, to the observations of periods
    begun by then (a time as observations count it: 2022.38 is mid-May 2022), as a review cycle
    that has ended takes stock. Computed once for the data as stored and kept (`kept`): the list
    is the caller's, the results in it are shared and never changed."""
    places = None if countries is None else tuple(sorted({c.upper() for c in countries}))
    return list(
        kept(
            session,
            ("progress", method, places, until),
            lambda: _assess(session, method, places, until),
        )
    )


def _assess(
    session: Session,
    method: progress.Method,
    countries: Collection[str] | None,
    until: float | None = None,
) -> list[progress.IndicatorProgress]:
    """Each indicator and country is assessed as its observations arrive, in indicator, place and
    storage order, and its rows are let go: a scope of a million observations never sits in
    memory whole, only the results."""
    published_query = select(CountryIndicator)
    if countries is not None:
        places = [c.upper() for c in countries]
        published_query = published_query.where(CountryIndicator.geography.in_(places))
    published = {(c.indicator_id, c.geography): c for c in session.scalars(published_query)}
    indicators = list_indicators(session)
    by_id = {indicator.id: indicator for indicator in indicators}
    assessed: dict[tuple[int, str], progress.IndicatorProgress] = {}
    for (indicator_id, place), rows in groupby(
        _streamed(session, countries, until), key=lambda row: (row.indicator_id, row.geography)
    ):
        if (indicator := by_id.get(indicator_id)) is not None:
            assessed[(indicator_id, place)] = assess_indicator(
                indicator, list(rows), method, published.get((indicator_id, place))
            )
    places_by_indicator: defaultdict[int, set[str]] = defaultdict(set)
    for indicator_id, place in [*assessed, *published]:
        places_by_indicator[indicator_id].add(place)
    results: list[progress.IndicatorProgress] = []
    for indicator in indicators:
        places_of = sorted(places_by_indicator[indicator.id])
        if not places_of and countries is None:
            places_of = [""]
        for place in places_of:
            found = assessed.get((indicator.id, place))
            results.append(
                found
                if found is not None
                else assess_indicator(indicator, [], method, published.get((indicator.id, place)))
            )
    return results


class _Streamed(Observed, Protocol):
    """An observation as `_streamed` reads it: with its indicator."""

    @property
    def indicator_id(self) -> int: ...


def _streamed(
    session: Session, countries: Collection[str] | None, until: float | None = None
) -> Iterator[_Streamed]:
    """The observations progress is assessed from, as `observed` reads them, in indicator, place
    and storage order, fetched in batches."""
    query = (
        select(*_OBSERVED)
        .order_by(Observation.indicator_id, Observation.geography, Observation.id)
        .execution_options(yield_per=5000)
    )
    if countries is not None:
        query = query.where(Observation.geography.in_([c.upper() for c in countries]))
    if until is not None:
        query = query.where(Observation.time <= until)
    yield from session.execute(query)


def country_titles(
    session: Session, countries: Collection[str] | None
) -> dict[tuple[int, str], str]:
    """Each indicator's title as each country's platform writes it (the indicator's own title is
    that of whichever country was imported last)."""
    query = select(
        CountryIndicator.indicator_id, CountryIndicator.geography, CountryIndicator.title
    ).where(CountryIndicator.title != "")
    if countries is not None:
        query = query.where(CountryIndicator.geography.in_([c.upper() for c in countries]))
    return {(row.indicator_id, row.geography): row.title for row in session.execute(query)}

"""A country reports its own indicator data: one indicator's observations for one country, sent as
one data file of an Open SDG data folder (`Year`, breakdown columns, `Value`), by the delegation of
that country's State or by the secretariat for any country it names.

The file is taken whole or refused whole, every bad row and field named, and nothing stored
changes when it is refused. Taken, it replaces that country's observations of the indicator, and
no other place's; the audit log records who reported how many."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from stocktake.audit.events import AuditAction
from stocktake.audit.services import record_event
from stocktake.core.db import transaction
from stocktake.core.errors import PermissionDenied, Problem, ValidationFailed
from stocktake.core.permissions import Permission, Principal, require
from stocktake.core.translation import Text
from stocktake.core.untrusted import unreadable_character
from stocktake.frameworks.models import FrameworkItem
from stocktake.process.models import Process
from stocktake.process.services import get_process
from stocktake.registry import reference
from stocktake.registry.models import STATE_KINDS, Actor
from stocktake.review.models import CountryIndicator, Indicator
from stocktake.review.opensdg import (
    IndicatorFile,
    ObservationRow,
    code_to_sdg,
    normal_code,
    read_data,
)
from stocktake.review.services.indicators.importing import (
    country_code,
    new_sdg_indicator,
    progress_defaults,
    replace_observations,
    shared_settings,
    upsert_country,
)
from stocktake.review.services.indicators.titles import framework_titles, title_in

FIRST_YEAR = 1900
"""The earliest year an observation may be of; the latest is next year."""
MAX_CELL_CHARS = 1000
MAX_UNIT_CHARS = 200  # as `review_observation.unit` stores it
MAX_CODE_CHARS = 40
MAX_PROBLEMS = 100
"""The most problems a refusal lists; a file wrong throughout is refused as surely with fewer."""


@dataclass(frozen=True)
class ReportedData:
    """What a report stored: `stored` observations of `indicator` for `geography`, in place of
    `replaced` ones; `blanks` rows without a value (Open SDG's way of saying "no data") skipped."""

    indicator: str
    sdg_code: str
    geography: str
    stored: int
    replaced: int
    blanks: int


def _refused(where: str, message: str) -> ValidationFailed:
    return ValidationFailed(where, [Problem(where, message)])


def _text(value: str, where: str, limit: int) -> str:
    """A field of the form as typed, refused when it cannot be read or stored."""
    if reason := unreadable_character(value):
        raise _refused(where, reason)
    if len(value) > limit:
        raise _refused(where, Text("must be at most %(num)s characters", num=limit))
    return value.strip()


def reporting_country(session: Session, by: Principal, named: str = "") -> str:
    """The country (ISO3) `by` reports for: any the secretariat names; a State's delegation only
    its own (the one it names, or its own when it names none). Anyone else is refused."""
    if not by.can(Permission.REVIEW_MANAGE):
        require(by, Permission.OBSERVATIONS_REPORT_OWN)  # before anything is looked at
    named = _text(named, "country", 100)
    if by.can(Permission.REVIEW_MANAGE):
        if not named:
            raise _refused("country", Text("name the country the data describe"))
        if (code := country_code(named)) is None:
            raise _refused(
                "country",
                Text(
                    "%(country)r is not a country of the registry (name or ISO code)",
                    country=named,
                ),
            )
        return code
    actor = session.get(Actor, by.actor_id) if by.actor_id is not None else None
    own = actor.country_iso3 if actor is not None and actor.kind in STATE_KINDS else None
    if not own:
        raise PermissionDenied(
            Permission.OBSERVATIONS_REPORT_OWN,
            Text("only the delegation of a State reports data, for its own country"),
        )
    if named and country_code(named) != own:
        raise PermissionDenied(
            Permission.OBSERVATIONS_REPORT_OWN,
            Text(
                "a delegation reports the data of its own country only (%(country)s)", country=own
            ),
        )
    return own


def _indicator(session: Session, code: str) -> Indicator | FrameworkItem:
    """The stored indicator `code` names (its code or SDG code), else the SDG indicator of the
    framework, which the report adds."""
    key = _text(code, "indicator", MAX_CODE_CHARS)
    dashed = normal_code(key)
    dotted = code_to_sdg(dashed)
    found = session.scalar(
        select(Indicator)
        .where(or_(Indicator.code.in_([key, dashed]), Indicator.sdg_code == dotted))
        .order_by(Indicator.code != dashed, Indicator.id)
        .limit(1)
    )
    if found is not None:
        return found
    item = session.scalar(
        select(FrameworkItem).where(
            FrameworkItem.scheme == "sdg",
            FrameworkItem.level == "indicator",
            FrameworkItem.code == dotted,
        )
    )
    if item is None:
        raise _refused(
            "indicator",
            Text(
                "unknown indicator code %(code)r: neither stored nor an SDG indicator of the "
                "framework",
                code=key,
            ),
        )
    return item


def _unreadable_cells(text: str, problems: list[Problem]) -> None:
    """Every cell holding what no database stores (a NUL, a control character) or what was not
    UTF-8 text (a lone surrogate's bytes, another encoding), and every cell too long."""
    reader = csv.reader(io.StringIO(text))
    header: list[str] = []
    number = 0
    try:
        for number, row in enumerate(reader, start=1):
            header = header or row
            for at, cell in enumerate(row):
                column = header[at].strip() if at < len(header) else str(at + 1)
                where = f"row {number}, field {column}" if number > 1 else f"row 1, column {at + 1}"
                if reason := unreadable_character(cell):
                    problems.append(Problem(where, reason))
                elif len(cell) > MAX_CELL_CHARS:
                    problems.append(
                        Problem(
                            where, Text("must be at most %(num)s characters", num=MAX_CELL_CHARS)
                        )
                    )
    except csv.Error as exc:
        problems.append(
            Problem(
                f"row {number + 1}", Text("cannot be read as CSV (%(reason)s)", reason=str(exc))
            )
        )


def _checked(rows: list[ObservationRow], problems: list[Problem]) -> None:
    """Years within bounds, units that fit, and no two rows of one year, series, unit and
    breakdown."""
    last = dt.datetime.now(dt.UTC).year + 1
    seen: dict[tuple[object, ...], int] = {}
    for row in rows:
        if not FIRST_YEAR <= row.period.year <= last:
            problems.append(
                Problem(
                    f"row {row.row}, field Year",
                    Text(
                        "%(value)r is outside the years %(first)s to %(last)s",
                        value=row.period.label,
                        first=FIRST_YEAR,
                        last=last,
                    ),
                )
            )
        if len(row.unit) > MAX_UNIT_CHARS:
            problems.append(
                Problem(
                    f"row {row.row}, field Units",
                    Text("must be at most %(num)s characters", num=MAX_UNIT_CHARS),
                )
            )
        key = (row.period.label, row.series, row.unit, tuple(sorted(row.disaggregation.items())))
        if (first := seen.setdefault(key, row.row)) != row.row:
            problems.append(
                Problem(
                    f"row {row.row}",
                    Text(
                        "repeats the year, series, unit and breakdown of row %(first)s",
                        first=first,
                    ),
                )
            )


def read_report(code: str, raw: bytes, source: str = "upload") -> IndicatorFile:
    """The observations of one indicator's data file, every row checked; refused whole
    (ValidationFailed naming each row and field) at the first thing wrong with any."""
    text = raw.decode("utf-8-sig", errors="surrogateescape")
    problems: list[Problem] = []
    if not text.strip():
        raise ValidationFailed(source, [Problem("", Text("the file is empty"))])
    _unreadable_cells(text, problems)
    if not problems:
        notes: list[Problem] = []
        found = read_data("", code, text, problems, notes=notes)
        problems.extend(notes)  # a value published as infinite or NaN is no observation either
        if found is not None and not found.observations and not problems:
            problems.append(Problem("", Text("holds no observation")))
        if found is not None:
            _checked(found.observations, problems)
    if problems:
        shown = problems[:MAX_PROBLEMS]
        if len(problems) > MAX_PROBLEMS:
            rest = len(problems) - MAX_PROBLEMS
            shown.append(Problem("", Text("and %(num)s more problem(s)", num=rest)))
        raise ValidationFailed(source, shown)
    assert found is not None
    return found


def report_observations(
    session: Session,
    code: str,
    raw: bytes,
    *,
    by: Principal,
    country: str = "",
    source: str = "upload",
    process: Process | None = None,
) -> ReportedData:
    """Store the observations of indicator `code` (stored, or an SDG indicator of the framework)
    that a data file gives for one country, in place of those stored for that country; the
    country is the delegation's own, or the one the secretariat names. Refused whole, nothing
    changed, at any bad row or field (ValidationFailed), and for anyone who may not report for
    that country (PermissionDenied)."""
    geography = reporting_country(session, by, country)
    target = _indicator(session, code)
    dashed = target.code if isinstance(target, Indicator) else normal_code(target.code)
    found = read_report(dashed, raw, source)
    defaults = progress_defaults(process or get_process(session))

    def store(indicator: Indicator | FrameworkItem) -> ReportedData:
        return _store_report(
            session,
            indicator,
            found,
            defaults=defaults,
            geography=geography,
            source=source,
            by=by,
        )

    try:
        return store(target)
    except IntegrityError:
        # another report added this framework indicator a moment before: it is stored now, and
        # this report replaces observations as any report of a stored indicator does
        if isinstance(target, Indicator):
            raise
        return store(_indicator(session, code))


def _store_report(
    session: Session,
    target: Indicator | FrameworkItem,
    found: IndicatorFile,
    *,
    defaults: dict[str, dict[str, object]],
    geography: str,
    source: str,
    by: Principal,
) -> ReportedData:
    with transaction(session):
        indicator = _stored(session, target, found, defaults)
        replaced = replace_observations(session, indicator, geography, found.observations)
        _count_country(session, indicator, found, geography)
        stored = len(found.observations)
        label = indicator.sdg_code or indicator.code
        record_event(
            session,
            by=by,
            action=AuditAction.INDICATORS_IMPORTED,
            target_type="indicator",
            target_key=indicator.code,
            summary=f"{stored} observations of {label} reported for {geography}, "
            f"replacing {replaced}",
            changes={
                "geography": geography,
                "observations": stored,
                "replaced": replaced,
                "blanks": found.blanks,
                "file": source[:200],
            },
        )
    return ReportedData(
        indicator=indicator.code,
        sdg_code=label,
        geography=geography,
        stored=stored,
        replaced=replaced,
        blanks=found.blanks,
    )


def _stored(
    session: Session,
    target: Indicator | FrameworkItem,
    found: IndicatorFile,
    defaults: dict[str, dict[str, object]],
) -> Indicator:
    """The indicator the report is of, added from the framework with the process's progress
    defaults when not stored yet; its list of series gains the file's."""
    if isinstance(target, Indicator):
        indicator = target
        # reports of one indicator one at a time: each replaces the country's observations whole
        # and adds its series to the indicator's, never beside another's
        session.refresh(indicator, ["series_codes"], with_for_update=True)
    else:
        indicator = new_sdg_indicator(target, source="report")
        for key, value in shared_settings(defaults.get(target.code, {})).items():
            setattr(indicator, key, value)
        units = {row.unit for row in found.observations if row.unit}
        indicator.unit = units.pop() if len(units) == 1 else ""
        session.add(indicator)
    series = {row.series for row in found.observations if row.series}
    if not series <= set(indicator.series_codes):
        indicator.series_codes = sorted({*indicator.series_codes, *series})
    session.flush()
    return indicator


def _count_country(
    session: Session, indicator: Indicator, found: IndicatorFile, geography: str
) -> None:
    """The country's own record of the indicator: its count of observations, or a new record
    (titled as the indicator, progress computed) when the country had none."""
    row = session.scalar(
        select(CountryIndicator).where(
            CountryIndicator.indicator_id == indicator.id,
            CountryIndicator.geography == geography,
        )
    )
    if row is None:
        upsert_country(session, indicator, found, shared_settings({}), geography)
    else:
        row.observation_count = len(found.observations)


@dataclass(frozen=True)
class ReportChoices:
    """What the report form offers `by`: the indicators (code, SDG code, title in the reader's
    language), stored ones first, then the framework's other SDG indicators; the countries to
    choose from (the secretariat's: every State of the registry), or the one country `by`
    reports for."""

    indicators: list[tuple[str, str, str]]
    countries: list[str]
    own: str


def report_choices(session: Session, by: Principal, language: str) -> ReportChoices:
    """The choices of the report form; refused (PermissionDenied) to whoever may not report."""
    own = "" if by.can(Permission.REVIEW_MANAGE) else reporting_country(session, by)
    framework = framework_titles(session)
    stored = sorted(session.scalars(select(Indicator)), key=lambda i: _order(i.code))
    listed = [
        (
            i.code,
            i.sdg_code or i.code,
            title_in(i.title, framework.get(i.sdg_code or "", {}), language).text,
        )
        for i in stored
    ]
    taken = {i.sdg_code for i in stored}
    listed += [
        (normal_code(code), code, title_in("", texts, language).text)
        for code, texts in sorted(framework.items(), key=lambda item: _order(item[0]))
        if code not in taken
    ]
    countries = [] if own else sorted(s.iso3 for s in reference.states())
    return ReportChoices(indicators=listed, countries=countries, own=own)


def _order(code: str) -> tuple[tuple[int, str], ...]:
    return tuple((int(p), "") if p.isdigit() else (999, p) for p in normal_code(code).split("-"))

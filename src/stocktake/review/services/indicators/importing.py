"""Importing an Open SDG data folder: its indicators, observations and progress settings, for one
country at a time, with every problem listed by file, row and field."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pycountry
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from stocktake.audit.events import AuditAction
from stocktake.audit.services import record_event
from stocktake.core.db import transaction
from stocktake.core.errors import Problem, ValidationFailed
from stocktake.core.permissions import Permission, Principal, require
from stocktake.core.translation import Text
from stocktake.frameworks.models import FrameworkItem
from stocktake.process.models import Process
from stocktake.process.services import get_process
from stocktake.registry import reference
from stocktake.review import progress, selection
from stocktake.review.models import CountryIndicator, Indicator, Observation
from stocktake.review.opensdg import (
    IndicatorFile,
    ObservationRow,
    OpenSdgFolder,
    not_a_number,
    read_folder,
)

DIRECTIONS = {"positive": "increase", "negative": "decrease", "increase": "increase"} | {
    "decrease": "decrease",
    "up": "increase",
    "down": "decrease",
}


def progress_defaults(process: Process) -> dict[str, dict[str, Any]]:
    """The direction and target of each SDG indicator the process's definition names
    (`[[progress_defaults]]`), for data that give none."""
    return {
        item.indicator: item.model_dump(exclude={"indicator"}, exclude_none=True)
        for item in process.read_definition().progress_defaults
    }


OPEN_SDG_STATUSES: dict[str, progress.ProgressStatus] = {
    "target_achieved": progress.ProgressStatus.TARGET_ACHIEVED,
    "substantial_progress": progress.ProgressStatus.SUBSTANTIAL,
    "on_track": progress.ProgressStatus.SUBSTANTIAL,
    "moderate_progress": progress.ProgressStatus.MODERATE,
    "limited_progress": progress.ProgressStatus.LIMITED,
    "negligible_progress": progress.ProgressStatus.LIMITED,
    "deterioration": progress.ProgressStatus.DETERIORATION,
    "negative_progress": progress.ProgressStatus.DETERIORATION,
    "not_available": progress.ProgressStatus.NOT_AVAILABLE,
    "not_available_manual": progress.ProgressStatus.NOT_AVAILABLE,
    "not_available_insufficient_data": progress.ProgressStatus.NOT_AVAILABLE,
    "not_available_no_data": progress.ProgressStatus.NOT_AVAILABLE,
}


def open_sdg_status(raw: object) -> progress.ProgressStatus | None:
    """The status a published `progress_status` names ("not_available_manual", "Substantial
    progress"...), or None when it names none Open SDG knows."""
    key = "_".join(str(raw).strip().lower().replace("-", " ").split())
    if key.startswith("not_available"):
        return progress.ProgressStatus.NOT_AVAILABLE
    return OPEN_SDG_STATUSES.get(key)


@dataclass
class ImportReport:
    indicators: int
    placeholders: int
    observations: int
    geography: str
    problems: list[Problem] = field(default_factory=list)  # files, rows and fields skipped
    notes: list[Problem] = field(default_factory=list)  # values skipped as published
    reporting: dict[str, int] = field(default_factory=dict)  # indicators by reporting status


def known_sdg_codes(session: Session) -> set[str]:
    return set(
        session.scalars(
            select(FrameworkItem.code).where(
                FrameworkItem.scheme == "sdg", FrameworkItem.level == "indicator"
            )
        )
    )


def _sdg_title(session: Session, code: str) -> str:
    item = session.scalar(
        select(FrameworkItem).where(FrameworkItem.scheme == "sdg", FrameworkItem.code == code)
    )
    return item.text("en") if item else ""


_TRANSLATION_KEY = re.compile(r"^[a-z][a-z0-9_-]*\.(?=\S)")  # "meta.Казахстан"
_REMARK = re.compile(r"\s*\([^)]*\)\s*$")  # "Canada (provinces only)"


def country_code(name: str) -> str | None:
    """The ISO3 code of a country of the registry named by its name (in any language pycountry
    knows) or an ISO code; a translation key's prefix (`meta.Казахстан`) and a closing remark in
    brackets (`Canada (provinces only)`) are read past, as a platform's page shows them."""
    states = {state.iso3: state for state in reference.states()}
    text = name.strip()
    if text.upper() in states:
        return text.upper()
    names = reference.state_names()
    bare = _REMARK.sub("", _TRANSLATION_KEY.sub("", text))
    for candidate in dict.fromkeys((text, bare)):
        if candidate.lower() in names:
            return names[candidate.lower()]
        try:
            code = str(pycountry.countries.lookup(candidate).alpha_3)
        except LookupError:
            continue
        return code if code in states else None
    return None


def _geography(folder: str, indicators: list[IndicatorFile], country: str | None) -> str:
    """The ISO3 code of the place: the one given, or the one most metadata files name as their
    national coverage; refused when neither names a country of the registry."""
    if country:
        if (code := country_code(country)) is None:
            raise ValidationFailed(
                "country",
                [
                    Problem(
                        "country",
                        Text(
                            "%(country)r is not a country of the registry (name or ISO code)",
                            country=country,
                        ),
                    )
                ],
            )
        return code
    named: Counter[str] = Counter()
    for item in indicators:
        coverage = item.settings.get("national_geographical_coverage")
        if coverage and (code := country_code(str(coverage))):
            named[code] += 1
    if not named:
        raise ValidationFailed(
            folder,
            [
                Problem(
                    "country",
                    Text(
                        "the metadata names no country (national_geographical_coverage); "
                        "give the country with --country"
                    ),
                )
            ],
        )
    return named.most_common(1)[0][0]


def _number(value: object, where: str, problems: list[Problem]) -> float | None:
    if value is None or value == "":
        return None
    try:
        return float(str(value))
    except ValueError:
        problems.append(Problem(where, not_a_number(value)))
        return None


def _options(found: IndicatorFile) -> tuple[str, dict[str, Any]]:
    settings = found.settings
    options = settings.get("progress_calculation_options") or {}
    if isinstance(options, list):
        options = options[0] if options and isinstance(options[0], dict) else {}
    name = "indicator-config" if found.config else "meta"
    return f"{name}/{found.code}", options if isinstance(options, dict) else {}


def _settings(
    found: IndicatorFile, defaults: dict[str, Any], problems: list[Problem]
) -> dict[str, Any]:
    """The progress settings the folder gives, over the process's defaults for the SDG code."""
    where, options = _options(found)
    direction_raw = options.get("direction") or defaults.get("direction")
    direction = DIRECTIONS.get(str(direction_raw).lower()) if direction_raw else None
    if direction_raw and direction is None:
        problems.append(
            Problem(
                f"{where}, field direction",
                Text("%(value)r is not positive or negative; ignored", value=direction_raw),
            )
        )
    raw_status = found.settings.get("progress_status")
    manual = open_sdg_status(raw_status) if raw_status else None
    if raw_status and manual is None:
        problems.append(
            Problem(
                f"{where}, field progress_status",
                Text(
                    "%(value)r is not a progress status Open SDG knows; ignored", value=raw_status
                ),
            )
        )
    problems.extend(
        Problem(f"{where}, {place}", message)
        for place, message in selection.option_problems(
            found.settings.get("progress_calculation_options")
        )
    )
    has_target = "target" in options
    return {
        "direction": direction,
        "target": _number(
            options.get("target") if has_target else defaults.get("target"),
            f"{where}, field target",
            problems,
        ),
        "target_year": _number(options.get("target_year"), f"{where}, field target_year", problems),
        "base_year": _number(options.get("base_year"), f"{where}, field base_year", problems),
        "natural_limit": _number(options.get("limit"), f"{where}, field limit", problems),
        "manual_status": manual.value if manual else None,
    }


def shared_settings(defaults: dict[str, Any]) -> dict[str, Any]:
    """The indicator's own settings, for a country that publishes none: the process's defaults
    only. A country's settings stay with that country (`review_country_indicator`), so that one
    country's import never changes how another is scored."""
    raw = defaults.get("direction")
    target = defaults.get("target")
    return {
        "direction": DIRECTIONS.get(str(raw).lower()) if raw else None,
        "target": float(target) if target is not None else None,
        "target_year": None,
        "base_year": None,
        "natural_limit": None,
        "manual_status": None,
    }


# a translation key Open SDG looks up in the site's catalogs: `global_indicators.10-b-1-title`,
# `proxy.11-1-1-title`, `chart.1-2-1-title`; a title written out always has a space
_TITLE_KEY = re.compile(r"^[a-z][a-z0-9_]*\.\S+$")


def _title(session: Session, found: IndicatorFile) -> str:
    """The title the platform shows: its own words where the metadata write them out, else the
    SDG framework's (for a title given only as a translation key of the site), else the code."""
    meta = found.settings
    for key in ("indicator_available", "national_indicator_available", "graph_title"):
        value = str(meta.get(key) or "").strip()
        if value and not _TITLE_KEY.match(value):
            return value
    return _sdg_title(session, found.sdg_code) or found.sdg_code


def import_opensdg(
    session: Session,
    folder: Path,
    *,
    by: Principal,
    country: str | None = None,
    process: Process | None = None,
    strict: bool = False,
) -> ImportReport:
    """Import every indicator of an Open SDG data folder with its observations, for one country
    (`country`, else the metadata's national coverage). What cannot be read (a file, a row, a
    field) is skipped and listed in the report, the rest imported; with `strict`, any problem
    refuses the whole folder. Importing again replaces that country's observations of the same
    indicators (and any copy stored for no named place), never adds beside them. Where the folder
    gives no direction or target, the progress defaults of the process (default: the first
    loaded) apply."""
    require(by, Permission.REVIEW_MANAGE)
    defaults = progress_defaults(process or get_process(session))
    found = read_folder(folder)
    known = known_sdg_codes(session)
    problems = list(found.problems)
    for code, item in list(found.indicators.items()):
        if not item.meta and not item.config and item.sdg_code not in known:
            problems.append(
                Problem(
                    item.data_file,
                    Text(
                        "unknown indicator code %(code)r: not an SDG indicator, and no meta/ or "
                        "indicator-config/ file describes it; skipped",
                        code=item.code,
                    ),
                )
            )
            del found.indicators[code]
    settings = {
        code: _settings(item, defaults.get(item.sdg_code, {}), problems)
        for code, item in found.indicators.items()
    }
    if problems and strict:
        raise ValidationFailed(str(folder), problems)
    geography = _geography(str(folder), list(found.indicators.values()), country)
    if not found.indicators:
        raise ValidationFailed(
            str(folder), [*problems, Problem(str(folder), Text("nothing to import"))]
        )
    shared = {
        code: shared_settings(defaults.get(item.sdg_code, {}))
        for code, item in found.indicators.items()
    }
    with transaction(session):
        count = _store(session, found, settings, shared=shared, known=known, geography=geography)
        report = ImportReport(
            indicators=len(found.indicators),
            placeholders=sum(1 for i in found.indicators.values() if i.placeholder),
            observations=count,
            geography=geography,
            problems=problems,
            notes=found.notes,
            reporting=dict(Counter(_reporting_status(i) for i in found.indicators.values())),
        )
        record_event(
            session,
            by=by,
            action=AuditAction.INDICATORS_IMPORTED,
            target_type="opensdg",
            target_key=folder.name,
            summary=f"{report.indicators} indicators, {count} observations for {geography}"
            + (f"; {len(problems)} problem(s) skipped" if problems else ""),
            changes={
                "indicators": sorted(found.indicators),
                "geography": geography,
                "problems": [str(p) for p in problems[:200]],
            },
        )
    return report


def _reporting_status(item: IndicatorFile) -> str:
    status = str(item.settings.get("reporting_status") or "").strip()
    if status:
        return status
    return "notstarted" if item.placeholder else "complete"


def _progress_options(item: IndicatorFile) -> list[dict[str, Any]]:
    options = item.settings.get("progress_calculation_options") or []
    if isinstance(options, dict):
        options = [options]
    return [dict(o) for o in options if isinstance(o, dict)] if isinstance(options, list) else []


def _store(
    session: Session,
    found: OpenSdgFolder,
    settings: dict[str, dict[str, Any]],
    *,
    shared: dict[str, dict[str, Any]],
    known: set[str],
    geography: str,
) -> int:
    count = 0
    for code, item in found.indicators.items():
        indicator = _upsert_indicator(session, item, shared[code], known)
        replace_observations(session, indicator, geography, item.observations, also_unplaced=True)
        country = upsert_country(session, indicator, item, settings[code], geography)
        country.published_score = found.published_scores.get(code)
        count += len(item.observations)
    return count


def replace_observations(
    session: Session,
    indicator: Indicator,
    geography: str,
    rows: list[ObservationRow],
    *,
    also_unplaced: bool = False,
) -> int:
    """Store `rows` as the observations of `indicator` in `geography`, in place of those stored
    there (and, `also_unplaced`, of those stored for no named place); no other place's are
    touched. Returns how many were replaced."""
    places = [geography, ""] if also_unplaced else [geography]
    replaced = session.execute(
        delete(Observation).where(
            Observation.indicator_id == indicator.id, Observation.geography.in_(places)
        )
    )
    session.add_all(
        Observation(
            indicator_id=indicator.id,
            geography=geography,
            series=row.series,
            unit=row.unit,
            period=row.period.label,
            year=row.period.year,
            time=row.period.time,
            value=row.value,
            disaggregation=row.disaggregation,
            attributes=row.attributes,
        )
        for row in rows
    )
    return int(getattr(replaced, "rowcount", 0) or 0)


def new_sdg_indicator(item: FrameworkItem, *, source: str) -> Indicator:
    """An SDG indicator of the framework, not stored yet, as an import adds it."""
    return Indicator(
        code=item.code.replace(".", "-"),
        sdg_code=item.code,
        title=item.text("en"),
        level="global",
        source=source,
        series_codes=[],
        meta={},
    )


def upsert_country(
    session: Session,
    indicator: Indicator,
    item: IndicatorFile,
    settings: dict[str, Any],
    geography: str,
) -> CountryIndicator:
    row = session.scalar(
        select(CountryIndicator).where(
            CountryIndicator.indicator_id == indicator.id,
            CountryIndicator.geography == geography,
        )
    )
    if row is None:
        row = CountryIndicator(indicator_id=indicator.id, geography=geography)
        session.add(row)
    auto = item.settings.get("auto_progress_calculation")
    row.title = indicator.title
    row.reporting_status = _reporting_status(item)
    row.published_status = str(item.settings.get("progress_status") or "")
    row.manual_status = settings["manual_status"]
    row.auto_progress = auto is not False and str(auto).lower() != "false"
    row.progress_options = _progress_options(item)
    row.observation_count = len(item.observations)
    row.meta = dict(indicator.meta)
    return row


def _upsert_indicator(
    session: Session, item: IndicatorFile, settings: dict[str, Any], known: set[str]
) -> Indicator:
    indicator = session.scalar(select(Indicator).where(Indicator.code == item.code))
    if indicator is None:
        indicator = Indicator(code=item.code)
        session.add(indicator)
    indicator.sdg_code = item.sdg_code
    indicator.title = _title(session, item)
    is_global = item.sdg_code in known or str(item.meta.get("indicator_name", "")).startswith(
        "global_indicators."
    )
    indicator.level = "global" if is_global else "national"
    indicator.unit = str(item.settings.get("computation_units") or "")
    indicator.source = "opensdg"
    indicator.meta = {
        k: v for k, v in item.settings.items() if isinstance(v, str | int | float | bool)
    }
    for key, value in settings.items():
        setattr(indicator, key, value)
    units = {row.unit for row in item.observations if row.unit}
    if not indicator.unit and len(units) == 1:
        indicator.unit = units.pop()
    indicator.series_codes = sorted({row.series for row in item.observations if row.series})
    session.flush()
    return indicator

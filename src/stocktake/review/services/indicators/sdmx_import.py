"""Importing SDMX-ML data in the UN SDG layout: each observation's series mapped to the SDG
indicator it belongs to, its country, unit and attributes kept, every distinct key and period one
observation. Observations that cannot be read are listed and skipped (`strict` refuses the file
instead); a file of an unknown structure is refused whole, and a refused import stores nothing."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from stocktake.audit.events import AuditAction
from stocktake.audit.services import record_event
from stocktake.core.db import transaction
from stocktake.core.errors import Problem, ValidationFailed
from stocktake.core.permissions import Permission, Principal, require
from stocktake.core.translation import Text
from stocktake.frameworks.models import FrameworkItem
from stocktake.review.models import Indicator, Observation
from stocktake.review.sdmx import SdmxObservation, read_sdmx_file, read_structure, shipped_series
from stocktake.review.services.indicators.importing import ImportReport, new_sdg_indicator


class _Indicators:
    """The indicators a file's observations name: stored ones, or SDG indicators of the framework
    not stored yet, which the import adds."""

    def __init__(self, session: Session, series_map: Mapping[str, tuple[str, ...]]) -> None:
        stored = list(session.scalars(select(Indicator)))
        self.by_code = {i.code: i for i in stored}
        self.by_sdg = {i.sdg_code: i for i in stored if i.sdg_code}
        self.by_series: dict[str, list[Indicator]] = {}
        for indicator in stored:
            for series in indicator.series_codes:
                self.by_series.setdefault(series, []).append(indicator)
        self.series_map = series_map
        self.framework = {
            item.code: item
            for item in session.scalars(
                select(FrameworkItem).where(
                    FrameworkItem.scheme == "sdg", FrameworkItem.level == "indicator"
                )
            )
        }
        self.new: dict[str, Indicator] = {}

    def find(self, code: str) -> Indicator | None:
        key = code.strip()
        dotted, dashed = key.replace("-", "."), key.replace(".", "-")
        found = self.by_code.get(dashed) or self.by_sdg.get(dotted) or self.new.get(dashed)
        if found is None and (item := self.framework.get(dotted)) is not None:
            found = new_sdg_indicator(item, source="sdmx")
            self.new[dashed] = found
        return found

    def of(self, item: SdmxObservation, problems: list[Problem]) -> list[Indicator]:
        if item.indicator:
            found = self.find(item.indicator)
            if found is None:
                problems.append(
                    Problem(
                        f"{item.where}, field INDICATOR",
                        Text(
                            "unknown indicator code %(code)r: neither stored nor an SDG "
                            "indicator of the framework",
                            code=item.indicator,
                        ),
                    )
                )
            return [found] if found else []
        if codes := self.series_map.get(item.series):
            found_all = [i for c in codes if (i := self.find(c)) is not None]
        else:
            found_all = list(self.by_series.get(item.series, []))
        if not found_all:
            problems.append(
                Problem(
                    f"{item.where}, field SERIES",
                    Text(
                        "unknown series code %(code)r: the file gives no INDICATOR, no stored "
                        "indicator lists the series and the SDG series table does not name it "
                        "(give the global SDG DSD with --structure)",
                        code=item.series,
                    ),
                )
            )
        return found_all


def import_sdmx(
    session: Session,
    path: Path,
    *,
    by: Principal,
    strict: bool = False,
    structure: Path | None = None,
) -> ImportReport:
    """Import the observations of an SDMX-ML data file, replacing those of the same indicators
    and countries. Observations that cannot be read are skipped and listed in the report, or,
    with `strict`, refuse the whole file."""
    require(by, Permission.REVIEW_MANAGE)
    series_map = dict(shipped_series())
    if structure is not None:
        series_map.update(read_structure(structure))
    found = read_sdmx_file(path)
    problems = list(found.problems)
    indicators = _Indicators(session, series_map)
    rows: list[tuple[Indicator, SdmxObservation]] = []
    seen: dict[tuple[object, ...], str] = {}
    for item in found.observations:
        for indicator in indicators.of(item, problems):
            identity = (indicator.code, *item.identity())
            if (first := seen.setdefault(identity, item.where)) != item.where:
                problems.append(
                    Problem(
                        item.where,
                        Text("repeats the key and period of %(first)s; not imported", first=first),
                    )
                )
                continue
            rows.append((indicator, item))
    if problems and (strict or not rows):
        raise ValidationFailed(path.name, problems)
    if not rows:
        raise ValidationFailed(path.name, [Problem(path.name, Text("holds no observation"))])
    return _store(session, path, rows, indicators, problems, by=by)


def _store(
    session: Session,
    path: Path,
    rows: list[tuple[Indicator, SdmxObservation]],
    indicators: _Indicators,
    problems: list[Problem],
    *,
    by: Principal,
) -> ImportReport:
    with transaction(session):
        session.add_all(indicators.new.values())
        session.flush()
        pairs = {(indicator.id, item.geography) for indicator, item in rows}
        for indicator_id, geography in pairs:
            session.execute(
                delete(Observation).where(
                    Observation.indicator_id == indicator_id, Observation.geography == geography
                )
            )
        session.execute(
            insert(Observation),
            [
                {
                    "indicator_id": indicator.id,
                    "geography": item.geography,
                    "series": item.series,
                    "unit": item.unit,
                    "period": item.period.label,
                    "year": item.period.year,
                    "time": item.period.time,
                    "value": item.value,
                    "disaggregation": item.disaggregation,
                    "attributes": item.attributes,
                }
                for indicator, item in rows
            ],
        )
        series: dict[int, tuple[Indicator, set[str]]] = {}
        for indicator, item in rows:
            series.setdefault(indicator.id, (indicator, set()))[1].add(item.series)
        for indicator, codes in series.values():
            codes.discard("")
            if not codes <= set(indicator.series_codes):
                indicator.series_codes = sorted({*indicator.series_codes, *codes})
        places = sorted({g for _, g in pairs})
        record_event(
            session,
            by=by,
            action=AuditAction.INDICATORS_IMPORTED,
            target_type="sdmx",
            target_key=path.name,
            summary=f"{len(rows)} observations of {len({i for i, _ in pairs})} indicators",
            changes={
                "places": places,
                "added_indicators": sorted(indicators.new),
                "skipped": len(problems),
            },
        )
    return ImportReport(
        indicators=len({i for i, _ in pairs}),
        placeholders=0,
        observations=len(rows),
        geography=", ".join(places),
        problems=problems,
    )

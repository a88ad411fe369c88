"""Observations exchanged with other tools: CSV and SDMX-ML export, SDMX-ML import."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from stocktake.audit.events import AuditAction
from stocktake.audit.services import record_event
from stocktake.core.db import transaction
from stocktake.core.errors import Problem, ValidationFailed
from stocktake.core.permissions import Permission, Principal, require
from stocktake.core.spreadsheets import csv_text
from stocktake.review.models import Indicator, Observation
from stocktake.review.sdmx import ExportRow, SdmxObservation, read_sdmx_file, write_sdmx
from stocktake.review.services.indicators.importing import ImportReport
from stocktake.review.services.indicators.queries import list_observations

EXPORT_COLUMNS = ["indicator", "sdg_code", "geography", "series", "unit", "period", "year", "value"]


def export_observations_csv(
    session: Session, indicator: Indicator | None = None, *, country: str | None = None
) -> str:
    """Observations as CSV, one row each, disaggregations and attributes as further columns; every
    cell formula-safe (a series, unit or code from a data source is text, never a formula)."""
    rows = list_observations(session, indicator, country=country)
    extra = sorted({k for o in rows for k in (*o.disaggregation, *o.attributes)})
    return csv_text(
        EXPORT_COLUMNS + extra,
        (
            [
                o.indicator.code,
                o.indicator.sdg_code or "",
                o.geography,
                o.series,
                o.unit,
                o.period,
                o.year,
                _plain(o.value),
            ]
            + [cells.get(k, "") for k in extra]
            for o in rows
            for cells in [{**o.disaggregation, **o.attributes}]
        ),
    )


def _plain(value: float) -> float | int:
    """A whole number without its `.0`; kept a number, so a negative value stays a number."""
    return int(value) if value.is_integer() else value


def _resolve(session: Session, items: list[SdmxObservation], source: str) -> dict[int, Indicator]:
    """The indicator of each observation, by INDICATOR code or SERIES code; unknown ones refused."""
    indicators = list(session.scalars(select(Indicator)))
    by_code = {i.code: i for i in indicators}
    by_series = {code: i for i in indicators for code in i.series_codes}
    found: dict[int, Indicator] = {}
    problems = []
    for n, item in enumerate(items):
        key = item.indicator_key.strip().replace(".", "-")
        indicator = by_series.get(item.indicator_key) if item.by_series_code else by_code.get(key)
        if indicator is None:
            field = "SERIES" if item.by_series_code else "INDICATOR"
            problems.append(
                Problem(
                    f"{source} observation {n + 1}, field {field}",
                    f"unknown indicator code {item.indicator_key!r}",
                )
            )
        else:
            found[n] = indicator
    if problems:
        raise ValidationFailed(source, problems[:50])
    return found


def import_sdmx(session: Session, path: Path, *, by: Principal) -> ImportReport:
    """Import the observations of an SDMX-ML data file for indicators that exist, replacing those
    of the same indicators and places; all or nothing."""
    require(by, Permission.REVIEW_MANAGE)
    items = read_sdmx_file(path)
    indicators = _resolve(session, items, path.name)
    pairs = {(indicators[n].id, item.geography) for n, item in enumerate(items)}
    with transaction(session):
        for indicator_id, geography in pairs:
            session.execute(
                delete(Observation).where(
                    Observation.indicator_id == indicator_id, Observation.geography == geography
                )
            )
        session.add_all(
            Observation(
                indicator_id=indicators[n].id,
                geography=item.geography,
                series=item.series,
                unit=item.unit,
                period=item.period.label,
                year=item.period.year,
                time=item.period.time,
                value=item.value,
                disaggregation=item.disaggregation,
                attributes={},
            )
            for n, item in enumerate(items)
        )
        places = sorted({g for _, g in pairs})
        record_event(
            session,
            by=by,
            action=AuditAction.INDICATORS_IMPORTED,
            target_type="sdmx",
            target_key=path.name,
            summary=f"{len(items)} observations of {len({i for i, _ in pairs})} indicators",
            changes={"places": places},
        )
    return ImportReport(
        indicators=len({i for i, _ in pairs}),
        placeholders=0,
        observations=len(items),
        geography=", ".join(places),
    )


def export_observations_sdmx(
    session: Session, indicator: Indicator | None = None, *, country: str | None = None
) -> bytes:
    """Observations as SDMX-ML 2.1 generic data, of one country when it is named."""
    return write_sdmx(
        ExportRow(
            indicator=o.indicator.code,
            geography=o.geography,
            series=o.series,
            unit=o.unit,
            period=o.period,
            value=o.value,
            disaggregation=o.disaggregation,
        )
        for o in list_observations(session, indicator, country=country)
    )

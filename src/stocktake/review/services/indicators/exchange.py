"""Observations exchanged with other tools: CSV and SDMX-ML export (import: `sdmx_import`)."""

from __future__ import annotations

from io import BytesIO
from itertools import groupby
from operator import itemgetter
from typing import IO

from sqlalchemy import select
from sqlalchemy.orm import Session

from stocktake.core.spreadsheets import csv_text
from stocktake.review.models import Indicator, Observation
from stocktake.review.sdmx import ExportRow, write_sdmx
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


def write_observations_sdmx(
    session: Session,
    out: IO[bytes],
    indicator: Indicator | None = None,
    *,
    country: str | None = None,
) -> int:
    """Write observations as SDMX-ML 2.1 generic data in the UN SDG layout, of one indicator
    or country when named; read in batches and written as they come, one indicator at a time.
    Returns how many observations were written."""
    query = (
        select(
            Indicator.code,
            Observation.geography,
            Observation.series,
            Observation.unit,
            Observation.period,
            Observation.value,
            Observation.disaggregation,
            Observation.attributes,
        )
        .join(Indicator, Observation.indicator_id == Indicator.id)
        .order_by(Indicator.code, Observation.id)
    )
    if indicator is not None:
        query = query.where(Observation.indicator_id == indicator.id)
    if country:
        query = query.where(Observation.geography == country.upper())
    result = session.execute(query.execution_options(yield_per=5000))
    return write_sdmx(
        (
            (code, [ExportRow(*row[1:]) for row in rows])
            for code, rows in groupby(result, key=itemgetter(0))
        ),
        out,
    )


def export_observations_sdmx(
    session: Session, indicator: Indicator | None = None, *, country: str | None = None
) -> bytes:
    """Observations as SDMX-ML 2.1 generic data in the UN SDG layout, of one country when it is
    named."""
    buffer = BytesIO()
    write_observations_sdmx(session, buffer, indicator, country=country)
    return buffer.getvalue()

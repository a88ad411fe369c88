"""Writing SDMX-ML 2.1 generic data in the UN SDG layout, streamed with lxml.

One data set per indicator. Each series is keyed by FREQ, REPORTING_TYPE, SERIES, REF_AREA and
only the breakdowns that indicator uses (a stored name that is not an SDG DSD id is kept
reversibly in the id: `Industry_sector`); UNIT_MEASURE and INDICATOR are attributes of the
series, unless an indicator has two units for one key, when UNIT_MEASURE joins the key so that no
two observations collapse into one. The other attributes (UNIT_MULT, OBS_STATUS, NATURE...) are
attributes of each observation. Readers parse generic data without the structure definition."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO

from lxml import etree

from stocktake.core.untrusted import xml_safe
from stocktake.review.sdmx.layout import (
    AGENCY,
    KEPT_AS_ATTRIBUTES,
    STRUCTURE_ID,
    TIME,
    TOTAL,
    breakdown_id,
    id_of,
    order_of,
)

MESSAGE_NS = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
GENERIC_NS = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic"
COMMON_NS = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common"
_MES, _GEN, _COM = f"{{{MESSAGE_NS}}}", f"{{{GENERIC_NS}}}", f"{{{COMMON_NS}}}"
_NSMAP = {"mes": MESSAGE_NS, "gen": GENERIC_NS, "com": COMMON_NS}


@dataclass(frozen=True)
class ExportRow:
    geography: str
    series: str
    unit: str
    period: str  # as stored: 2013 Q1, 2015, 2002/03
    value: float
    disaggregation: dict[str, str]
    attributes: dict[str, str]


def time_period(label: str) -> str:
    return label.replace(" Q", "-Q")


def _number(value: float) -> str:
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def _freq(row: ExportRow) -> str:
    return row.attributes.get("FREQ") or ("Q" if " Q" in row.period else "A")


def _fixed(row: ExportRow) -> list[tuple[str, str]]:
    return [
        ("FREQ", _freq(row)),
        ("REPORTING_TYPE", row.attributes.get("REPORTING_TYPE") or "N"),
        ("SERIES", row.series or TOTAL),
        ("REF_AREA", row.geography or TOTAL),
    ]


def _needs_unit_key(rows: list[ExportRow], breakdowns: list[str]) -> bool:
    """True when one series key has observations in two units."""
    units: dict[tuple[object, ...], str] = {}
    for row in rows:
        key = (*_fixed(row), *(row.disaggregation.get(b) for b in breakdowns))
        if units.setdefault(key, row.unit) != row.unit:
            return True
    return False


def _values(parent: etree._Element, tag: str, pairs: Iterable[tuple[str, str]]) -> None:
    holder = etree.SubElement(parent, tag)
    for sdmx_id, value in pairs:
        etree.SubElement(holder, f"{_GEN}Value", id=sdmx_id, value=xml_safe(value))


def _indicator_series(code: str, rows: list[ExportRow]) -> Iterable[etree._Element]:
    breakdowns = sorted(
        {k for r in rows for k in r.disaggregation}, key=lambda k: order_of(breakdown_id(k))
    )
    unit_in_key = _needs_unit_key(rows, breakdowns)
    groups: dict[tuple[tuple[tuple[str, str], ...], str], list[ExportRow]] = {}
    for row in rows:
        key = (
            *_fixed(row),
            *((breakdown_id(b), row.disaggregation.get(b) or TOTAL) for b in breakdowns),
        )
        groups.setdefault((key, row.unit), []).append(row)
    for (key, unit), members in groups.items():
        series = etree.Element(f"{_GEN}Series", nsmap={"gen": GENERIC_NS})
        unit_value = [("UNIT_MEASURE", unit or TOTAL)] if unit_in_key else []
        _values(series, f"{_GEN}SeriesKey", [*key, *unit_value])
        unit_value = [("UNIT_MEASURE", unit)] if unit and not unit_in_key else []
        _values(series, f"{_GEN}Attributes", [*unit_value, ("INDICATOR", code)])
        for row in members:
            obs = etree.SubElement(series, f"{_GEN}Obs")
            etree.SubElement(obs, f"{_GEN}ObsDimension", value=time_period(row.period))
            etree.SubElement(obs, f"{_GEN}ObsValue", value=_number(row.value))
            extra = [
                (id_of(k), str(v))
                for k, v in sorted(row.attributes.items())
                if k not in KEPT_AS_ATTRIBUTES and k != "INDICATOR" and str(v)
            ]
            if extra:
                _values(obs, f"{_GEN}Attributes", extra)
        yield series


def _header(prepared: datetime) -> etree._Element:
    header = etree.Element(f"{_MES}Header", nsmap=_NSMAP)
    etree.SubElement(header, f"{_MES}ID").text = f"STOCKTAKE{prepared:%Y%m%d%H%M%S}"
    etree.SubElement(header, f"{_MES}Test").text = "false"
    etree.SubElement(header, f"{_MES}Prepared").text = prepared.strftime("%Y-%m-%dT%H:%M:%S")
    etree.SubElement(header, f"{_MES}Sender", id="STOCKTAKE")
    structure = etree.SubElement(
        header, f"{_MES}Structure", structureID=STRUCTURE_ID, dimensionAtObservation=TIME
    )
    ref = etree.SubElement(etree.SubElement(structure, f"{_COM}Structure"), "Ref")
    ref.attrib.update({"agencyID": AGENCY, "id": STRUCTURE_ID, "version": "1.0"})
    return header


def write_sdmx(
    indicators: Iterable[tuple[str, list[ExportRow]]],
    out: IO[bytes],
    *,
    prepared: datetime | None = None,
) -> int:
    """Write the observations, given indicator by indicator, as one SDMX-ML generic data message;
    returns how many observations were written."""
    count = 0
    with etree.xmlfile(out, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element(f"{_MES}GenericData", nsmap=_NSMAP):
            xf.write(_header(prepared or datetime.now(UTC)), pretty_print=True)
            written = False
            for code, rows in indicators:
                if not rows:
                    continue
                written = True
                with xf.element(f"{_MES}DataSet", structureRef=STRUCTURE_ID):
                    for series in _indicator_series(code, rows):
                        xf.write(series, pretty_print=True)
                count += len(rows)
            if not written:
                xf.write(etree.Element(f"{_MES}DataSet", structureRef=STRUCTURE_ID))
    return count

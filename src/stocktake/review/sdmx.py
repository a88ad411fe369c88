"""SDMX-ML 2.1 generic data, read and written with the sdmx1 library.

Read: each observation's key gives the indicator (`INDICATOR`, as 10-c-1 or 10.c.1, or else a
`SERIES` code listed among an indicator's series codes), the place (`REF_AREA`, ISO3 or M49), the
period (`TIME_PERIOD`), the series and unit (`SERIES`, `UNIT_MEASURE`); any other dimension is a
disaggregation (`_T`, the SDMX total, and `FREQ`, `REPORTING_TYPE` are left out).

Written: one data set, series keyed by INDICATOR, REF_AREA, SERIES, UNIT_MEASURE and one dimension
per disaggregation, whose name is kept reversibly in the dimension id (spaces as `_`, other
characters as `$hh`); so an export reads back unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pycountry
from lxml import etree

from stocktake.core.errors import Problem, ValidationFailed
from stocktake.review.opensdg import Period, parse_period

MESSAGE_NS = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
TOTAL = "_T"
SKIPPED = frozenset({"FREQ", "REPORTING_TYPE"})
FIXED = ("INDICATOR", "REF_AREA", "SERIES", "UNIT_MEASURE")
_ID_SAFE = re.compile(r"[A-Za-z0-9@-]")


def encode_id(name: str) -> str:
    """A disaggregation's name as an SDMX id, reversibly: "Industry sector" → "Industry_sector"."""
    return "".join(
        c
        if _ID_SAFE.match(c)
        else "_"
        if c == " "
        else f"${ord(c):02X}"
        if ord(c) < 256
        else f"$u{ord(c):04X}"
        for c in name
    )


def decode_id(code: str) -> str:
    out, i = [], 0
    while i < len(code):
        c = code[i]
        if c == "_":
            out.append(" ")
        elif c == "$" and code[i + 1 : i + 2] == "u":
            out.append(chr(int(code[i + 2 : i + 6], 16)))
            i += 5
        elif c == "$":
            out.append(chr(int(code[i + 1 : i + 3], 16)))
            i += 2
        else:
            out.append(c)
        i += 1
    return "".join(out)


@dataclass
class SdmxObservation:
    indicator_key: str  # the INDICATOR value, or the SERIES code when there is none
    by_series_code: bool
    geography: str
    series: str
    unit: str
    period: Period
    value: float
    disaggregation: dict[str, str]


def _geography(value: str) -> str | None:
    if not value:
        return ""
    try:
        country = (
            pycountry.countries.get(numeric=value.zfill(3))
            if value.isdigit()
            else pycountry.countries.lookup(value)
        )
    except LookupError:
        return None
    return str(country.alpha_3) if country else None


def _sdmx_period(raw: str) -> Period | None:
    return parse_period(raw.replace("-Q", " Q"))


def read_sdmx_file(path: Path) -> list[SdmxObservation]:
    """Every observation of the file, or ValidationFailed naming each bad one."""
    import sdmx  # with pandas, loaded only by the commands that read or write SDMX
    from sdmx.message import DataMessage

    try:
        with path.open("rb") as handle:
            message = sdmx.read_sdmx(handle)
    except Exception as exc:  # the library raises many kinds on malformed XML
        raise ValidationFailed(
            path.name, [Problem(path.name, f"is not SDMX-ML data ({type(exc).__name__}: {exc})")]
        ) from exc
    if not isinstance(message, DataMessage) or not message.data:
        raise ValidationFailed(path.name, [Problem(path.name, "holds no data set")])
    problems: list[Problem] = []
    found = []
    for d, dataset in enumerate(message.data, start=1):
        for n, obs in enumerate(dataset.obs, start=1):
            item = _observation(f"{path.name} data set {d} observation {n}", obs, problems)
            if item is not None:
                found.append(item)
    if problems:
        raise ValidationFailed(path.name, problems)
    return found


def _observation(where: str, obs: Any, problems: list[Problem]) -> SdmxObservation | None:
    key = {k: ("" if str(v.value) == TOTAL else str(v.value)) for k, v in obs.key.values.items()}
    indicator = key.get("INDICATOR", "")
    series = key.get("SERIES", "")
    if not indicator and not series:
        problems.append(
            Problem(f"{where}, field INDICATOR", "names no indicator (INDICATOR or SERIES)")
        )
        return None
    period = _sdmx_period(key.get("TIME_PERIOD", ""))
    if period is None:
        problems.append(
            Problem(
                f"{where}, field TIME_PERIOD", f"{key.get('TIME_PERIOD', '')!r} is not a period"
            )
        )
    geography = _geography(key.get("REF_AREA", ""))
    if geography is None:
        problems.append(
            Problem(f"{where}, field REF_AREA", f"{key['REF_AREA']!r} is not a country code")
        )
    try:
        value = float(obs.value)
    except (TypeError, ValueError):
        problems.append(Problem(f"{where}, field OBS_VALUE", f"{obs.value!r} is not a number"))
        return None
    if period is None or geography is None:
        return None
    return SdmxObservation(
        indicator_key=indicator or series,
        by_series_code=not indicator,
        geography=geography,
        series=series if indicator else "",
        unit=key.get("UNIT_MEASURE", ""),
        period=period,
        value=value,
        disaggregation={
            decode_id(k): v
            for k, v in key.items()
            if k not in {*FIXED, "TIME_PERIOD", *SKIPPED} and v
        },
    )


@dataclass(frozen=True)
class ExportRow:
    indicator: str
    geography: str
    series: str
    unit: str
    period: str  # as stored: 2013 Q1, 2015, 2002/03
    value: float
    disaggregation: dict[str, str]


def _time_period(label: str) -> str:
    return label.replace(" Q", "-Q")


def write_sdmx(rows: Iterable[ExportRow]) -> bytes:
    """SDMX-ML 2.1 generic data for the rows."""
    import sdmx
    from sdmx.message import DataMessage
    from sdmx.model import common, v21

    rows = list(rows)
    extra = sorted({k for r in rows for k in r.disaggregation})
    dsd = v21.DataStructureDefinition(id="STOCKTAKE_REVIEW", version="1.0")
    names = [*FIXED, *(encode_id(k) for k in extra), "TIME_PERIOD"]
    for order, name in enumerate(names):
        dsd.dimensions.append(common.Dimension(id=name, order=order))
    dataset = v21.DataSet(structured_by=dsd)
    series: dict[tuple[str, ...], list[ExportRow]] = {}
    for row in rows:
        fixed = [row.indicator, row.geography or TOTAL, row.series or TOTAL, row.unit or TOTAL]
        key_values = tuple(fixed + [row.disaggregation.get(k, TOTAL) for k in extra])
        series.setdefault(key_values, []).append(row)
    for values, members in series.items():
        key = dsd.make_key(common.SeriesKey, dict(zip(names[:-1], values, strict=True)))
        observations = [
            v21.Observation(
                series_key=key,
                dimension=dsd.make_key(common.Key, {"TIME_PERIOD": _time_period(r.period)}),
                value=r.value,
            )
            for r in members
        ]
        dataset.add_obs(observations, series_key=key)
    message = DataMessage(data=[dataset], observation_dimension=dsd.dimensions.get("TIME_PERIOD"))
    root = etree.fromstring(sdmx.to_xml(message))
    # sdmx1 names the root of any data message after its last registered tag; generic data
    # (gen:Series, gen:Obs) belongs in mes:GenericData, which readers parse without the structure.
    root.tag = f"{{{MESSAGE_NS}}}GenericData"
    result: bytes = etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
    return result

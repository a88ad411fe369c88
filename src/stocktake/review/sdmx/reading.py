"""Reading SDMX-ML 2.1 data (generic or structure-specific) with the sdmx1 library: each
observation with its SERIES or INDICATOR, place, period, unit, breakdowns and attributes.

A file that is not SDMX-ML data, or whose keys do not follow the UN SDG layout, is refused whole;
an observation that cannot be read is listed with its place in the file and the field at fault,
and the others are read."""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pycountry

from stocktake.core.errors import Problem, ValidationFailed
from stocktake.core.translation import Text
from stocktake.registry import reference
from stocktake.review.opensdg import Period, parse_period
from stocktake.review.sdmx.layout import (
    ATTRIBUTES,
    EXPECTED,
    KEPT_AS_ATTRIBUTES,
    TIME,
    TOTAL,
    name_of,
)

_NOT_BREAKDOWNS = frozenset({"INDICATOR", "SERIES", "REF_AREA", TIME, *KEPT_AS_ATTRIBUTES})


@dataclass
class SdmxObservation:
    where: str  # "data.xml data set 1 observation 4"
    indicator: str  # the INDICATOR dimension or attribute, "" when the file gives none
    series: str  # the SERIES code, "" when none
    geography: str  # ISO3 of a country of the registry
    unit: str
    period: Period
    value: float
    disaggregation: dict[str, str]
    attributes: dict[str, str]

    def identity(self) -> tuple[object, ...]:
        """What tells one observation from another: its whole key and its period."""
        return (
            self.indicator,
            self.series,
            self.geography,
            self.unit,
            self.period.label,
            tuple(sorted(self.disaggregation.items())),
            tuple(self.attributes.get(k, "") for k in KEPT_AS_ATTRIBUTES),
        )


@dataclass
class SdmxFile:
    observations: list[SdmxObservation] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # observations that were not read


def _countries() -> dict[str, str]:
    """Every code naming a country of the registry (ISO3, ISO2, M49) → its ISO3 code."""
    codes: dict[str, str] = {}
    for state in reference.states():
        codes[state.iso3] = state.iso3
        codes[state.m49_code] = state.iso3
        country = pycountry.countries.get(alpha_3=state.iso3)
        if country is not None:
            codes[str(country.alpha_2)] = state.iso3
    return codes


def geography_of(value: str, countries: dict[str, str]) -> str | None:
    text = value.strip().upper()
    return countries.get(text.zfill(3) if text.isdigit() else text)


def _sdmx_period(raw: str) -> Period | None:
    return parse_period(raw.replace("-Q", " Q"))


def _text(value: Any) -> str:
    """An attribute or key value as text (sdmx1 gives codes, strings or AttributeValues)."""
    inner = getattr(value, "value", value)
    return "" if inner is None else str(getattr(inner, "id", inner))


def read_sdmx_file(path: Path) -> SdmxFile:
    """Every observation of the file that can be read, and the problems of the others; or
    ValidationFailed, naming the file, when it is not SDMX-ML data in the UN SDG layout."""
    import sdmx  # with pandas, loaded only by the commands that read or write SDMX
    from sdmx.message import DataMessage

    library_log = logging.getLogger("sdmx")
    level = library_log.level
    # a structure-specific file read without its DSD makes sdmx1 warn in English on every read;
    # what stocktake needs of the file is checked below and said in the reader's language
    library_log.setLevel(logging.ERROR)
    try:
        with path.open("rb") as handle:
            message = sdmx.read_sdmx(handle)
    except Exception as exc:  # the library raises many kinds on malformed XML
        raise ValidationFailed(
            path.name,
            [
                Problem(
                    path.name,
                    Text(
                        "is not SDMX-ML data (%(reason)s); expected SDMX-ML 2.1 data in "
                        "%(expected)s",
                        reason=": ".join((type(exc).__name__, str(exc))),
                        expected=EXPECTED,
                    ),
                )
            ],
        ) from exc
    finally:
        library_log.setLevel(level)
    if not isinstance(message, DataMessage) or not message.data:
        kind = type(message).__name__
        raise ValidationFailed(
            path.name,
            [
                Problem(
                    path.name,
                    Text(
                        "holds no data set (an SDMX %(kind)s); expected SDMX-ML 2.1 data in "
                        "%(expected)s",
                        kind=kind,
                        expected=EXPECTED,
                    ),
                )
            ],
        )
    countries = _countries()
    found = SdmxFile()
    for d, dataset in enumerate(message.data, start=1):
        shared = {k: _text(v) for k, v in getattr(dataset, "attrib", {}).items()}
        for n, obs in enumerate(dataset.obs, start=1):
            if n == 1:
                _check_layout(path.name, d, obs, shared)
            where = f"{path.name} data set {d} observation {n}"
            item = _observation(where, obs, shared, countries, found.problems)
            if item is not None:
                found.observations.append(item)
    return found


def _components(obs: Any, shared: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """The observation's dimensions and its attributes (of the data set, series and itself)."""
    key: dict[str, str] = {}
    attributes = dict(shared)
    for k, v in obs.key.values.items():
        (attributes if k in ATTRIBUTES else key)[k] = _text(v)
    series_key = getattr(obs, "series_key", None)
    for source in (getattr(series_key, "attrib", None) or {}, obs.attrib or {}):
        attributes.update({k: _text(v) for k, v in source.items()})
    return key, {k: v for k, v in attributes.items() if v}


def _check_layout(name: str, d: int, obs: Any, shared: dict[str, str]) -> None:
    key, attributes = _components(obs, shared)
    given = {*key, *attributes}
    missing = [
        label
        for label, ids in (
            ("SERIES or INDICATOR", {"SERIES", "INDICATOR"}),
            ("REF_AREA", {"REF_AREA"}),
            (TIME, {TIME}),
        )
        if not ids & given
    ]
    if missing:
        raise ValidationFailed(
            name,
            [
                Problem(
                    f"{name} data set {d}",
                    Text(
                        "unknown structure: its observations are keyed by %(keys)s and lack "
                        "%(missing)s; expected %(expected)s",
                        keys=", ".join(key) or Text("nothing"),
                        missing=", ".join(missing),
                        expected=EXPECTED,
                    ),
                )
            ],
        )


def _observation(
    where: str,
    obs: Any,
    shared: dict[str, str],
    countries: dict[str, str],
    problems: list[Problem],
) -> SdmxObservation | None:
    key, attributes = _components(obs, shared)
    before = len(problems)
    indicator = key.get("INDICATOR") or attributes.pop("INDICATOR", "")
    series = key.get("SERIES", "")
    series = "" if series == TOTAL else series
    if not indicator and not series:
        problems.append(Problem(f"{where}, field SERIES", Text("names no series and no INDICATOR")))
    raw_time = key.get(TIME, "")
    period = _sdmx_period(raw_time)
    if period is None:
        problems.append(
            Problem(f"{where}, field {TIME}", Text("%(value)r is not a period", value=raw_time))
        )
    area = key.get("REF_AREA", "")
    geography = geography_of(area, countries)
    if geography is None:
        problems.append(
            Problem(
                f"{where}, field REF_AREA",
                Text(
                    "%(area)r is not a country of the registry (M49, ISO3 or ISO2 code)", area=area
                ),
            )
        )
    value = _number(obs.value)
    if value is None:
        problems.append(
            Problem(
                f"{where}, field OBS_VALUE",
                Text("%(value)r is not a finite number", value=_text(obs.value)),
            )
        )
    if len(problems) > before or period is None or geography is None or value is None:
        return None
    unit = key.get("UNIT_MEASURE") or attributes.pop("UNIT_MEASURE", "")
    implied = {"FREQ": "Q" if " Q" in period.label else "A", "REPORTING_TYPE": "N"}
    kept = {k: key[k] for k in KEPT_AS_ATTRIBUTES if key.get(k, implied[k]) != implied[k]}
    return SdmxObservation(
        where=where,
        indicator=indicator,
        series=series,
        geography=geography,
        unit="" if unit == TOTAL else unit,
        period=period,
        value=value,
        disaggregation={
            name_of(k): v
            for k, v in key.items()
            if k not in _NOT_BREAKDOWNS and k != "UNIT_MEASURE" and v and v != TOTAL
        },
        attributes={**kept, **{name_of(k): v for k, v in attributes.items()}},
    )


def _number(raw: Any) -> float | None:
    try:
        value = float(_text(raw))
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None

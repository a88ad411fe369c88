"""Which observations Open SDG scores, and how an indicator's series combine: pure, nothing stored.

A country's indicator configuration may hold `auto_progress_calculation` and
`progress_calculation_options`, a list of choices. Each choice names a time series by `series`,
`unit` and `disaggregation` (a list of `{field, value}`), with its own `direction`, `target`,
`target_year`, `base_year` and `limit`; a choice may instead be a `group` of choices, scored as
their mean and counted once. As Open SDG's sdg-build `ProgressMeasure` selects them:

- a `Progress` column, where the file has one, replaces the values (rows where it is blank are
  left out);
- a `unit`, `series` or breakdown value that no row has is not applied (Open SDG warns and goes on);
- without a `disaggregation`, only headline rows count: those whose every breakdown is blank;
- what remains must be one time series: several series, units or breakdowns left is refused
  (Open SDG stops), as are two values for one period.

Columns that are never breakdowns (series, unit, Open SDG's and SDMX's attribute columns) are
named in `NOT_BREAKDOWNS`; observations stored before a column was known as one are read alike.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from stocktake.core.translation import Text
from stocktake.review import progress

PROGRESS_COLUMN = "Progress"
NOT_BREAKDOWNS = frozenset(
    {
        # Open SDG's non-disaggregation columns and observation attributes (sdg-build defaults)
        "Year",
        "Value",
        "Units",
        "Series",
        "GeoCode",
        "Observation status",
        "Unit multiplier",
        "Unit measure",
        "UNIT_MEASURE",
        "SERIES",
        "COMMENT_TS",
        "DATA_LAST_UPDATE",
        "COMMENT_OBS",
        "SOURCE_DETAIL",
        PROGRESS_COLUMN,
        # the SDMX attributes of the UN SDG data structure, by code and by name
        "OBS_STATUS",
        "UNIT_MULT",
        "NATURE",
        "TIME_DETAIL",
        "BASE_PER",
        "UPPER_BOUND",
        "LOWER_BOUND",
        "GEO_INFO_URL",
        "GEO_INFO_TYPE",
        "Nature",
        "Time detail",
        "Base period",
        "Source details",
        "Comment",
        "Reporting type",
    }
)
OPEN_SDG_DEFAULTS = progress.Settings(direction="decrease")  # Open SDG: negative unless told


class Row(Protocol):
    """An observation as stored (`Observation`) or read (`ObservationRow`)."""

    @property
    def series(self) -> str: ...
    @property
    def unit(self) -> str: ...
    @property
    def time(self) -> float: ...
    @property
    def value(self) -> float: ...
    @property
    def disaggregation(self) -> dict[str, str]: ...
    @property
    def attributes(self) -> dict[str, str]: ...


def breakdowns(row: Row) -> dict[str, str]:
    return {k: v for k, v in row.disaggregation.items() if k not in NOT_BREAKDOWNS and v}


@dataclass(frozen=True)
class Choice:
    """One entry of `progress_calculation_options`."""

    settings: progress.Settings
    series: str | None = None
    unit: str | None = None
    disaggregation: tuple[tuple[str, str], ...] = ()
    group: tuple[Choice, ...] = ()

    @property
    def label(self) -> str:
        parts = [p for p in (self.series, self.unit) if p]
        parts += [f"{f}: {v}" for f, v in self.disaggregation]
        return " / ".join(parts)


def _number(value: object) -> float | None:
    if isinstance(value, bool) or value is None or value == "":
        return None
    try:
        return float(str(value))
    except ValueError:
        return None


def direction_of(raw: object) -> str:
    """Open SDG reads `positive` as an increase desired and anything else as a decrease."""
    return "increase" if str(raw).strip() == "positive" else "decrease"


def read_choice(raw: Mapping[str, Any], fallback: progress.Settings) -> Choice:
    """A choice as Open SDG reads it, what it leaves out taken from `fallback`."""
    if isinstance(raw.get("group"), list):
        return Choice(fallback, group=tuple(read_choices(raw["group"], fallback)))
    target = _number(raw["target"]) if "target" in raw else fallback.target
    settings = replace(
        fallback,
        direction=direction_of(raw["direction"]) if raw.get("direction") else fallback.direction,
        target=target,
        target_year=_number(raw.get("target_year")) or fallback.target_year,
        base_year=_number(raw.get("base_year")) or fallback.base_year,
        limit=_number(raw["limit"]) if "limit" in raw else fallback.limit,
    )
    pairs = raw.get("disaggregation") or []
    disaggregation = tuple(
        (str(p.get("field", "")), str(p.get("value", "")))
        for p in (pairs if isinstance(pairs, list) else [])
        if isinstance(p, Mapping)
    )
    return Choice(
        settings,
        series=str(raw["series"]) if raw.get("series") is not None else None,
        unit=str(raw["unit"]) if raw.get("unit") is not None else None,
        disaggregation=disaggregation,
    )


def read_choices(raw: object, fallback: progress.Settings) -> list[Choice]:
    """`progress_calculation_options` as Open SDG reads it: no options is one choice of all
    defaults (the headline)."""
    entries = raw if isinstance(raw, list) else [raw] if isinstance(raw, Mapping) else []
    choices = [read_choice(e, fallback) for e in entries if isinstance(e, Mapping)]
    return choices or [Choice(fallback)]


@dataclass
class Selected:
    points: list[progress.Point] = field(default_factory=list)
    series: str = ""
    unit: str = ""
    notes: list[str] = field(default_factory=list)


def _valued(rows: Iterable[Row]) -> list[tuple[Row, float]]:
    """Each row with the value progress is measured on: its `Progress` value where the file has
    that column (rows where it is blank are left out), else its value."""
    rows = list(rows)
    if not any(PROGRESS_COLUMN in r.attributes for r in rows):
        return [(r, r.value) for r in rows]
    valued = []
    for r in rows:
        number = _number(r.attributes.get(PROGRESS_COLUMN))
        if number is not None:
            valued.append((r, number))
    return valued


def joined(notes: Iterable[str]) -> str:
    """Notes one after another ("a; b"), each still shown in the reader's language."""
    said = ""
    for note in notes:
        if note:
            said = Text("%(first)s; %(then)s", first=said, then=note) if said else note
    return said


def _narrow(
    rows: list[tuple[Row, float]], what: str, keep: Any, notes: list[str]
) -> list[tuple[Row, float]]:
    kept = [(r, v) for r, v in rows if keep(r)]
    if kept:
        return kept
    notes.append(Text("%(what)s is in no row; not applied", what=what))
    return rows


def select(rows: Iterable[Row], choice: Choice) -> Selected:
    """The time series a choice names, by Open SDG's rules (module docstring)."""
    found = Selected()
    valued = _valued(rows)
    if choice.unit is not None:
        unit = choice.unit
        what = Text("unit %(value)r", value=unit)
        valued = _narrow(valued, what, lambda r: r.unit == unit, found.notes)
    if choice.series is not None:
        name = choice.series
        what = Text("series %(value)r", value=name)
        valued = _narrow(valued, what, lambda r: r.series == name, found.notes)
    for field_name, value in choice.disaggregation:
        valued = _narrow(
            valued,
            f"{field_name} {value!r}",
            lambda r, f=field_name, v=value: breakdowns(r).get(f) == v,
            found.notes,
        )
    if not choice.disaggregation:
        headline = [(r, v) for r, v in valued if not breakdowns(r)]
        if valued and not headline:
            found.notes.append(Text("no headline (total) observations"))
            return found
        valued = headline
    kinds = {(r.series, r.unit, tuple(sorted(breakdowns(r).items()))) for r, _ in valued}
    if len(kinds) > 1:
        found.notes.append(
            Text(
                "%(num)s series remain (%(kinds)s); Open SDG needs one: name it with series, "
                "unit or disaggregation in progress_calculation_options",
                num=len(kinds),
                kinds=_describe(kinds),
            )
        )
        return found
    if kinds:
        found.series, found.unit, _ = next(iter(kinds))
    found.points = [progress.Point(r.time, v) for r, v in valued]
    return found


def _describe(kinds: set[tuple[str, str, tuple[tuple[str, str], ...]]]) -> str:
    labels = sorted(
        " / ".join([*filter(None, (s, u)), *(f"{k}: {v}" for k, v in b)]) or "total"
        for s, u, b in kinds
    )
    return "; ".join(labels[:4]) + ("; …" if len(labels) > 4 else "")


@dataclass
class Scored:
    """A choice's score: one series', or a group's mean."""

    score: float | None
    achieved: bool
    series: list[progress.SeriesProgress]


def assess_choice(rows: Sequence[Row], choice: Choice, method: progress.Method) -> Scored:
    if choice.group:
        parts = [assess_choice(rows, c, method) for c in choice.group]
        scored = [p for p in parts if p.score is not None]
        flat = [s for p in parts for s in p.series]
        if not scored:
            return Scored(None, False, flat)
        mean = sum(p.score or 0.0 for p in scored) / len(scored)
        return Scored(mean, all(p.achieved for p in scored), flat)
    found = select(rows, choice)
    assess = progress.ASSESSORS[method]
    result = assess(
        found.points,
        choice.settings,
        series=choice.label or found.series,
        unit=found.unit if choice.unit is None else choice.unit,
    )
    if not found.points and not found.notes:
        found.notes.append(Text("no observations"))
    result.note = joined([*found.notes, result.note if found.points else ""])
    achieved = result.status is progress.ProgressStatus.TARGET_ACHIEVED
    return Scored(result.score, achieved, [result])


def assess_configured(
    code: str, rows: Sequence[Row], choices: Sequence[Choice], method: progress.Method
) -> progress.IndicatorProgress:
    """An indicator scored as its country configures it: the mean of its choices' scores (a
    group counting once); target achieved only when every scored series has achieved it."""
    parts = [assess_choice(rows, c, method) for c in choices]
    series = [s for p in parts for s in p.series]
    scored = [p for p in parts if p.score is not None]
    if not scored:
        return progress.IndicatorProgress(
            code, method, progress.ProgressStatus.NOT_AVAILABLE, None, series
        )
    score = sum(p.score or 0.0 for p in scored) / len(scored)
    if all(p.achieved for p in scored):
        status = progress.ProgressStatus.TARGET_ACHIEVED
    else:
        status = progress.status_of_score(score)
    return progress.IndicatorProgress(code, method, status, round(score, 4), series)


def assess_headlines(
    code: str, rows: Sequence[Row], settings: progress.Settings, method: progress.Method
) -> progress.IndicatorProgress:
    """An indicator no country configuration describes: each headline series (by series and
    unit) scored with the indicator's settings, the indicator the mean."""
    groups: dict[tuple[str, str], dict[float, float]] = defaultdict(dict)
    for row, value in _valued(rows):
        if not breakdowns(row):
            groups[(row.series, row.unit)][row.time] = value
    assess = progress.ASSESSORS[method]
    series = [
        assess([progress.Point(t, v) for t, v in points.items()], settings, series=s, unit=u)
        for (s, u), points in sorted(groups.items())
    ]
    result = progress.combine(code, method, series)
    if not groups:
        result.note = Text("no headline (total) observations")
    return result


_NUMBERS = ("target", "target_year", "base_year", "limit")


def option_problems(
    raw: object, *, first_checked: bool = True, prefix: str = "progress_calculation_options"
) -> list[tuple[str, str]]:
    """What in `progress_calculation_options` Open SDG cannot use, as (place, message): an entry
    that is no set of settings, a `disaggregation` that is no list of `{field, value}`, a `group`
    that is no list, a number that is none, a `direction` other than positive or negative (Open
    SDG reads it as negative). The first entry's direction and numbers are left out when the
    caller checks them itself (`first_checked`)."""
    if raw is None or raw == []:
        return []
    entries = raw if isinstance(raw, list) else [raw]
    found: list[tuple[str, str]] = []
    for number, entry in enumerate(entries, start=1):
        place = f"{prefix} entry {number}"
        if not isinstance(entry, Mapping):
            found.append((place, Text("%(value)r is not a set of settings; ignored", value=entry)))
            continue
        if "group" in entry:
            inner = entry["group"]
            if not isinstance(inner, list):
                found.append((f"{place}, field group", Text("is not a list of entries; ignored")))
                continue
            found += option_problems(inner, first_checked=False, prefix=f"{place}, group")
            continue
        found += _entry_problems(entry, place, own=not (first_checked and number == 1))
    return found


def _entry_problems(entry: Mapping[str, Any], place: str, *, own: bool) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    pairs = entry.get("disaggregation")
    if pairs is not None and not (
        isinstance(pairs, list)
        and all(isinstance(p, Mapping) and "field" in p and "value" in p for p in pairs)
    ):
        found.append(
            (
                f"{place}, field disaggregation",
                Text("is not a list of {field, value}; not applied"),
            )
        )
    if not own:
        return found
    direction = entry.get("direction")
    if direction is not None and str(direction) not in {"positive", "negative"}:
        found.append(
            (
                f"{place}, field direction",
                Text(
                    "%(value)r is not positive or negative; Open SDG reads it as negative",
                    value=direction,
                ),
            )
        )
    found += [
        (f"{place}, field {key}", Text("%(value)r is not a number; ignored", value=entry[key]))
        for key in _NUMBERS
        if entry.get(key) is not None and entry[key] != "" and _number(entry[key]) is None
    ]
    return found

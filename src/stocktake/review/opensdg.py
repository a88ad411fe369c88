"""Read an Open SDG data folder: `data/indicator_<id>.csv`, `meta/<id>.md` or `.yml`, and
`indicator-config/<id>.yml` where present. Pure reading, nothing stored; every bad place is named.

A data file has `Year` first and `Value` last; between them category columns (blank = total), and
the columns Open SDG gives a meaning: `Series`, `Units` (or `Unit measure`), `Progress` (the value
progress is measured on) and attributes, Open SDG's and SDMX's (`Observation status`, `OBS_STATUS`,
`Unit multiplier`, `UNIT_MULT`, `COMMENT_OBS`, `GeoCode`...), with any more the folder's
`config_data.yml` names (`indicator_options`: `non_disaggregation_columns`,
`observation_attributes`). A platform's published scores (`indicator_calculation_components.yml`
at the folder's root) are read beside. Years may be quarters
("2013 Q1"), spans ("2002/03", "2002-03", "1980 to 1990") or carry notes ("2019/20 [Note 5]",
"2016/18 (baseline)", "2021-2022*"); a note is kept beside the period.

Reading never stops at a bad row: a row that cannot be read is skipped and listed (`problems`), a
value left blank, missing (`NA`, `#N/A`, `null`, as pandas reads them) or not finite (`Inf`,
`NaN`) is skipped with a note (`notes`); the caller decides
whether any problem refuses the folder (`--strict`).
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from stocktake.core.errors import Problem, ValidationFailed
from stocktake.core.translation import Text
from stocktake.review.selection import NOT_BREAKDOWNS, PROGRESS_COLUMN

UNIT_COLUMNS = ("Units", "Unit measure", "UNIT_MEASURE")
SERIES_COLUMNS = ("Series", "SERIES")
ATTRIBUTE_COLUMNS = NOT_BREAKDOWNS - {"Year", "Value", *UNIT_COLUMNS, *SERIES_COLUMNS}
COMPONENTS_FILE = "indicator_calculation_components.yml"  # a platform's published scores
DATA_CONFIG_FILE = "config_data.yml"  # the data repository's build configuration
# sdg-build reads `data/*-*.csv` and drops the `indicator_` prefix, so `1-2-1.csv` is read too,
# and so is a national platform's own numbering in two parts (Germany's `indicator_10-7.csv`)
_FILE = re.compile(r"^(?:indicator_)?([0-9]{1,2}(?:[-_][0-9a-z]{1,2}){1,3})\.csv$", re.IGNORECASE)
_CODE = re.compile(r"^([0-9]{1,2}(?:[-_.][0-9a-z]{1,2}){1,3})$", re.IGNORECASE)
_NOTE = re.compile(r"\s*(\[[^\]]*\]|\([^)]*\)|[*†‡§¹²³⁴⁵⁶⁷⁸⁹]+)\s*")
_NOT_FINITE = frozenset({"inf", "-inf", "+inf", "infinity", "-infinity", "nan", "-nan"})
# what pandas, and so Open SDG's build, reads as a missing value (`NA` from R, `#N/A` from Excel)
_MISSING = frozenset(
    {"na", "n/a", "#n/a", "#n/a n/a", "#na", "<na>", "null", "none", "-1.#ind", "1.#ind"}
    | {"-1.#qnan", "1.#qnan"}
)
_QUARTER = re.compile(r"^(\d{4})\s*Q([1-4])$", re.IGNORECASE)
_QUARTER_FIRST = re.compile(r"^Q([1-4])\s*(\d{4})$", re.IGNORECASE)
_SPAN = re.compile(r"^(\d{4})\s*(?:/|-|–|to)\s*(\d{2}|\d{4})$", re.IGNORECASE)
_YEAR = re.compile(r"^(\d{4})(?:\.0)?$")


@dataclass(frozen=True)
class Period:
    """A reporting period as written, with the decimal time used to measure growth between two
    periods: a year counts from its start, a quarter from the start of its quarter, a span
    ("2002/03", "1980 to 1990") from its first year, as the Open SDG method reads them."""

    label: str
    year: int
    time: float
    note: str = ""


def parse_period(raw: str) -> Period | None:
    """The period a `Year` cell names, or None when it names none. Notes written beside it
    ("[Note 5]", "(baseline)", a footnote mark "*") are kept apart as the period's note."""
    notes = [m.group(1).strip("[]()") for m in _NOTE.finditer(raw)]
    note = "; ".join(n.strip() for n in notes if n.strip())
    label = " ".join(_NOTE.sub(" ", raw).split())
    found = _period(label)
    if found is None:
        return None
    return Period(found.label, found.year, found.time, note)


def _period(label: str) -> Period | None:
    if match := _YEAR.match(label):
        year = int(match.group(1))
        return Period(label, year, float(year))
    if match := _QUARTER.match(label):
        return _quarter(int(match.group(1)), int(match.group(2)))
    if match := _QUARTER_FIRST.match(label):
        return _quarter(int(match.group(2)), int(match.group(1)))
    if match := _SPAN.match(label):
        year = int(match.group(1))
        return Period(label, year, float(year))
    return None


def _quarter(year: int, quarter: int) -> Period:
    return Period(f"{year} Q{quarter}", year, year + (quarter - 1) / 4)


def code_to_sdg(code: str) -> str:
    """`10-c-1` → `10.c.1`."""
    return code.replace("-", ".")


def normal_code(code: str) -> str:
    """An indicator code as the file names write it, whichever separator: `10_1_1` → `10-1-1`."""
    return re.sub(r"[_.]", "-", code.strip()).lower()


@dataclass
class ObservationRow:
    series: str
    unit: str
    period: Period
    value: float
    disaggregation: dict[str, str]
    attributes: dict[str, str]
    row: int = 0  # where the data file holds it


@dataclass
class IndicatorFile:
    """One indicator as the folder describes it."""

    code: str
    data_file: str
    observations: list[ObservationRow] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    config: dict[str, Any] = field(default_factory=dict)
    placeholder: bool = False
    blanks: int = 0  # values left blank, skipped

    @property
    def sdg_code(self) -> str:
        return str(self.meta.get("indicator_number") or code_to_sdg(self.code))

    @property
    def settings(self) -> dict[str, Any]:
        """Metadata overlaid with the indicator settings, as Open SDG merges them."""
        return {**self.meta, **self.config}


@dataclass
class OpenSdgFolder:
    indicators: dict[str, IndicatorFile] = field(default_factory=dict)
    published_scores: dict[str, float | None] = field(default_factory=dict)  # by indicator code
    problems: list[Problem] = field(default_factory=list)  # rows and files skipped
    notes: list[Problem] = field(default_factory=list)  # values skipped as published


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def _is_placeholder(year_at: int, value_at: int, rows: list[tuple[int, list[str]]]) -> bool:
    """Open SDG's empty indicator: a header and at most a sentence such as "There is no data for
    this indicator yet" in the Year column, no value anywhere."""
    return all(
        parse_period(row[year_at]) is None
        and not (row[value_at].strip() if len(row) > value_at else "")
        for _, row in rows
    )


def _number(text: str) -> float | None:
    try:
        value = float(text.replace(",", "").strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _row(name: str, number: int) -> str:
    return f"{name} row {number}" if name else f"row {number}"


MAX_QUOTED = 60
"""The most characters of a bad cell a problem quotes."""


def not_a_number(value: object) -> Text:
    if isinstance(value, str) and len(value) > MAX_QUOTED:
        value = value[: MAX_QUOTED - 1] + "…"
    return Text("%(value)r is not a number", value=value)


def read_data_file(
    name: str,
    raw: bytes,
    problems: list[Problem],
    notes: list[Problem] | None = None,
    attribute_columns: frozenset[str] = ATTRIBUTE_COLUMNS,
) -> IndicatorFile | None:
    match = _FILE.match(Path(name).name)
    if match is None:
        problems.append(
            Problem(
                name,
                Text(
                    "is not named indicator_<goal>-<target>-<indicator>.csv (e.g. "
                    "indicator_10-c-1.csv or indicator_10_c_1.csv); skipped"
                ),
            )
        )
        return None
    return read_data(
        name,
        normal_code(match.group(1)),
        raw,
        problems,
        notes=notes,
        attribute_columns=attribute_columns,
    )


def read_data(
    name: str,
    code: str,
    raw: bytes | str,
    problems: list[Problem],
    *,
    notes: list[Problem] | None = None,
    attribute_columns: frozenset[str] = ATTRIBUTE_COLUMNS,
) -> IndicatorFile | None:
    """The observations of one data file of indicator `code`, whatever the file is called; each
    problem is placed at `name row N, field F` (at `row N, field F` when `name` is empty). Bytes
    are read as UTF-8, else as Windows' Western encoding; text as it is."""
    found = IndicatorFile(code=code, data_file=name)
    reader = csv.reader(io.StringIO(raw if isinstance(raw, str) else _decode(raw)))
    header = [cell.strip() for cell in next(reader, [])]
    # numbered as a spreadsheet shows them, blank rows counted and skipped
    rows = [(n, row) for n, row in enumerate(reader, start=2) if any(c.strip() for c in row)]
    missing = [column for column in ("Year", "Value") if column not in header]
    if missing:
        problems.extend(
            Problem(_row(name, 1), Text("has no %(column)s column; the file is skipped", column=c))
            for c in missing
        )
        return None
    if _is_placeholder(header.index("Year"), header.index("Value"), rows):
        found.placeholder = True
        return found
    found.observations = _rows(
        name, header, rows, found, problems=problems, notes=notes, attributes=attribute_columns
    )
    return found


def _rows(
    name: str,
    header: list[str],
    rows: list[tuple[int, list[str]]],
    found: IndicatorFile,
    *,
    problems: list[Problem],
    notes: list[Problem] | None,
    attributes: frozenset[str],
) -> list[ObservationRow]:
    year_at, value_at = header.index("Year"), header.index("Value")
    series_at = next((header.index(c) for c in SERIES_COLUMNS if c in header), None)
    unit_at = next((header.index(c) for c in UNIT_COLUMNS if c in header), None)
    special = {year_at, value_at, series_at, unit_at}
    read = []
    for number, row in rows:
        cells = dict(enumerate(cell.strip() for cell in row))
        if len(row) != len(header):
            problems.append(
                Problem(
                    _row(name, number),
                    Text(
                        "has %(num)s fields, the header %(header)s",
                        num=len(row),
                        header=len(header),
                    ),
                )
            )
            continue
        period = parse_period(cells[year_at])
        if period is None:
            problems.append(
                Problem(
                    f"{_row(name, number)}, field Year",
                    Text("%(value)r is not a year", value=cells[year_at]),
                )
            )
        value_text = cells[value_at]
        if not value_text or value_text.lower() in _MISSING:
            found.blanks += 1  # Open SDG leaves a value blank (or NA) where there is none
            continue
        if value_text.lower() in _NOT_FINITE:
            if notes is not None:
                notes.append(
                    Problem(
                        f"{_row(name, number)}, field Value",
                        Text("%(value)r is not a finite number; skipped", value=value_text),
                    )
                )
            continue
        value = _number(value_text)
        if value is None:
            problems.append(Problem(f"{_row(name, number)}, field Value", not_a_number(value_text)))
        if period is None or value is None:
            continue
        kept = {
            header[i]: v
            for i, v in cells.items()
            if header[i] in attributes and (v or header[i] == PROGRESS_COLUMN)
        }
        if period.note:
            kept["Period note"] = period.note
        read.append(
            ObservationRow(
                series=cells[series_at] if series_at is not None else "",
                unit=cells[unit_at] if unit_at is not None else "",
                period=period,
                value=value,
                disaggregation={
                    header[i]: v
                    for i, v in cells.items()
                    if i not in special and header[i] not in attributes and v
                },
                attributes=kept,
                row=number,
            )
        )
    return read


def read_meta(name: str, text: str, problems: list[Problem]) -> dict[str, Any]:
    """Metadata as YAML, or Markdown whose YAML front matter holds the fields."""
    text = text.lstrip("\ufeff")
    if name.endswith(".md"):
        if not text.startswith("---"):
            return {}
        _, _, rest = text.partition("---")
        text, _, _ = rest.partition("\n---")
    try:
        loaded = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{name} line {mark.line + 1}" if mark is not None else name
        problems.append(
            Problem(
                where,
                Text("is not valid YAML (%(reason)s)", reason=str(getattr(exc, "problem", exc))),
            )
        )
        return {}
    if not isinstance(loaded, dict):
        problems.append(Problem(name, Text("holds no fields")))
        return {}
    return loaded


def _side_files(folder: Path, sub: str, code: str) -> list[Path]:
    names = {code, code.replace("-", "_"), code.replace("-", ".")}
    return [
        p
        for name in sorted(names)
        for p in (folder / sub / f"{name}{ext}" for ext in (".md", ".yml", ".yaml"))
        if p.is_file()
    ]


def _described_codes(folder: Path) -> set[str]:
    """The codes that meta/ or indicator-config/ describe, whichever separator their names use."""
    codes = set()
    for sub in ("meta", "indicator-config"):
        for path in (folder / sub).glob("*") if (folder / sub).is_dir() else ():
            if path.suffix in {".md", ".yml", ".yaml"} and _CODE.match(path.stem):
                codes.add(normal_code(path.stem))
    return codes


def _read_side(folder: Path, indicator: IndicatorFile, problems: list[Problem]) -> None:
    for side in _side_files(folder, "meta", indicator.code):
        indicator.meta.update(read_meta(f"meta/{side.name}", _decode(side.read_bytes()), problems))
    for side in _side_files(folder, "indicator-config", indicator.code):
        indicator.config.update(
            read_meta(f"indicator-config/{side.name}", _decode(side.read_bytes()), problems)
        )


def read_folder(folder: Path) -> OpenSdgFolder:
    """Every indicator of the folder, those with metadata but no data file included (as
    placeholders). A folder that is not Open SDG is refused (ValidationFailed); within one, every
    bad file, row and field is listed in `problems` and skipped, the rest read."""
    data = folder / "data"
    if not data.is_dir():
        raise ValidationFailed(
            str(folder),
            [
                Problem(
                    str(folder),
                    Text(
                        "has no data/ folder; an Open SDG data folder holds "
                        "data/indicator_<id>.csv and meta/<id>.md"
                    ),
                )
            ],
        )
    found = OpenSdgFolder()
    problems, notes = found.problems, found.notes
    columns = ATTRIBUTE_COLUMNS | _configured_attributes(folder, problems)
    found.published_scores = _published_scores(folder, problems)
    for path in sorted(data.glob("*.csv")):
        name = f"data/{path.name}"
        indicator = read_data_file(name, path.read_bytes(), problems, notes, columns)
        if indicator is None:
            continue
        if indicator.code in found.indicators:
            problems.append(
                Problem(
                    name,
                    Text("repeats indicator %(code)s; skipped", code=indicator.code),
                )
            )
            continue
        _read_side(folder, indicator, problems)
        if indicator.blanks:
            notes.append(
                Problem(name, Text("%(num)s blank value(s) skipped", num=indicator.blanks))
            )
        found.indicators[indicator.code] = indicator
    for code in sorted(_described_codes(folder) - set(found.indicators)):
        indicator = IndicatorFile(code=code, data_file="", placeholder=True)
        _read_side(folder, indicator, problems)
        found.indicators[code] = indicator
    if not found.indicators:
        raise ValidationFailed(
            str(folder),
            [*problems, Problem(f"{folder}/data", Text("holds no indicator_*.csv file"))],
        )
    return found


def _yaml_file(path: Path, problems: list[Problem]) -> dict[str, Any]:
    if not path.is_file():
        return {}
    return read_meta(path.name, _decode(path.read_bytes()), problems)


def _configured_attributes(folder: Path, problems: list[Problem]) -> frozenset[str]:
    """The columns the folder's `config_data.yml` says are not breakdowns
    (`indicator_options`: `non_disaggregation_columns`, `observation_attributes`)."""
    options = _yaml_file(folder / DATA_CONFIG_FILE, problems).get("indicator_options")
    if not isinstance(options, dict):
        return frozenset()
    named = [
        str(column)
        for key in ("non_disaggregation_columns", "observation_attributes")
        for column in (options.get(key) or [] if isinstance(options.get(key), list) else [])
    ]
    return frozenset(named) - {"Year", "Value", *UNIT_COLUMNS, *SERIES_COLUMNS}


def _published_scores(folder: Path, problems: list[Problem]) -> dict[str, float | None]:
    """Each indicator's headline score as the platform published it in
    `indicator_calculation_components.yml` (`<id>: {score, progress_status, <series>: ...}`)."""
    scores: dict[str, float | None] = {}
    for key, entry in _yaml_file(folder / COMPONENTS_FILE, problems).items():
        if not isinstance(entry, dict) or "score" not in entry:
            continue
        raw = entry["score"]
        number = _number(str(raw)) if raw is not None else None
        if raw is not None and number is None:
            problems.append(Problem(f"{COMPONENTS_FILE}, {key}, field score", not_a_number(raw)))
        scores[normal_code(str(key))] = number
    return scores

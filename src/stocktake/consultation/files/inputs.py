"""Reading a file of inputs (CSV, XLSX or JSON) into the data of each input; a file is refused
whole, naming every row that is wrong."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from pathlib import PurePath
from typing import Any

from stocktake.consultation.files.columns import (
    EXPORT_ONLY,
    IMPORT_COLUMNS,
    LIST_COLUMNS,
    REQUIRED,
)
from stocktake.consultation.files.xlsx import MAX_COLUMNS, MAX_ROWS, read_sheet
from stocktake.consultation.services import InputData
from stocktake.core.errors import Problem, ValidationFailed
from stocktake.core.spreadsheets import restore_cell
from stocktake.core.translation import Counted, Text
from stocktake.core.untrusted import UNSTORABLE, parse_json, unstorable_character

FORMATS = ("csv", "xlsx", "json")


def format_of(filename: str, explicit: str | None = None) -> str:
    fmt = (explicit or PurePath(filename).suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise ValidationFailed(
            filename,
            [
                Problem(
                    "",
                    Text(
                        "unknown file format %(format)r; use CSV, XLSX or JSON",
                        format=fmt or "(none)",
                    ),
                )
            ],
        )
    return fmt


def read_inputs(
    content: bytes, filename: str, fmt: str | None = None, *, max_rows: int = MAX_ROWS
) -> list[tuple[str, InputData]]:
    """Parse a whole file of inputs into (row label, data) pairs; refuse it naming what is wrong.
    A file of more than `max_rows` rows is refused at the first row past the limit."""
    kind = format_of(filename, fmt)
    if kind == "csv":
        records = _csv_records(content, filename, max_rows)
    elif kind == "xlsx":
        records = _xlsx_records(content, filename, max_rows)
    else:
        records = _json_records(content, filename, max_rows)
    return _to_data(records, filename)


def _check_header(header: Iterable[str], source: str) -> None:
    columns = [h for h in header if h]
    problems = [
        Problem("header", Text("required column %(column)r is missing", column=c))
        for c in REQUIRED
        if c not in columns
    ]
    problems += [
        Problem(
            "header",
            Text(
                "column %(column)r appears %(times)s times; keep one",
                column=c,
                times=columns.count(c),
            ),
        )
        for c in sorted(set(columns))
        if columns.count(c) > 1
    ]
    if len(columns) > MAX_COLUMNS:
        problems.append(
            Problem(
                "header",
                Text(
                    "%(columns)s columns; at most %(limit)s",
                    columns=len(columns),
                    limit=MAX_COLUMNS,
                ),
            )
        )
    problems += [
        Problem(
            "header",
            Text(
                "unknown column %(column)r; known: %(known)s",
                column=c,
                known=", ".join(IMPORT_COLUMNS),
            ),
        )
        for c in columns
        if c not in IMPORT_COLUMNS and c not in EXPORT_ONLY
    ]
    if problems:
        raise ValidationFailed(source, problems)


def _csv_records(
    content: bytes, source: str, max_rows: int
) -> Iterator[tuple[str, dict[str, Any]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        raise ValidationFailed(
            source,
            [Problem(f"line {line}", Text("invalid UTF-8 at byte %(byte)s", byte=exc.start))],
        ) from exc
    if found := UNSTORABLE.search(text):
        line = text[: found.start()].count("\n") + 1
        reason = unstorable_character(found.group()) or ""
        raise ValidationFailed(source, [Problem(f"line {line}", reason)])
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in reader.fieldnames or []]
    except csv.Error as exc:
        raise ValidationFailed(source, [_csv_problem(reader.line_num, exc)]) from exc
    reader.fieldnames = header
    _check_header(header, source)

    def records() -> Iterator[tuple[str, dict[str, Any]]]:
        try:
            for row in reader:
                if reader.line_num > max_rows + 1:
                    raise ValidationFailed(
                        source,
                        [
                            Problem(
                                f"line {reader.line_num}",
                                Text("more than %(limit)s rows", limit=Counted(max_rows)),
                            )
                        ],
                    )
                yield f"row {reader.line_num}", _restored(row)
        except csv.Error as exc:
            raise ValidationFailed(source, [_csv_problem(reader.line_num, exc)]) from exc

    return records()


def _csv_problem(line: int, exc: csv.Error) -> Problem:
    if "field larger than field limit" in str(exc):
        return Problem(
            f"line {line}",
            Text(
                "a field is longer than %(limit)s characters",
                limit=Counted(csv.field_size_limit()),
            ),
        )
    return Problem(f"line {line}", Text("not readable as CSV: %(reason)s", reason=str(exc)))


def _xlsx_records(
    content: bytes, source: str, max_rows: int
) -> Iterator[tuple[str, dict[str, Any]]]:
    first, rows = read_sheet(content, source, max_rows=max_rows)
    header = [str(h).strip() if h is not None else "" for h in first]
    _check_header(header, source)
    return (
        (f"row {number}", _restored(dict(zip(header, values, strict=False))))
        for number, values in rows
    )


def _json_records(
    content: bytes, source: str, max_rows: int
) -> Iterator[tuple[str, dict[str, Any]]]:
    data = parse_json(content, source)  # too deep, numbers too long, NUL: refused, located
    items = data.get("inputs") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise ValidationFailed(
            source,
            [Problem("", Text('expected a list of inputs, or an object with a list "inputs"'))],
        )
    if len(items) > max_rows:
        too_many = Text(
            "%(items)s items; at most %(limit)s", items=Counted(len(items)), limit=Counted(max_rows)
        )
        raise ValidationFailed(source, [Problem("", too_many)])
    problems = [
        Problem(f"item {i}", Text("is not an object"))
        for i, item in enumerate(items, 1)
        if not isinstance(item, dict)
    ]
    if problems:
        raise ValidationFailed(source, problems)
    _check_header({key for item in items for key in item}, source)
    return ((f"item {i}", item) for i, item in enumerate(items, 1))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        # a spreadsheet turns a typed "2018-12-10" into a date: it reads back as typed
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _restored(record: dict[Any, Any]) -> dict[Any, Any]:
    return {k: restore_cell(v) if isinstance(v, str) else v for k, v in record.items() if k != ""}


def _moment_cell(value: Any) -> str:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return _cell(value)


def _list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [_cell(v) for v in value if _cell(v)]
    return [part.strip() for part in str(value).replace("|", ";").split(";") if part.strip()]


def _to_data(
    records: Iterator[tuple[str, dict[str, Any]]], source: str
) -> list[tuple[str, InputData]]:
    rows: list[tuple[str, InputData]] = []
    problems: list[Problem] = []
    for where, record in records:
        if None in record:  # a CSV line with more values than columns
            problems.append(Problem(where, Text("more values than columns")))
            continue
        if not any(_cell(v) for v in record.values() if not isinstance(v, list)) and not any(
            isinstance(v, list) and v for v in record.values()
        ):
            continue
        values = {k: v for k, v in record.items() if k in IMPORT_COLUMNS}
        unreadable = [
            Problem(f"{where}, field {k}", reason)
            for k, v in values.items()
            for item in (v if isinstance(v, list) else [v])
            if isinstance(item, str) and (reason := unstorable_character(item))
        ]
        if unreadable:  # a workbook's _x0001_ escapes, a control character in any format
            problems += unreadable
            continue
        bad_lists = [
            k for k in values if k not in LIST_COLUMNS and isinstance(values[k], list | dict)
        ]
        if bad_lists:
            problems += [
                Problem(f"{where}, field {k}", Text("must be a single value")) for k in bad_lists
            ]
            continue
        rows.append(
            (
                where,
                InputData(
                    text=_cell(values.get("text")),
                    submitter=_cell(values.get("submitter")),
                    title=_cell(values.get("title")),
                    kind=_cell(values.get("kind")) or "card",
                    on_behalf_of=_cell(values.get("on_behalf_of")),
                    meeting=_cell(values.get("meeting")),
                    dimensions=_list(values.get("dimensions")),
                    input_types=_list(values.get("input_types")),
                    references=_list(values.get("references")),
                    language=_cell(values.get("language")),
                    external_id=_cell(values.get("external_id")),
                    status=_cell(values.get("status")) or "submitted",
                    submitted_at=_moment_cell(values.get("submitted_at")),
                ),
            )
        )
    if problems:
        raise ValidationFailed(source, problems)
    return rows

"""Reading and writing the files people already use: CSV, XLSX and JSON for inputs, DOCX and PDF
for the text of a written contribution."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import PurePath
from typing import IO, Any

from stocktake.consultation.models import Input
from stocktake.consultation.references import format_reference
from stocktake.consultation.services import InputData
from stocktake.core.errors import Problem, ValidationFailed
from stocktake.core.untrusted import parse_json

FORMATS = ("csv", "xlsx", "json")
MAX_ROWS = 200_000
"""Most rows (or items) a file of inputs may have, counted before any is read as an input."""
MAX_COLUMNS = 100
MAX_UNPACKED_BYTES = 200 * 2**20
"""Most bytes the parts of a DOCX or XLSX file (a zip archive) may unpack to."""
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""A spreadsheet reads a cell that begins with one of these as a formula."""
QUOTE = "'"
REQUIRED = ("submitter", "text")
LIST_COLUMNS = ("dimensions", "input_types", "references")
IMPORT_COLUMNS = (
    "external_id",
    "submitter",
    "on_behalf_of",
    "kind",
    "meeting",
    "title",
    "text",
    "dimensions",
    "input_types",
    "references",
    "language",
    "status",
    "submitted_at",
)
EXPORT_ONLY = (
    "id",
    "submitter_name",
    "actor_kind",
    "region",
    "regional_group",
    "stakeholder_category",
    "channel",
    "withdrawn_reason",
    "attachment_name",
)
"""Columns an export adds; an import accepts and ignores them, so an export can be imported again."""
EXPORT_COLUMNS = (
    "id",
    "external_id",
    "submitter",
    "submitter_name",
    "actor_kind",
    "region",
    "regional_group",
    "stakeholder_category",
    "on_behalf_of",
    "kind",
    "meeting",
    "title",
    "text",
    "dimensions",
    "input_types",
    "references",
    "language",
    "status",
    "channel",
    "submitted_at",
    "withdrawn_reason",
    "attachment_name",
)


def format_of(filename: str, explicit: str | None = None) -> str:
    fmt = (explicit or PurePath(filename).suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise ValidationFailed(
            filename,
            [Problem("", f"unknown file format {fmt or '(none)'!r}; use CSV, XLSX or JSON")],
        )
    return fmt


def read_inputs(
    content: bytes, filename: str, fmt: str | None = None
) -> list[tuple[str, InputData]]:
    """Parse a whole file of inputs into (row label, data) pairs; refuse it naming what is wrong."""
    kind = format_of(filename, fmt)
    if kind == "csv":
        records = _csv_records(content, filename)
    elif kind == "xlsx":
        records = _xlsx_records(content, filename)
    else:
        records = _json_records(content, filename)
    return _to_data(records, filename)


def _check_header(header: Iterable[str], source: str) -> None:
    columns = [h for h in header if h]
    problems = [
        Problem("header", f"required column {c!r} is missing") for c in REQUIRED if c not in columns
    ]
    problems += [
        Problem("header", f"column {c!r} appears {columns.count(c)} times; keep one")
        for c in sorted(set(columns))
        if columns.count(c) > 1
    ]
    if len(columns) > MAX_COLUMNS:
        problems.append(Problem("header", f"{len(columns)} columns; at most {MAX_COLUMNS}"))
    problems += [
        Problem("header", f"unknown column {c!r}; known: {', '.join(IMPORT_COLUMNS)}")
        for c in columns
        if c not in IMPORT_COLUMNS and c not in EXPORT_ONLY
    ]
    if problems:
        raise ValidationFailed(source, problems)


def _csv_records(content: bytes, source: str) -> Iterator[tuple[str, dict[str, Any]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        raise ValidationFailed(
            source, [Problem(f"line {line}", f"invalid UTF-8 at byte {exc.start}")]
        ) from exc
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ValidationFailed(source, [Problem(f"line {line}", "contains a NUL character")])
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
                if reader.line_num > MAX_ROWS + 1:
                    raise ValidationFailed(
                        source, [Problem(f"line {reader.line_num}", f"more than {MAX_ROWS:,} rows")]
                    )
                yield f"row {reader.line_num}", _restored(row)
        except csv.Error as exc:
            raise ValidationFailed(source, [_csv_problem(reader.line_num, exc)]) from exc

    return records()


def _csv_problem(line: int, exc: csv.Error) -> Problem:
    if "field larger than field limit" in str(exc):
        return Problem(
            f"line {line}", f"a field is longer than {csv.field_size_limit():,} characters"
        )
    return Problem(f"line {line}", f"not readable as CSV: {exc}")


def _xlsx_records(content: bytes, source: str) -> Iterator[tuple[str, dict[str, Any]]]:
    from openpyxl import load_workbook

    check_archive(content, source, "XLSX workbook")
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, IndexError, SyntaxError) as exc:
        raise ValidationFailed(source, [Problem("", "not a readable XLSX workbook")]) from exc
    declared_rows, declared_columns = sheet.max_row, sheet.max_column
    if declared_rows is not None and declared_rows > MAX_ROWS + 1:
        raise ValidationFailed(
            source, [Problem("", f"the sheet has {declared_rows:,} rows; at most {MAX_ROWS:,}")]
        )
    if declared_columns is not None and declared_columns > MAX_COLUMNS:
        raise ValidationFailed(
            source,
            [Problem("", f"the sheet has {declared_columns:,} columns; at most {MAX_COLUMNS}")],
        )
    rows = _xlsx_values(sheet.iter_rows(max_col=MAX_COLUMNS), source)
    first = next(rows, None)
    header = [str(h).strip() if h is not None else "" for h in first or []]
    _check_header(header, source)

    def records() -> Iterator[tuple[str, dict[str, Any]]]:
        for number, values in enumerate(rows, start=2):
            if number > MAX_ROWS + 1:
                raise ValidationFailed(source, [Problem(f"row {number}", "too many rows")])
            yield f"row {number}", _restored(dict(zip(header, values, strict=False)))
        workbook.close()

    return records()


def _xlsx_values(cells: Iterator[tuple[Any, ...]], source: str) -> Iterator[list[Any]]:
    """The values of each row; a formula is refused, since its result is not in the file."""
    try:
        for row in cells:
            values = []
            for cell in row:
                if getattr(cell, "data_type", None) == "f":
                    raise ValidationFailed(
                        source,
                        [
                            Problem(
                                f"row {cell.row}, column {cell.column_letter}",
                                "is a formula; paste its value instead",
                            )
                        ],
                    )
                values.append(getattr(cell, "value", None))
            yield values
    except (KeyError, ValueError, OSError, SyntaxError, zipfile.BadZipFile) as exc:
        if isinstance(exc, ValidationFailed):
            raise
        raise ValidationFailed(source, [Problem("", "not a readable XLSX workbook")]) from exc


def check_archive(content: bytes, source: str, kind: str) -> None:
    """Refuse a zip archive (DOCX, XLSX) whose parts would unpack to more than the limit, before
    any of it is unpacked."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ValidationFailed(source, [Problem("", f"not a readable {kind}")]) from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise ValidationFailed(
            source,
            [
                Problem(
                    "",
                    f"the {kind} unpacks to {unpacked:,} bytes; at most {MAX_UNPACKED_BYTES:,}",
                )
            ],
        )


def _json_records(content: bytes, source: str) -> Iterator[tuple[str, dict[str, Any]]]:
    data = parse_json(content, source)  # too deep, numbers too long, NUL: refused, located
    items = data.get("inputs") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise ValidationFailed(
            source, [Problem("", 'expected a list of inputs, or an object with a list "inputs"')]
        )
    if len(items) > MAX_ROWS:
        raise ValidationFailed(source, [Problem("", f"{len(items):,} items; at most {MAX_ROWS:,}")])
    problems = [
        Problem(f"item {i}", "is not an object")
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
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def neutralise_cell(value: str) -> str:
    """A text a spreadsheet will show as text: one beginning like a formula (or with the quote
    that marks one) gets a leading quote. `restore_cell` takes it off again on import."""
    if value.startswith((*FORMULA_START, QUOTE)):
        return QUOTE + value
    return value


def _restored(record: dict[Any, Any]) -> dict[Any, Any]:
    return {k: restore_cell(v) if isinstance(v, str) else v for k, v in record.items() if k != ""}


def restore_cell(value: str) -> str:
    if value.startswith(QUOTE) and value[1:].startswith((*FORMULA_START, QUOTE)):
        return value[1:]
    return value


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
            problems.append(Problem(where, "more values than columns"))
            continue
        if not any(_cell(v) for v in record.values() if not isinstance(v, list)) and not any(
            isinstance(v, list) and v for v in record.values()
        ):
            continue
        values = {k: v for k, v in record.items() if k in IMPORT_COLUMNS}
        bad_lists = [
            k for k in values if k not in LIST_COLUMNS and isinstance(values[k], list | dict)
        ]
        if bad_lists:
            problems += [
                Problem(f"{where}, field {k}", "must be a single value") for k in bad_lists
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


# ---------------------------------------------------------------- attachments


MAX_ATTACHMENT_CHARS = 1_000_000
"""Most characters of text an attachment may hold; a longer one is refused, not cut."""


def extract_text(content: bytes, filename: str, max_chars: int = MAX_ATTACHMENT_CHARS) -> str:
    """The text of a DOCX or PDF file (or a plain-text file), for a written contribution. A file
    whose text is longer than `max_chars`, or whose parts unpack to more than the limit, is
    refused with the reason."""
    suffix = PurePath(filename).suffix.lower()
    kind = suffix.lstrip(".").upper()
    try:
        if suffix == ".docx":
            check_archive(content, filename, "DOCX file")
            text = _docx_text(content, filename, max_chars)
        elif suffix == ".pdf":
            text = _pdf_text(content, filename, max_chars)
        elif suffix in (".txt", ".md"):
            text = content.decode("utf-8-sig")
        else:
            raise ValidationFailed(
                filename, [Problem("attachment", "only DOCX, PDF or plain-text files are read")]
            )
    except (zipfile.BadZipFile, KeyError, ValueError, UnicodeDecodeError, SyntaxError) as exc:
        if isinstance(exc, ValidationFailed):
            raise
        raise ValidationFailed(
            filename, [Problem("attachment", f"not a readable {kind} file")]
        ) from exc
    text = text.replace("\x00", "")
    _check_length(len(text), filename, max_chars)
    return text


def _check_length(length: int, filename: str, max_chars: int) -> None:
    if length > max_chars:
        raise ValidationFailed(
            filename,
            [
                Problem(
                    "attachment",
                    f"its text is longer than the limit of {max_chars:,} characters; "
                    "send a shorter file or split it",
                )
            ],
        )


def _docx_text(content: bytes, filename: str, max_chars: int) -> str:
    from docx import Document

    document = Document(io.BytesIO(content))
    parts: list[str] = []
    length = 0
    paragraphs = (p.text for p in document.paragraphs)
    cells = (cell.text for table in document.tables for row in table.rows for cell in row.cells)
    for part in _chain(paragraphs, cells):
        if part.strip():
            parts.append(part)
            length += len(part) + 1
            _check_length(length - 1, filename, max_chars)
    return "\n".join(parts)


def _chain(*parts: Iterable[str]) -> Iterator[str]:
    for part in parts:
        yield from part


def _pdf_text(content: bytes, filename: str, max_chars: int) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(content))
        pages: list[str] = []
        length = 0
        for page in reader.pages:
            pages.append(page.extract_text() or "")
            length += len(pages[-1]) + 1
            _check_length(length - 1, filename, max_chars)
        return "\n".join(pages).strip()
    except PyPdfError as exc:
        raise ValueError(str(exc)) from exc


# ---------------------------------------------------------------- export


def export_row(record: Input) -> dict[str, Any]:
    actor = record.actor
    return {
        "id": record.id,
        "external_id": record.external_id or "",
        "submitter": actor.code,
        "submitter_name": actor.name,
        "actor_kind": actor.kind,
        "region": actor.region or "",
        "regional_group": actor.regional_group or "",
        "stakeholder_category": actor.stakeholder_category or "",
        "on_behalf_of": record.on_behalf_of.code if record.on_behalf_of else "",
        "kind": record.kind,
        "meeting": record.meeting.slug if record.meeting else "",
        "title": record.title,
        "text": record.text,
        "dimensions": record.tag_keys("dimensions"),
        "input_types": record.tag_keys("input_types"),
        "references": [format_reference(r.scheme, r.code) for r in record.references],
        "language": record.language,
        "status": record.status,
        "channel": record.channel,
        "submitted_at": record.submitted_at.isoformat() if record.submitted_at else "",
        "withdrawn_reason": record.withdrawn_reason,
        "attachment_name": record.attachment_name,
    }


def _flat(row: dict[str, Any]) -> dict[str, Any]:
    """A row for a spreadsheet: lists joined, and no text that a spreadsheet would run."""
    flat = {k: "; ".join(v) if isinstance(v, list) else v for k, v in row.items()}
    return {k: neutralise_cell(v) if isinstance(v, str) else v for k, v in flat.items()}


def _text_cell(sheet: Any, value: Any) -> Any:
    """A cell whose text is stored as text, never read as a formula."""
    if not isinstance(value, str):
        return value
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def write_inputs(records: Iterable[Input], fmt: str, out: IO[bytes]) -> int:
    """Write inputs as CSV, XLSX or JSON; returns how many were written."""
    count = 0
    if fmt == "csv":
        text = io.TextIOWrapper(out, encoding="utf-8", newline="")
        writer = csv.DictWriter(text, fieldnames=EXPORT_COLUMNS)
        writer.writeheader()
        for record in records:
            writer.writerow(_flat(export_row(record)))
            count += 1
        text.flush()
        text.detach()
    elif fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("inputs")
        sheet.append(list(EXPORT_COLUMNS))
        for record in records:
            row = _flat(export_row(record))
            sheet.append([_text_cell(sheet, row[c]) for c in EXPORT_COLUMNS])
            count += 1
        workbook.save(out)
    elif fmt == "json":
        out.write(b'{"inputs": [\n')
        for record in records:
            out.write(
                (",\n" if count else "").encode()
                + json.dumps(export_row(record), ensure_ascii=False).encode()
            )
            count += 1
        out.write(b"\n]}\n")
    else:
        raise ValidationFailed(
            "export", [Problem("format", f"unknown format {fmt!r}; use csv, xlsx or json")]
        )
    return count

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

FORMATS = ("csv", "xlsx", "json")
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
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in reader.fieldnames or []]
    reader.fieldnames = header
    _check_header(header, source)
    return ((f"row {reader.line_num}", row) for row in reader)


def _xlsx_records(content: bytes, source: str) -> Iterator[tuple[str, dict[str, Any]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ValidationFailed(source, [Problem("", "not a readable XLSX workbook")]) from exc
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    first = next(rows, None)
    header = [str(h).strip() if h is not None else "" for h in first or []]
    _check_header(header, source)

    def records() -> Iterator[tuple[str, dict[str, Any]]]:
        for number, values in enumerate(rows, start=2):
            yield f"row {number}", {h: v for h, v in zip(header, values, strict=False) if h}
        workbook.close()

    return records()


def _json_records(content: bytes, source: str) -> Iterator[tuple[str, dict[str, Any]]]:
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ValidationFailed(source, [Problem(f"byte {exc.start}", "invalid UTF-8")]) from exc
    except json.JSONDecodeError as exc:
        raise ValidationFailed(
            source,
            [Problem(f"line {exc.lineno}, column {exc.colno}", f"not valid JSON: {exc.msg}")],
        ) from exc
    items = data.get("inputs") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise ValidationFailed(
            source, [Problem("", 'expected a list of inputs, or an object with a list "inputs"')]
        )
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


def extract_text(content: bytes, filename: str) -> str:
    """The text of a DOCX or PDF file (or a plain-text file), for a written contribution."""
    suffix = PurePath(filename).suffix.lower()
    try:
        if suffix == ".docx":
            from docx import Document

            document = Document(io.BytesIO(content))
            parts = [p.text for p in document.paragraphs]
            for table in document.tables:
                parts += [cell.text for row in table.rows for cell in row.cells]
            return "\n".join(p for p in parts if p.strip())
        if suffix == ".pdf":
            from pypdf import PdfReader
            from pypdf.errors import PyPdfError

            try:
                reader = PdfReader(io.BytesIO(content))
                return "\n".join((page.extract_text() or "") for page in reader.pages).strip()
            except PyPdfError as exc:
                raise ValueError(str(exc)) from exc
        if suffix in (".txt", ".md"):
            return content.decode("utf-8-sig")
    except (zipfile.BadZipFile, KeyError, ValueError, UnicodeDecodeError) as exc:
        raise ValidationFailed(
            filename, [Problem("attachment", f"not a readable {suffix.lstrip('.').upper()} file")]
        ) from exc
    raise ValidationFailed(
        filename, [Problem("attachment", "only DOCX, PDF or plain-text files are read")]
    )


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
    return {k: "; ".join(v) if isinstance(v, list) else v for k, v in row.items()}


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
            sheet.append([_flat(export_row(record))[c] for c in EXPORT_COLUMNS])
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

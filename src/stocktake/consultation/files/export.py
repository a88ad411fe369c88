"""Writing inputs as CSV, XLSX or JSON for open data; an export imports again unchanged."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO, Any

from stocktake.consultation.files.columns import EXPORT_COLUMNS
from stocktake.consultation.models import Input
from stocktake.consultation.references import format_reference
from stocktake.core.errors import Problem, ValidationFailed
from stocktake.core.spreadsheets import write_table
from stocktake.core.translation import Text


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


def _flat(row: dict[str, Any]) -> list[Any]:
    """A row for a spreadsheet: the export's columns in order, lists joined."""
    return ["; ".join(v) if isinstance(v, list) else v for v in (row[c] for c in EXPORT_COLUMNS)]


def write_inputs(records: Iterable[Input], fmt: str, out: IO[bytes]) -> int:
    """Write inputs as CSV, XLSX (through the one formula-safe writer) or JSON; returns how many
    were written."""
    if fmt in ("csv", "xlsx"):
        rows = (_flat(export_row(record)) for record in records)
        return write_table(fmt, EXPORT_COLUMNS, rows, out, title="inputs")
    if fmt != "json":
        raise ValidationFailed(
            "export",
            [
                Problem(
                    "format", Text("unknown format %(format)r; use csv, xlsx or json", format=fmt)
                )
            ],
        )
    count = 0
    out.write(b'{"inputs": [\n')
    for record in records:
        out.write(
            (",\n" if count else "").encode()
            + json.dumps(export_row(record), ensure_ascii=False).encode()
        )
        count += 1
    out.write(b"\n]}\n")
    return count

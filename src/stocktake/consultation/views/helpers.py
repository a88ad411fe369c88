"""What the consultation pages and API endpoints share: reading an upload within the limit, and
streaming an export."""

from __future__ import annotations

import io

from fastapi import UploadFile
from starlette.responses import Response

from stocktake.consultation.files import write_inputs
from stocktake.consultation.models import Input
from stocktake.core.errors import Problem, ValidationFailed

MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


MAX_FILENAME_CHARS = 255


def read_upload(upload: UploadFile, limit: int) -> bytes:
    name = upload.filename or "upload"
    if len(name) > MAX_FILENAME_CHARS or "\x00" in name:
        raise ValidationFailed(
            name[:80] + "…",
            [Problem("filename", f"must be at most {MAX_FILENAME_CHARS} characters, without NUL")],
        )
    content = upload.file.read(limit + 1)
    if len(content) > limit:
        raise ValidationFailed(
            upload.filename or "upload",
            [Problem("", f"the file is larger than the limit of {limit:,} bytes")],
        )
    if not content:
        raise ValidationFailed(upload.filename or "upload", [Problem("", "the file is empty")])
    return content


def export_response(records: list[Input] | tuple[Input, ...], fmt: str) -> Response:
    buffer = io.BytesIO()
    write_inputs(records, fmt, buffer)
    return Response(
        buffer.getvalue(),
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="inputs.{fmt}"'},
    )

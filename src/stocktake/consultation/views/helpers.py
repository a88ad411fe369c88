"""What the consultation pages and API endpoints share: streaming an export."""

from __future__ import annotations

import io

from starlette.responses import Response

from stocktake.consultation.files import write_inputs
from stocktake.consultation.models import Input

MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


def export_response(records: list[Input] | tuple[Input, ...], fmt: str) -> Response:
    buffer = io.BytesIO()
    write_inputs(records, fmt, buffer)
    return Response(
        buffer.getvalue(),
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="inputs.{fmt}"'},
    )

"""What the consultation pages and API endpoints share: streaming an export, and the words the
pages show for an input's status, kind and channel (stored in English, shown in the reader's
language)."""

from __future__ import annotations

import io

from starlette.responses import Response

from stocktake.consultation.files import write_inputs
from stocktake.consultation.models import Input
from stocktake.web.languages import translatable
from stocktake.web.names import INPUT_STATUSES

MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
# the words shown for the values stored; a page shows them with the `translated` filter
STATUS_NAMES = INPUT_STATUSES
KIND_NAMES = {
    "card": translatable("card"),
    "contribution": translatable("contribution"),
    "statement": translatable("statement"),
}
CHANNEL_NAMES = {
    "web": translatable("web"),
    "api": translatable("api"),
    "import": translatable("import"),
}


def export_response(records: list[Input] | tuple[Input, ...], fmt: str) -> Response:
    buffer = io.BytesIO()
    write_inputs(records, fmt, buffer)
    return Response(
        buffer.getvalue(),
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="inputs.{fmt}"'},
    )

"""Reading an uploaded file, for every page and endpoint that takes one: within the size limit,
never empty, under a file name of sane length."""

from __future__ import annotations

from fastapi import UploadFile

from stocktake.core.errors import Problem, ValidationFailed
from stocktake.core.translation import Counted, Text

MAX_FILENAME_CHARS = 255


def read_upload(upload: UploadFile, limit: int) -> bytes:
    name = upload.filename or "upload"
    if len(name) > MAX_FILENAME_CHARS or "\x00" in name:
        raise ValidationFailed(
            name[:80] + "…",
            [
                Problem(
                    "filename",
                    Text("must be at most %(num)s characters, without NUL", num=MAX_FILENAME_CHARS),
                )
            ],
        )
    content = upload.file.read(limit + 1)
    if len(content) > limit:
        raise ValidationFailed(
            upload.filename or "upload",
            [
                Problem(
                    "",
                    Text("the file is larger than the limit of %(num)s bytes", num=Counted(limit)),
                )
            ],
        )
    if not content:
        raise ValidationFailed(
            upload.filename or "upload", [Problem("", Text("the file is empty"))]
        )
    return content

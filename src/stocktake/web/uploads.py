"""Reading an uploaded file, for every page and endpoint that takes one: within the size limit,
never empty, under a file name of sane length."""

from __future__ import annotations

from fastapi import UploadFile

from stocktake.core.errors import Problem, ValidationFailed

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

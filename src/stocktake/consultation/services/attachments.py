"""Attachments as files to download: kept as sent, served to whoever may read the input (the public
only once it is published), with a content type from the file's extension and a safe file name."""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePath
from urllib.parse import quote

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import Response

from stocktake.consultation.models import Input, InputAttachment
from stocktake.core.errors import NotFound
from stocktake.core.translation import Text

CONTENT_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pdf": "application/pdf",
    ".txt": "text/plain; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".json": "application/json",
}
"""What a file is served as, by its extension; anything else is served as opaque bytes."""
_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")


def content_type_for(name: str) -> str:
    return CONTENT_TYPES.get(PurePath(name).suffix.lower(), "application/octet-stream")


def safe_filename(name: str, fallback: str = "attachment") -> str:
    """The last part of a path, without control characters, at most 200 characters, never empty."""
    base = re.split(r"[\\/]", name)[-1]
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C").strip(" .")
    if len(base) > 200:
        stem, dot, suffix = base.rpartition(".")
        base = (
            (stem[: 200 - len(suffix) - 1] + dot + suffix)
            if dot and len(suffix) < 10
            else base[:200]
        )
    return base or fallback


def content_disposition(name: str) -> str:
    """An attachment header any browser reads: an ASCII name, and the real one encoded (RFC 6266)."""
    name = safe_filename(name)
    ascii_name = _UNSAFE.sub(
        "_", unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    )
    ascii_name = ascii_name.strip(" ._") or "attachment"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def new_attachment(name: str, content: bytes) -> InputAttachment:
    name = safe_filename(name)
    return InputAttachment(
        name=name, content_type=content_type_for(name), size=len(content), content=content
    )


def find_attachment(session: Session, record: Input) -> InputAttachment | None:
    return session.scalar(select(InputAttachment).where(InputAttachment.input_id == record.id))


def get_attachment(session: Session, record: Input) -> InputAttachment:
    """The file kept with an input (which the caller got through get_input, so may read);
    NotFound when none was kept (inputs imported from files, or entered before files were kept)."""
    attachment = find_attachment(session, record)
    if attachment is None:
        raise NotFound(Text("attachment of input"), record.id)
    return attachment


def download(attachment: InputAttachment) -> Response:
    """The file as sent, as a download (never shown in the browser's own page), kept by no shared
    cache: the input may be one its reader sees only as its submitter or the secretariat."""
    return Response(
        attachment.content,
        media_type=attachment.content_type,
        headers={
            "Content-Disposition": content_disposition(attachment.name),
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )

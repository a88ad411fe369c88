"""The text of a written contribution's attachment: DOCX, PDF or plain text, capped in length."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import PurePath

from stocktake.consultation.files.archives import check_archive
from stocktake.core.errors import Problem, ValidationFailed
from stocktake.core.translation import Counted, Text
from stocktake.core.untrusted import xml_safe

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
            check_archive(content, filename, Text("DOCX file"))
            text = _docx_text(content, filename, max_chars)
        elif suffix == ".pdf":
            text = _pdf_text(content, filename, max_chars)
        elif suffix in (".txt", ".md"):
            text = content.decode("utf-8-sig")
        else:
            raise ValidationFailed(
                filename,
                [Problem("attachment", Text("only DOCX, PDF or plain-text files are read"))],
            )
    except (zipfile.BadZipFile, KeyError, ValueError, UnicodeDecodeError, SyntaxError) as exc:
        if isinstance(exc, ValidationFailed):
            raise
        raise ValidationFailed(
            filename, [Problem("attachment", Text("not a readable %(kind)s file", kind=kind))]
        ) from exc
    text = xml_safe(text)  # a PDF's form feeds and other control characters: no export holds them
    _check_length(len(text), filename, max_chars)
    return text


def _check_length(length: int, filename: str, max_chars: int) -> None:
    if length > max_chars:
        raise ValidationFailed(
            filename,
            [
                Problem(
                    "attachment",
                    Text(
                        "its text is longer than the limit of %(limit)s characters;"
                        " send a shorter file or split it",
                        limit=Counted(max_chars),
                    ),
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

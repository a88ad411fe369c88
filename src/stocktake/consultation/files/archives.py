"""The checks a zip archive (a DOCX or XLSX file) passes before any of it is unpacked."""

from __future__ import annotations

import io
import zipfile

from stocktake.core.errors import Problem, ValidationFailed
from stocktake.core.translation import Counted, Text
from stocktake.core.xmlcheck import check_archive_xml

MAX_UNPACKED_BYTES = 200 * 2**20
"""Most bytes the parts of a DOCX or XLSX file (a zip archive) may unpack to."""


def check_archive(content: bytes, source: str, kind: Text) -> None:
    """Refuse a zip archive (DOCX, XLSX) whose parts would unpack to more than the limit, before
    any of it is unpacked, then one whose parts declare a DTD or entities (every part, whole)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            if unpacked > MAX_UNPACKED_BYTES:
                raise ValidationFailed(
                    source,
                    [
                        Problem(
                            "",
                            Text(
                                "the %(kind)s unpacks to %(size)s bytes; at most %(limit)s",
                                kind=kind,
                                size=Counted(unpacked),
                                limit=Counted(MAX_UNPACKED_BYTES),
                            ),
                        )
                    ],
                )
            check_archive_xml(archive, source)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ValidationFailed(
            source, [Problem("", Text("not a readable %(kind)s", kind=kind))]
        ) from exc

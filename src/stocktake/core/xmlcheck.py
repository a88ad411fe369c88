"""The check every XML file and every part of a DOCX or XLSX archive passes before it is parsed:
a document type declaration or an entity declaration is refused wherever it stands, in whatever
encoding the document declares.

The text is read as a parser would read it: the encoding from the byte order mark, from the first
bytes (UTF-16 and UTF-32 without a mark, EBCDIC) or from the XML declaration. It is searched both
in that encoding and byte for byte, so a document that declares one encoding and is written in
another is searched in both. An encoding Python cannot decode is refused, since it cannot be
searched. Parts are read in chunks, so a large part is searched whole without being held whole.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from typing import IO

from stocktake.core.errors import Problem, ValidationFailed
from stocktake.core.translation import Text

CHUNK_BYTES = 2**20
_OVERLAP = 32
_DECLARATION = re.compile(r"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_ENCODING = re.compile(r"""<\?xml[^>]*?\sencoding\s*=\s*["']([^"'\s>]{1,64})["']""")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_FIRST_BYTES = (
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00?", "utf-16-be"),
    (b"<\x00?\x00", "utf-16-le"),
)
_EBCDIC = b"\x4c\x6f\xa7\x94"  # "<?xm" in EBCDIC


def xml_encoding(head: bytes) -> str:
    """The encoding a parser reads a document in, from its first bytes (a kilobyte is enough)."""
    for bom, name in (*_BOMS, *_FIRST_BYTES):
        if head.startswith(bom):
            return name
    family = "cp037" if head.startswith(_EBCDIC) else "latin-1"
    found = _ENCODING.match(head[:1024].decode(family, errors="replace"))
    if found:
        return found.group(1)
    return "cp037" if family == "cp037" else "utf-8"


def check_xml(content: bytes | IO[bytes], source: str, where: str = "") -> None:
    """Refuse a document that declares a document type or an entity, read whole."""
    stream = io.BytesIO(content) if isinstance(content, bytes) else content
    head = stream.read(CHUNK_BYTES)
    encoding = xml_encoding(head)
    unreadable = ValidationFailed(
        source,
        [
            Problem(
                where,
                Text(
                    "is encoded in %(encoding)r, which is not read; save it as UTF-8",
                    encoding=encoding,
                ),
            )
        ],
    )
    try:
        codec = codecs.lookup(encoding)
    except LookupError as exc:
        raise unreadable from exc
    if not getattr(codec, "_is_text_encoding", True):  # hex, base64, zlib, rot13: not a text's
        raise unreadable
    decoder = codec.incrementaldecoder(errors="replace")
    text_tail = raw_tail = ""
    chunk = head
    while chunk:
        try:
            decoded = decoder.decode(chunk)
        except (UnicodeError, ValueError, TypeError, AssertionError) as exc:
            # e.g. a declared UTF-16 without its byte order mark: not written as it says
            raise ValidationFailed(
                source,
                [
                    Problem(
                        where,
                        Text(
                            "declares the encoding %(encoding)r but is not written in it",
                            encoding=encoding,
                        ),
                    )
                ],
            ) from exc
        text = text_tail + decoded
        raw = raw_tail + chunk.decode("latin-1")
        if _DECLARATION.search(text) or _DECLARATION.search(raw):
            raise ValidationFailed(
                source,
                [
                    Problem(
                        where,
                        Text("declares a DTD or entities; refused (never expanded)"),
                    )
                ],
            )
        text_tail, raw_tail = text[-_OVERLAP:], raw[-_OVERLAP:]
        chunk = stream.read(CHUNK_BYTES)


def check_archive_xml(archive: zipfile.ZipFile, source: str) -> None:
    """Check every part of a zip archive (a DOCX or XLSX) whole, whatever its name: any part may
    be read as XML, the relationships (`.rels`) first of all."""
    for info in archive.infolist():
        if info.is_dir():
            continue
        try:
            with archive.open(info) as part:
                check_xml(part, source, info.filename)
        except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, EOFError) as exc:
            raise ValidationFailed(
                source, [Problem(info.filename, Text("is not readable"))]
            ) from exc

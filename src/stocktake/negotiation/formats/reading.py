"""Read a draft from Markdown or plain text, DOCX or Akoma Ntoso XML, safely.

Every reader returns a `ParsedDraft`; nothing is stored here. Hostile files (XML entities, a DTD,
a zip bomb) and files without any paragraph are refused with a `ValidationFailed`.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from stocktake.core.errors import Problem, ValidationFailed
from stocktake.core.translation import Text
from stocktake.core.xmlcheck import check_archive_xml
from stocktake.negotiation.formats.office import IDENTITY, footnotes_of, identity_of
from stocktake.negotiation.formats.parsed import (
    MAX_ELEMENTS,
    MAX_XML_ELEMENTS,
    ParsedDraft,
    ParsedElement,
    too_many,
)
from stocktake.negotiation.formats.reading_akn import read_akn
from stocktake.negotiation.models import ElementKind
from stocktake.negotiation.text import typed_heading

__all__ = [
    "MAX_ELEMENTS",
    "MAX_XML_ELEMENTS",
    "ParsedDraft",
    "ParsedElement",
    "format_of",
    "read_akn",
    "read_docx",
    "read_draft",
    "read_text",
]

MAX_UNZIPPED = 50 * 2**20  # a draft's DOCX unpacks to a few megabytes at most
MAX_RATIO = 100  # no honest part of a DOCX compresses a hundredfold
FORMATS = ("md", "txt", "docx", "akn")


def format_of(name: str, given: str | None = None) -> str:
    if given:
        fmt = given.lower().lstrip(".")
    else:
        suffix = name.rsplit(".", 1)[-1].lower() if "." in name else "txt"
        fmt = {"xml": "akn", "markdown": "md", "text": "txt"}.get(suffix, suffix)
    if fmt not in FORMATS:
        raise ValidationFailed(
            name,
            [
                Problem(
                    "format",
                    Text("unknown format %(format)r; use md, txt, docx or akn (XML)", format=fmt),
                )
            ],
        )
    return fmt


def read_draft(content: bytes, name: str, fmt: str | None = None) -> ParsedDraft:
    fmt = format_of(name, fmt)
    if fmt == "docx":
        parsed = read_docx(content, name)
    elif fmt == "akn":
        from stocktake.negotiation.formats.reading_akn import read_akn

        parsed = read_akn(content, name)
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationFailed(
                name, [Problem("", Text("not UTF-8 text (byte %(byte)s)", byte=exc.start))]
            ) from exc
        parsed = read_text(text, name)
    parsed.title = _REVISION_LABEL.sub("", parsed.title)
    if not any(e.kind in (ElementKind.PARAGRAPH, ElementKind.PREAMBLE) for e in parsed.elements):
        raise ValidationFailed(name, [Problem("", Text("no paragraph found in the file"))])
    return parsed


_REVISION_LABEL = re.compile(r"\s*\((?:Zero draft|Rev\.\s*\d+|Final|Working text)\)$")
"""The revision an export names after the title: not part of the draft's title."""

# --- Markdown and plain text -------------------------------------------------------------------

_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_ROMAN_HEADING = re.compile(r"^([IVXLC]+)\.\s+(.+)$")
_OBJECTIVE = re.compile(r"^(Objective\s+\d+[:.]?.*)$", re.IGNORECASE)
_NUMBERED = re.compile(r"^(?:[-*]\s+)?(\d+)\s*(?:bis|ter|quater)?[.)]\s+(.+)$")
_LETTERED = re.compile(r"^(?:[-*]\s+)?\(?([a-z]{1,2})[.)]\s+(.+)$")
_FOOTNOTE_DEF = re.compile(r"^\[\^([^\]]+)\]:\s*(.+)$")
_FOOTNOTE_REF = re.compile(r"\[\^([^\]]+)\]")
_STATUS_NOTE = re.compile(r"\s*_?\(agreed ad ref(?:\.|erendum)\)_?\s*$")
_IDENTITY_COMMENT = re.compile(r"(?<!\\)<!--\s*([a-z]+_\d+)\s*-->")


def _identity(body: str) -> tuple[str, str]:
    """The words without identity comments, and the first identity among them."""
    found = [m.group(1) for m in _IDENTITY_COMMENT.finditer(body) if IDENTITY.match(m.group(1))]
    words = _IDENTITY_COMMENT.sub("", body).strip().replace("\\<!--", "<!--")
    return words, (found[0] if found else "")


def _literal(words: str) -> str:
    """Words of a DOCX as words: a comment typed in them is escaped, never read as an identity."""
    return words.replace("<!--", "\\<!--")


def read_text(text: str, name: str = "text") -> ParsedDraft:
    """Markdown or plain text: `# Title`, `## Heading` (or `I. Heading`), `1.` paragraphs,
    `(a)` points, `[^1]: …` footnotes; unnumbered text before the first heading or numbered
    paragraph is the preamble."""
    reader = _TextReader()
    for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        reader.line(line.strip(), number)
    reader.flush()
    _attach_footnotes(reader.parsed, reader.footnotes, reader.refs)
    reader.parsed.title = reader.title or name
    return reader.parsed


class _TextReader:
    def __init__(self) -> None:
        self.parsed = ParsedDraft(title="")
        self.title = ""
        self.footnotes: dict[str, tuple[str, str]] = {}
        self.refs: dict[str, tuple[int, str]] = {}
        self.seen_body = False
        self.paragraph: list[str] = []
        self.number = 0

    def flush(self) -> None:
        if self.paragraph:
            kind = ElementKind.PARAGRAPH if self.seen_body else ElementKind.PREAMBLE
            self.add(kind, " ".join(self.paragraph))
            self.paragraph.clear()

    def add(self, kind: ElementKind, body: str) -> None:
        status = "open"
        body, eid = _identity(body)
        if match := _STATUS_NOTE.search(body):
            body, status = body[: match.start()], "agreed_ad_ref"
        for match in _FOOTNOTE_REF.finditer(body):
            before = " ".join(_FOOTNOTE_REF.sub("", body[: match.start()]).split())
            self.refs.setdefault(match.group(1), (len(self.parsed.elements), before[-60:]))
        clean = " ".join(_FOOTNOTE_REF.sub("", body).split())
        label = ""
        if kind is ElementKind.HEADING:
            label, clean = typed_heading(clean)
        if clean:
            self.parsed.elements.append(
                ParsedElement(kind, clean, {"line": self.number}, label, status, eid)
            )

    def block(self, kind: ElementKind, body: str) -> None:
        self.flush()
        if kind is not ElementKind.POINT:
            self.seen_body = True
        self.add(kind, body)

    def line(self, line: str, number: int) -> None:
        self.number = number
        if not line:
            self.flush()
        elif match := _FOOTNOTE_DEF.match(line):
            self.flush()
            self.footnotes[match.group(1)] = _identity(match.group(2))
        elif match := _HEADING.match(line):
            if len(match.group(1)) == 1 and not self.title and not self.parsed.elements:
                self.title = match.group(2).strip()
            else:
                self.block(ElementKind.HEADING, match.group(2))
        elif match := _NUMBERED.match(line):
            self.block(ElementKind.PARAGRAPH, match.group(2))
        elif _ROMAN_HEADING.match(line) or _OBJECTIVE.match(line):
            self.block(ElementKind.HEADING, line)
        elif (match := _LETTERED.match(line)) and self.seen_body:
            self.block(ElementKind.POINT, match.group(2))
        elif not self.title and not self.parsed.elements and not self.paragraph:
            self.title = line.lstrip("# ").strip()
        else:
            self.paragraph.append(line)


def _attach_footnotes(
    parsed: ParsedDraft, notes: dict[str, tuple[str, str]], refs: dict[str, tuple[int, str]]
) -> None:
    """Each footnote goes right after the element (and that element's points) that cites it,
    remembering the words its mark follows."""
    placed: list[tuple[int, ParsedElement]] = []
    for key, (body, eid) in notes.items():
        at, after = refs.get(key, (len(parsed.elements) - 1, ""))
        origin = {"footnote": key, "after": after} if after else {"footnote": key}
        note = ParsedElement(ElementKind.FOOTNOTE, body, origin, eid=eid)
        placed.append((at, note))
    for at, note in sorted(placed, key=lambda p: -p[0]):
        end = at + 1
        while end < len(parsed.elements) and parsed.elements[end].kind in (
            ElementKind.POINT,
            ElementKind.FOOTNOTE,
        ):
            end += 1
        parsed.elements.insert(end, note)


# --- DOCX -------------------------------------------------------------------------------------


def check_zip(content: bytes, name: str) -> None:
    """Refuse a zip bomb before anything is unpacked: sizes and ratios from the directory."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile as exc:
        raise ValidationFailed(
            name, [Problem("", Text("not a DOCX file (not a zip archive)"))]
        ) from exc
    with archive:
        total = 0
        for info in archive.infolist():
            total += info.file_size
            ratio = info.file_size / max(1, info.compress_size)
            if total > MAX_UNZIPPED or (info.file_size > 2**20 and ratio > MAX_RATIO):
                raise ValidationFailed(
                    name,
                    [
                        Problem(
                            info.filename,
                            Text("unpacks to far more than a draft can hold; refused"),
                        )
                    ],
                )
        if "word/document.xml" not in archive.namelist():
            raise ValidationFailed(
                name, [Problem("", Text("not a DOCX file (no word/document.xml)"))]
            )
        check_archive_xml(archive, name)


def read_docx(content: bytes, name: str) -> ParsedDraft:
    """Headings by style, numbered lists (level 0 a paragraph, deeper a point), the title by the
    Title style; numbers typed into the text are detected as in plain text."""
    check_zip(content, name)
    from docx import Document

    try:
        document = Document(io.BytesIO(content))
    except Exception as exc:  # python-docx raises many kinds on a malformed package
        raise ValidationFailed(
            name, [Problem("", Text("not a readable DOCX file: %(reason)s", reason=str(exc)))]
        ) from exc
    lines: list[str] = []
    title = ""
    written = 0
    for paragraph in document.paragraphs:
        text = " ".join(_docx_text(paragraph).split())
        if not text:
            lines.append("")
            continue
        written += 1
        if written > MAX_ELEMENTS + 1:  # each written paragraph is an element, but the title
            raise too_many(name)
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        level = _list_level(paragraph)
        if style == "Title" and not title:
            title = text
            lines[:0] = [f"# {text}", ""]
        elif style.startswith("Heading"):
            lines += ["", f"## {text}", ""]
        elif level is not None or style.startswith("List Number"):
            prefix = "1." if (level or 0) == 0 and "2" not in style else "(a)"
            lines += ["", f"{prefix} {text}", ""]
        else:
            lines += [text, ""]
    lines += [
        "",
        *(
            f"[^{key}]: {_literal(note)}" + (f" <!-- {eid} -->" if eid else "")
            for key, (note, eid) in footnotes_of(document).items()
        ),
    ]
    parsed = read_text("\n".join(lines), name)
    if title:
        parsed.title = title
    parsed.origin = {"file": name, "format": "docx"}
    return parsed


def _docx_text(paragraph: Any) -> str:
    """A paragraph's words with `[^id]` where a footnote's mark stands (deleted words of tracked
    changes left out), and the identity its bookmark carries as a comment at the end."""
    from docx.oxml.ns import qn

    parts: list[str] = []
    for element in paragraph._p.iter(qn("w:t"), qn("w:tab"), qn("w:footnoteReference")):
        if element.tag == qn("w:t"):
            parts.append(_literal(element.text or ""))
        elif element.tag == qn("w:tab"):
            parts.append(" ")
        else:
            parts.append(f"[^{element.get(qn('w:id'))}]")
    eid = identity_of(paragraph)
    return "".join(parts) + (f" <!-- {eid} -->" if eid else "")


def _list_level(paragraph: Any) -> int | None:
    properties = paragraph._p.pPr  # python-docx exposes numbering only here
    if properties is None or properties.numPr is None:
        return None
    level = properties.numPr.ilvl
    return int(level.val) if level is not None else 0

"""Read a draft from Markdown or plain text, DOCX or Akoma Ntoso XML, safely.

Every reader returns a `ParsedDraft`; nothing is stored here. Hostile files (XML entities, a DTD,
a zip bomb) and files without any paragraph are refused with a `ValidationFailed`.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from stocktake.core.errors import Problem, ValidationFailed
from stocktake.core.xmlcheck import check_archive_xml, check_xml
from stocktake.negotiation.formats.office import read_footnotes
from stocktake.negotiation.models import ElementKind
from stocktake.negotiation.text import typed_heading

MAX_UNZIPPED = 50 * 2**20  # a draft's DOCX unpacks to a few megabytes at most
MAX_RATIO = 100  # no honest part of a DOCX compresses a hundredfold
FORMATS = ("md", "txt", "docx", "akn")
MAX_ELEMENTS = 5_000
"""Most elements (paragraphs, points, headings, footnotes) a draft may have."""
MAX_XML_ELEMENTS = 20 * MAX_ELEMENTS
"""Most XML elements an Akoma Ntoso file may have; counted while it is parsed, so a huge file is
refused as soon as it passes the limit."""


@dataclass
class ParsedElement:
    kind: ElementKind
    text: str
    origin: dict[str, Any] = field(default_factory=dict)
    label: str = ""  # a heading's own typed number ("Objective 3")
    status: str = "open"  # "agreed ad ref." written after a paragraph is read as its status


@dataclass
class ParsedDraft:
    title: str
    elements: list[ParsedElement] = field(default_factory=list)
    origin: dict[str, Any] = field(default_factory=dict)


def format_of(name: str, given: str | None = None) -> str:
    if given:
        fmt = given.lower().lstrip(".")
    else:
        suffix = name.rsplit(".", 1)[-1].lower() if "." in name else "txt"
        fmt = {"xml": "akn", "markdown": "md", "text": "txt"}.get(suffix, suffix)
    if fmt not in FORMATS:
        raise ValidationFailed(
            name, [Problem("format", f"unknown format {fmt!r}; use md, txt, docx or akn (XML)")]
        )
    return fmt


def read_draft(content: bytes, name: str, fmt: str | None = None) -> ParsedDraft:
    fmt = format_of(name, fmt)
    if fmt == "docx":
        parsed = read_docx(content, name)
    elif fmt == "akn":
        parsed = read_akn(content, name)
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationFailed(
                name, [Problem("", f"not UTF-8 text (byte {exc.start})")]
            ) from exc
        parsed = read_text(text, name)
    parsed.title = _REVISION_LABEL.sub("", parsed.title)
    if not any(e.kind in (ElementKind.PARAGRAPH, ElementKind.PREAMBLE) for e in parsed.elements):
        raise ValidationFailed(name, [Problem("", "no paragraph found in the file")])
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
        self.footnotes: dict[str, str] = {}
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
                ParsedElement(kind, clean, {"line": self.number}, label, status)
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
            self.footnotes[match.group(1)] = match.group(2).strip()
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
    parsed: ParsedDraft, notes: dict[str, str], refs: dict[str, tuple[int, str]]
) -> None:
    """Each footnote goes right after the element (and that element's points) that cites it,
    remembering the words its mark follows."""
    placed: list[tuple[int, ParsedElement]] = []
    for key, body in notes.items():
        at, after = refs.get(key, (len(parsed.elements) - 1, ""))
        origin = {"footnote": key, "after": after} if after else {"footnote": key}
        placed.append((at, ParsedElement(ElementKind.FOOTNOTE, body, origin)))
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
        raise ValidationFailed(name, [Problem("", "not a DOCX file (not a zip archive)")]) from exc
    with archive:
        total = 0
        for info in archive.infolist():
            total += info.file_size
            ratio = info.file_size / max(1, info.compress_size)
            if total > MAX_UNZIPPED or (info.file_size > 2**20 and ratio > MAX_RATIO):
                raise ValidationFailed(
                    name,
                    [Problem(info.filename, "unpacks to far more than a draft can hold; refused")],
                )
        if "word/document.xml" not in archive.namelist():
            raise ValidationFailed(name, [Problem("", "not a DOCX file (no word/document.xml)")])
        check_archive_xml(archive, name)


def read_docx(content: bytes, name: str) -> ParsedDraft:
    """Headings by style, numbered lists (level 0 a paragraph, deeper a point), the title by the
    Title style; numbers typed into the text are detected as in plain text."""
    check_zip(content, name)
    from docx import Document

    try:
        document = Document(io.BytesIO(content))
    except Exception as exc:  # python-docx raises many kinds on a malformed package
        raise ValidationFailed(name, [Problem("", f"not a readable DOCX file: {exc}")]) from exc
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
            raise _too_many(name)
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
    lines += ["", *(f"[^{key}]: {note}" for key, note in read_footnotes(document).items())]
    parsed = read_text("\n".join(lines), name)
    if title:
        parsed.title = title
    parsed.origin = {"file": name, "format": "docx"}
    return parsed


def _docx_text(paragraph: Any) -> str:
    """A paragraph's words with `[^id]` where a footnote's mark stands (deleted words of tracked
    changes left out)."""
    from docx.oxml.ns import qn

    parts: list[str] = []
    for element in paragraph._p.iter(qn("w:t"), qn("w:tab"), qn("w:footnoteReference")):
        if element.tag == qn("w:t"):
            parts.append(element.text or "")
        elif element.tag == qn("w:tab"):
            parts.append(" ")
        else:
            parts.append(f"[^{element.get(qn('w:id'))}]")
    return "".join(parts)


def _list_level(paragraph: Any) -> int | None:
    properties = paragraph._p.pPr  # python-docx exposes numbering only here
    if properties is None or properties.numPr is None:
        return None
    level = properties.numPr.ilvl
    return int(level.val) if level is not None else 0


# --- Akoma Ntoso ------------------------------------------------------------------------------

HIER = {
    "section",
    "chapter",
    "part",
    "title",
    "book",
    "article",
    "paragraph",
    "subparagraph",
    "point",
    "clause",
    "subsection",
    "hcontainer",
    "list",
    "item",
    "division",
    "rule",
    "tome",
    "subchapter",
    "subpart",
    "indent",
    "alinea",
}
CONTAINERS = {"section", "chapter", "part", "title", "book", "division", "tome", "subchapter"}


def parse_xml(content: bytes, name: str) -> etree._Element:
    """Parse XML without entities, DTDs or network: a DOCTYPE or ENTITY declaration is refused
    before parsing, in the document's own encoding, and a file of more than `MAX_XML_ELEMENTS`
    elements is refused as soon as the parser reaches the limit."""
    check_xml(content, name)
    events = etree.iterparse(
        io.BytesIO(content),
        events=("start",),
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        for count, _ in enumerate(events, start=1):
            if count > MAX_XML_ELEMENTS:
                raise _too_many(name)
        root: etree._Element = events.root
    except etree.XMLSyntaxError as exc:
        raise ValidationFailed(
            name, [Problem(f"line {exc.lineno}" if exc.lineno else "", f"malformed XML: {exc.msg}")]
        ) from exc
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise ValidationFailed(
            name, [Problem("", "declares a DTD or entities; refused (never expanded)")]
        )
    return root


def _too_many(name: str) -> ValidationFailed:
    return ValidationFailed(
        name,
        [Problem("", f"more than {MAX_ELEMENTS:,} elements; split the text or send it in parts")],
    )


def _local(element: etree._Element) -> str:
    tag = element.tag
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _text(element: etree._Element, marks: dict[int, str] | None = None) -> str:
    """The running text of an element without its num, heading or authorial notes; `marks`
    gets, for each authorial note, the words before it."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if _local(node) in {"num", "heading", "authorialNote", "noteRef", "subheading"}:
            if marks is not None and _local(node) == "authorialNote":
                marks[id(node)] = " ".join("".join(parts).split())[-60:]
            if node.tail:
                parts.append(node.tail)
            return
        if node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
        if node.tail:
            parts.append(node.tail)

    if element.text:
        parts.append(element.text)
    for child in element:
        walk(child)
    return " ".join("".join(parts).split())


def read_akn(content: bytes, name: str) -> ParsedDraft:
    """Any Akoma Ntoso 3.0 document (the final or a working-draft namespace): preamble paragraphs,
    headings of containers, numbered units as paragraphs, nested units as points, authorial notes
    as footnotes."""
    root = parse_xml(content, name)
    if _local(root) != "akomaNtoso":
        raise ValidationFailed(name, [Problem("", "not an Akoma Ntoso document")])
    parsed = ParsedDraft(title="", origin={"file": name, "format": "akn"})
    title = next(
        (_text(e) for e in root.iter() if _local(e) in {"docTitle", "shortTitle"} and _text(e)),
        "",
    )
    if not title:
        name_el = next((e for e in root.iter() if _local(e) == "FRBRname"), None)
        title = name_el.get("value", "") if name_el is not None else ""
    parsed.title = title or name
    for element in root.iter():
        if _local(element) == "preamble":
            for p in element.iter():
                inside_note = any(_local(a) == "authorialNote" for a in p.iterancestors())
                if _local(p) != "p" or inside_note:
                    continue
                marks: dict[int, str] = {}
                if text := _text(p, marks):
                    owner = p.getparent() if _local(p.getparent()) == "container" else p
                    parsed.elements.append(ParsedElement(ElementKind.PREAMBLE, text, _src(owner)))
                    _notes(parsed, p, marks)
            break
    body = next(
        (
            e
            for e in root.iter()
            if _local(e) in {"body", "mainBody", "judgmentBody", "portionBody"}
        ),
        None,
    )
    if body is None:
        body = next((e for e in root.iter() if _local(e) == "debateBody"), None)
    if body is not None:
        _walk_body(body, parsed, depth=0)
    return parsed


def _src(element: etree._Element) -> dict[str, Any]:
    eid = element.get("wId") or element.get("eId") or element.get("id")
    return {"akn": eid} if eid else {}


def _notes(parsed: ParsedDraft, part: etree._Element, marks: dict[int, str]) -> None:
    """The authorial notes of a part as footnotes, each remembering the words its mark follows."""
    for note in part.iter():
        if _local(note) == "authorialNote" and (text := _text(note)):
            origin = _src(note)
            if after := marks.get(id(note), ""):
                origin["after"] = after
            parsed.elements.append(ParsedElement(ElementKind.FOOTNOTE, text, origin))


def _walk_body(element: etree._Element, parsed: ParsedDraft, depth: int) -> None:
    """A unit with a heading gives a heading; its own words give a paragraph (a point when it is
    nested in a paragraph); the units inside it follow."""
    for child in element:
        local = _local(child)
        if local not in HIER and local not in {"speech", "question", "answer", "p", "blockList"}:
            if local in {"debateSection", "judgmentBody", "introduction", "background"}:
                _walk_body(child, parsed, depth)
            continue
        heading = next((_text(h) for h in child if _local(h) == "heading"), "")
        marks: dict[int, str] = {}
        own = " ".join(
            _text(c, marks)
            for c in child
            if _local(c) in {"content", "intro", "p", "wrapUp", "from"}
        ) or (_text(child, marks) if local == "p" else "")
        if heading:
            num = next((_text(n) for n in child if _local(n) == "num"), "")
            label, _ = typed_heading(f"{num} {heading}")
            label, heading = typed_heading(heading) if not label else (label, heading)
            parsed.elements.append(ParsedElement(ElementKind.HEADING, heading, _src(child), label))
        if len(parsed.elements) > MAX_ELEMENTS:
            raise _too_many(str(parsed.origin.get("file", "")))
        if own:
            kind = ElementKind.POINT if depth > 0 else ElementKind.PARAGRAPH
            parsed.elements.append(ParsedElement(kind, own, _src(child)))
            for part in child:
                if _local(part) in {"content", "intro", "p", "wrapUp"}:
                    _notes(parsed, part, marks)
        nested_depth = depth + 1 if own and local not in CONTAINERS else depth
        _walk_body(child, parsed, nested_depth)

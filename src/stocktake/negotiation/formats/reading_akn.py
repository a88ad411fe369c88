"""Read a draft from any Akoma Ntoso 3.0 document, safely: no entities, no DTD, no network, a
limit on the number of elements counted while parsing."""

from __future__ import annotations

import io
from typing import Any

from lxml import etree

from stocktake.core.errors import Problem, ValidationFailed
from stocktake.core.translation import Text
from stocktake.core.xmlcheck import check_xml
from stocktake.negotiation.formats.office import IDENTITY
from stocktake.negotiation.formats.parsed import (
    MAX_ELEMENTS,
    MAX_XML_ELEMENTS,
    ParsedDraft,
    ParsedElement,
    too_many,
)
from stocktake.negotiation.models import ElementKind
from stocktake.negotiation.text import typed_heading

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
                raise too_many(name)
        root: etree._Element = events.root
    except etree.XMLSyntaxError as exc:
        raise ValidationFailed(
            name,
            [
                Problem(
                    f"line {exc.lineno}" if exc.lineno else "",
                    Text("malformed XML: %(reason)s", reason=exc.msg),
                )
            ],
        ) from exc
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise ValidationFailed(
            name, [Problem("", Text("declares a DTD or entities; refused (never expanded)"))]
        )
    return root


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
        raise ValidationFailed(name, [Problem("", Text("not an Akoma Ntoso document"))])
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
                    parsed.elements.append(_element(ElementKind.PREAMBLE, text, owner))
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


def _element(
    kind: ElementKind, text: str, source: etree._Element, label: str = ""
) -> ParsedElement:
    """An element read from Akoma Ntoso, its wId taken as its identity when it is one of ours."""
    wid = source.get("wId") or ""
    return ParsedElement(kind, text, _src(source), label, eid=wid if IDENTITY.match(wid) else "")


def _notes(parsed: ParsedDraft, part: etree._Element, marks: dict[int, str]) -> None:
    """The authorial notes of a part as footnotes, each remembering the words its mark follows."""
    for note in part.iter():
        if _local(note) == "authorialNote" and (text := _text(note)):
            element = _element(ElementKind.FOOTNOTE, text, note)
            if after := marks.get(id(note), ""):
                element.origin["after"] = after
            parsed.elements.append(element)


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
            parsed.elements.append(_element(ElementKind.HEADING, heading, child, label))
            for part in child:
                if _local(part) == "heading":
                    heading_marks: dict[int, str] = {}
                    _text(part, heading_marks)
                    _notes(parsed, part, heading_marks)
        if len(parsed.elements) > MAX_ELEMENTS:
            raise too_many(str(parsed.origin.get("file", "")))
        if own:
            kind = ElementKind.POINT if depth > 0 else ElementKind.PARAGRAPH
            parsed.elements.append(_element(kind, own, child))
            for part in child:
                if _local(part) in {"content", "intro", "p", "wrapUp"}:
                    _notes(parsed, part, marks)
        nested_depth = depth + 1 if own and local not in CONTAINERS else depth
        _walk_body(child, parsed, nested_depth)

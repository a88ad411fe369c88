"""Akoma Ntoso 3.0 export: one `statement` document per revision and language, with FRBR
identifiers of the work (the draft), the expression (the revision in a language) and the
manifestation (this XML file). As the naming convention has it, an element's eId says where it
stands in this expression (`sec_II__para_5__point_a`, from the numbers) and its wId is its identity
for good (`pnt_14`), so a paragraph keeps its wId across revisions however it is renumbered or
moved."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import replace

from lxml import etree

from stocktake.core.untrusted import xml_safe
from stocktake.negotiation.formats.office import IDENTITY
from stocktake.negotiation.models import ElementKind
from stocktake.negotiation.text import Node, heading_number, notes_of, with_marks

AKN = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
LANGUAGES = {"en": "eng", "fr": "fra", "es": "spa", "ar": "ara", "zh": "zho", "ru": "rus"}


def _el(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(
        parent, f"{{{AKN}}}{tag}", {k.rstrip("_"): v for k, v in attrs.items()}
    )
    if text is not None:
        element.text = text
    return element


def frbr_uris(
    process: str, draft_id: int, revision: str, language: str, date: dt.date
) -> dict[str, str]:
    return uris_of(f"/akn/un/statement/draft/{process}-{draft_id}", revision, language, date)


def uris_of(work: str, version: str, language: str, date: dt.date) -> dict[str, str]:
    """The FRBR identifiers of a work, its expression in a language and version, and this file."""
    lang = LANGUAGES.get(language, language)
    version = version.lower().replace(" ", "-").replace(".", "")
    expression = f"{work}/{lang}@{date.isoformat()}!{version}"
    return {
        "work": work,
        "work_this": f"{work}/!main",
        "expression": expression,
        "expression_this": f"{expression}/!main",
        "manifestation": f"{expression}/!main.xml",
        "language": lang,
    }


def identification(meta: etree._Element, uris: dict[str, str], date: dt.date, name: str) -> None:
    identification = _el(meta, "identification", source="#secretariat")
    work = _el(identification, "FRBRWork")
    _el(work, "FRBRthis", value=uris["work_this"])
    _el(work, "FRBRuri", value=uris["work"])
    _el(work, "FRBRdate", date=date.isoformat(), name="issued")
    _el(work, "FRBRauthor", href="#secretariat")
    _el(work, "FRBRcountry", value="un")
    _el(work, "FRBRname", value=name)
    expression = _el(identification, "FRBRExpression")
    _el(expression, "FRBRthis", value=uris["expression_this"])
    _el(expression, "FRBRuri", value=uris["expression"])
    _el(expression, "FRBRdate", date=date.isoformat(), name="issued")
    _el(expression, "FRBRauthor", href="#secretariat")
    _el(expression, "FRBRlanguage", language=uris["language"])
    manifestation = _el(identification, "FRBRManifestation")
    _el(manifestation, "FRBRthis", value=uris["manifestation"])
    _el(manifestation, "FRBRuri", value=uris["manifestation"])
    _el(manifestation, "FRBRdate", date=date.isoformat(), name="generated")
    _el(manifestation, "FRBRauthor", href="#secretariat")


def to_akn(
    *,
    title: str,
    nodes: list[Node],
    process: str,
    draft_id: int,
    revision: str,
    language: str,
    date: dt.date,
) -> bytes:
    # words stored before control characters were refused: XML cannot hold them
    title = xml_safe(title)
    nodes = [replace(node, text=xml_safe(node.text)) for node in nodes]
    uris = frbr_uris(process, draft_id, revision, language, date)
    root = etree.Element(f"{{{AKN}}}akomaNtoso", nsmap={None: AKN})
    document = _el(root, "statement", name="draft", contains="originalVersion")
    meta = _el(document, "meta")
    identification(meta, uris, date, title)
    references(meta)
    preface = _el(document, "preface")
    heading = _el(preface, "p", eId="preface__p_1")
    _el(heading, "docTitle", title)
    _el(heading, "docStage", revision)
    write_text(document, nodes, write_words)
    return serialise(root)


Writer = Callable[[etree._Element, Node, dict[str, list[Node]], dict[str, str]], None]
"""Writes one element's words (and its notes) into a `p` or a `heading`."""


def write_text(
    document: etree._Element,
    nodes: list[Node],
    write: Writer,
    footnotes: dict[str, list[Node]] | None = None,
) -> None:
    """The preamble and main body of a document, each element's words written by `write` (with
    the footnotes of each element, by default the footnotes after it)."""
    footnotes = notes_of(nodes) if footnotes is None else footnotes
    eids = akn_eids(nodes, footnotes)
    preamble_nodes = [n for n in nodes if n.kind == ElementKind.PREAMBLE]
    if preamble_nodes:
        preamble = _el(document, "preamble")
        for node in preamble_nodes:
            attrs = {"eId": eids[node.eid], **wid(node), "name": "preambularParagraph"}
            write(_el(preamble, "container", **attrs), node, footnotes, eids)
    body = _el(document, "mainBody")
    _body(body, [n for n in nodes if n.kind != ElementKind.PREAMBLE], footnotes, eids, write)


def serialise(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def references(meta: etree._Element) -> etree._Element:
    """The references of a document, the secretariat who issues it first."""
    element = _el(meta, "references", source="#secretariat")
    _el(
        element,
        "TLCOrganization",
        eId="secretariat",
        href="/akn/ontology/organization/un/secretariat",
        showAs="Secretariat",
    )
    return element


def akn_eids(nodes: list[Node], footnotes: dict[str, list[Node]] | None = None) -> dict[str, str]:
    """Each element's eId in this expression (`sec_II__para_5__point_a`) by its identity, as
    `to_akn` writes them: where an amendment or a bracket points into the text. A footnote's is
    its owner's with `__authorialNote_N`."""
    eids: dict[str, str] = {}
    preambles = 0
    prefix = paragraph = ""
    for node in nodes:
        if node.kind == ElementKind.PREAMBLE:
            preambles += 1
            eids[node.eid] = f"preamble__container_{preambles}"
        elif node.kind == ElementKind.HEADING:
            eids[node.eid] = prefix = f"sec_{_num(node.number)}"
            paragraph = ""
        elif node.kind == ElementKind.PARAGRAPH:
            paragraph = f"{prefix or 'body'}__para_{_num(node.number)}"
            eids[node.eid] = paragraph
        elif node.kind == ElementKind.POINT:
            eids[node.eid] = f"{paragraph or prefix or 'body'}__point_{_num(node.number)}"
    for owner, notes in (notes_of(nodes) if footnotes is None else footnotes).items():
        for index, note in enumerate(notes, start=1):
            eids[note.eid] = f"{eids.get(owner, 'body')}__authorialNote_{index}"
    return eids


def _num(number: str) -> str:
    """A number as the naming convention writes it in an eId: I, 3, a, Objective-20."""
    return re.sub(r"[^\w]+", "-", number).strip("-")


def _note(parent: etree._Element, note: Node, eid: str) -> None:
    element = _el(
        parent, "authorialNote", marker=note.number, placement="bottom", eId=eid, wId=note.eid
    )
    _el(element, "p", note.text)


def _p(
    parent: etree._Element, node: Node, footnotes: dict[str, list[Node]], eids: dict[str, str]
) -> None:
    """The words with each footnote as an authorial note where its mark stands."""
    p = _el(parent, "p")
    last: etree._Element | None = None
    for words, note in with_marks(node.text, footnotes.get(node.eid, [])):
        if last is None:
            p.text = (p.text or "") + words
        else:
            last.tail = (last.tail or "") + words
        if note is not None:
            _note(p, note, eids[note.eid])
            last = p[-1]


def _body(
    body: etree._Element,
    nodes: list[Node],
    footnotes: dict[str, list[Node]],
    eids: dict[str, str],
    write: Writer,
) -> None:
    container = body
    paragraph: etree._Element | None = None
    for node in nodes:
        eid = eids[node.eid]
        if node.kind == ElementKind.HEADING:
            container = _el(body, "section", eId=eid, wId=node.eid)
            _el(container, "num", heading_number(node))
            write(_el(container, "heading"), node, footnotes, eids)
            paragraph = None
        elif node.kind == ElementKind.PARAGRAPH:
            paragraph = _el(container, "paragraph", eId=eid, **wid(node))
            _el(paragraph, "num", f"{node.number}.")
            write(_el(paragraph, "content"), node, footnotes, eids)
        elif node.kind == ElementKind.POINT:
            parent = paragraph if paragraph is not None else container
            if (
                paragraph is not None
                and (content := paragraph.find(f"{{{AKN}}}content")) is not None
            ):
                content.tag = f"{{{AKN}}}intro"
            point = _el(parent, "point", eId=eid, **wid(node))
            _el(point, "num", node.number)
            write(_el(point, "content"), node, footnotes, eids)
    if len(body) == 0:
        _el(body, "p")


def wid(node: Node) -> dict[str, str]:
    """The wId attribute of an element with an identity of ours (a paragraph an amendment
    proposes has none yet)."""
    return {"wId": node.eid} if IDENTITY.match(node.eid) else {}


def _heading(
    heading: etree._Element, node: Node, footnotes: dict[str, list[Node]], eids: dict[str, str]
) -> None:
    heading.text = node.text
    for note in footnotes.get(node.eid, []):
        _note(heading, note, eids[note.eid])


def write_words(
    parent: etree._Element, node: Node, footnotes: dict[str, list[Node]], eids: dict[str, str]
) -> None:
    """A heading's words, or a paragraph's or point's as a `p`, with their authorial notes."""
    if etree.QName(parent).localname == "heading":
        _heading(parent, node, footnotes, eids)
    else:
        _p(parent, node, footnotes, eids)

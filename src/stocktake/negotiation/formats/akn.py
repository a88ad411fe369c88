"""Akoma Ntoso 3.0 export: one `statement` document per revision and language, with FRBR
identifiers of the work (the draft), the expression (the revision in a language) and the
manifestation (this XML file). As the naming convention has it, an element's eId says where it
stands in this expression (`sec_II__para_5__point_a`, from the numbers) and its wId is its identity
for good (`pnt_14`), so a paragraph keeps its wId across revisions however it is renumbered or
moved."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from lxml import etree

from stocktake.core.untrusted import xml_safe
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
    lang = LANGUAGES.get(language, language)
    work = f"/akn/un/statement/draft/{process}-{draft_id}"
    version = revision.lower().replace(" ", "-").replace(".", "")
    expression = f"{work}/{lang}@{date.isoformat()}!{version}"
    return {
        "work": work,
        "work_this": f"{work}/!main",
        "expression": expression,
        "expression_this": f"{expression}/!main",
        "manifestation": f"{expression}/!main.xml",
        "language": lang,
    }


def _identification(meta: etree._Element, uris: dict[str, str], date: dt.date, name: str) -> None:
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
    _identification(meta, uris, date, title)
    references = _el(meta, "references", source="#secretariat")
    _el(
        references,
        "TLCOrganization",
        eId="secretariat",
        href="/akn/ontology/organization/un/secretariat",
        showAs="Secretariat",
    )
    preface = _el(document, "preface")
    heading = _el(preface, "p", eId="preface__p_1")
    _el(heading, "docTitle", title)
    _el(heading, "docStage", revision)
    preamble_nodes = [n for n in nodes if n.kind == ElementKind.PREAMBLE]
    footnotes = notes_of(nodes)
    if preamble_nodes:
        preamble = _el(document, "preamble")
        for index, node in enumerate(preamble_nodes, start=1):
            eid = f"preamble__container_{index}"
            container = _el(
                preamble, "container", eId=eid, wId=node.eid, name="preambularParagraph"
            )
            _p(container, node, footnotes, eid)
    body = _el(document, "mainBody")
    _body(body, [n for n in nodes if n.kind != ElementKind.PREAMBLE], footnotes)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _num(number: str) -> str:
    """A number as the naming convention writes it in an eId: I, 3, a, Objective-20."""
    return re.sub(r"[^\w]+", "-", number).strip("-")


def _note(parent: etree._Element, note: Node, owner_eid: str, index: int) -> None:
    element = _el(
        parent,
        "authorialNote",
        marker=note.number,
        placement="bottom",
        eId=f"{owner_eid}__authorialNote_{index}",
        wId=note.eid,
    )
    _el(element, "p", note.text)


def _p(parent: etree._Element, node: Node, footnotes: dict[str, list[Node]], eid: str) -> None:
    """The words with each footnote as an authorial note where its mark stands."""
    p = _el(parent, "p")
    last: etree._Element | None = None
    for index, (words, note) in enumerate(with_marks(node.text, footnotes.get(node.eid, [])), 1):
        if last is None:
            p.text = (p.text or "") + words
        else:
            last.tail = (last.tail or "") + words
        if note is not None:
            _note(p, note, eid, index)
            last = p[-1]


def _body(body: etree._Element, nodes: list[Node], footnotes: dict[str, list[Node]]) -> None:
    container = body
    prefix = "body__"
    paragraph: etree._Element | None = None
    paragraph_eid = ""
    for node in nodes:
        if node.kind == ElementKind.HEADING:
            prefix = f"sec_{_num(node.number)}"
            container = _el(body, "section", eId=prefix, wId=node.eid)
            prefix += "__"
            _el(container, "num", heading_number(node))
            heading = _el(container, "heading", node.text)
            for index, note in enumerate(footnotes.get(node.eid, []), start=1):
                _note(heading, note, prefix.rstrip("_"), index)
            paragraph = None
        elif node.kind == ElementKind.PARAGRAPH:
            paragraph_eid = f"{prefix}para_{_num(node.number)}"
            paragraph = _el(container, "paragraph", eId=paragraph_eid, wId=node.eid)
            _el(paragraph, "num", f"{node.number}.")
            _p(_el(paragraph, "content"), node, footnotes, paragraph_eid)
        elif node.kind == ElementKind.POINT:
            parent = paragraph if paragraph is not None else container
            if (
                paragraph is not None
                and (content := paragraph.find(f"{{{AKN}}}content")) is not None
            ):
                content.tag = f"{{{AKN}}}intro"
            owner = paragraph_eid if paragraph is not None else prefix.rstrip("_")
            eid = f"{owner}__point_{_num(node.number)}"
            point = _el(parent, "point", eId=eid, wId=node.eid)
            _el(point, "num", node.number)
            _p(_el(point, "content"), node, footnotes, eid)
    if len(body) == 0:
        _el(body, "p")

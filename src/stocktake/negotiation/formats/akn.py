"""Akoma Ntoso 3.0 export: one `statement` document per revision and language, with FRBR
identifiers of the work (the draft), the expression (the revision in a language) and the
manifestation (this XML file). Element identities become eId and wId, so a paragraph keeps its
identifiers across revisions however it is renumbered or moved."""

from __future__ import annotations

import datetime as dt

from lxml import etree

from stocktake.negotiation.models import ElementKind
from stocktake.negotiation.text import Node, heading_number

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
    footnotes = _footnotes(nodes)
    if preamble_nodes:
        preamble = _el(document, "preamble")
        for node in preamble_nodes:
            _p(
                _el(preamble, "container", eId=node.eid, wId=node.eid, name="preambularParagraph"),
                node,
                footnotes,
            )
    body = _el(document, "mainBody")
    _body(body, [n for n in nodes if n.kind != ElementKind.PREAMBLE], footnotes)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _footnotes(nodes: list[Node]) -> dict[str, list[Node]]:
    """Each footnote belongs to the element before it."""
    out: dict[str, list[Node]] = {}
    owner = ""
    for node in nodes:
        if node.kind == ElementKind.FOOTNOTE:
            out.setdefault(owner, []).append(node)
        else:
            owner = node.eid
    return out


def _p(parent: etree._Element, node: Node, footnotes: dict[str, list[Node]]) -> etree._Element:
    p = _el(parent, "p", node.text)
    for note in footnotes.get(node.eid, []):
        element = _el(
            p, "authorialNote", marker=note.number, placement="bottom", eId=note.eid, wId=note.eid
        )
        _el(element, "p", note.text)
    return p


def _body(body: etree._Element, nodes: list[Node], footnotes: dict[str, list[Node]]) -> None:
    container = body
    paragraph: etree._Element | None = None
    for node in nodes:
        if node.kind == ElementKind.HEADING:
            container = _el(body, "section", eId=node.eid, wId=node.eid)
            _el(container, "num", heading_number(node))
            heading = _el(container, "heading", node.text)
            for note in footnotes.get(node.eid, []):
                element = _el(
                    heading,
                    "authorialNote",
                    marker=note.number,
                    placement="bottom",
                    eId=note.eid,
                    wId=note.eid,
                )
                _el(element, "p", note.text)
            paragraph = None
        elif node.kind == ElementKind.PARAGRAPH:
            paragraph = _el(container, "paragraph", eId=node.eid, wId=node.eid)
            _el(paragraph, "num", f"{node.number}.")
            _p(_el(paragraph, "content"), node, footnotes)
        elif node.kind == ElementKind.POINT:
            parent = paragraph if paragraph is not None else container
            if (
                paragraph is not None
                and (content := paragraph.find(f"{{{AKN}}}content")) is not None
            ):
                content.tag = f"{{{AKN}}}intro"
            point = _el(parent, "point", eId=node.eid, wId=node.eid)
            _el(point, "num", node.number)
            _p(_el(point, "content"), node, footnotes)
    if len(body) == 0:
        _el(body, "p")

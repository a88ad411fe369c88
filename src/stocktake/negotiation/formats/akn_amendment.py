"""An amendment as an Akoma Ntoso 3.0 `amendment` document: what it amends by eId, what it
proposes, its sponsors in the references; its words in the language of the draft it amends
("Amendement A1 portant sur le paragraphe 2 …", "Proposé par Mexique"), its sponsors by name."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from lxml import etree

from stocktake.core.translation import translatable, translatable_in, translated
from stocktake.core.typography import quote_marks
from stocktake.core.untrusted import xml_safe
from stocktake.negotiation.formats.akn import (
    AKN,
    _el,
    akn_eids,
    identification,
    references,
    serialise,
    uris_of,
)
from stocktake.negotiation.formats.akn_papers import (
    _organisations,
    _refers,
    amendment_work,
    draft_work,
    ref_id,
)
from stocktake.negotiation.models import AmendmentKind, ElementKind
from stocktake.negotiation.text import Node, locate
from stocktake.web.names import AMENDMENT_STATUSES

ROLES = {"sponsor": translatable("Sponsor"), "co_sponsor": translatable("Co-sponsor")}

NAMED_IN_SENTENCE = {
    ElementKind.PARAGRAPH: translatable_in("in a sentence", "paragraph %(number)s"),
    ElementKind.POINT: translatable_in("in a sentence", "point %(number)s"),
    ElementKind.HEADING: translatable_in("in a sentence", "section %(number)s"),
    ElementKind.FOOTNOTE: translatable_in("in a sentence", "footnote %(number)s"),
}
"""An element named inside an instruction, where some languages add an article ("Supprimer le
paragraphe 2"): the same words in English."""
GONE = translatable_in("in a sentence", "an element no longer in the text")
NAMED = {
    ElementKind.PARAGRAPH: translatable("paragraph %(number)s"),
    ElementKind.POINT: translatable("point %(number)s"),
    ElementKind.HEADING: translatable("section %(number)s"),
    ElementKind.FOOTNOTE: translatable("footnote %(number)s"),
}
"""An element by its name alone, as a heading or a reference names it."""
NO_LONGER = translatable("%(paragraph)s (no longer in the text)")

TITLE = translatable("Amendment %(amendment)s to %(element)s of %(title)s")
PROPOSED = translatable("Proposed by %(sponsors)s; %(status)s; amends %(text)s")
INSTRUCTIONS = {
    "insert_after": translatable("Insert %(new)s after %(old)s."),
    "insert_before": translatable("Insert %(new)s before %(old)s."),
    AmendmentKind.DELETE: translatable("Delete %(old)s."),
    AmendmentKind.REPLACE: translatable("Replace %(old)s with %(new)s."),
    AmendmentKind.ALTERNATIVE: translatable("Replace the text with:"),
    AmendmentKind.ADD_PARAGRAPH: translatable("Add after %(element)s:"),
    AmendmentKind.DELETE_PARAGRAPH: translatable("Delete %(element)s."),
    AmendmentKind.MOVE_PARAGRAPH: translatable("Move %(element)s after %(destination)s."),
}
"""What the amendment proposes, as an instruction: `old` and `new` are quoted words."""


def _named(node: Node | None, language: str, *, in_sentence: bool = True) -> str:
    if node is None:
        return translated(GONE, language)
    names = NAMED_IN_SENTENCE if in_sentence else NAMED
    kind = ElementKind(node.kind)
    if kind not in names:
        return node.number
    return translated(names[kind], language) % {"number": node.number}


@dataclass(frozen=True)
class Sponsor:
    code: str
    name: str  # as the papers name it, a State in the draft's language
    role: str  # sponsor | co_sponsor


@dataclass(frozen=True)
class AmendmentPaper:
    """What an amendment document says: the amendment, the text it amends, its sponsors."""

    number: int
    kind: str
    target_eid: str
    quoted: str
    occurrence: int
    placement: str
    new_text: str
    status: str
    justification: str
    tabled: dt.date
    sponsors: list[Sponsor] = field(default_factory=list)
    destination_eid: str | None = None

    @property
    def label(self) -> str:
        return f"A{self.number}"


class _Sentence:
    """A translated sentence written into an element: its words as text, each `%(name)s` by
    what `parts` gives for it (words, or a function that adds an element)."""

    PLACE = re.compile(r"%\((\w+)\)s")

    def __init__(self, parent: etree._Element) -> None:
        self.parent = parent

    def text(self, words: str) -> None:
        if not words:
            return
        if len(self.parent):
            last = self.parent[-1]
            last.tail = (last.tail or "") + words
        else:
            self.parent.text = (self.parent.text or "") + words

    def write(self, said: str, parts: Mapping[str, object]) -> None:
        pieces = self.PLACE.split(said)
        for index, piece in enumerate(pieces):
            if index % 2 == 0:
                self.text(piece.replace("%%", "%"))
                continue
            part = parts.get(piece, "")
            if callable(part):
                part(self.parent)
            else:
                self.text(str(part))


def amendment_akn(
    amendment: AmendmentPaper,
    *,
    title: str,
    nodes: list[Node],
    process: str,
    draft_id: int,
    language: str,
) -> bytes:
    """The amendment as an Akoma Ntoso `amendment` document: its sponsors in the references
    (refersTo from the proponents and from the words it inserts or deletes), the element it
    amends by its eId in the working text (and its wId), what it proposes, its justification;
    its words in the draft's `language`."""
    title = xml_safe(title)
    amendment = replace(
        amendment,
        quoted=xml_safe(amendment.quoted),
        new_text=xml_safe(amendment.new_text),
        justification=xml_safe(amendment.justification),
        sponsors=[replace(s, name=xml_safe(s.name)) for s in amendment.sponsors],
    )
    nodes = [replace(n, text=xml_safe(n.text)) for n in nodes]
    by = {n.eid: n for n in nodes}
    eids = akn_eids(nodes)
    target = by.get(amendment.target_eid)
    uris = uris_of(
        amendment_work(process, draft_id, amendment.number), "proposed", language, amendment.tabled
    )
    root = etree.Element(f"{{{AKN}}}akomaNtoso", nsmap={None: AKN})
    document = _el(root, "amendment", name="amendment", contains="originalVersion")
    meta = _el(document, "meta")
    identification(meta, uris, amendment.tabled, f"{amendment.label}: {title}")
    refs = references(meta)
    _organisations(refs, {s.code: s.name for s in amendment.sponsors})
    for role, name in ROLES.items():
        _el(
            refs,
            "TLCRole",
            eId=role.replace("_", "-"),
            href=f"/akn/ontology/role/un/{role}",
            showAs=translated(name, language),
        )
    preface = _el(document, "preface")
    line = _el(preface, "p", eId="preface__p_1")
    _el(line, "docNumber", amendment.label).tail = " "
    values = {"amendment": amendment.label, "element": _named(target, language), "title": title}
    _el(line, "docTitle", translated(TITLE, language) % values)
    work = draft_work(process, draft_id)
    _proposed(_el(preface, "p", eId="preface__p_2"), amendment, title, work, language)
    body = _el(document, "amendmentBody")
    heading = _named(target, language, in_sentence=target is None)
    _el(_el(body, "amendmentHeading"), "p", heading[:1].upper() + heading[1:])
    reference = _el(_el(body, "amendmentReference"), "p")
    if target is not None and amendment.target_eid in eids:
        _el(
            reference,
            "ref",
            _named(target, language, in_sentence=False),
            href=f"{work}/!main~{eids[amendment.target_eid]}",
            class_=amendment.target_eid,
        )
    else:
        reference.text = translated(NO_LONGER, language) % {"paragraph": amendment.target_eid}
    content = _el(body, "amendmentContent")
    _proposal(content, amendment, target, by.get(amendment.destination_eid or ""), language)
    if amendment.justification:
        _el(_el(body, "amendmentJustification"), "p", amendment.justification)
    return serialise(root)


def _proposed(
    line: etree._Element, amendment: AmendmentPaper, title: str, work: str, language: str
) -> None:
    """Proposed by Mexico, GRULAC; proposed; amends <the text>: each sponsor a `docProponent`
    by its name, referring to its organisation and its role."""

    def proponents(parent: etree._Element) -> None:
        sentence = _Sentence(parent)
        for index, sponsor in enumerate(amendment.sponsors):
            if index:
                sentence.text(", ")
            _el(
                parent,
                "docProponent",
                sponsor.name or sponsor.code,
                refersTo=f"#{ref_id(sponsor.code)}",
                as_=f"#{sponsor.role.replace('_', '-')}",
            )

    def status(parent: etree._Element) -> None:
        named = AMENDMENT_STATUSES.get(amendment.status)
        words = translated(named, language) if named else amendment.status.replace("_", " ")
        _el(parent, "docStatus", words)

    def affected(parent: etree._Element) -> None:
        _el(parent, "affectedDocument", title, href=f"{work}/!main")

    parts = {"sponsors": proponents, "status": status, "text": affected}
    _Sentence(line).write(translated(PROPOSED, language), parts)


def _proposal(
    content: etree._Element,
    amendment: AmendmentPaper,
    target: Node | None,
    destination: Node | None,
    language: str,
) -> None:
    """The instruction (`Replace “x” with “y”`) and, for words, the element as it would read,
    the words it deletes in `del` and those it inserts in `ins`, both referring to the sponsors."""
    refers = _refers([s.code for s in amendment.sponsors])
    kind = amendment.kind
    instruction = _el(_el(content, "p"), "mod", eId="amendmentContent__mod_1", refersTo=refers)
    opening, closing = quote_marks(language)

    def quoted(words: str) -> object:
        def add(parent: etree._Element) -> None:
            _el(parent, "quotedText", words, startQuote=opening, endQuote=closing)

        return add

    key: str = kind
    if kind == AmendmentKind.INSERT:
        key = f"insert_{'before' if amendment.placement == 'before' else 'after'}"
    parts = {
        "old": quoted(amendment.quoted),
        "new": quoted(amendment.new_text),
        "element": _named(target, language),
        "destination": _named(destination, language),
    }
    _Sentence(instruction).write(translated(INSTRUCTIONS[key], language), parts)
    if kind in (AmendmentKind.ALTERNATIVE, AmendmentKind.ADD_PARAGRAPH):
        _el(_el(content, "p"), "ins", amendment.new_text, refersTo=refers)
    elif kind == AmendmentKind.DELETE_PARAGRAPH and target is not None:
        _el(_el(content, "p"), "del", target.text, refersTo=refers)
    elif target is not None and kind in (
        AmendmentKind.INSERT,
        AmendmentKind.DELETE,
        AmendmentKind.REPLACE,
    ):
        _amended(_el(content, "p"), amendment, target.text, refers)


def _amended(p: etree._Element, amendment: AmendmentPaper, text: str, refers: str) -> None:
    start = locate(text, amendment.quoted, amendment.occurrence)
    if start is None:
        p.text = text
        return
    end = start + len(amendment.quoted)
    if amendment.kind == AmendmentKind.INSERT:
        at = end if amendment.placement == "after" else start
        p.text = text[:at] + (" " if amendment.placement == "after" else "")
        _el(p, "ins", amendment.new_text, refersTo=refers).tail = (
            "" if amendment.placement == "after" else " "
        ) + text[at:]
        return
    p.text = text[:start]
    last = _el(p, "del", text[start:end], refersTo=refers)
    if amendment.kind == AmendmentKind.REPLACE and amendment.new_text:
        last.tail = " "
        last = _el(p, "ins", amendment.new_text, refersTo=refers)
    last.tail = (last.tail or "") + text[end:]

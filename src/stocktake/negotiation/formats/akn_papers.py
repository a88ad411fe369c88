"""Akoma Ntoso 3.0 for the papers of the room: the compilation text as a `doc` whose brackets are
`ins`/`del` inside an `inline name="bracket"`, each referring to the amendment and its sponsors,
and what it shares with the amendment document (`akn_amendment`): works, references to actors."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from lxml import etree

from stocktake.core.translation import translatable, translated
from stocktake.core.typography import colon
from stocktake.core.untrusted import xml_safe
from stocktake.negotiation.formats.akn import (
    AKN,
    _el,
    identification,
    references,
    serialise,
    uris_of,
    write_text,
)
from stocktake.negotiation.formats.compilation import (
    Bracket,
    Compilation,
    CompiledElement,
    alternative_label,
    conflict_line,
    proposal_note,
    sponsor_line,
)
from stocktake.negotiation.formats.writing import _gaps, status_name
from stocktake.negotiation.models import ElementKind
from stocktake.negotiation.text import Node, notes_of, with_marks

STAGE = translatable("Compilation text")
TITLE = translatable("Compilation text: %(title)s")
"""The compilation's title in the text's language: "Texte de compilation : Un pacte"."""


def amendment_work(process: str, draft_id: int, number: int) -> str:
    return f"/akn/un/amendment/draft/{process}-{draft_id}-a{number}"


def draft_work(process: str, draft_id: int) -> str:
    return f"/akn/un/statement/draft/{process}-{draft_id}"


def ref_id(code: str) -> str:
    """An actor's code as the eId of its reference: `AFRICAN-GROUP` → `african-group`."""
    return re.sub(r"[^a-z0-9]+", "-", code.lower()).strip("-") or "actor"


def _refers(codes: list[str]) -> str:
    return " ".join(f"#{ref_id(code)}" for code in codes)


def _organisations(refs: etree._Element, actors: dict[str, str]) -> None:
    """Each sponsor as an organisation of the references: Member States and groups alike."""
    for code, name in actors.items():
        _el(
            refs,
            "TLCOrganization",
            eId=ref_id(code),
            href=f"/akn/ontology/organization/un/{ref_id(code)}",
            showAs=name or code,
        )


# --- the compilation text ---------------------------------------------------------------------


def compilation_akn(
    compilation: Compilation,
    *,
    process: str,
    draft_id: int,
    language: str,
    date: dt.date,
) -> bytes:
    """The compilation text as an Akoma Ntoso `doc`: the working text, each pending proposal in
    brackets where it stands (`inline name="bracket"` referring to the amendment, `del` and
    `ins` to its sponsors, the attribution after it), alternatives, other proposals and
    conflicts under their element, each paragraph's status."""
    elements = [_safe(e) for e in compilation.elements]
    title = xml_safe(compilation.title)
    uris = uris_of(draft_work(process, draft_id), "compilation", language, date)
    root = etree.Element(f"{{{AKN}}}akomaNtoso", nsmap={None: AKN})
    document = _el(root, "doc", name="compilationText", contains="originalVersion")
    meta = _el(document, "meta")
    stage = translated(STAGE, compilation.language)
    named = translated(TITLE, compilation.language) % {"title": title}
    identification(meta, uris, date, named)
    refs = references(meta)
    amendments = {
        a.number: a
        for e in elements
        for a in [
            *(s.amendment for s in e.segments if isinstance(s, Bracket)),
            *(a for a, _ in e.alternatives),
            *(a for a, _ in e.notes),
            *e.conflicts,
            *([e.amendment] if e.amendment is not None else []),
        ]
    }
    _organisations(
        refs, {code: a.named([code]) for a in amendments.values() for code in a.sponsors}
    )
    for number in sorted(amendments):
        _el(
            refs,
            "TLCReference",
            eId=f"a{number}",
            name="amendment",
            href=f"{amendment_work(process, draft_id, number)}/!main",
            showAs=f"A{number}",
        )
    preface = _el(document, "preface")
    heading = _el(preface, "p", eId="preface__p_1")
    _el(heading, "docTitle", named)
    _el(heading, "docStage", stage)
    by_eid = {e.node.eid: e for e in elements}
    footnotes = notes_of([e.node for e in elements if not e.added])

    def write(
        parent: etree._Element, node: Node, notes: dict[str, list[Node]], eids: dict[str, str]
    ) -> None:
        _compiled(parent, by_eid[node.eid], notes.get(node.eid, []), eids, compilation.language)

    write_text(document, [e.node for e in elements], write, footnotes)
    return serialise(root)


def _safe(element: CompiledElement) -> CompiledElement:
    def bracket(s: Bracket) -> Bracket:
        return replace(s, old=xml_safe(s.old), new=xml_safe(s.new), sponsors=xml_safe(s.sponsors))

    return replace(
        element,
        node=replace(element.node, text=xml_safe(element.node.text)),
        segments=[bracket(s) if isinstance(s, Bracket) else xml_safe(s) for s in element.segments],
        alternatives=[(a, xml_safe(t)) for a, t in element.alternatives],
        notes=[(a, xml_safe(t)) for a, t in element.notes],
    )


class _Inline:
    """Appends text and inline elements to a block, text going to the last element's tail."""

    def __init__(self, block: etree._Element) -> None:
        self.block = block

    def text(self, words: str) -> None:
        if not words:
            return
        last = self.block[-1] if len(self.block) else None
        if last is None:
            self.block.text = (self.block.text or "") + words
        else:
            last.tail = (last.tail or "") + words

    def add(self, tag: str, words: str | None = None, **attrs: str) -> etree._Element:
        return _el(self.block, tag, words, **attrs)


def _bracket(out: _Inline, bracket: Bracket, gaps: tuple[str, str]) -> None:
    amendment = bracket.amendment
    refers = _refers(amendment.sponsors)
    out.text(gaps[0])
    inline = out.add("inline", name="bracket", refersTo=f"#a{amendment.number}")
    inline.text = "["
    words = _Inline(inline)
    old = bracket.old.strip()
    if old:
        words.add("del", old, refersTo=refers)
    if old and bracket.new:
        words.text(" ")
    if bracket.new:
        words.add("ins", bracket.new, refersTo=refers)
    words.text("]")
    _attribution(words, bracket.sponsors, amendment.label, refers)
    out.text(gaps[1])


def _attribution(out: _Inline, sponsors: str, label: str, refers: str) -> None:
    sup = out.add("sup")
    _el(sup, "inline", f"{sponsors} {label}".strip(), name="attribution", refersTo=refers)


def _compiled(
    parent: etree._Element,
    element: CompiledElement,
    notes: list[Node],
    eids: dict[str, str],
    language: str,
) -> None:
    """One element of the compilation: its words and brackets (with its footnotes' marks where
    they stand), then its alternatives, other proposals and conflicts; the words the compilation
    adds (status, Alt, sponsors' names) in the text's `language`."""
    heading = etree.QName(parent).localname == "heading"
    block = parent if heading else _el(parent, "p")
    out = _Inline(block)
    if element.added:
        amendment = element.amendment
        assert amendment is not None
        refers = _refers(amendment.sponsors)
        inline = out.add("inline", name="bracket", refersTo=f"#a{amendment.number}")
        inline.text = "["
        _el(inline, "ins", element.node.text, refersTo=refers).tail = "]"
        _attribution(_Inline(inline), element.sponsors, "", refers)
    else:
        _segments(out, element, notes, eids)
        if element.node.kind in (ElementKind.PREAMBLE, ElementKind.PARAGRAPH):
            out.text(" ")
            status = status_name(element.node.status, language)
            out.add("inline", f"({status})", name="status")
    for index, (amendment, text) in enumerate(element.alternatives, start=1):
        line = _Inline(block if heading else _el(parent, "p"))
        label = f"{alternative_label(index, language)}{colon(language)}"
        line.text(f"{' ' if heading else ''}{label}")
        refers = _refers(amendment.sponsors)
        inline = line.add("inline", name="bracket", refersTo=f"#a{amendment.number}")
        inline.text = "["
        _el(inline, "ins", text, refersTo=refers).tail = "]"
        sponsors = xml_safe(sponsor_line(amendment, language))
        _attribution(_Inline(inline), sponsors, amendment.label, refers)
    for amendment, text in element.notes:
        line = _Inline(block if heading else _el(parent, "p"))
        words = f"{proposal_note(amendment, text, language, xml_safe)} ({amendment.label})"
        refers = f"#a{amendment.number} {_refers(amendment.sponsors)}".strip()
        line.add("inline", words, name="proposal", refersTo=refers)
    for amendment in element.conflicts:
        line = _Inline(block if heading else _el(parent, "p"))
        words = xml_safe(conflict_line(element, amendment, language))
        refers = f"#a{amendment.number} {_refers(amendment.sponsors)}".strip()
        line.add("inline", words, name="conflict", refersTo=refers)


def _segments(
    out: _Inline, element: CompiledElement, notes: list[Node], eids: dict[str, str]
) -> None:
    """The words and brackets, each footnote as an authorial note where its mark stands (a mark
    inside words a bracket touches follows the bracket)."""
    pending: list[tuple[int, Node]] = []
    at = 0
    for words, note in with_marks(element.node.text, notes):
        at += len(words)
        if note is not None:
            pending.append((at, note))
    offset = 0

    def notes_until(end: int) -> None:
        while pending and pending[0][0] <= end:
            note = pending.pop(0)[1]
            authorial = out.add(
                "authorialNote",
                marker=note.number,
                placement="bottom",
                eId=eids[note.eid],
                wId=note.eid,
            )
            _el(authorial, "p", xml_safe(note.text))

    for index, segment in enumerate(element.segments):
        if isinstance(segment, Bracket):
            _bracket(out, segment, _gaps(element.segments, index))
            offset += len(segment.old)
            notes_until(offset)
            continue
        cursor = 0
        while pending and pending[0][0] <= offset + len(segment):
            cut = pending[0][0] - offset
            out.text(segment[cursor:cut])
            cursor = max(cursor, cut)
            notes_until(offset + cut)
        out.text(segment[cursor:])
        offset += len(segment)
    notes_until(len(element.node.text) + 1)

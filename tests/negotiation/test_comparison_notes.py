"""Footnotes in the comparison DOCX, the formatted redline and the tracked changes alike: real
Word footnotes, each mark where it stands in the text, the note's own changes shown in it."""

from __future__ import annotations

import io

import pytest
from docx import Document
from docx.oxml.ns import qn
from lxml import etree
from sqlalchemy import select
from sqlalchemy.orm import Session

from stocktake.negotiation.exports import export_comparison
from stocktake.negotiation.formats.office import footnotes_of
from stocktake.negotiation.formats.reading import read_draft
from stocktake.negotiation.models import AmendmentStatus, Draft
from stocktake.negotiation.services import (
    AmendmentData,
    decide_amendment,
    edit_element,
    issue_revision,
    propose_amendment,
    revision_nodes,
    working_nodes,
)
from tests.negotiation.conftest import SYSTEM

W = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}


def _notes_part(document: object) -> etree._Element:
    from docx.opc.constants import RELATIONSHIP_TYPE

    part = next(
        r.target_part
        for r in document.part.rels.values()  # type: ignore[attr-defined]
        if r.reltype == RELATIONSHIP_TYPE.FOOTNOTES
    )
    return etree.fromstring(part.blob)


def _words_before_mark(paragraph: etree._Element) -> str:
    words: list[str] = []
    for element in paragraph.iter(qn("w:t"), qn("w:delText"), qn("w:footnoteReference")):
        if element.tag == qn("w:footnoteReference"):
            return "".join(words)
        words.append(element.text or "")
    raise AssertionError("no footnote mark in the paragraph")


def _revised(session: Session, draft: Draft) -> None:
    """The zero draft, then Rev.1 with words changed before the footnote's mark and in the note."""
    issue_revision(session, draft, by=SYSTEM)
    nodes = {n.kind + n.number: n for n in working_nodes(draft)}
    preamble, note = nodes["preamblePP1"], nodes["footnote1"]
    edit_element(
        session,
        draft,
        preamble.eid,
        "Recalling the whole Charter of the United Nations,",
        by=SYSTEM,
    )
    edit_element(
        session, draft, note.eid, "Signed in San Francisco on 26 June 1945 by 50 States.", by=SYSTEM
    )
    issue_revision(session, draft, by=SYSTEM)


@pytest.mark.parametrize("fmt", ["docx", "tracked"])
def test_the_comparison_keeps_footnotes_as_word_footnotes_in_place(
    bare_session: Session, bare_draft: Draft, fmt: str
) -> None:
    _revised(bare_session, bare_draft)
    zero, first = bare_draft.revisions
    export = export_comparison(bare_draft, zero, first, fmt)
    document = Document(io.BytesIO(export.content))
    body = document.element.body
    marks = body.findall(".//w:footnoteReference", W)
    assert len(marks) == 1
    paragraph = next(
        p for p in body.iter(qn("w:p")) if p.find(".//w:footnoteReference", W) is not None
    )
    before = " ".join(_words_before_mark(paragraph).split())
    assert before.endswith("Charter of the United Nations")
    assert "whole" in before
    texts = "\n".join(p.text for p in document.paragraphs)
    assert "Signed in San Francisco" not in texts  # a footnote, not a paragraph
    note = next(
        n
        for n in _notes_part(document).findall("w:footnote", W)
        if n.get(qn("w:id")) == marks[0].get(qn("w:id"))
    )
    if fmt == "tracked":
        assert note.xpath(".//w:ins//w:t/text()", namespaces=W) == [" by 50 States"]
        assert note.xpath(".//w:del//w:delText/text()", namespaces=W) == []
        assert [t.text for t in paragraph.findall(".//w:ins//w:t", W)] == [" whole"]
    else:
        struck = [r for r in note.findall(".//w:r", W) if r.find("w:rPr/w:strike", W) is not None]
        underlined = [r for r in note.findall(".//w:r", W) if r.find("w:rPr/w:u", W) is not None]
        assert ["".join(r.itertext()) for r in struck] == []  # only the words added are marked
        assert ["".join(r.itertext()) for r in underlined] == ["by 50 States"]


def test_a_footnote_added_or_deleted_is_tracked_with_its_mark(
    bare_session: Session, bare_draft: Draft
) -> None:
    _revised(bare_session, bare_draft)
    zero, first = bare_draft.revisions
    export = export_comparison(bare_draft, first, zero, "tracked")  # backwards: the same note
    assert Document(io.BytesIO(export.content)).element.body.findall(".//w:footnoteReference", W)
    # a revision without the footnote: its mark is a deletion, its words deleted in the note
    note = next(n for n in working_nodes(bare_draft) if n.kind == "footnote")
    proposal = AmendmentData(kind="delete_paragraph", target=note.eid, sponsor="EU")
    deletion = propose_amendment(bare_session, bare_draft, proposal, by=SYSTEM)
    decide_amendment(bare_session, bare_draft, deletion, AmendmentStatus.ACCEPTED, by=SYSTEM)
    second = issue_revision(bare_session, bare_draft, by=SYSTEM)
    export = export_comparison(bare_draft, first, second, "tracked")
    body = Document(io.BytesIO(export.content)).element.body
    mark = body.find(".//w:footnoteReference", W)
    assert mark is not None
    assert mark.getparent().getparent().tag == qn("w:del")
    notes = etree.tostring(_notes_part(Document(io.BytesIO(export.content)))).decode()
    assert "<w:delText" in notes
    assert "Signed in San Francisco" in notes


def test_the_demo_comparison_has_its_footnote_in_both_forms(session: Session) -> None:
    draft = session.scalar(select(Draft).where(Draft.source == "gcm-zero-draft.md"))
    assert draft is not None
    zero, first = draft.revisions[0], draft.revisions[1]
    for fmt in ("docx", "tracked"):
        document = Document(io.BytesIO(export_comparison(draft, zero, first, fmt).content))
        assert document.element.body.findall(".//w:footnoteReference", W)
        notes = [text for text, _ in footnotes_of(document).values()]
        assert notes == ["General Assembly resolution 71/1."]


def test_the_tracked_comparison_reads_back_as_the_newer_revision_with_its_identities(
    bare_session: Session, bare_draft: Draft
) -> None:
    _revised(bare_session, bare_draft)
    zero, first = bare_draft.revisions
    export = export_comparison(bare_draft, zero, first, "tracked")
    parsed = read_draft(export.content, export.name)
    newer = revision_nodes(first)
    assert [(e.kind.value, e.text, e.eid) for e in parsed.elements] == [
        (n.kind, n.text, n.eid) for n in newer
    ]

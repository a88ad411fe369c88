"""The product's own DOCX, Markdown and Akoma Ntoso read back as the same elements, kinds,
numbers, words and identities, over generated drafts."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from stocktake.negotiation.exports import export_text
from stocktake.negotiation.formats.akn import to_akn
from stocktake.negotiation.formats.office import footnotes_of
from stocktake.negotiation.formats.reading import read_draft, read_text
from stocktake.negotiation.formats.writing import text_docx, text_markdown
from stocktake.negotiation.models import Draft
from stocktake.negotiation.services import import_draft, issue_revision, working_nodes
from stocktake.negotiation.text import Node, number_nodes
from stocktake.process.services import get_process
from tests.negotiation.conftest import SYSTEM

WORDS = st.sampled_from(
    ["migration", "States", "cooperation", "safe", "orderly", "regular", "we", "commit", "data"]
)
SENTENCE = st.lists(WORDS, min_size=3, max_size=10).map(lambda w: " ".join(w).capitalize() + ".")
HEADING = st.tuples(st.sampled_from(["", "Objective"]), st.integers(1, 30), SENTENCE)
PREFIX = {
    "preamble": "pmbl",
    "heading": "sec",
    "paragraph": "para",
    "point": "pnt",
    "footnote": "fn",
}


@st.composite
def drafts(draw: st.DrawFn) -> list[Node]:
    nodes: list[Node] = []
    # identities as a draft has them after edits and moves: never in the order of the text
    sequence = draw(st.permutations(range(1, 100)))

    def add(kind: str, text: str, label: str = "") -> None:
        nodes.append(Node(f"{PREFIX[kind]}_{sequence[len(nodes)]}", kind, text, label=label))

    for _ in range(draw(st.integers(1, 3))):
        add("preamble", draw(SENTENCE))
    for _ in range(draw(st.integers(1, 4))):
        series, number, words = draw(HEADING)
        add("heading", words.rstrip("."), f"{series} {number}" if series else "")
        if draw(st.booleans()):
            add("footnote", draw(SENTENCE))
        for _ in range(draw(st.integers(1, 3))):
            add("paragraph", draw(SENTENCE))
            for _ in range(draw(st.integers(0, 2))):
                add("point", draw(SENTENCE).rstrip(".") + ";")
            if draw(st.booleans()):
                add("footnote", draw(SENTENCE))
    return number_nodes(nodes)


def _export(fmt: str, nodes: list[Node]) -> tuple[bytes, str]:
    if fmt == "docx":
        return text_docx("A compact", nodes), "x.docx"
    if fmt == "md":
        return text_markdown("A compact", nodes).encode(), "x.md"
    return to_akn(
        title="A compact",
        nodes=nodes,
        process="gcm",
        draft_id=1,
        revision="Rev.1",
        language="en",
        date=dt.date(2018, 3, 5),
    ), "x.xml"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(nodes=drafts(), fmt=st.sampled_from(["docx", "md", "akn"]))
def test_own_exports_read_back_the_same(nodes: list[Node], fmt: str) -> None:
    content, name = _export(fmt, nodes)
    parsed = read_draft(content, name)
    assert parsed.title == "A compact"
    again = number_nodes(
        [Node(str(i), e.kind.value, e.text, label=e.label) for i, e in enumerate(parsed.elements)]
    )
    assert [(n.kind, n.number, n.text) for n in again] == [
        (n.kind, n.number, n.text) for n in nodes
    ]
    assert [e.eid for e in parsed.elements] == [n.eid for n in nodes]


@pytest.mark.parametrize("fmt", ["docx", "md", "akn"])
def test_a_draft_read_back_from_its_own_export_keeps_its_identities(
    bare_session: Session, bare_draft: Draft, fmt: str
) -> None:
    process = get_process(bare_session)
    revision = issue_revision(bare_session, bare_draft, by=SYSTEM)
    exported = export_text(process, bare_draft, revision, fmt)
    before = working_nodes(bare_draft)
    parsed = read_draft(exported.content, exported.name)
    assert [e.eid for e in parsed.elements] == [n.eid for n in before]
    again = import_draft(bare_session, process, parsed, by=SYSTEM)
    assert [(n.eid, n.kind, n.number) for n in working_nodes(again)] == [
        (n.eid, n.kind, n.number) for n in before
    ]
    assert again.next_sequence == bare_draft.next_sequence


def test_the_docx_carries_each_identity_as_a_bookmark(
    bare_session: Session, bare_draft: Draft
) -> None:
    revision = issue_revision(bare_session, bare_draft, by=SYSTEM)
    exported = export_text(get_process(bare_session), bare_draft, revision, "docx")
    document = Document(io.BytesIO(exported.content))
    names = [b.get(qn("w:name")) for b in document.element.body.iter(qn("w:bookmarkStart"))]
    nodes = working_nodes(bare_draft)
    assert names == [n.eid for n in nodes if n.kind != "footnote"]
    notes = [eid for _, eid in footnotes_of(document).values()]
    assert notes == [n.eid for n in nodes if n.kind == "footnote"]


def test_an_edited_markdown_keeps_the_identities_it_still_carries(
    bare_session: Session, bare_draft: Draft
) -> None:
    """A human edits words, adds a paragraph, copies a paragraph with its comment: the words
    edited keep their identity, the new paragraph and the copy get new ones."""
    process = get_process(bare_session)
    revision = issue_revision(bare_session, bare_draft, by=SYSTEM)
    markdown = export_text(process, bare_draft, revision, "md").content.decode()
    first = next(n for n in working_nodes(bare_draft) if n.kind + n.number == "paragraph1")
    lines = markdown.splitlines()
    at = next(i for i, line in enumerate(lines) if line.endswith(f"<!-- {first.eid} -->"))
    edited = lines[at].replace("common understanding", "shared vision")
    lines[at : at + 1] = [edited, "", "2. A paragraph typed in.", "", edited.replace("1.", "3.", 1)]
    parsed = read_text("\n".join(lines), "edited.md")
    again = import_draft(bare_session, process, parsed, by=SYSTEM)
    nodes = working_nodes(again)
    edited_eids = [n.eid for n in nodes if "shared vision" in n.text]
    assert edited_eids[0] == first.eid  # the words edited, the identity kept
    assert edited_eids[1] != first.eid  # the copy: a new one
    typed = next(n.eid for n in nodes if n.text == "A paragraph typed in.")
    assert typed.startswith("para_")
    assert typed not in {n.eid for n in working_nodes(bare_draft)}
    assert len({n.eid for n in nodes}) == len(nodes)


def test_a_comment_in_a_delegations_words_is_no_identity() -> None:
    nodes = number_nodes(
        [
            Node("para_7", "paragraph", "We commit <!-- pnt_3 --> to cooperate."),
            Node("para_8", "paragraph", "We commit to share data."),
        ]
    )
    for fmt in ("md", "docx", "akn"):
        content, name = _export(fmt, nodes)
        elements = read_draft(content, name).elements
        assert [e.eid for e in elements] == ["para_7", "para_8"], fmt
        if fmt != "md":  # Markdown keeps its escapes
            assert elements[0].text == nodes[0].text

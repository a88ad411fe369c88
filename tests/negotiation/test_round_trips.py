"""The product's own DOCX, Markdown and Akoma Ntoso read back as the same elements, kinds,
numbers and words, over generated drafts."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stocktake.negotiation.formats.akn import to_akn
from stocktake.negotiation.formats.reading import read_draft
from stocktake.negotiation.formats.writing import text_docx, text_markdown
from stocktake.negotiation.text import Node, number_nodes

WORDS = st.sampled_from(
    ["migration", "States", "cooperation", "safe", "orderly", "regular", "we", "commit", "data"]
)
SENTENCE = st.lists(WORDS, min_size=3, max_size=10).map(lambda w: " ".join(w).capitalize() + ".")
HEADING = st.tuples(st.sampled_from(["", "Objective"]), st.integers(1, 30), SENTENCE)


@st.composite
def drafts(draw: st.DrawFn) -> list[Node]:
    nodes: list[Node] = []
    count = 0

    def add(kind: str, text: str, label: str = "") -> None:
        nonlocal count
        count += 1
        nodes.append(Node(f"{kind}_{count}", kind, text, label=label))

    for _ in range(draw(st.integers(1, 3))):
        add("preamble", draw(SENTENCE))
    for _ in range(draw(st.integers(1, 4))):
        series, number, words = draw(HEADING)
        add("heading", words.rstrip("."), f"{series} {number}" if series else "")
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

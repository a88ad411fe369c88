"""Which objective each element of a text stands under, whatever the order of headings and
paragraphs (property-based)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from stocktake.negotiation.text import Node
from stocktake.site.thread.text import objective_number, objectives_of, section_of

HEADINGS = st.one_of(
    st.integers(1, 40).map(lambda n: ("heading", f"Objective {n}: Something to do", "")),
    st.integers(1, 40).map(lambda n: ("heading", "Something to do", f"Objective {n}")),
    st.just(("heading", "Implementation", "")),
)
BODIES = st.sampled_from([("paragraph", "We commit to it.", ""), ("point", "Act.", "")])


@given(st.lists(st.one_of(HEADINGS, BODIES), max_size=40))
def test_each_element_stands_under_the_last_objective_heading_before_it(
    parts: list[tuple[str, str, str]],
) -> None:
    nodes = [Node(f"e_{i}", kind, text, label=label) for i, (kind, text, label) in enumerate(parts)]
    owned = objectives_of(nodes)
    current = None
    for node in nodes:
        if node.kind == "heading":
            current = objective_number(node)
            assert node.eid not in owned
        elif current is None:
            assert node.eid not in owned
        else:
            assert owned[node.eid] == current
    for number in set(owned.values()):
        assert {n.eid for n in section_of(nodes, number)} == {
            eid for eid, n in owned.items() if n == number
        }

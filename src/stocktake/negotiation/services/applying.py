"""Applying an amendment to the text: the words agreed take the place of the words proposed,
never of the words quoted to anchor them. Shared by the next revision and the decision's
preview."""

from __future__ import annotations

from stocktake.core.errors import message_of
from stocktake.core.translation import Text
from stocktake.negotiation.models import (
    WORD_KINDS,
    Amendment,
    AmendmentKind,
    Draft,
    ElementKind,
)
from stocktake.negotiation.said import element_named
from stocktake.negotiation.services.queries import working_nodes
from stocktake.negotiation.text import (
    AnchorLost,
    Node,
    WordChange,
    WordsJoined,
    block_of,
    index_of,
    move_block,
    number_nodes,
)


def agreed_change(amendment: Amendment, words: str | None = None) -> WordChange:
    """What an amendment on words does to its paragraph, with the agreed `words` (by default the
    ones it was accepted with, else the proposed ones) in the place of the proposed words: an
    insert inserts them beside the quoted words, which stay; a deletion or replacement puts them
    in the place of the quoted words."""
    agreed = amendment.modified_text if words is None else words
    kind = AmendmentKind(amendment.kind)
    if agreed and kind is AmendmentKind.DELETE:
        kind = AmendmentKind.REPLACE
    return WordChange(
        kind,
        amendment.quoted,
        amendment.occurrence,
        agreed or amendment.new_text,
        amendment.placement,
    )


def apply_amendment(
    draft: Draft | None, nodes: list[Node], amendment: Amendment, words: str | None = None
) -> tuple[list[Node], str]:
    """The nodes with one amendment applied, and the element it changed. `words`: the agreed
    words (by default the amendment's own); they take the place of the proposed words, and
    for a paragraph to delete or move, they are its text (kept, or at its new place). Raises
    AnchorLost when it no longer fits the text. Without the draft, a new paragraph is not
    given an identity of its own (nothing is stored)."""
    agreed = amendment.modified_text if words is None else words
    text = agreed or amendment.new_text
    if amendment.kind in WORD_KINDS:
        node = nodes[index_of(nodes, amendment.target_eid)]
        try:
            node.text = agreed_change(amendment, words).apply(node.text)
        except WordsJoined as exc:
            joined = Text(
                "%(element)s: %(problem)s",
                element=element_named("paragraph", node.number),
                problem=message_of(exc),
            )
            raise WordsJoined(joined) from exc
        return nodes, node.eid
    if amendment.kind == AmendmentKind.ALTERNATIVE:
        nodes[index_of(nodes, amendment.target_eid)].text = text
        return nodes, amendment.target_eid
    if amendment.kind == AmendmentKind.ADD_PARAGRAPH:
        at = index_of(nodes, amendment.target_eid)
        end = block_of(nodes, at)
        if amendment.new_kind == ElementKind.POINT and nodes[at].kind != ElementKind.PARAGRAPH:
            end = at + 1
        target = amendment.created_eid or (draft.new_eid(amendment.new_kind) if draft else "new")
        nodes.insert(end, Node(target, amendment.new_kind, text))
        return nodes, target
    if amendment.kind == AmendmentKind.DELETE_PARAGRAPH:
        at = index_of(nodes, amendment.target_eid)
        if agreed:  # kept, as agreed instead of deleted
            nodes[at].text = agreed
        else:
            del nodes[at : block_of(nodes, at)]
        return nodes, amendment.target_eid
    nodes = move_block(nodes, amendment.target_eid, amendment.destination_eid or "")
    if agreed:
        nodes[index_of(nodes, amendment.target_eid)].text = agreed
    return nodes, amendment.target_eid


def reads_as(draft: Draft, amendment: Amendment, words: str | None = None) -> Node | None:
    """The element an amendment changes as it would read in the next revision were the
    amendment accepted (with `words` agreed in the place of the proposed ones); None when it
    deletes the element or no longer fits the text. Nothing is stored."""
    try:
        nodes, eid = apply_amendment(None, working_nodes(draft), amendment, words)
    except AnchorLost:
        return None
    number_nodes(nodes)
    return next((n for n in nodes if n.eid == eid), None)

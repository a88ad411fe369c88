"""Footnote marks on the web: each footnote's number, raised and linked to the note, where the
DOCX and Akoma Ntoso papers place it in the text (after the words it follows, `text.with_marks`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

from markupsafe import Markup

from stocktake.negotiation.text import Node, notes_of, with_marks


def note_mark(note: Node) -> str:
    """A footnote's mark: its number raised, a link to the note below the element."""
    return (
        f'<sup class="fn-mark"><a href="#{escape(note.eid)}" role="doc-noteref">'
        f"{escape(note.number)}</a></sup>"
    )


def marked_html(text: str, notes: list[Node]) -> str:
    """The words escaped, each of its notes' marks where it stands."""
    return "".join(
        escape(words) + (note_mark(note) if note is not None else "")
        for words, note in with_marks(text, notes)
    )


def marked_texts(nodes: Sequence[Node]) -> dict[str, Markup]:
    """Each element's words with its footnotes' marks, by identity (a page's template shows
    them in place of the bare words)."""
    notes = notes_of(list(nodes))
    return {
        node.eid: Markup(marked_html(node.text, notes.get(node.eid, [])))  # noqa: S704  (escaped)
        for node in nodes
    }


def mark_places(text: str, notes: list[Node]) -> list[tuple[int, Node]]:
    """Where each mark stands: its place in the element's own words, and its note."""
    places, at = [], 0
    for words, note in with_marks(text, notes):
        at += len(words)
        if note is not None:
            places.append((at, note))
    return places


def segments_html(
    segments: Sequence[object],
    places: list[tuple[int, Node]],
    bracket: Callable[[int], str],
) -> str:
    """A compiled element's words and brackets (`bracket(index)`: the bracket at that index, as
    HTML), each mark where it stands in the element's own words; a mark inside words a bracket
    touches follows the bracket, as in the DOCX."""
    pending = sorted(places, key=lambda place: place[0])
    parts: list[str] = []
    offset = 0

    def marks_until(end: int) -> None:
        while pending and pending[0][0] <= end:
            parts.append(note_mark(pending.pop(0)[1]))

    for index, segment in enumerate(segments):
        if isinstance(segment, str):
            cursor = 0
            while pending and pending[0][0] <= offset + len(segment):
                cut = pending[0][0] - offset
                parts.append(escape(segment[cursor:cut]))
                cursor = cut
                marks_until(offset + cut)
            parts.append(escape(segment[cursor:]))
            offset += len(segment)
            continue
        parts.append(bracket(index))
        offset += len(getattr(segment, "old", ""))
        marks_until(offset)
    marks_until(offset + 1)
    return "".join(parts)

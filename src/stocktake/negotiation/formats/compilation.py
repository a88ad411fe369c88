"""The compilation text: the working text with every pending proposal in square brackets,
attributed to its sponsors; alternatives as Alt options; counts of brackets and statuses."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from stocktake.core.translation import Text, shown, translatable, translated
from stocktake.negotiation.models import (
    PENDING,
    WORD_KINDS,
    AmendmentKind,
    ElementKind,
    ParagraphStatus,
)
from stocktake.negotiation.services.anchoring import conflict_said
from stocktake.negotiation.services.queries import AmendmentView as Amendment
from stocktake.negotiation.text import Node, latin, locate


@dataclass(frozen=True)
class Bracket:
    """One pending proposal on words: `old` are the words it touches, `new` what it proposes."""

    amendment: Amendment
    sponsors: str
    old: str
    new: str


@dataclass
class CompiledElement:
    node: Node
    segments: list[str | Bracket] = field(default_factory=list)
    alternatives: list[tuple[Amendment, str]] = field(default_factory=list)
    notes: list[tuple[Amendment, str]] = field(default_factory=list)  # delete, move, loose words
    conflicts: list[Amendment] = field(default_factory=list)
    added: bool = False  # a paragraph proposed by an amendment (numbered bis, ter …)
    sponsors: str = ""
    amendment: Amendment | None = None  # the amendment that proposes an added paragraph
    # why each amendment in conflict is, by its number, in the text's language
    reasons: dict[int, str] = field(default_factory=dict)

    @property
    def brackets(self) -> int:
        words = sum(isinstance(s, Bracket) for s in self.segments)
        return words + len(self.alternatives) + len(self.notes) + self.added


def _today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


@dataclass
class Compilation:
    title: str
    elements: list[CompiledElement]
    language: str = "en"  # the text's
    made_on: dt.date = field(default_factory=_today)  # amendments received by this day are in it

    @property
    def open_brackets(self) -> int:
        return sum(e.brackets for e in self.elements)

    @property
    def by_status(self) -> dict[str, int]:
        counts = Counter(
            e.node.status
            for e in self.elements
            if not e.added and e.node.kind in (ElementKind.PREAMBLE, ElementKind.PARAGRAPH)
        )
        return {s.value: counts.get(s.value, 0) for s in ParagraphStatus}

    @property
    def pending(self) -> int:
        """The pending amendments the text shows, in brackets or listed under a paragraph."""
        numbers: set[int] = set()
        for e in self.elements:
            numbers.update(s.amendment.number for s in e.segments if isinstance(s, Bracket))
            numbers.update(a.number for a, _ in [*e.alternatives, *e.notes])
            numbers.update(a.number for a in e.conflicts)
            if e.amendment is not None:
                numbers.add(e.amendment.number)
        return len(numbers)

    @property
    def in_conflict(self) -> int:
        return sum(len(e.conflicts) for e in self.elements)


ALTERNATIVE = translatable("Alt %(number)s")
"""An alternative text's label under its paragraph: "Alt 1", in French "Variante 1"."""
DELETE_NOTE = translatable("delete the paragraph")
MOVE_NOTE = translatable("move after %(where)s")
OVERLAPPING = {
    "insert_after": translatable('insert "%(new)s" after "%(old)s"'),
    "insert_before": translatable('insert "%(new)s" before "%(old)s"'),
    AmendmentKind.DELETE: translatable('delete "%(old)s"'),
    AmendmentKind.REPLACE: translatable('replace "%(old)s" with "%(new)s"'),
}
"""A proposal on words that overlaps another, listed under its paragraph in words."""


PROPOSAL = translatable("[%(sponsors)s: %(proposal)s]")
"""A proposal listed under its paragraph, with who makes it: "[Mexico: delete the paragraph]",
in French "[Mexique : supprimer le paragraphe]"."""


def proposal_note(
    amendment: Amendment,
    proposal: str,
    language: str = "en",
    keep: Callable[[str], str] = str,
) -> str:
    """A proposal under its paragraph with its sponsors, in the text's `language`; `keep`: what
    the format does to the words it writes (escapes them)."""
    values = {"sponsors": keep(sponsor_line(amendment, language)), "proposal": keep(proposal)}
    return translated(PROPOSAL, language) % values


def alternative_label(index: int, language: str = "en") -> str:
    """The label of a paragraph's `index`-th alternative text, in the text's `language`."""
    return translated(ALTERNATIVE, language) % {"number": index}


CONFLICT = translatable("%(amendment)s (%(sponsors)s) is in conflict with the text: %(reason)s")
CONFLICT_UNNAMED = translatable("%(amendment)s is in conflict with the text: %(reason)s")


def conflict_line(
    element: CompiledElement, amendment: Amendment, language: str = "en", *, named: bool = True
) -> str:
    """An amendment in conflict, listed under its element with why, in the text's `language`:
    "A7 (Mexico) is in conflict with the text: the words 'x' are no longer in 3"."""
    values = {
        "amendment": amendment.label,
        "reason": element.reasons.get(amendment.number, amendment.conflict_reason),
    }
    if not named:
        return translated(CONFLICT_UNNAMED, language) % values
    said = amendment.named(amendment.sponsors, lambda message: translated(message, language))
    return translated(CONFLICT, language) % {**values, "sponsors": said}


BETWEEN_PARTS = translatable("; ")
"""Between who tables an amendment and who supports or opposes it: in French " ; " with a narrow
no-break space."""


def sponsor_line(amendment: Amendment, language: str = "en") -> str:
    """Who tables the amendment and where the others stand, as the room reads it:
    "GRULAC, Philippines; supported by Canada; opposed by EU", each actor by the name delegates
    know it by, and "late" when tabled after the deadline; in the text's `language`."""

    def say(message: str) -> str:
        return translated(message, language)

    parts = [amendment.named(amendment.sponsors, say) or "?"]
    if amendment.supporters:
        said = translated(translatable("supported by %(actors)s"), language)
        parts.append(said % {"actors": amendment.named(amendment.supporters, say)})
    if amendment.objectors:
        said = translated(translatable("opposed by %(actors)s"), language)
        parts.append(said % {"actors": amendment.named(amendment.objectors, say)})
    if amendment.late:
        parts.append(translated(translatable("late"), language))
    return translated(BETWEEN_PARTS, language).join(parts)


def compile_text(
    title: str, nodes: list[Node], amendments: Sequence[Amendment], language: str = "en"
) -> Compilation:
    pending = [a for a in amendments if a.status in PENDING]
    on: dict[str, list[Amendment]] = {}
    for amendment in pending:
        on.setdefault(amendment.target_eid, []).append(amendment)
    labels = {n.eid: n.number for n in nodes}
    by_eid = {n.eid: n for n in nodes}
    elements: list[CompiledElement] = []
    for node in nodes:
        mine = on.get(node.eid, [])
        element = CompiledElement(node=node)
        words = [a for a in mine if a.kind in WORD_KINDS and not a.in_conflict]
        element.conflicts = [a for a in mine if a.in_conflict]
        _words(element, words, language)  # adds those whose words are not found
        for amendment in mine:
            if amendment.in_conflict:
                continue
            if amendment.kind == AmendmentKind.ALTERNATIVE:
                element.alternatives.append((amendment, amendment.new_text))
            elif amendment.kind == AmendmentKind.DELETE_PARAGRAPH:
                element.notes.append((amendment, translated(DELETE_NOTE, language)))
            elif amendment.kind == AmendmentKind.MOVE_PARAGRAPH:
                where = labels.get(amendment.destination_eid or "", amendment.destination_eid)
                moved = translated(MOVE_NOTE, language) % {"where": where}
                element.notes.append((amendment, moved))
        for amendment in element.conflicts:
            reason = conflict_said(amendment, by_eid) or amendment.conflict_reason
            reason = reason or Text("its words are not found")
            element.reasons[amendment.number] = shown(reason, language)
        elements.append(element)
        additions = [a for a in mine if a.kind == AmendmentKind.ADD_PARAGRAPH and not a.in_conflict]
        for index, amendment in enumerate(additions, start=1):
            added = Node(
                f"{node.eid}-{amendment.label}",
                amendment.new_kind,
                amendment.new_text,
                number=f"{node.number} {latin(index)}",
            )
            elements.append(
                CompiledElement(
                    node=added,
                    segments=[amendment.new_text],
                    added=True,
                    sponsors=f"{sponsor_line(amendment, language)} {amendment.label}",
                    amendment=amendment,
                )
            )
    return Compilation(title=title, elements=elements, language=language)


def _words(element: CompiledElement, amendments: list[Amendment], language: str) -> None:
    """Non-overlapping proposals go in brackets inside the text; one that overlaps another is
    listed under the paragraph with its quoted words, so nothing is shown in the wrong place."""
    text = element.node.text
    spans = []
    for amendment in amendments:
        start = amendment.anchor_start
        if start is None or text[start : start + len(amendment.quoted)] != amendment.quoted:
            start = locate(text, amendment.quoted, amendment.occurrence)
        if start is None:
            element.conflicts.append(amendment)
            continue
        spans.append((start, start + len(amendment.quoted), amendment))
    spans.sort(key=lambda s: (s[0], s[1], s[2].number))
    cursor = 0
    for start, end, amendment in spans:
        kind = amendment.kind
        if start < cursor or (kind == AmendmentKind.INSERT and start == cursor and cursor):
            said = OVERLAPPING.get(kind) or OVERLAPPING[f"insert_{amendment.placement}"]
            values = {"old": amendment.quoted, "new": amendment.new_text}
            element.notes.append((amendment, translated(said, language) % values))
            continue
        sponsors = sponsor_line(amendment, language)
        if kind == AmendmentKind.INSERT:
            at = end if amendment.placement == "after" else start
            element.segments.append(text[cursor:at])
            element.segments.append(Bracket(amendment, sponsors, "", amendment.new_text))
            cursor = at
            continue
        element.segments.append(text[cursor:start])
        new = amendment.new_text if kind == AmendmentKind.REPLACE else ""
        element.segments.append(Bracket(amendment, sponsors, text[start:end], new))
        cursor = end
    element.segments.append(text[cursor:])

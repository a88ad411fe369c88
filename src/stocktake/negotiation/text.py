"""The text of a draft as a list of nodes: numbering, anchoring quoted words, applying amendments.

Pure functions over plain data; the services store and load, this module computes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from stocktake.core.translation import Text
from stocktake.negotiation.models import AmendmentKind, ElementKind

LATIN = ("bis", "ter", "quater", "quinquies", "sexies", "septies", "octies", "novies", "decies")
ROMAN = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)


@dataclass
class Node:
    """An element of a draft or of a revision's snapshot."""

    eid: str
    kind: str
    text: str
    status: str = "open"
    number: str = ""
    origin: dict[str, Any] = field(default_factory=dict)
    # a heading's own typed number with its word ("Objective 20"): it keeps it, out of the
    # Roman series of the other headings
    label: str = ""

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "eid": self.eid,
            "kind": self.kind,
            "number": self.number,
            "text": self.text,
            "status": self.status,
        }
        if self.origin:
            data["origin"] = self.origin
        if self.label:
            data["label"] = self.label
        return data

    @classmethod
    def of(cls, data: dict[str, Any]) -> Node:
        return cls(
            eid=data["eid"],
            kind=data["kind"],
            text=data["text"],
            status=data.get("status", "open"),
            number=data.get("number", ""),
            origin=data.get("origin", {}),
            label=data.get("label", ""),
        )


class AnchorLost(Exception):
    """The quoted words are not (or no longer) where the amendment says."""


class WordsJoined(AnchorLost):
    """Replacing the quoted words would run the new words into the words beside them."""


def roman(number: int) -> str:
    out = ""
    for value, letters in ROMAN:
        while number >= value:
            out, number = out + letters, number - value
    return out


def letter(number: int) -> str:
    """a … z, then aa, bb … as negotiators letter long lists."""
    return chr(ord("a") + (number - 1) % 26) * ((number - 1) // 26 + 1)


def latin(number: int) -> str:
    return LATIN[number - 1] if number <= len(LATIN) else f"{number}th"


def number_nodes(nodes: list[Node]) -> list[Node]:
    """Give every node its display number from its place in the document; a heading with a
    label of its own ("Objective 20") bears it, and the others are numbered I, II … among
    themselves."""
    counts = dict.fromkeys(ElementKind, 0)
    for node in nodes:
        kind = ElementKind(node.kind)
        if kind is ElementKind.PARAGRAPH:
            counts[ElementKind.POINT] = 0
        if kind is ElementKind.HEADING and node.label:
            node.number = node.label
            continue
        counts[kind] += 1
        n = counts[kind]
        node.number = {
            ElementKind.PREAMBLE: f"PP{n}",
            ElementKind.HEADING: roman(n),
            ElementKind.PARAGRAPH: str(n),
            ElementKind.POINT: f"({letter(n)})",
            ElementKind.FOOTNOTE: str(n),
        }[kind]
    return nodes


_TYPED_ROMAN = re.compile(r"^([IVXLCDM]+)[.)]\s+(\S.*)$")
_TYPED_LABEL = re.compile(r"^([A-Z][a-z]+\s+\d+(?:\s*(?:bis|ter|quater))?)\s*[:.–—-]\s*(\S.*)$")


def typed_heading(text: str) -> tuple[str, str]:
    """A heading's typed number read as its number: ("", words) for "IV. Follow-up" (Roman
    numbers are given again from the place), ("Objective 3", words) for "Objective 3: …"."""
    text = " ".join(text.split())
    if match := _TYPED_LABEL.match(text):
        return " ".join(match.group(1).split()), match.group(2)
    if match := _TYPED_ROMAN.match(text):
        return "", match.group(2)
    return "", text


def heading_number(node: Node) -> str:
    """How a heading's number is written before its words: "IV." or "Objective 3:"."""
    return f"{node.number}:" if node.label else f"{node.number}."


def with_marks(text: str, notes: list[Node]) -> list[tuple[str, Node | None]]:
    """The text cut where its footnotes' marks stand: (words, the note whose mark follows them).
    A note remembers the words its mark follows (`origin["after"]`); without them, or when they
    are gone, its mark goes at the end."""
    places = []
    for note in notes:
        after = _still_there(text, str(note.origin.get("after", "")))
        found = text.find(after) if after else -1
        places.append((found + len(after) if found >= 0 else len(text), note))
    pieces: list[tuple[str, Node | None]] = []
    cursor = 0
    for at, note in sorted(places, key=lambda p: p[0]):
        pieces.append((text[cursor:at], note))
        cursor = at
    if cursor < len(text) or not pieces:
        pieces.append((text[cursor:], None))
    return pieces


def _still_there(text: str, after: str) -> str:
    """The words a mark follows, or as many of their last words (three at least) as the text
    still has once words before them were edited."""
    words = after.split()
    for start in range(max(1, len(words) - 2)):
        tail = " ".join(words[start:])
        if tail in text:
            return tail
    return ""


def notes_of(nodes: list[Node]) -> dict[str, list[Node]]:
    """Each footnote under the element before it."""
    out: dict[str, list[Node]] = {}
    owner = ""
    for node in nodes:
        if node.kind == ElementKind.FOOTNOTE:
            out.setdefault(owner, []).append(node)
        else:
            owner = node.eid
    return out


def block_of(nodes: list[Node], index: int) -> int:
    """The end (exclusive) of the block that starts at `index`: a paragraph with its points and
    footnotes, a heading alone, any other element with its footnotes."""
    kind = nodes[index].kind
    followers = {ElementKind.FOOTNOTE.value}
    if kind == ElementKind.PARAGRAPH:
        followers.add(ElementKind.POINT.value)
    end = index + 1
    while end < len(nodes) and nodes[end].kind in followers:
        end += 1
    return end


_SPACES = re.compile(r"[ \t]{2,}")
_BEFORE_PUNCTUATION = re.compile(r"\s+([,.;:)\]])")


def tidy(text: str) -> str:
    return _BEFORE_PUNCTUATION.sub(r"\1", _SPACES.sub(" ", text)).strip()


def locate(text: str, quoted: str, occurrence: int = 1) -> int | None:
    """Where the `occurrence`-th instance of the quoted words starts, or None."""
    if not quoted:
        return None
    start = -1
    for _ in range(max(1, occurrence)):
        start = text.find(quoted, start + 1)
        if start < 0:
            return None
    return start


def occurrences(text: str, quoted: str) -> int:
    return text.count(quoted) if quoted else 0


@dataclass(frozen=True)
class WordChange:
    kind: str
    quoted: str
    occurrence: int
    new_text: str
    placement: str = "after"

    def span(self, text: str) -> tuple[int, int]:
        start = locate(text, self.quoted, self.occurrence)
        if start is None:
            said = Text(
                "the words %(words)r (occurrence %(occurrence)s) are not in the text",
                words=self.quoted,
                occurrence=self.occurrence,
            )
            raise AnchorLost(said)
        return start, start + len(self.quoted)

    def apply(self, text: str) -> str:
        start, end = self.span(text)
        if self.kind == AmendmentKind.DELETE:
            return tidy(text[:start] + text[end:])
        if self.kind == AmendmentKind.REPLACE:
            return replace_words(text, start, end, self.new_text)
        if self.placement == "before":
            return tidy(text[:start] + self.new_text + " " + text[start:])
        return tidy(text[:end] + " " + self.new_text + text[end:])


def _word(char: str) -> bool:
    return char.isalnum() or char in "_'’"


def replace_words(text: str, start: int, end: int, new: str) -> str:
    """The text with `text[start:end]` replaced by the new words, as whole words: the spaces
    around the quoted words stay where they were, the new words lose theirs, and a result that
    runs a new word into a word beside it is refused (WordsJoined names both)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    new = " ".join(new.split())
    before, after = text[:start], text[end:]
    if new and before and _word(before[-1]) and _word(new[0]):
        left = before.split()[-1] if before.split() else before
        raise WordsJoined(_run_together(left, new.split()[0]))
    if new and after and _word(after[0]) and _word(new[-1]):
        right = after.split()[0] if after.split() else after
        raise WordsJoined(_run_together(new.split()[-1], right))
    if not new:
        return tidy(before + " " + after)
    return tidy(before + new + after)


def _run_together(left: str, right: str) -> Text:
    return Text(
        "%(left)r and %(right)r would run together as %(joined)r",
        left=left,
        right=right,
        joined=left + right,
    )


def move_block(nodes: list[Node], eid: str, after_eid: str) -> list[Node]:
    """The nodes with `eid`'s block moved right after `after_eid`'s block."""
    index = index_of(nodes, eid)
    block = nodes[index : block_of(nodes, index)]
    rest = nodes[:index] + nodes[block_of(nodes, index) :]
    if any(n.eid == after_eid for n in block):
        raise AnchorLost(Text("%(element)s cannot move inside itself", element=eid))
    target = index_of(rest, after_eid)
    end = block_of(rest, target)
    return rest[:end] + block + rest[end:]


def index_of(nodes: list[Node], eid: str) -> int:
    for index, node in enumerate(nodes):
        if node.eid == eid:
            return index
    raise AnchorLost(Text("no element %(element)s", element=eid))


def copy_nodes(nodes: list[Node]) -> list[Node]:
    return [replace(n, origin=dict(n.origin)) for n in nodes]

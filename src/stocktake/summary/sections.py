"""The summary's text by section, for editing one at a time and reading with the long source lists
folded; and a comparison that shows only the passages that changed."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

from stocktake.core.errors import NotFound
from stocktake.core.translation import Text
from stocktake.summary.builder.words import annex_words

_HEADING = re.compile(r"^## ", re.MULTILINE)
FOLDED = annex_words()
"""Sections whose heading starts so (an annex, in any of the six languages) are folded on the
summary's page: long lists of sources."""


@dataclass(frozen=True)
class Section:
    number: int
    """0 is what comes before the first `##` heading (title and opening lines)."""
    heading: str
    markdown: str

    @property
    def folded(self) -> bool:
        return self.heading.startswith(FOLDED)


def split_sections(markdown: str) -> list[Section]:
    """The text cut before each `##` heading; joining the pieces gives the text back exactly."""
    starts = [0, *(m.start() for m in _HEADING.finditer(markdown) if m.start() > 0)]
    pieces = [markdown[a:b] for a, b in zip(starts, [*starts[1:], len(markdown)], strict=True)]
    sections = []
    for number, piece in enumerate(pieces):
        first = piece.split("\n", 1)[0]
        heading = first[3:].strip() if first.startswith("## ") else first.lstrip("# ").strip()
        sections.append(Section(number, heading, piece))
    return sections


def replace_section(markdown: str, number: int, text: str) -> str:
    """The whole text with one section's Markdown replaced."""
    sections = split_sections(markdown)
    if not 0 <= number < len(sections):
        raise NotFound(Text("summary section"), number)
    text = text.replace("\r\n", "\n").rstrip("\n")
    text += "\n\n" if number < len(sections) - 1 else "\n"
    pieces = [s.markdown for s in sections]
    pieces[number] = text
    return "".join(pieces)


_TOKENS = re.compile(r"\s+|[^\s]+")


def compare(old: str, new: str) -> Markup:
    """A word-by-word comparison as HTML: deletions in <del>, insertions in <ins>."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(escape("".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            parts.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            parts.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return Markup("".join(parts))  # noqa: S704  (every piece of text is escaped above)


@dataclass(frozen=True)
class Passage:
    """A changed stretch of lines with a line or two of context either side."""

    old_line: int
    new_line: int
    html: Markup


def changed_passages(old: str, new: str, context: int = 2) -> list[Passage]:
    """Only the passages that differ, each with `context` unchanged lines around it; within a
    changed line, the words removed are in <del> and those added in <ins>."""
    a, b = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    passages = []
    for group in matcher.get_grouped_opcodes(context):
        parts = []
        for op, i1, i2, j1, j2 in group:
            if op == "equal":
                parts += [escape(line) for line in a[i1:i2]]
            elif op == "replace" and i2 - i1 == j2 - j1:
                parts += [compare(x, y) for x, y in zip(a[i1:i2], b[j1:j2], strict=True)]
            else:
                parts += [f"<del>{escape(line)}</del>" for line in a[i1:i2]]
                parts += [f"<ins>{escape(line)}</ins>" for line in b[j1:j2]]
        first = group[0]
        passages.append(
            Passage(first[1] + 1, first[3] + 1, Markup("\n".join(parts)))  # noqa: S704 (escaped)
        )
    return passages

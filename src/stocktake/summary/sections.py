"""The summary's text by section, for editing one at a time and reading with the long source lists
folded."""

from __future__ import annotations

import re
from dataclasses import dataclass

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

"""What a reader gives: a draft's title and elements as read from a file, nothing stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from stocktake.core.errors import Problem, ValidationFailed
from stocktake.core.translation import Counted, Text
from stocktake.negotiation.models import ElementKind

MAX_ELEMENTS = 5_000
"""Most elements (paragraphs, points, headings, footnotes) a draft may have."""
MAX_XML_ELEMENTS = 20 * MAX_ELEMENTS
"""Most XML elements an Akoma Ntoso file may have; counted while it is parsed, so a huge file is
refused as soon as it passes the limit."""


@dataclass
class ParsedElement:
    kind: ElementKind
    text: str
    origin: dict[str, Any] = field(default_factory=dict)
    label: str = ""  # a heading's own typed number ("Objective 3")
    status: str = "open"  # "agreed ad ref." written after a paragraph is read as its status
    # the identity the file carries (a DOCX bookmark, a Markdown comment, an Akoma Ntoso wId):
    # the product's own exports read back align with the text they came from
    eid: str = ""


@dataclass
class ParsedDraft:
    title: str
    elements: list[ParsedElement] = field(default_factory=list)
    origin: dict[str, Any] = field(default_factory=dict)


def too_many(name: str) -> ValidationFailed:
    return ValidationFailed(
        name,
        [
            Problem(
                "",
                Text(
                    "more than %(limit)s elements; split the text or send it in parts",
                    limit=Counted(MAX_ELEMENTS),
                ),
            )
        ],
    )

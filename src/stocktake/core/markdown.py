"""Text shown as text in Markdown: the one escaping of every Markdown file stocktake writes (the
summary, a draft's text, the compilation text, comparisons), so that words a delegation or a
stakeholder wrote never become HTML, links or emphasis in it."""

from __future__ import annotations

import re

_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]<>!|~&#])")
_BLOCK_START = re.compile(r"^(\s*)([-+=]|\d+(?=[.)]))")


def escape_markdown(text: str) -> str:
    """Text shown as text in Markdown: no emphasis, link, image, HTML, entity, heading, list or table
    cell comes from it."""
    text = _MARKDOWN_PUNCTUATION.sub(r"\\\1", text)
    match = _BLOCK_START.match(text)
    if match is None:
        return text
    lead, marker = match.groups()
    if marker[0].isdigit():  # "1." or "1)" opens an ordered list
        end = match.end()
        return f"{text[:end]}\\{text[end:]}"
    return f"{lead}\\{text[len(lead) :]}"

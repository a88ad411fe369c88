"""Two versions of a summary compared as the summary reads: the Markdown of both rendered to HTML
by the summary's own renderer, sentence by sentence. A sentence rewritten is shown struck, then
added, each whole (<del>, <ins>); a sentence left as it was, plain."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from markupsafe import Markup

from stocktake.summary.render import to_html

# Marks around a changed sentence in the merged Markdown, replaced by tags once it is rendered:
# Unicode punctuation, so that emphasis beside them opens and closes as it does beside a quote.
_DEL, _END_DEL, _INS, _END_INS = "⸠", "⸡", "⸢", "⸣"
_MARKS = str.maketrans("", "", _DEL + _END_DEL + _INS + _END_INS)
_TAGS = {_DEL: "<del>", _END_DEL: "</del>", _INS: "<ins>", _END_INS: "</ins>"}
_BLOCK = re.compile(r"^(\s*(?:#{1,6}\s+|[-*+]\s+|\d+[.)]\s+|>\s*)*)(.*)$")
_SENTENCE_END = re.compile(r"(?<=[.!?…؟])[*_”’\"»)\]]*\s+|(?<=[。！？])[*_”’\"»)\]]*\s*")


@dataclass(frozen=True)
class Passage:
    """A changed stretch of the text with a line or two of context either side."""

    old_line: int
    new_line: int
    html: Markup


def sentences(text: str) -> list[str]:
    """The text cut after each sentence's final stop (and a closing quote or mark), never inside
    a link, emphasis or code, so that each piece is whole Markdown; joining them gives it back."""
    pieces, start = [], 0
    for found in _SENTENCE_END.finditer(text):
        head = text[start : found.end()]
        if head.count("[") != head.count("]") or head.count("*") % 2 or head.count("`") % 2:
            continue
        if found.end() < len(text):
            pieces.append(head)
            start = found.end()
    pieces.append(text[start:])
    return [p for p in pieces if p]


def _marked(text: str, opening: str, closing: str) -> str:
    """Whole sentences inside the marks, the spaces after each outside them."""
    body = text.rstrip()
    return f"{opening}{body}{closing}{text[len(body) :]}" if body else text


def _changed_line(old: str, new: str) -> list[str] | None:
    """One line whose sentences changed, or None when the two are not the same kind of block
    (a heading become a list item): then each is shown whole."""
    old_prefix, old_body = _BLOCK.match(old).groups()  # type: ignore[union-attr]
    new_prefix, new_body = _BLOCK.match(new).groups()  # type: ignore[union-attr]
    if old_prefix.strip() != new_prefix.strip() or old.startswith("|") or new.startswith("|"):
        return None
    a, b = sentences(old_body), sentences(new_body)
    parts = []
    matcher = difflib.SequenceMatcher(None, [s.strip() for s in a], [s.strip() for s in b])
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts += b[j1:j2]
            continue
        parts += [_marked(s if s.endswith(" ") else s + " ", _DEL, _END_DEL) for s in a[i1:i2]]
        parts += [_marked(s, _INS, _END_INS) for s in b[j1:j2]]
    return [new_prefix + "".join(parts).rstrip()]


def _whole(line: str, opening: str, closing: str) -> str:
    if line.startswith("|"):
        cells = line.strip().strip("|").split("|")
        return "|" + "|".join(_marked(f" {c.strip()} ", opening, closing) for c in cells) + "|"
    prefix, body = _BLOCK.match(line).groups()  # type: ignore[union-attr]
    return prefix + _marked(body, opening, closing) if body.strip() else line


def merged(old: str, new: str, context: int | None = None) -> list[tuple[int, int, str]]:
    """The two texts as one Markdown text per passage, the changed sentences marked, with
    `context` unchanged lines around each change (None: the whole text in one passage). Each
    passage comes with its first line's number in the old and in the new text."""
    a, b = old.translate(_MARKS).splitlines(), new.translate(_MARKS).splitlines()
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    groups = [matcher.get_opcodes()] if context is None else matcher.get_grouped_opcodes(context)
    passages = []
    for group in groups:
        lines: list[str] = []
        for op, i1, i2, j1, j2 in group:
            if op == "equal":
                lines += b[j1:j2]
                continue
            if op == "replace" and i2 - i1 == j2 - j1:
                paired = [_changed_line(x, y) for x, y in zip(a[i1:i2], b[j1:j2], strict=True)]
                if all(p is not None for p in paired):
                    lines += [line for p in paired for line in p or []]
                    continue
            lines += _separated([_whole(x, _DEL, _END_DEL) for x in a[i1:i2]], b[j1:j2])
            lines += [_whole(y, _INS, _END_INS) for y in b[j1:j2]]
        if group:
            passages.append((group[0][1] + 1, group[0][3] + 1, "\n".join(lines)))
    return [p for p in passages if p[2].strip() or context is None]


def _separated(struck: list[str], added: list[str]) -> list[str]:
    """Struck paragraphs kept apart from the added ones that follow (a blank line between), so
    that a paragraph rewritten whole reads as two, not one run together."""
    if struck and added and struck[-1].strip() and not struck[-1].startswith(("|", "-", "#")):
        return [*struck, ""]
    return struck


def rendered(markdown: str, language: str) -> Markup:
    """The merged Markdown as the summary page renders it, the marks become <del> and <ins>."""
    html = to_html(markdown, language)
    for mark, tag in _TAGS.items():
        html = html.replace(mark, tag)
    return Markup(html)  # noqa: S704  (raw HTML disabled in the renderer; only our tags added)


def compared(old: str, new: str, language: str) -> Markup:
    """The whole text, rendered, its changed sentences struck and added."""
    return rendered(merged(old, new)[0][2] if old or new else "", language)


def changed_passages(old: str, new: str, language: str, context: int = 2) -> list[Passage]:
    """Only the passages that differ, each rendered with `context` unchanged lines around it."""
    return [
        Passage(old_line, new_line, rendered(markdown, language))
        for old_line, new_line, markdown in merged(old, new, context)
    ]

"""Word-by-word comparison of two revisions, element by element by identity, so that a paragraph
renumbered or moved is compared with itself, not with whatever now bears its number."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from html import escape
from typing import Any

from markupsafe import Markup

from stocktake.core.markdown import escape_markdown as md
from stocktake.core.translation import catalog, translatable, translatable_plural, translated
from stocktake.negotiation.formats.marks import note_mark
from stocktake.negotiation.formats.office import Footnotes, Paper, Tracker
from stocktake.negotiation.formats.writing import _docx, _number, _save, html_document
from stocktake.negotiation.models import ElementKind
from stocktake.negotiation.text import Node, with_marks

_TOKENS = re.compile(r"\s*\w+|\s*[^\w\s]|\s+")
"""A word, or a punctuation mark, with the space before it: "workers" stays the same word when
", including domestic workers," follows it, so only the words added are marked."""

FLAGS = {
    "added": translatable("added"),
    "deleted": translatable("deleted"),
    "moved": translatable("moved"),
    "was": translatable("was %(number)s"),
}
"""What a row of a comparison says of its element, in the reader's language."""
COUNTS = {
    "changed": translatable_plural("%(num)s changed", "%(num)s changed"),
    "added": translatable_plural("%(num)s added", "%(num)s added"),
    "deleted": translatable_plural("%(num)s deleted", "%(num)s deleted"),
    "moved": translatable_plural("%(num)s moved", "%(num)s moved"),
    "renumbered": translatable_plural("%(num)s renumbered", "%(num)s renumbered"),
}
"""The counts over a comparison, as the compare page words them."""
BEFORE, AFTER = translatable("Before"), translatable("After")


@dataclass(frozen=True)
class Compared:
    eid: str
    kind: str
    old: Node | None
    new: Node | None
    change: str  # unchanged, changed, added, deleted (and moved / renumbered as flags)
    moved: bool
    renumbered: bool
    ops: list[tuple[str, str]]  # (equal|delete|insert, words)

    @property
    def label(self) -> str:
        node = self.new or self.old
        assert node is not None
        return _number(node) or node.number


def word_ops(old: str, new: str) -> list[tuple[str, str]]:
    """The words kept, deleted and inserted, in order. Words are compared without the space
    before them, so that the first word of a text is the same word once words come before it
    ("This" in "Indeed, This"); the words kept are written as the newer text has them."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    ops: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, _keys(a), _keys(b), autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            ops.append(("equal", "".join(b[j1:j2])))
            continue
        if op in ("delete", "replace"):
            ops.append(("delete", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            ops.append(("insert", "".join(b[j1:j2])))
    return ops


def _keys(tokens: list[str]) -> list[str]:
    return [token.lstrip() or token for token in tokens]


def compare_nodes(old: list[Node], new: list[Node]) -> list[Compared]:
    """Every element of either revision, in the newer one's order; deleted elements where they
    stood. Moved means its place among the elements both revisions share changed."""
    old_by = {n.eid: n for n in old}
    new_by = {n.eid: n for n in new}
    common_old = [n.eid for n in old if n.eid in new_by]
    common_new = [n.eid for n in new if n.eid in old_by]
    matcher = difflib.SequenceMatcher(None, common_old, common_new, autojunk=False)
    stayed = {
        eid
        for block in matcher.get_matching_blocks()
        for eid in common_new[block.b : block.b + block.size]
    }
    rows: list[Compared] = []
    deleted_after: dict[str | None, list[Node]] = {}
    previous: str | None = None
    for node in old:
        if node.eid in new_by:
            previous = node.eid
        else:
            deleted_after.setdefault(previous, []).append(node)

    def deleted(anchor: str | None) -> None:
        for node in deleted_after.pop(anchor, []):
            rows.append(
                Compared(
                    node.eid,
                    node.kind,
                    node,
                    None,
                    "deleted",
                    False,
                    False,
                    [("delete", node.text)],
                )
            )

    deleted(None)
    for node in new:
        before = old_by.get(node.eid)
        if before is None:
            rows.append(
                Compared(
                    node.eid, node.kind, None, node, "added", False, False, [("insert", node.text)]
                )
            )
        else:
            ops = (
                word_ops(before.text, node.text)
                if before.text != node.text
                else [("equal", node.text)]
            )
            rows.append(
                Compared(
                    node.eid,
                    node.kind,
                    before,
                    node,
                    "changed" if before.text != node.text else "unchanged",
                    node.eid not in stayed,
                    before.number != node.number,
                    ops,
                )
            )
            deleted(node.eid)
    for anchor in list(deleted_after):
        deleted(anchor)
    return rows


def summary_counts(rows: list[Compared]) -> dict[str, int]:
    return {
        "changed": sum(r.change == "changed" for r in rows),
        "added": sum(r.change == "added" for r in rows),
        "deleted": sum(r.change == "deleted" for r in rows),
        "moved": sum(r.moved for r in rows),
        "renumbered": sum(r.renumbered for r in rows),
    }


def _flags(row: Compared, language: str = "en") -> str:
    flags = []
    if row.change in ("added", "deleted"):
        flags.append(translated(FLAGS[row.change], language))
    if row.moved:
        flags.append(translated(FLAGS["moved"], language))
    if row.renumbered and row.old is not None:
        number = _number(row.old) or row.old.number
        flags.append(translated(FLAGS["was"], language) % {"number": number})
    return ", ".join(flags)


def counts_line(rows: list[Compared], language: str = "en") -> str:
    """ "3 changed, 1 added, …" in `language`."""
    words = catalog(language)
    return ", ".join(
        words.ngettext(*COUNTS[key], n) % {"num": n} for key, n in summary_counts(rows).items()
    )


def spaced(words: str) -> tuple[str, str, str]:
    """The words, and the spaces before and after them, apart: a mark (struck, underlined, in
    emphasis) covers only the words."""
    core = words.strip()
    if not core:
        return words, "", ""
    start = words.index(core)
    return words[:start], core, words[start + len(core) :]


def _tagged(words: str, tag: str) -> str:
    lead, core, trail = spaced(words)
    if not core:
        return escape(words)
    return f"{escape(lead)}<{tag}>{escape(core)}</{tag}>{escape(trail)}"


def _ops_html(ops: list[tuple[str, str]]) -> str:
    tags = {"delete": "del", "insert": "ins"}
    return "".join(_tagged(words, tags[op]) if op in tags else escape(words) for op, words in ops)


def redline_html(rows: list[Compared], language: str = "en") -> Markup:
    """The rows as a redline; what each row's flags say ("moved, was 3."), in `language`."""
    parts = []
    notes = _notes_by_owner(rows)
    for row in rows:
        flags = _flags(row, language)
        note = f' <small class="flags">({escape(flags)})</small>' if flags else ""
        words = "".join(
            note_mark(item.new or item.old)  # type: ignore[arg-type]
            if isinstance(item, Compared)
            else _ops_html([item])
            for item in with_notes(row, notes.get(row.eid, []))
        )
        parts.append(
            f'<div class="el el-{row.kind} change-{row.change}" id="{escape(row.eid)}">'
            f'<span class="num">{escape(row.label)}</span> {words}{note}</div>'
        )
    return Markup("\n".join(parts))  # noqa: S704  (every text part is escaped above)


def side_by_side_html(rows: list[Compared], language: str = "en") -> Markup:
    before, after = translated(BEFORE, language), translated(AFTER, language)
    parts = [
        f'<table class="side" tabindex="0"><thead><tr><th scope="col">{escape(before)}</th>'
        f'<th scope="col">{escape(after)}</th></tr></thead><tbody>'
    ]
    for row in rows:
        old_marked = "".join(
            _tagged(w, "del") if op == "delete" else escape(w)
            for op, w in row.ops
            if op != "insert"
        )
        new_marked = "".join(
            _tagged(w, "ins") if op == "insert" else escape(w)
            for op, w in row.ops
            if op != "delete"
        )
        left = (
            f'<span class="num">{escape(_number(row.old) or row.old.number)}</span> {old_marked}'
            if row.old
            else ""
        )
        right = (
            f'<span class="num">{escape(_number(row.new) or row.new.number)}</span> {new_marked}'
            if row.new
            else ""
        )
        parts.append(
            f'<tr class="change-{row.change}" id="{escape(row.eid)}"><td>{left}</td><td>{right}</td></tr>'
        )
    parts.append("</tbody></table>")
    return Markup("".join(parts))  # noqa: S704  (every text part is escaped above)


def comparison_document(
    title: str,
    rows: list[Compared],
    *,
    side_by_side: bool = False,
    stage: str = "",
    language: str = "en",
) -> str:
    """`stage`: what is compared, under the title ("Zero draft compared with Rev.1"); its own
    words in `language`, the paper's."""
    line = counts_line(rows, language)
    body = side_by_side_html(rows, language) if side_by_side else redline_html(rows, language)
    lead = f"<p>{escape(stage)}</p>\n" if stage else ""
    return html_document(title, f"{lead}<p>{escape(line)}</p>\n{body}")


def mark(words: str, marker: str) -> str:
    """Markdown emphasis around the words, the spaces before and after them left outside."""
    lead, core, trail = spaced(words)
    if not marker or not core:
        return words
    return f"{lead}{marker}{core}{marker}{trail}"


def comparison_markdown(
    title: str, rows: list[Compared], *, stage: str = "", language: str = "en"
) -> str:
    marks = {"equal": "", "delete": "~~", "insert": "**"}
    lines = [f"# {md(title)}", ""] + ([md(stage), ""] if stage else [])
    lines += [counts_line(rows, language), ""]
    for row in rows:
        words = "".join(mark(md(w), marks[op]) for op, w in row.ops)
        flags = _flags(row, language)
        prefix = "## " if row.kind == ElementKind.HEADING else ""
        lines += [f"{prefix}{row.label} {words}" + (f" _({flags})_" if flags else ""), ""]
    return "\n".join(lines).rstrip() + "\n"


def _notes_by_owner(rows: list[Compared]) -> dict[str, list[Compared]]:
    """Each footnote's row under the row of the element before it (its owner)."""
    out: dict[str, list[Compared]] = {}
    owner = ""
    for row in rows:
        if row.kind == ElementKind.FOOTNOTE and owner:
            out.setdefault(owner, []).append(row)
        elif row.kind != ElementKind.FOOTNOTE:
            owner = row.eid
    return out


def with_notes(row: Compared, notes: list[Compared]) -> list[tuple[str, str] | Compared]:
    """The row's words with each footnote's row where its mark stands: in the newer text, or in
    the older one for an element deleted."""
    side = row.new or row.old
    assert side is not None
    counted = ("equal", "insert") if row.new is not None else ("equal", "delete")
    note_nodes = [n.new or n.old for n in notes]
    by_node = {id(node): note for node, note in zip(note_nodes, notes, strict=True)}
    pending, at = [], 0
    for words, node in with_marks(side.text, [n for n in note_nodes if n is not None]):
        at += len(words)
        if node is not None:
            pending.append((at, by_node[id(node)]))
    out: list[tuple[str, str] | Compared] = []
    offset = 0
    for op, words in row.ops:
        if op not in counted:
            out.append((op, words))
            continue
        cursor = 0
        while pending and pending[0][0] <= offset + len(words):
            cut = max(pending[0][0] - offset, cursor)
            if cut > cursor:
                out.append((op, words[cursor:cut]))
            cursor = cut
            out.append(pending.pop(0)[1])
        if cursor < len(words):
            out.append((op, words[cursor:]))
        offset += len(words)
    out.extend(note for _, note in pending)
    return out


def _mark_op(row: Compared) -> str:
    return {"added": "insert", "deleted": "delete"}.get(row.change, "equal")


def _redline_run(paragraph: Any, op: str, words: str) -> Any:
    lead, core, trail = spaced(words)
    if (
        op != "equal" and core and (lead or trail)
    ):  # the spaces around, neither struck nor underlined
        if lead:
            paragraph.add_run(lead)
        run = _redline_run(paragraph, op, core)
        if trail:
            paragraph.add_run(trail)
        return run
    run = paragraph.add_run(words)
    if op == "delete":
        run.font.strike = True
    elif op == "insert":
        run.underline = True
    return run


def comparison_docx(
    title: str,
    rows: list[Compared],
    paper: Paper | None = None,
    *,
    tracked: bool = False,
    date: dt.datetime | None = None,
    stage: str = "",
    language: str = "en",
) -> bytes:
    """The comparison as a formatted redline (struck and underlined words), or, `tracked`, as
    Word's tracked changes: the older text with the newer one's changes to accept or reject.
    Footnotes are Word footnotes with their marks where they stand, compared in the same way."""
    from docx.shared import Pt

    document: Any = _docx(paper)
    document.add_heading(title, level=0)
    if stage:
        document.add_paragraph(stage)
    footnotes = Footnotes(document)
    notes = _notes_by_owner(rows)
    placed = {id(note) for group in notes.values() for note in group}
    tracker = Tracker(date or dt.datetime.now(dt.UTC))
    for row in rows:
        if id(row) in placed:
            continue
        paragraph = document.add_paragraph()
        items = with_notes(row, notes.get(row.eid, []))
        if tracked:
            _tracked_row(document, paragraph, row, items, tracker=tracker, footnotes=footnotes)
            footnotes.bookmarks.mark(paragraph, row.eid)
            continue
        paragraph.add_run(row.label + "\t").bold = True
        for item in items:
            if isinstance(item, Compared):
                note = footnotes.note(paragraph)
                for op, words in item.ops:
                    _redline_run(note, op, words).font.size = Pt(10)
                if flags := _flags(item, language):
                    note.add_run(f"  ({flags})").italic = True
            else:
                _redline_run(paragraph, *item)
        if flags := _flags(row, language):
            paragraph.add_run(f"  ({flags})").italic = True
    return _save(document)


def _tracked_row(
    document: Any,
    paragraph: Any,
    row: Compared,
    items: list[tuple[str, str] | Compared],
    *,
    tracker: Tracker,
    footnotes: Footnotes,
) -> None:
    """One element as tracked changes: the number (old out, new in when renumbered), the words,
    each footnote's mark and words; an element added or deleted has its paragraph mark so."""
    if row.kind == ElementKind.HEADING:
        paragraph.style = document.styles["Heading 2"]
    elif row.kind == ElementKind.POINT:
        paragraph.paragraph_format.left_indent = 457200
    gap = " " if row.kind == ElementKind.HEADING else "\t"
    old = _number(row.old) + gap if row.old and _number(row.old) else ""
    new = _number(row.new) + gap if row.new and _number(row.new) else ""
    numbers = [("equal", new)] if old == new else [("delete", old), ("insert", new)]
    for item in [*numbers, *items]:  # renumbered: old number out, new in
        if isinstance(item, Compared):
            note = footnotes.note(paragraph)
            tracker.wrap_last(paragraph, _mark_op(item))
            for op, words in item.ops:
                tracker.run(note, op, words)
            footnotes.bookmarks.mark(note, item.eid)
        elif item[1]:
            tracker.run(paragraph, *item)
    if row.change in ("added", "deleted"):
        tracker.mark_paragraph(paragraph, "insert" if row.change == "added" else "delete")

"""A draft's text, its compilation text and comparisons as HTML, Markdown and DOCX."""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any

from markupsafe import Markup

from stocktake.core.markdown import escape_markdown as md
from stocktake.core.translation import catalog, translatable, translatable_plural, translated
from stocktake.core.typography import colon
from stocktake.negotiation.formats.compilation import (
    Bracket,
    Compilation,
    CompiledElement,
    alternative_label,
    conflict_line,
    proposal_note,
    sponsor_line,
)
from stocktake.negotiation.formats.languages import html_attributes
from stocktake.negotiation.formats.marks import mark_places, marked_texts, segments_html
from stocktake.negotiation.formats.office import (
    HEADERS,
    IDENTITY,
    LANGUAGE_NAMES,
    Footnotes,
    Paper,
    new_document,
    save,
)
from stocktake.negotiation.models import ElementKind
from stocktake.negotiation.text import Node, heading_number, notes_of, with_marks

STATUS_NAMES = {
    "open": translatable("open"),
    "under_discussion": translatable("under discussion"),
    "agreed_ad_ref": translatable("agreed ad ref."),
    "agreed": translatable("agreed"),
}
"""A paragraph's status as papers and pages say it, marked for the catalogs."""


def status_name(status: str, language: str = "en") -> str:
    """A paragraph's status in a language: "agreed ad ref.", in French "convenu ad ref."."""
    return translated(STATUS_NAMES[status], language) if status in STATUS_NAMES else status


HTML_STYLE = """
body{font-family:Georgia,serif;max-width:48rem;margin:2rem auto;padding:0 1rem;line-height:1.5}
.el{margin:.4rem 0}.el-point{margin-left:2rem}.el-footnote{font-size:.85em;margin-left:1rem}
.num{font-weight:bold;margin-right:.4rem}.status{font-size:.75em;color:#555;border:1px solid #aaa;
border-radius:3px;padding:0 .3rem;margin-left:.4rem}.bracket{background:#fff4d6}
.sponsors{font-size:.75em;color:#7a4b00;vertical-align:super}ins{color:#05610f}del{color:#a0001b}
.added{background:#eef7ff}.conflict{color:#a0001b}table.side{width:100%;border-collapse:collapse}
table.side td{vertical-align:top;border-top:1px solid #ddd;padding:.3rem;width:50%}
"""


def _number(node: Node) -> str:
    if node.kind == ElementKind.HEADING:
        return heading_number(node)
    if node.kind == ElementKind.PARAGRAPH:
        return f"{node.number}."
    if node.kind == ElementKind.FOOTNOTE:
        return f"[{node.number}]"
    if node.kind == ElementKind.PREAMBLE:
        return ""
    return node.number


def html_document(title: str, body: str) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}'
        f"</title><style>{HTML_STYLE}</style></head><body>\n<h1>{escape(title)}</h1>\n"
        f"{body}\n</body></html>\n"
    )


def _open(node: Node, extra: str = "") -> str:
    tag = "h2" if node.kind == ElementKind.HEADING else "div"
    number = _number(node)
    num = f'<span class="num">{escape(number)}</span>' if number else ""
    return f'<{tag} class="el el-{node.kind}{extra}" id="{escape(node.eid)}">{num}'


def _close(node: Node) -> str:
    return "</h2>" if node.kind == ElementKind.HEADING else "</div>"


def status_tag(status: str, language: str = "en") -> str:
    """A paragraph's status on a page, in the page's language (`language`), set apart from the
    text around it so that it reads in its own direction."""
    name = escape(status_name(status, language))
    return f'<span class="status" {html_attributes(language)}>{name}</span>'


def text_html(nodes: list[Node], *, statuses: bool = False, language: str = "en") -> Markup:
    """The text, each footnote's mark where it stands; `statuses`: each paragraph's status after
    it, in `language` (the page's)."""
    parts = []
    marked = marked_texts(nodes)
    for node in nodes:
        status = ""
        if statuses and node.kind in (ElementKind.PREAMBLE, ElementKind.PARAGRAPH):
            status = status_tag(node.status, language)
        parts.append(f"{_open(node)}{marked[node.eid]}{status}{_close(node)}")
    return Markup("\n".join(parts))  # noqa: S704  (every text part is escaped above)


def status_note(
    node: Node, language: str = "en", shown: tuple[str, ...] = ("agreed_ad_ref",)
) -> str:
    """ " (agreed ad ref.)" after a paragraph agreed ad referendum, as revisions show it, in the
    paper's language (French " (convenu ad ref.)"); `shown`: the statuses so marked."""
    if node.kind in (ElementKind.PREAMBLE, ElementKind.PARAGRAPH) and node.status in shown:
        return f" ({status_name(node.status, language)})"
    return ""


PAPER_STATUSES = ("agreed_ad_ref", "agreed")
"""The statuses a compilation text marks: what a delegation needs to know is settled."""


def _marked_markdown(node: Node, notes: dict[str, list[Node]]) -> str:
    return "".join(
        md(words) + (f"[^{note.number}]" if note else "")
        for words, note in with_marks(node.text, notes.get(node.eid, []))
    )


def identity_comment(node: Node) -> str:
    """An element's identity as a Markdown comment at the end of its line: not shown when the
    Markdown is rendered, and kept when the words before it are edited."""
    return f" <!-- {node.eid} -->" if IDENTITY.match(node.eid) else ""


def text_markdown(title: str, nodes: list[Node], language: str = "en") -> str:
    """The text in Markdown; its words (a delegation's, in an amendment taken in) escaped; each
    footnote's mark where it stands in the text; agreed ad ref. after the paragraphs so agreed,
    in the text's `language`; each element's identity in a comment at the end of its line."""
    lines = [f"# {md(title)}", ""]
    notes = notes_of(nodes)
    for node in nodes:
        mark = md(status_note(node, language))
        text = _marked_markdown(node, notes) + mark + identity_comment(node)
        number = node.number
        if node.kind == ElementKind.HEADING:
            lines += [f"## {heading_number(node)} {text}", ""]
        elif node.kind == ElementKind.PARAGRAPH:
            lines += [f"{number}. {text}", ""]
        elif node.kind == ElementKind.POINT:
            lines += [f"    {number} {text}", ""]
        elif node.kind == ElementKind.FOOTNOTE:
            lines += [f"[^{number}]: {text}", ""]
        else:
            lines += [text, ""]
    return "\n".join(lines).rstrip() + "\n"


def _docx(paper: Paper | None = None) -> Any:
    return new_document(paper or Paper())


def _save(document: Any) -> bytes:
    return save(document)


def _docx_element(document: Any, node: Node) -> Any:
    if node.kind == ElementKind.HEADING:
        return document.add_heading(f"{heading_number(node)} {node.text}", level=2)
    paragraph = document.add_paragraph()
    number = _number(node)
    if number:
        paragraph.add_run(number + "\t").bold = node.kind != ElementKind.FOOTNOTE
    if node.kind == ElementKind.POINT:
        paragraph.paragraph_format.left_indent = 457200  # half an inch, in EMU
    return paragraph


def text_docx(title: str, nodes: list[Node], paper: Paper | None = None) -> bytes:
    """The text as an office sends it: title, headings, numbered paragraphs, real footnotes
    with their marks where they stand, agreed ad ref. after the paragraphs so agreed (in the
    paper's language); each element's identity as a bookmark around it."""
    language = (paper.written_in or paper.language) if paper else "en"
    document = _docx(paper)
    document.add_heading(title, level=0)
    footnotes = Footnotes(document)
    notes = notes_of(nodes)
    for node in nodes:
        if node.kind == ElementKind.FOOTNOTE:
            continue
        paragraph = _docx_element(document, node)
        if node.kind == ElementKind.HEADING:
            for heading_note in notes.get(node.eid, []):
                footnotes.add(paragraph, heading_note.text, heading_note.eid)
        else:
            for words, note in with_marks(node.text, notes.get(node.eid, [])):
                paragraph.add_run(words)
                if note is not None:
                    footnotes.add(paragraph, note.text, note.eid)
            if status := status_note(node, language):
                paragraph.add_run(status).italic = True
        footnotes.bookmarks.mark(paragraph, node.eid)
    return _save(document)


# --- compilation text -------------------------------------------------------------------------


def _bracket_html(bracket: Bracket, gaps: tuple[str, str]) -> str:
    label = escape(bracket.amendment.label)
    old = f"<del>{escape(bracket.old.strip())}</del>" if bracket.old.strip() else ""
    new = f"<ins>{escape(bracket.new)}</ins>" if bracket.new else ""
    return _spaced(
        gaps,
        f'<span class="bracket" title="{label}">[{old}{" " if old and new else ""}{new}]'
        f'<span class="sponsors">{escape(bracket.sponsors)} {label}</span></span>',
    )


def compiled_element_html(
    element: CompiledElement,
    language: str | None = None,
    text_language: str = "en",
    notes: list[Node] | None = None,
) -> str:
    """One element with its brackets and its `notes`' marks; after a paragraph its status in
    `language` (a page's), or in a paper (no `language`) only the statuses a delegation needs,
    in the text's language."""
    node = element.node
    extra = " added" if element.added else ""
    segments = element.segments

    def bracket(index: int) -> str:
        segment = segments[index]
        assert isinstance(segment, Bracket)
        return _bracket_html(segment, _gaps(segments, index))

    body = segments_html(segments, mark_places(node.text, notes or []), bracket)
    if element.added:
        body = f'<span class="bracket">[{body}]<span class="sponsors">{escape(element.sponsors)}</span></span>'
    status = ""
    if element.added:
        pass
    elif language is not None and node.kind in (ElementKind.PREAMBLE, ElementKind.PARAGRAPH):
        status = status_tag(node.status, language)
    elif language is None and (note := status_note(node, text_language, PAPER_STATUSES)):
        status = f'<span class="status">{escape(note.strip(" ()"))}</span>'
    parts = [f"{_open(node, extra)}{body}{status}{_close(node)}"]
    for index, (amendment, text) in enumerate(element.alternatives, start=1):
        parts.append(
            f'<div class="el alt"><span class="num">{escape(alternative_label(index, text_language))}'
            '</span><span class="bracket">'
            f'[{escape(text)}]<span class="sponsors">{escape(sponsor_line(amendment, text_language))} '
            f"{escape(amendment.label)}</span></span></div>"
        )
    for amendment, text in element.notes:
        parts.append(
            f'<div class="el note"><span class="bracket">'
            f"{proposal_note(amendment, text, text_language, escape)}</span> "
            f"<small>{escape(amendment.label)}</small></div>"
        )
    for amendment in element.conflicts:
        said = escape(conflict_line(element, amendment, text_language))
        parts.append(f'<div class="el conflict">{said}</div>')
    return "\n".join(parts)


def compilation_html(compilation: Compilation, language: str | None = None) -> Markup:
    """The compilation text's elements; `language`: a page's, each paragraph's status in it."""
    text = compilation.language
    notes = notes_of([e.node for e in compilation.elements if not e.added])
    return Markup(  # noqa: S704  (every text part is escaped in compiled_element_html)
        "\n".join(
            compiled_element_html(e, language, text, [] if e.added else notes.get(e.node.eid, []))
            for e in compilation.elements
        )
    )


def long_day(day: dt.date, language: str) -> str:
    """A date written out as a paper's running text gives it: "7 December 2026", "7 décembre
    2026", in Arabic, Chinese and Russian their long form."""
    if language in ("en", "fr", "es"):  # the masthead's own forms
        return HEADERS[language].day(day)
    from babel.dates import format_date

    return format_date(day, "long", locale=language if language in LANGUAGE_NAMES else "en")


def paper_lines(compilation: Compilation) -> list[str]:
    """What a compilation text says under its title, in the text's language: what it is, which
    amendments it compiles, and how many, in words (never the secretariat's counts)."""
    language = compilation.language
    found = catalog(language)
    day = long_day(compilation.made_on, language)
    shown = found.ngettext(
        *translatable_plural(
            "%(num)s pending amendment is shown in square brackets, followed by its sponsors "
            "and its number.",
            "%(num)s pending amendments are shown in square brackets, each followed by its "
            "sponsors and its number.",
        ),
        compilation.pending,
    )
    return [
        translated(translatable("Compilation text"), language),
        translated(translatable("Compilation of amendments received by %(date)s"), language)
        % {"date": day},
        shown % {"num": compilation.pending},
    ]


def compilation_document(compilation: Compilation) -> str:
    """The compilation text as an HTML paper."""
    lines = "".join(f"<p>{escape(line)}</p>\n" for line in paper_lines(compilation))
    return html_document(compilation.title, f"{lines}{compilation_html(compilation)}")


def _bracket_text(bracket: Bracket, gaps: tuple[str, str]) -> str:
    old = f"~~{md(bracket.old.strip())}~~" if bracket.old.strip() else ""
    new = f"**{md(bracket.new)}**" if bracket.new else ""
    text = (
        f"[{old}{' ' if old and new else ''}{new}]"
        f"^({md(bracket.sponsors)} {md(bracket.amendment.label)})"
    )
    return _spaced(gaps, text)


def _spaced(gaps: tuple[str, str], text: str) -> str:
    """A bracket stands apart from the words beside it (see `_gaps`)."""
    return f"{gaps[0]}{text}{gaps[1]}"


def compilation_markdown(compilation: Compilation) -> str:
    """The compilation text in Markdown: the draft's words and every delegation's escaped, the
    brackets, strike-through and bold around them the only markup."""
    lines = [f"# {md(compilation.title)}", ""]
    for line in paper_lines(compilation):
        lines += [md(line), ""]
    for element in compilation.elements:
        node = element.node
        body = "".join(
            _bracket_text(s, _gaps(element.segments, i)) if isinstance(s, Bracket) else md(s)
            for i, s in enumerate(element.segments)
        )
        if element.added:
            body = f"[{body}]^({md(element.sponsors)})"
        note = "" if element.added else status_note(node, compilation.language, PAPER_STATUSES)
        status = f" _{md(note.strip())}_" if note else ""
        prefix = {"heading": "## ", "point": "    ", "footnote": "> "}.get(node.kind, "")
        number = _number(node)
        lines += [f"{prefix}{number + ' ' if number else ''}{body}{status}", ""]
        for index, (amendment, text) in enumerate(element.alternatives, start=1):
            sponsors = md(sponsor_line(amendment, compilation.language))
            alt = md(alternative_label(index, compilation.language))
            after = colon(compilation.language)
            lines += [f"{alt}{after}[{md(text)}]^({sponsors} {md(amendment.label)})", ""]
        for amendment, text in element.notes:
            note = proposal_note(amendment, text, compilation.language, md)
            lines += [f"{note} ({md(amendment.label)})", ""]
        for amendment in element.conflicts:
            said = conflict_line(element, amendment, compilation.language, named=False)
            lines += [md(said), ""]
    return "\n".join(lines).rstrip() + "\n"


_NO_SPACE_BEFORE = tuple(",.;:)]")


def _gaps(segments: list[str | Bracket], index: int) -> tuple[str, str]:
    """The spaces a bracket needs so that it never runs into the words beside it: one before the
    opening bracket unless the text before ends with a space, one after the attribution unless
    the text after starts with a space or a punctuation mark."""
    before = segments[index - 1] if index else ""
    after = segments[index + 1] if index + 1 < len(segments) else ""
    before_text = before if isinstance(before, str) else "x"
    if not before_text and index >= 2:  # right after another bracket
        before_text = "x"
    after_text = after if isinstance(after, str) else "x"
    lead = " " if before_text and not before_text[-1].isspace() else ""
    trail = " " if after_text and not after_text[0].isspace() else ""
    if after_text.startswith(_NO_SPACE_BEFORE):
        trail = ""
    return lead, trail


def _docx_segments(
    paragraph: Any, element: CompiledElement, marks: list[tuple[int, str]], footnotes: Footnotes
) -> None:
    """The words and brackets, each footnote's mark where it stands in the text (`marks`: its
    place in the paragraph's own words, and its note); a mark inside words a bracket touches
    follows the bracket."""
    offset = 0
    pending = sorted(marks)

    def notes_until(end: int) -> None:
        while pending and pending[0][0] <= end:
            footnotes.add(paragraph, pending.pop(0)[1])

    for index, segment in enumerate(element.segments):
        if not isinstance(segment, Bracket):
            cursor = 0
            while pending and pending[0][0] <= offset + len(segment):
                cut = pending[0][0] - offset
                paragraph.add_run(segment[cursor:cut])
                cursor = cut
                notes_until(offset + cut)
            paragraph.add_run(segment[cursor:])
            offset += len(segment)
            continue
        lead, trail = _gaps(element.segments, index)
        if lead:
            paragraph.add_run(lead)
        paragraph.add_run("[")
        if segment.old.strip():
            paragraph.add_run(segment.old.strip()).font.strike = True
        if segment.old.strip() and segment.new:
            paragraph.add_run(" ")
        if segment.new:
            paragraph.add_run(segment.new).underline = True
        paragraph.add_run("]")
        sup = paragraph.add_run(f"{segment.sponsors} {segment.amendment.label}")
        sup.font.superscript = True
        offset += len(segment.old)
        notes_until(offset)
        if trail:
            paragraph.add_run(trail)
    notes_until(offset + 1)


def _docx_notes(document: Any, element: CompiledElement, language: str) -> None:
    for index, (amendment, text) in enumerate(element.alternatives, start=1):
        alt = document.add_paragraph()
        alt.add_run(f"{alternative_label(index, language)}\t").bold = True
        alt.add_run(f"[{text}]")
        alt.add_run(
            f"{sponsor_line(amendment, language)} {amendment.label}"
        ).font.superscript = True
    for amendment, text in element.notes:
        document.add_paragraph(f"{proposal_note(amendment, text, language)} ({amendment.label})")
    for amendment in element.conflicts:
        document.add_paragraph(conflict_line(element, amendment, language, named=False))


def compilation_docx(compilation: Compilation, paper: Paper | None = None) -> bytes:
    document = _docx(paper)
    document.add_heading(compilation.title, level=0)
    for line in paper_lines(compilation):
        document.add_paragraph(line)
    footnotes = Footnotes(document)
    notes = notes_of([e.node for e in compilation.elements if not e.added])
    for element in compilation.elements:
        node = element.node
        if node.kind == ElementKind.FOOTNOTE and not element.added:
            continue
        paragraph = _docx_element(document, node)
        mine = [] if element.added else notes.get(node.eid, [])
        if node.kind == ElementKind.HEADING:
            for heading_note in mine:
                footnotes.add(paragraph, heading_note.text)
            continue
        if element.added:
            paragraph.add_run("[")
        marks, at = [], 0
        for words, mark in with_marks(node.text, mine):
            at += len(words)
            if mark is not None:
                marks.append((at, mark.text))
        _docx_segments(paragraph, element, marks, footnotes)
        if element.added:
            paragraph.add_run("]")
            paragraph.add_run(element.sponsors).font.superscript = True
        elif note := status_note(node, compilation.language, PAPER_STATUSES):
            paragraph.add_run(f" {note.strip()}").italic = True
        _docx_notes(document, element, compilation.language)
    return _save(document)

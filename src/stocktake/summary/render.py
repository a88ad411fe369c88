"""The summary in the formats people use: Markdown as written, HTML, and DOCX for Word."""

from __future__ import annotations

import re
import unicodedata
from html import escape
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from markdown_it import MarkdownIt
from markdown_it.token import Token

from stocktake.core.paper import Layout, finish, new_paper
from stocktake.core.translation import RIGHT_TO_LEFT_LANGUAGES
from stocktake.core.untrusted import xml_safe

_markdown = MarkdownIt("commonmark", {"html": False}).enable("table")

HTML_PAGE = """<!doctype html>
<html lang="{language}" dir="{direction}"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;line-height:1.5}}
table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:.3rem;vertical-align:top}}</style>
</head><body>
{body}
</body></html>
"""


_QUOTED = re.compile(r"([«“])([^«»“”\n]+)([»”])")
_TAG = re.compile(r"<[^>]*>")
_INLINE_TAG = re.compile(r"</?(?:em|strong|code|a)(?: [^>]*)?>")


def to_html(markdown: str, language: str = "en") -> str:
    """The body as HTML; raw HTML in the Markdown is shown as text, never run. In a right-to-left
    summary, a quotation written left to right (an English proposal quoted in Arabic) is isolated,
    so that it reads in its own order and the words around it stay where they are written."""
    html: str = _markdown.render(markdown)
    if language in RIGHT_TO_LEFT_LANGUAGES:
        html = _QUOTED.sub(_isolated, html)
    return html


def _isolated(found: re.Match[str]) -> str:
    opening, inner, closing = found.groups()
    if len(_TAG.findall(inner)) != len(_INLINE_TAG.findall(inner)):
        return found[0]  # the marks open and close in different paragraphs: not one quotation
    kinds = {unicodedata.bidirectional(c) for c in _TAG.sub("", inner)}
    if "L" not in kinds or kinds & {"R", "AL"}:
        return found[0]
    return f'{opening}<bdi dir="ltr">{inner}</bdi>{closing}'


def to_html_document(markdown: str, title: str, language: str = "en") -> str:
    """A page of its own, in the summary's language and direction."""
    return HTML_PAGE.format(
        title=escape(title),
        body=to_html(markdown, language),
        language=language,
        direction="rtl" if language in RIGHT_TO_LEFT_LANGUAGES else "ltr",
    )


LINK_COLOUR = RGBColor(0x05, 0x63, 0xC1)
"""The colour Word gives a hyperlink."""


def _hyperlink(paragraph: Any, href: str) -> Any | None:
    """A hyperlink to an absolute address at the end of the paragraph, for the runs of its text;
    None for an address a file on a reader's disk cannot follow (a path of the site)."""
    if not re.match(r"^https?://", href):
        return None
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), paragraph.part.relate_to(href, RELATIONSHIP_TYPE.HYPERLINK, True))
    paragraph._p.append(link)  # python-docx has no API to write a hyperlink
    return link


def _inline(paragraph: Any, token: Token) -> None:
    bold = italic = False
    link = None
    for child in token.children or []:
        if child.type == "link_open":
            link = _hyperlink(paragraph, str(child.attrGet("href") or ""))
        elif child.type == "link_close":
            link = None
        elif child.type == "strong_open":
            bold = True
        elif child.type == "strong_close":
            bold = False
        elif child.type == "em_open":
            italic = True
        elif child.type == "em_close":
            italic = False
        elif child.type in ("text", "code_inline"):
            run = paragraph.add_run(child.content)
            run.bold, run.italic = bold, italic
            if link is not None:
                run.font.underline = True
                run.font.color.rgb = LINK_COLOUR
                link.append(run._r)  # the run moves into the hyperlink
        elif child.type in ("softbreak", "hardbreak"):
            paragraph.add_run(" ")


def to_docx(markdown: str, title: str = "", language: str = "en", author: str = "") -> bytes:
    """A Word document with the headings, paragraphs, lists and tables of the Markdown, on the
    house's page with the title in its header, in the summary's language."""
    document = new_paper(
        Layout(xml_safe(title), language, title=xml_safe(title), author=xml_safe(author))
    )
    document.styles["Normal"].font.size = Pt(11)
    # a version saved before control characters were refused: a Word document cannot hold them
    tokens = _markdown.parse(xml_safe(markdown))
    index = 0
    list_depth = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "heading_open":
            level = int(token.tag[1])
            heading = document.add_heading("", level=min(level - 1, 3) if level > 1 else 0)
            _inline(heading, tokens[index + 1])
            index += 3
            continue
        if token.type == "bullet_list_open":
            list_depth += 1
        elif token.type == "bullet_list_close":
            list_depth -= 1
        elif token.type == "paragraph_open":
            style = "List Bullet" if list_depth else None
            paragraph = document.add_paragraph(style=style)
            _inline(paragraph, tokens[index + 1])
            index += 3
            continue
        elif token.type == "table_open":
            index = _table(document, tokens, index)
            continue
        index += 1
    return finish(document)


def _table(document: object, tokens: list[Token], start: int) -> int:
    rows: list[list[Token]] = []
    index = start + 1
    while tokens[index].type != "table_close":
        if tokens[index].type == "tr_open":
            rows.append([])
        elif tokens[index].type == "inline":
            rows[-1].append(tokens[index])
        index += 1
    if rows:
        table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))  # type: ignore[attr-defined]
        table.style = "Table Grid"
        for r, cells in enumerate(rows):
            for c, cell_token in enumerate(cells):
                paragraph = table.cell(r, c).paragraphs[0]
                _inline(paragraph, cell_token)
                if r == 0:
                    for run in paragraph.runs:
                        run.bold = True
    return index + 1


def absolute_links(markdown: str, site: str) -> str:
    """Markdown whose links to the site's own pages (/summary/3/sources/1) start with its public
    address, for a file read outside the app."""
    return re.sub(r"\]\((/[^)]*)\)", lambda m: f"]({site}{m[1]})", markdown)

"""DOCX as a secretariat sends it out: page size (A4 or Letter), a header with the document
symbol and distribution line, page numbers, optional line numbers, real footnotes and Word's
tracked changes (`w:ins`/`w:del`, so that Accept and Reject work)."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from stocktake.core.paper import Layout, finish, new_paper, page_number

LANGUAGE_NAMES = {
    "en": "English",
    "fr": "French",
    "es": "Spanish",
    "ar": "Arabic",
    "zh": "Chinese",
    "ru": "Russian",
}
AUTHOR = "Secretariat"


@dataclass(frozen=True)
class Paper:
    """What the header says and how the pages are laid out."""

    symbol: str = ""
    distribution: str = "General"
    date: dt.date | None = None
    language: str = "en"  # the original language
    size: str = "A4"
    line_numbers: bool = False

    written_in: str | None = None  # the paper's own language when it is a language version
    author: str = ""  # who issues it, in the file's properties: the process's name
    # a paper without a symbol of its own: the symbol of the text it works on and what it is
    # ("A/CONF.231/3/Rev.1 — compilation text"), where the symbol would stand
    works_on: str = ""

    @property
    def lines(self) -> list[str]:
        """The distribution block as the UN prints it in the paper's language: Distr.: General /
        5 March 2018 / Original: English; a French version Distr. générale / 5 mars 2018 /
        Français / Original : anglais, a Spanish one Distr. general / 5 de marzo de 2018 /
        Español / Original: inglés. Arabic, Chinese and Russian papers keep the English block
        with their own language's name (Russian / Original: English), as the UN's do."""
        language = self.written_in or self.language
        words = HEADERS.get(language, HEADERS["en"])
        out = []
        if self.distribution:
            distribution = words.distributions.get(self.distribution, self.distribution)
            out.append(words.distribution.format(distribution))
        if self.date is not None:
            out.append(words.day(self.date))
        if language != self.language:
            out.append(words.names.get(language, language).capitalize())
        out.append(words.original.format(words.names.get(self.language, self.language)))
        return out


def _english_day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _french_day(day: dt.date) -> str:
    from babel.dates import format_date

    return format_date(day, "d MMMM y", locale="fr")


def _spanish_day(day: dt.date) -> str:
    from babel.dates import format_date

    return format_date(day, "d 'de' MMMM 'de' y", locale="es")


@dataclass(frozen=True)
class HeaderWords:
    """How a paper's distribution block is worded in one language."""

    distribution: str
    distributions: dict[str, str]
    original: str
    names: dict[str, str]
    day: Callable[[dt.date], str]


_ENGLISH_HEADER = HeaderWords("Distr.: {}", {}, "Original: {}", LANGUAGE_NAMES, _english_day)
HEADERS = {
    "en": _ENGLISH_HEADER,
    "ar": _ENGLISH_HEADER,
    "ru": _ENGLISH_HEADER,
    "zh": _ENGLISH_HEADER,
    "fr": HeaderWords(
        "Distr. {}",
        {"General": "générale", "Limited": "limitée", "Restricted": "restreinte"},
        "Original : {}",
        {
            "en": "anglais",
            "fr": "français",
            "es": "espagnol",
            "ar": "arabe",
            "zh": "chinois",
            "ru": "russe",
        },
        _french_day,
    ),
    "es": HeaderWords(
        "Distr. {}",
        {"General": "general", "Limited": "limitada", "Restricted": "reservada"},
        "Original: {}",
        {
            "en": "inglés",
            "fr": "francés",
            "es": "español",
            "ar": "árabe",
            "zh": "chino",
            "ru": "ruso",
        },
        _spanish_day,
    ),
}
"""The distribution block's words in the languages the UN translates it into."""


def new_document(paper: Paper) -> Any:
    """An empty document on the paper's size, its header, page numbers and line numbers, in the
    paper's language (stocktake.core.paper)."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn
    from docx.shared import Pt, RGBColor

    language = paper.written_in or paper.language
    document = new_paper(Layout(paper.symbol, language, paper.size, author=paper.author))
    section = document.sections[0]
    section.different_first_page_header_footer = True
    _first_header(section.first_page_header, paper)
    page_number(section.first_page_footer.paragraphs[0])
    if paper.line_numbers:
        line_numbers = parse_xml(
            f'<w:lnNumType {nsdecls("w")} w:countBy="1" w:distance="360" w:restart="newPage"/>'
        )
        section._sectPr.find(qn("w:pgMar")).addnext(line_numbers)
    for name, size in (("Normal", 12), ("Title", 16), ("Heading 2", 12)):
        style = document.styles[name]
        style.font.name = "Times New Roman"
        style.font.size = Pt(size)
        if name != "Normal":
            style.font.bold = True
            style.font.color.rgb = RGBColor(0, 0, 0)
    return document


def _first_header(header: Any, paper: Paper) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    top = header.paragraphs[0]
    top.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    lines = list(paper.lines)
    if paper.symbol:  # a paper without a symbol of its own (a compilation) shows none
        run = top.add_run(paper.symbol)
        run.bold = True
        run.font.size = Pt(16)
    elif paper.works_on:  # but names the text it works on, as a conference room paper does
        run = top.add_run(paper.works_on)
        run.bold = True
        run.font.size = Pt(12)
    elif lines:
        top.add_run(lines.pop(0)).font.size = Pt(10)
    for line in lines:
        paragraph = header.add_paragraph(line)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.runs[0].font.size = Pt(10)


def save(document: Any) -> bytes:
    """The document as bytes, laid out from the right in Arabic."""
    return finish(document)


# --- identities -------------------------------------------------------------------------------

IDENTITY = re.compile(r"^(?:pmbl|sec|para|pnt|fn)_\d{1,9}$")
"""An element's identity for good (`para_14`), as the product gives it: carried by its exports
(a DOCX bookmark, a Markdown comment, an Akoma Ntoso wId) so that a text read back aligns."""


class Bookmarks:
    """Each element's identity as a Word bookmark around its words: Word keeps a bookmark when
    the words inside it are edited, and shows it under Insert > Bookmark."""

    def __init__(self) -> None:
        self.ids = itertools.count(1)

    def mark(self, paragraph: Any, name: str) -> None:
        """A bookmark named after the identity around all the paragraph holds (call it once the
        paragraph is written)."""
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls, qn

        if not IDENTITY.match(name):
            return
        number = next(self.ids)
        p = getattr(paragraph, "_p", paragraph)
        start = parse_xml(f'<w:bookmarkStart {nsdecls("w")} w:id="{number}" w:name="{name}"/>')
        at = 1 if len(p) and p[0].tag == qn("w:pPr") else 0
        p.insert(at, start)
        p.append(parse_xml(f'<w:bookmarkEnd {nsdecls("w")} w:id="{number}"/>'))


def identity_of(paragraph: Any) -> str:
    """The identity a paragraph's bookmark carries, or ""."""
    from docx.oxml.ns import qn

    p = getattr(paragraph, "_p", paragraph)
    for start in p.iter(qn("w:bookmarkStart")):
        if IDENTITY.match(name := start.get(qn("w:name")) or ""):
            return name
    return ""


# --- footnotes --------------------------------------------------------------------------------

_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_FOOTNOTES = (
    f"<w:footnotes {_W}>"
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0"/></w:pPr>'
    "<w:r><w:separator/></w:r></w:p></w:footnote>"
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0"/>'
    "</w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>"
    "</w:footnotes>"
)


class Footnotes:
    """Real footnotes: a reference mark in the running text, the note in the footnotes part."""

    def __init__(self, document: Any) -> None:
        from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
        from docx.opc.packuri import PackURI
        from docx.opc.part import XmlPart
        from docx.oxml import parse_xml

        self.root = parse_xml(_FOOTNOTES)
        part = XmlPart(
            PackURI("/word/footnotes.xml"),
            CONTENT_TYPE.WML_FOOTNOTES,
            self.root,
            document.part.package,
        )
        document.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)
        self.ids = itertools.count(1)
        self.last = 0
        self.bookmarks = Bookmarks()

    def add(self, paragraph: Any, text: str, eid: str = "") -> int:
        """Put a footnote mark at the end of the paragraph (as it stands) and its note, the
        note's identity as a bookmark in it."""
        from docx.shared import Pt

        note = self.note(paragraph)
        note.add_run(text).font.size = Pt(10)
        self.bookmarks.mark(note, eid)
        return self.last

    def note(self, paragraph: Any) -> Any:
        """Put a footnote mark at the end of the paragraph and return the note's paragraph,
        its words to be written by the caller."""
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls, qn
        from docx.text.paragraph import Paragraph

        number = self.last = next(self.ids)
        mark = parse_xml(
            f'<w:r {nsdecls("w")}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
            f'<w:footnoteReference w:id="{number}"/></w:r>'
        )
        paragraph._p.append(mark)
        note = parse_xml(
            f'<w:footnote {nsdecls("w")} w:id="{number}"><w:p><w:pPr><w:spacing w:after="0"/>'
            '</w:pPr><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/>'
            '</w:r><w:r><w:t xml:space="preserve"> </w:t></w:r></w:p></w:footnote>'
        )
        self.root.append(note)
        return Paragraph(note.find(qn("w:p")), paragraph._parent)


def read_footnotes(document: Any) -> dict[str, str]:
    """The notes of a DOCX by their id, from its footnotes part (none when it has none)."""
    return {key: text for key, (text, _) in footnotes_of(document).items()}


def footnotes_of(document: Any) -> dict[str, tuple[str, str]]:
    """The notes of a DOCX by their id: their words and the identity their bookmark carries."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    for rel in document.part.rels.values():
        if rel.reltype == RELATIONSHIP_TYPE.FOOTNOTES and not rel.is_external:
            root = parse_xml(rel.target_part.blob)
            notes = {}
            for note in root.findall(qn("w:footnote")):
                if note.get(qn("w:type")) in ("separator", "continuationSeparator"):
                    continue
                words = "".join(t.text or "" for t in note.iter(qn("w:t")))
                notes[note.get(qn("w:id"))] = (" ".join(words.split()), identity_of(note))
            return notes
    return {}


# --- tracked changes --------------------------------------------------------------------------


class Tracker:
    """Words inserted and deleted as Word's tracked changes, each with its own id."""

    def __init__(self, date: dt.datetime, author: str = AUTHOR) -> None:
        self.date = date.replace(microsecond=0, tzinfo=None).isoformat() + "Z"
        self.author = author
        self.ids = itertools.count(1)

    def _attrs(self) -> str:
        return f'w:id="{next(self.ids)}" w:author="{self.author}" w:date="{self.date}"'

    def run(self, paragraph: Any, op: str, words: str) -> None:
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls, qn

        if op == "equal":
            paragraph.add_run(words)
            return
        tag, text_tag = ("w:ins", "w:t") if op == "insert" else ("w:del", "w:delText")
        change = parse_xml(
            f'<{tag} {nsdecls("w")} {self._attrs()}><w:r><{text_tag} xml:space="preserve">'
            f"</{text_tag}></w:r></{tag}>"
        )
        change.find(qn("w:r")).find(qn(text_tag)).text = words
        paragraph._p.append(change)

    def wrap_last(self, paragraph: Any, op: str) -> None:
        """The paragraph's last run (a footnote's mark) inserted or deleted."""
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls

        if op == "equal":
            return
        run = paragraph._p[-1]
        tag = "w:ins" if op == "insert" else "w:del"
        change = parse_xml(f"<{tag} {nsdecls('w')} {self._attrs()}/>")
        run.addprevious(change)
        change.append(run)

    def mark_paragraph(self, paragraph: Any, op: str) -> None:
        """The paragraph mark itself inserted or deleted, so that accepting a deletion removes
        the whole paragraph."""
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls, qn

        properties = paragraph._p.get_or_add_pPr()
        run_properties = properties.find(qn("w:rPr"))
        if run_properties is None:
            run_properties = parse_xml(f"<w:rPr {nsdecls('w')}/>")
            properties.append(run_properties)
        tag = "w:ins" if op == "insert" else "w:del"
        run_properties.append(parse_xml(f"<{tag} {nsdecls('w')} {self._attrs()}/>"))

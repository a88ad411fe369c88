"""Every DOCX the product hands out, set up alike: A4 (or Letter, or A4 across), the same margins,
the paper's symbol or title in the header of every page and its page number in the footer; its
language declared for Word's proofing (`w:lang`), with a font for Chinese and for Arabic; and an
Arabic paper laid out from the right (`w:bidi` paragraphs, `w:rtl` runs, `w:bidiVisual` tables)
while the English words quoted in it keep their own direction.

Its properties name it: its title (the layout's, else the title it opens with), its author (the
process that issues it), its language and the moment it was made, never the library's defaults.

Two calls per paper: `new_paper` where the document is made, `finish` where it is saved.
python-docx is imported only when a document is written."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from typing import Any

from lxml import etree

from stocktake.core.translation import RIGHT_TO_LEFT_LANGUAGES

SIZES_MM = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4)}
"""Page sizes in millimetres, upright."""
MARGINS_MM = (30.0, 25.0, 25.0, 25.0)
"""Top, right, bottom and left margins."""
LOCALES = {
    "en": "en-GB",
    "fr": "fr-FR",
    "es": "es-ES",
    "ru": "ru-RU",
    "zh": "zh-CN",
    "ar": "ar-SA",
}
"""The language each paper declares to Word (its spelling and grammar checking)."""
EAST_ASIAN_FONT = "SimSun"
"""The font of Chinese characters (the one of the UN's Chinese documents)."""
COMPLEX_FONT = "Times New Roman"
"""The font of Arabic letters: the house font, which has them."""

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_PARTS = re.compile(r"^/?word/(document|footnotes|header\d*|footer\d*)\.xml$")
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_LATIN = re.compile("[A-Za-z\u00c0-\u024f]")
_LATIN_STRETCH = re.compile(
    "[A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f0-9'\u2019\\-.,:;/() ]*[A-Za-z\u00c0-\u024f0-9.)]"
    "|[A-Za-z\u00c0-\u024f]"
)
"""Words in Latin letters inside an Arabic run (a title, a quotation), kept apart as their own run."""


@dataclass(frozen=True)
class Layout:
    """How a paper is set up: what its header says, its language and its page."""

    heading: str = ""
    language: str = "en"
    size: str = "A4"
    landscape: bool = False
    title: str = ""  # the paper's title in its properties; by default the title it opens with
    author: str = ""  # who issues it: the process's name


def new_paper(layout: Layout) -> Any:
    """An empty document on the layout's page, its heading in the header and page numbers in the
    footer, declared in its language."""
    from docx import Document

    document = Document()
    lay_out(document, layout)
    if layout.heading:
        heading(document.sections[0].header.paragraphs[0], layout.heading)
    page_number(document.sections[0].footer.paragraphs[0])
    in_language(document, layout.language)
    described(document, layout)
    return document


def described(document: Any, layout: Layout) -> None:
    """The document's properties: its title, its author, made now (the template's own, "python-
    docx" and its comment, are not kept)."""
    properties = document.core_properties
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    properties.title = layout.title[:255]
    properties.author = properties.last_modified_by = layout.author[:255]
    properties.comments = ""
    properties.created = properties.modified = now
    properties.revision = 1


def _opening_title(document: Any) -> str:
    """The words of the paper's title, the first paragraph in the Title style."""
    for paragraph in document.paragraphs:
        if paragraph.style is not None and paragraph.style.name == "Title":
            return " ".join(paragraph.text.split())
    return ""


def lay_out(document: Any, layout: Layout) -> None:
    """The page: its size (A4 across when `landscape`) and margins."""
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    section = document.sections[0]
    width, height = SIZES_MM.get(layout.size, SIZES_MM["A4"])
    if layout.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        width, height = height, width
    section.page_width, section.page_height = Mm(width), Mm(height)
    top, right, bottom, left = MARGINS_MM
    section.top_margin, section.right_margin = Mm(top), Mm(right)
    section.bottom_margin, section.left_margin = Mm(bottom), Mm(left)


def heading(paragraph: Any, text: str) -> None:
    """The paper's symbol or title at the head of a page, on the outer side, in bold."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    paragraph.add_run(text).bold = True


def page_number(paragraph: Any) -> None:
    """The page's number as a field, centred."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    for xml in (
        f'<w:fldChar {nsdecls("w")} w:fldCharType="begin"/>',
        f'<w:instrText {nsdecls("w")} xml:space="preserve"> PAGE </w:instrText>',
        f'<w:fldChar {nsdecls("w")} w:fldCharType="separate"/>',
        f"<w:t {nsdecls('w')}>1</w:t>",
        f'<w:fldChar {nsdecls("w")} w:fldCharType="end"/>',
    ):
        run._r.append(parse_xml(xml))


# --- language ---------------------------------------------------------------------------------


def in_language(document: Any, language: str) -> None:
    """The document declared in `language`: the default language of its text (`w:lang`: the
    paper's for Latin and Cyrillic letters, Chinese for Chinese characters, Arabic for Arabic
    letters; the English quoted in a Chinese or Arabic paper checked as English), the fonts of
    Chinese and Arabic named, and its properties' language, which `finish` reads back."""
    locale = LOCALES.get(language, LOCALES["en"])
    styles = document.styles.element
    defaults = styles.find(f"{{{W}}}docDefaults/{{{W}}}rPrDefault/{{{W}}}rPr")
    if defaults is not None:
        found = defaults.find(f"{{{W}}}lang")
        if found is None:
            found = etree.SubElement(defaults, f"{{{W}}}lang")
        latin = LOCALES["en"] if language in ("ar", "zh") else locale
        found.set(f"{{{W}}}val", latin)
        found.set(f"{{{W}}}eastAsia", LOCALES["zh"])
        found.set(f"{{{W}}}bidi", LOCALES["ar"])
    for fonts in styles.iter(f"{{{W}}}rFonts"):
        if language == "zh":
            fonts.attrib.pop(f"{{{W}}}eastAsiaTheme", None)
            fonts.set(f"{{{W}}}eastAsia", EAST_ASIAN_FONT)
        fonts.attrib.pop(f"{{{W}}}cstheme", None)
        fonts.set(f"{{{W}}}cs", COMPLEX_FONT)
    settings = document.settings.element
    theme_languages = settings.find(f"{{{W}}}themeFontLang")
    if theme_languages is not None:
        theme_languages.set(f"{{{W}}}eastAsia", LOCALES["zh"])
        theme_languages.set(f"{{{W}}}bidi", LOCALES["ar"])
    if language == "zh":
        _theme_font(document, "ea", EAST_ASIAN_FONT)
    if language in RIGHT_TO_LEFT_LANGUAGES:
        _theme_font(document, "cs", COMPLEX_FONT)
        for section in document.sections:
            _mark(section._sectPr, "bidi", _AFTER_SECTION_BIDI)
    document.core_properties.language = locale


def _theme_font(document: Any, script: str, typeface: str) -> None:
    """The theme's font for a script (`ea`, `cs`), which python-docx's template leaves empty."""
    for rel in document.part.rels.values():
        if rel.reltype.endswith("/theme") and not rel.is_external:
            part = rel.target_part
            root = etree.fromstring(part.blob)
            for font in root.iter(f"{{{_A}}}{script}"):
                font.set("typeface", typeface)
            part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def language_of(document: Any) -> str:
    """The language `in_language` declared (English when none)."""
    declared = document.core_properties.language or ""
    return next((code for code, locale in LOCALES.items() if locale == declared), "en")


def finish(document: Any) -> bytes:
    """The document as bytes, laid out from the right when its language reads so; titled as it
    opens when its properties have no title yet."""
    if not document.core_properties.title:
        document.core_properties.title = _opening_title(document)[:255]
    if language_of(document) in RIGHT_TO_LEFT_LANGUAGES:
        for part in document.part.package.iter_parts():
            element = getattr(part, "_element", None)
            if element is not None and _PARTS.match(str(part.partname)):
                right_to_left(element)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_in_language(content: bytes, language: str) -> bytes:
    """A DOCX already written, laid out from the right when `language` reads so."""
    if language not in RIGHT_TO_LEFT_LANGUAGES:
        return content
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            data = source.read(item)
            if _PARTS.match(item.filename):
                root = etree.fromstring(data)
                right_to_left(root)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            target.writestr(item, data)
    return out.getvalue()


# --- right to left ----------------------------------------------------------------------------

# what follows w:bidi in a paragraph's properties, w:rtl in a run's and w:bidiVisual in a table's
# (ECMA-376 order)
_AFTER_BIDI = {
    f"{{{W}}}{tag}"
    for tag in [
        "adjustRightInd",
        "snapToGrid",
        "spacing",
        "ind",
        "contextualSpacing",
        "mirrorIndents",
        "suppressOverlap",
        "jc",
        "textDirection",
        "textAlignment",
        "textboxTightWrap",
        "outlineLvl",
        "divId",
        "cnfStyle",
        "rPr",
        "sectPr",
        "pPrChange",
    ]
}
_AFTER_RTL = {
    f"{{{W}}}{tag}" for tag in ["cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath"]
}
_AFTER_SECTION_BIDI = {f"{{{W}}}{tag}" for tag in ["rtlGutter", "docGrid", "printerSettings"]}
_AFTER_BIDI_VISUAL = {
    f"{{{W}}}{tag}"
    for tag in [
        "tblStyleRowBandSize",
        "tblStyleColBandSize",
        "tblW",
        "jc",
        "tblCellSpacing",
        "tblInd",
        "tblBorders",
        "shd",
        "tblLayout",
        "tblCellMar",
        "tblLook",
        "tblCaption",
        "tblDescription",
        "tblPrChange",
    ]
}


def right_to_left(root: Any) -> None:
    """A part's paragraphs (`w:bidi`), runs (`w:rtl`) and tables (`w:bidiVisual`) read from the
    right. English stays readable: a paragraph wholly in Latin letters (a draft's English text in
    the amendment list, a masthead's "7 December 2026") reads from the left, where it is aligned
    as it was set (a masthead's lines stay on the right, in their order), a run
    wholly in Latin letters keeps its direction, and Latin words inside an Arabic run are split
    off into runs of their own."""
    for run in list(root.iter(f"{{{W}}}r")):
        _split_latin(run)
    for table in root.iter(f"{{{W}}}tbl"):
        _mark(_properties(table, "tblPr"), "bidiVisual", _AFTER_BIDI_VISUAL)
    for paragraph in root.iter(f"{{{W}}}p"):
        if _latin(paragraph):
            continue
        _mark(_properties(paragraph, "pPr"), "bidi", _AFTER_BIDI)
        for run in paragraph.iter(f"{{{W}}}r"):
            if not _latin(run):
                _mark(_properties(run, "rPr"), "rtl", _AFTER_RTL)


def _latin(element: Any) -> bool:
    """Whether the words of a paragraph or run (deleted ones too) are in Latin letters, with no
    Arabic in them."""
    text = "".join(t.text or "" for t in element.iter(f"{{{W}}}t", f"{{{W}}}delText"))
    return bool(_LATIN.search(text)) and not _ARABIC.search(text)


def _split_latin(run: Any) -> None:
    """A run of Arabic with Latin words in it (`rPr` and one `w:t`) as several runs, each of one
    script, their formatting the same."""
    import copy

    children = [child for child in run if child.tag != f"{{{W}}}rPr"]
    if len(children) != 1 or children[0].tag != f"{{{W}}}t":
        return
    text = children[0].text or ""
    if not (_ARABIC.search(text) and _LATIN.search(text)):
        return
    pieces: list[str] = []
    at = 0
    for match in _LATIN_STRETCH.finditer(text):
        words = match.group()
        while words.endswith(")") and words.count(")") > words.count("("):
            words = words[:-1]  # the closing bracket of the Arabic around it
        pieces += [text[at : match.start()], words]
        at = match.start() + len(words)
    pieces.append(text[at:])
    for piece in (p for p in pieces if p):
        clone = copy.deepcopy(run)
        words = clone.find(f"{{{W}}}t")
        words.text = piece
        words.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        run.addprevious(clone)
    run.getparent().remove(run)


def _properties(owner: Any, tag: str) -> Any:
    found = owner.find(f"{{{W}}}{tag}")
    if found is None:
        found = etree.Element(f"{{{W}}}{tag}")
        owner.insert(0, found)
    return found


def _mark(properties: Any, tag: str, before: set[str]) -> None:
    if properties.find(f"{{{W}}}{tag}") is not None:
        return
    child = etree.Element(f"{{{W}}}{tag}")
    for index, existing in enumerate(properties):
        if existing.tag in before:
            properties.insert(index, child)
            return
    properties.append(child)

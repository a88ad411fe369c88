"""A written file in the language of its text: `lang` (and `dir` for Arabic) on an HTML page,
`xml:lang` on an Akoma Ntoso document, and in DOCX right-to-left paragraphs (`w:bidi`) and runs
(`w:rtl`) for Arabic, so that Word lays the text out from the right."""

from __future__ import annotations

import io
import re
import zipfile

from lxml import etree

from stocktake.negotiation.formats.akn import AKN

RIGHT_TO_LEFT = ("ar",)
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# what follows w:bidi in a paragraph's properties and w:rtl in a run's (ECMA-376 order)
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
_PARTS = re.compile(r"^word/(document|footnotes|header\d*|footer\d*)\.xml$")


def html_attributes(language: str) -> str:
    direction = ' dir="rtl"' if language in RIGHT_TO_LEFT else ""
    return f'lang="{language}"{direction}'


def html_in_language(content: str, language: str) -> str:
    """An exported HTML page whose `<html>` names the language (and direction) of its text."""
    return content.replace('<html lang="en">', f"<html {html_attributes(language)}>", 1)


def akn_in_language(content: bytes, language: str) -> bytes:
    """The parts of an Akoma Ntoso document that hold its words (preface, preamble, body, notes)
    bear `xml:lang` of the text, where the schema allows it (not on the document itself)."""
    root = etree.fromstring(content)
    for document in root.iterchildren(f"{{{AKN}}}*"):
        for part in document.iterchildren(f"{{{AKN}}}*"):
            if part.tag != f"{{{AKN}}}meta":
                part.set(XML_LANG, language)
        for note in document.iter(f"{{{AKN}}}note"):
            note.set(XML_LANG, language)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _insert(parent: etree._Element, child: etree._Element, before: set[str]) -> None:
    for index, existing in enumerate(parent):
        if existing.tag in before:
            parent.insert(index, child)
            return
    parent.append(child)


def _properties(owner: etree._Element, tag: str) -> etree._Element:
    found = owner.find(f"{{{W}}}{tag}")
    if found is None:
        found = etree.Element(f"{{{W}}}{tag}")
        owner.insert(0, found)
    return found


def _right_to_left(xml: bytes) -> bytes:
    root = etree.fromstring(xml)
    for paragraph in root.iter(f"{{{W}}}p"):
        properties = _properties(paragraph, "pPr")
        if properties.find(f"{{{W}}}bidi") is None:
            _insert(properties, etree.Element(f"{{{W}}}bidi"), _AFTER_BIDI)
    for run in root.iter(f"{{{W}}}r"):
        properties = _properties(run, "rPr")
        if properties.find(f"{{{W}}}rtl") is None:
            _insert(properties, etree.Element(f"{{{W}}}rtl"), _AFTER_RTL)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def docx_in_language(content: bytes, language: str) -> bytes:
    """A DOCX whose paragraphs and runs read right to left when its language does."""
    if language not in RIGHT_TO_LEFT:
        return content
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            data = source.read(item)
            if _PARTS.match(item.filename):
                data = _right_to_left(data)
            target.writestr(item, data)
    return out.getvalue()

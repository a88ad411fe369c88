"""A written file in the language of its text: `lang` (and `dir` for Arabic) on an HTML page,
`xml:lang` on an Akoma Ntoso document, and a DOCX laid out from the right for Arabic
(stocktake.core.paper)."""

from __future__ import annotations

from lxml import etree

from stocktake.core.paper import docx_in_language
from stocktake.negotiation.formats.akn import AKN

__all__ = ["akn_in_language", "docx_in_language", "html_attributes", "html_in_language"]

RIGHT_TO_LEFT = ("ar",)
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


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

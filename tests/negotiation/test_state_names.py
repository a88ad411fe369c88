"""A delegate reading a French compilation text finds Mexico named "Mexique" in every format
of it, as UN documents in French name States; one reading the amendment list in Arabic finds
Mexico and the Philippines named in Arabic, on the page and in Word; groups keep their names."""

from __future__ import annotations

import io

from docx import Document
from fastapi.testclient import TestClient
from lxml import etree
from sqlalchemy.orm import Session

from tests.negotiation.test_sponsor_names import _french, _reader

AKN = {"a": "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"}


def test_a_french_compilation_names_states_in_french_in_every_format(
    bare_client: TestClient, bare_session: Session
) -> None:
    draft = _french(bare_session)
    reader = _reader(bare_client, bare_session, "en")  # the text's language, not the page's
    base = f"/drafts/{draft.id}/compilation"
    page = reader.get(base).text
    assert "Mexique A2" in page
    assert "GRULAC\u202f; appui\u202f: Philippines A1" in page  # French spacing
    for fmt in ("html", "md"):
        text = reader.get(f"{base}?format={fmt}").text
        assert "Mexique" in text, fmt
        assert "Mexico" not in text, fmt
    docx = reader.get(f"{base}?format=docx").content
    lines = [p.text for p in Document(io.BytesIO(docx)).paragraphs]
    assert "Variante 2\t[Le pacte suit la Charte.]Mexique A2" in lines
    tree = etree.fromstring(reader.get(f"{base}?format=akn").content)
    shown = dict(
        zip(
            tree.xpath("//a:TLCOrganization/@eId", namespaces=AKN),
            tree.xpath("//a:TLCOrganization/@showAs", namespaces=AKN),
            strict=True,
        )
    )
    assert shown["mex"] == "Mexique"
    assert shown["rg-grulac"] == "GRULAC"
    attributions = tree.xpath("//a:inline[@name='attribution']/text()", namespaces=AKN)
    assert "Mexique A2" in attributions
    # its title in French too, a narrow no-break space before the colon
    title = tree.xpath("string(//a:docTitle)", namespaces=AKN)
    assert title == "Texte de compilation\u202f: Un pacte de coopération"
    assert tree.xpath("string(//a:docStage)", namespaces=AKN) == "Texte de compilation"


def test_the_amendment_list_in_arabic_names_states_in_arabic(
    bare_client: TestClient, bare_session: Session
) -> None:
    draft = _french(bare_session)
    reader = _reader(bare_client, bare_session, "ar")
    page = reader.get(f"/drafts/{draft.id}/amendment-list").text
    assert "الفلبين" in page  # the Philippines supports A1
    assert "المكسيك" in page
    assert "مجموعة دول أمريكا اللاتينية ومنطقة البحر الكاريبي" in page  # and the group too
    assert "Philippines" not in page
    assert "Mexico" not in page
    docx = reader.get(f"/drafts/{draft.id}/amendment-list?format=docx").content
    cells = " ".join(c.text for t in Document(io.BytesIO(docx)).tables for c in t._cells)
    assert "الفلبين" in cells
    assert "؛ " in cells  # who supports A1 after its sponsor, past an Arabic semicolon
    assert "المكسيك" in cells
    assert "Mexico" not in cells
    english = _reader(bare_client, bare_session, "en").get(f"/drafts/{draft.id}/amendment-list")
    assert "Philippines" in english.text
    assert "Mexico" in english.text

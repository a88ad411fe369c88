"""A delegation downloads an amendment to a French or an Arabic text as Akoma Ntoso and reads it
in the text's language, its sponsors by name; the revisions page's chart of paragraph statuses
speaks the page's language."""

from __future__ import annotations

import datetime as dt
import io

from docx import Document
from fastapi.testclient import TestClient
from lxml import etree
from sqlalchemy.orm import Session

from stocktake.negotiation.formats.akn import AKN as AKN_NS
from stocktake.negotiation.formats.reading import read_text
from stocktake.negotiation.models import Draft, PositionRole
from stocktake.negotiation.services import (
    AmendmentData,
    import_draft,
    issue_revision,
    propose_amendment,
    take_position,
    working_nodes,
)
from stocktake.negotiation.services.revisions import record_round
from stocktake.process.services import get_process
from stocktake.web.languages import LANGUAGE_COOKIE
from tests.negotiation.conftest import AKN, SYSTEM
from tests.negotiation.test_languages import ARABIC
from tests.negotiation.test_sponsor_names import _french, _reader

NS = {"a": AKN_NS}
NARROW = "\u202f"
SCHEMA = etree.XMLSchema(etree.parse(str(AKN / "akomantoso30.xsd")))


def _document(client: TestClient, draft: Draft, number: int) -> etree._Element:
    response = client.get(f"/drafts/{draft.id}/amendments/{number}/export?format=akn")
    assert response.status_code == 200
    tree = etree.fromstring(response.content)
    assert SCHEMA.validate(tree), SCHEMA.error_log
    return tree


def _said(tree: etree._Element, path: str) -> str:
    return str(tree.xpath(f"string({path})", namespaces=NS)).strip("\n ")


def test_an_amendment_to_a_french_text_is_written_in_french(
    bare_client: TestClient, bare_session: Session
) -> None:
    draft = _french(bare_session)
    reader = _reader(bare_client, bare_session, "en")  # the text's language, not the page's
    replaced = _document(reader, draft, 5)  # GRULAC, co-sponsored by Mexico: "buts" → "objectifs"
    title = _said(replaced, "//a:docTitle")
    assert title.startswith("Amendement A5 portant sur le paragraphe 2 du document «")
    proponents = replaced.xpath("//a:docProponent", namespaces=NS)
    assert [p.text for p in proponents] == ["GRULAC", "Mexique"]
    assert [p.get("refersTo") for p in proponents] == ["#rg-grulac", "#mex"]
    assert _said(replaced, "//a:p[@eId='preface__p_2']").startswith(
        f"Proposé par GRULAC, Mexique{NARROW}; rejeté{NARROW}; modifie "
    )
    assert replaced.xpath("//a:TLCRole/@showAs", namespaces=NS) == ["Auteur", "Coauteur"]
    assert _said(replaced, "//a:amendmentHeading") == "Paragraphe 2"
    assert _said(replaced, "//a:mod") == "Remplacer buts par objectifs."
    quotes = replaced.xpath("//a:mod/a:quotedText", namespaces=NS)
    assert [(q.get("startQuote"), q.get("endQuote")) for q in quotes] == [
        (f"«{NARROW}", f"{NARROW}»")
    ] * 2
    assert _said(_document(reader, draft, 3), "//a:mod") == "Supprimer le paragraphe 2."
    moved = _document(reader, draft, 4)
    assert _said(moved, "//a:mod") == "Déplacer le paragraphe 2 après le paragraphe 1."
    assert (
        _said(_document(reader, draft, 1), "//a:mod")
        == f"Remplacer le texte par le suivant{NARROW}:"
    )
    for number in range(1, 6):
        text = " ".join(_document(reader, draft, number).itertext())
        for english in ("Amendment", "Proposed by", "paragraph ", "Replace", "Mexico", "Sponsor"):
            assert english not in text, (number, english)


def test_an_amendment_to_an_arabic_text_is_written_in_arabic(
    bare_client: TestClient, bare_session: Session
) -> None:
    parsed = read_text(ARABIC, "mithaq.md")
    draft = import_draft(bare_session, get_process(bare_session), parsed, by=SYSTEM, language="ar")
    issue_revision(bare_session, draft, by=SYSTEM)
    three = next(n.eid for n in working_nodes(draft) if n.number == "3")
    data = AmendmentData(kind="delete", target=three, quoted="مع الشركاء", sponsor="MEX")
    made = propose_amendment(bare_session, draft, data, by=SYSTEM)
    take_position(bare_session, draft, made, PositionRole.CO_SPONSOR, actor="PHL", by=SYSTEM)
    reader = _reader(bare_client, bare_session, "en")
    tree = _document(reader, draft, 1)
    assert _said(tree, "//a:docTitle").startswith("التعديل A1 على الفقرة 3 من «")
    proponents = tree.xpath("//a:docProponent/text()", namespaces=NS)
    assert proponents == ["المكسيك", "الفلبين"]
    assert tree.xpath("//a:TLCOrganization[@eId='mex']/@showAs", namespaces=NS) == ["المكسيك"]
    assert _said(tree, "//a:p[@eId='preface__p_2']").startswith("مقدم من المكسيك, الفلبين؛")
    assert _said(tree, "//a:mod") == "تحذف مع الشركاء."
    assert tree.xpath("//a:quotedText/@startQuote", namespaces=NS) == ["«"]
    assert "Proposed" not in " ".join(tree.itertext())
    # the Arabic amendment list quotes the words with the same marks
    reader.cookies.set(LANGUAGE_COOKIE, "ar")
    docx = reader.get(f"/drafts/{draft.id}/amendment-list?format=docx")
    assert docx.status_code == 200
    cells = [
        cell.text for table in Document(io.BytesIO(docx.content)).tables for cell in table._cells
    ]
    assert any("A1\tحذف «مع الشركاء»" in cell for cell in cells), cells
    assert not any('"' in cell for cell in cells)
    page = reader.get(f"/drafts/{draft.id}/amendment-list").text
    assert "حذف «\u2068مع الشركاء\u2069»" in page


def test_an_amendment_to_an_english_text_reads_as_before_with_its_sponsors_named(
    bare_client: TestClient, bare_session: Session, bare_draft: Draft
) -> None:
    issue_revision(bare_session, bare_draft, by=SYSTEM)
    node = next(n for n in working_nodes(bare_draft) if n.kind == "paragraph")
    words = node.text.split()[1]
    data = AmendmentData(kind="replace", target=node.eid, quoted=words, new_text="x", sponsor="MEX")
    propose_amendment(bare_session, bare_draft, data, by=SYSTEM)
    tree = _document(_reader(bare_client, bare_session, "fr"), bare_draft, 1)
    assert _said(tree, "//a:docTitle").startswith(f"Amendment A1 to paragraph {node.number} of ")
    assert _said(tree, "//a:p[@eId='preface__p_2']").startswith("Proposed by Mexico; proposed; ")
    assert _said(tree, "//a:mod") == f"Replace {words} with x."
    assert tree.xpath("//a:quotedText/@startQuote", namespaces=NS) == ["“", "“"]


def test_the_chart_of_paragraph_statuses_speaks_the_pages_language(
    bare_client: TestClient, bare_session: Session
) -> None:
    draft = _french(bare_session)
    record_round(bare_session, draft, name="Mars", start=dt.date(2026, 3, 2), revision=0, by=SYSTEM)
    page = f"/drafts/{draft.id}/revisions"
    english = _reader(bare_client, bare_session, "en").get(page).text
    assert 'aria-label="Paragraph status after each round"' in english
    assert ">Round 1 (Zero draft)</text>" in english
    assert ">under discussion</text>" in english
    french = _reader(bare_client, bare_session, "fr").get(page).text
    assert 'aria-label="État des paragraphes après chaque cycle"' in french
    assert ">Cycle 1 (Avant-projet (projet zéro))</text>" in french
    assert ">ouvert</text>" in french
    arabic = _reader(bare_client, bare_session, "ar").get(page).text
    assert 'aria-label="حالة الفقرات بعد كل جولة"' in arabic
    assert ">الجولة 1 (المسودة الصفرية)</text>" in arabic
    assert 'direction="rtl"' in arabic
    for text in (french, arabic):
        chart = text[text.index('<svg class="chart"') : text.index("</svg>")]
        for said in ("Paragraph status", "Round ", "open<", "agreed<"):
            assert said not in chart, said

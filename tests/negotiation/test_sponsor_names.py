"""A delegate reads a French text's compilation with its alternatives and proposals labelled in
French, on the page and in Word, and finds the sponsors of amendments named as the papers name
them ("GRULAC", "Mexico") on the amendments, the element and the decisions pages, each in the
language of the page (a State by its name there, a group by its acronym or name there), never by
their registry codes."""

from __future__ import annotations

import io

import pytest
from docx import Document
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from stocktake.core.permissions import Role
from stocktake.negotiation.formats.reading import read_text
from stocktake.negotiation.models import AmendmentStatus, Draft, PositionRole
from stocktake.negotiation.services import (
    AmendmentData,
    decide_amendment,
    import_draft,
    issue_revision,
    propose_amendment,
    take_position,
    working_nodes,
)
from stocktake.process.services import get_process
from stocktake.web.languages import LANGUAGE_COOKIE
from tests.factories.accounts import account, signed_in
from tests.negotiation.conftest import SYSTEM
from tests.negotiation.test_languages import FRENCH


def _french(session: Session) -> Draft:
    """A draft whose original is French, with proposals from GRULAC and Mexico to paragraph 2:
    two alternative texts, its deletion, its move after 1, and words rejected."""
    parsed = read_text(FRENCH, "pacte.md")
    draft = import_draft(session, get_process(session), parsed, by=SYSTEM, language="fr")
    issue_revision(session, draft, by=SYSTEM)
    eids = {n.number: n.eid for n in working_nodes(draft) if n.kind == "paragraph"}
    two = eids["2"]
    proposals = [
        AmendmentData(
            kind="alternative",
            target=two,
            new_text="La Charte guide le pacte.",
            sponsor="RG-GRULAC",
        ),
        AmendmentData(
            kind="alternative", target=two, new_text="Le pacte suit la Charte.", sponsor="MEX"
        ),
        AmendmentData(kind="delete_paragraph", target=two, sponsor="MEX"),
        AmendmentData(kind="move_paragraph", target=two, destination=eids["1"], sponsor="MEX"),
        AmendmentData(
            kind="replace", target=two, quoted="buts", new_text="objectifs", sponsor="RG-GRULAC"
        ),
    ]
    made = [propose_amendment(session, draft, p, by=SYSTEM) for p in proposals]
    take_position(session, draft, made[4], PositionRole.CO_SPONSOR, actor="MEX", by=SYSTEM)
    take_position(session, draft, made[0], PositionRole.SUPPORTER, actor="PHL", by=SYSTEM)
    decide_amendment(session, draft, made[4], AmendmentStatus.REJECTED, by=SYSTEM)
    return draft


def _reader(client: TestClient, session: Session, language: str) -> TestClient:
    reader = signed_in(client, account(session, Role.DELEGATION_MEMBER, actor_code="KEN"))
    reader.cookies.set(LANGUAGE_COOKIE, language)
    return reader


def test_a_french_compilation_labels_its_alternatives_and_proposals_in_french(
    bare_client: TestClient, bare_session: Session
) -> None:
    draft = _french(bare_session)
    for language in ("fr", "en"):  # the text's words follow the text, whatever the page's
        page = _reader(bare_client, bare_session, language).get(f"/drafts/{draft.id}/compilation")
        assert page.status_code == 200
        for said in ("Variante 1", "Variante 2", "supprimer le paragraphe", "déplacer après 1"):
            assert said in page.text, said
        for english in ('"num">Alt ', "delete the paragraph", "move after"):
            assert english not in page.text, english
    docx = bare_client.get(f"/drafts/{draft.id}/compilation?format=docx")
    lines = [p.text for p in Document(io.BytesIO(docx.content)).paragraphs]
    assert (
        "Variante 1\t[La Charte guide le pacte.]GRULAC\u202f; appui\u202f: Philippines A1" in lines
    )
    assert "Variante 2\t[Le pacte suit la Charte.]Mexique A2" in lines
    # a narrow no-break space before the colon, as French writes it
    assert "[Mexique\u202f: supprimer le paragraphe] (A3)" in lines
    assert "[Mexique\u202f: déplacer après 1] (A4)" in lines
    akn = bare_client.get(f"/drafts/{draft.id}/compilation?format=akn").content.decode()
    assert "Variante 1\u202f: " in akn
    assert "appui\u202f: Philippines" in akn
    assert "Alt 1" not in akn
    assert "Variante 1: " not in akn
    markdown = bare_client.get(f"/drafts/{draft.id}/compilation?format=md").content.decode()
    assert "Variante 1\u202f: [La Charte guide le pacte.]" in markdown
    assert "Variante 1: " not in markdown


MEXICO = {"en": "Mexico", "fr": "Mexique", "ar": "المكسيك"}
"""Mexico as the pages in each language name it: a State in the page's language."""
GRULAC = {"en": "GRULAC", "fr": "GRULAC", "ar": "مجموعة دول أمريكا اللاتينية ومنطقة البحر الكاريبي"}
"""The group as the pages in each language name it: its acronym where the language has it."""


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_the_room_pages_name_the_sponsors_as_the_papers_do(
    bare_client: TestClient, bare_session: Session, language: str
) -> None:
    mexico, grulac = MEXICO[language], GRULAC[language]
    draft = _french(bare_session)
    reader = _reader(bare_client, bare_session, language)
    element = next(n.eid for n in working_nodes(draft) if n.number == "2")
    pages = {
        "amendments": f"/drafts/{draft.id}/amendments",
        "element": f"/drafts/{draft.id}/elements/{element}",
        "decisions": f"/drafts/{draft.id}/decisions",
        "amendment": f"/drafts/{draft.id}/amendments/5",
    }
    shown = {name: reader.get(url).text for name, url in pages.items()}
    assert f"<td>{grulac}</td>" in shown["amendments"]
    assert f"<td>{mexico}</td>" in shown["amendments"]
    assert f"<td>{grulac}, {mexico}</td>" in shown["amendments"]
    assert grulac in shown["element"]
    assert mexico in shown["element"]
    assert f"<td>{grulac}, {mexico}</td>" in shown["decisions"]
    assert f"<dd>{grulac}</dd>" in shown["amendment"]
    assert f"{mexico} <small>" in shown["amendment"]
    for name, text in shown.items():
        assert "RG-GRULAC" not in text, name
        assert "MEX" not in text.replace("Mexico", ""), name
        if language != "en":  # a State is not named in English on a page in another language
            assert "Mexico" not in text, name
    docx = reader.get(f"/drafts/{draft.id}/decisions?format=docx")
    table = Document(io.BytesIO(docx.content)).tables[0]
    assert table.rows[1].cells[2].text == f"{grulac}, {mexico}"

"""A draft titled with the process's name is named in the reader's language where the definition
gives that name: on the negotiation pages and in the decisions paper; round names stay as entered."""

from __future__ import annotations

import io

from docx import Document
from sqlalchemy import select
from sqlalchemy.orm import Session

from stocktake.demo.negotiation import DEMO_SOURCE
from stocktake.negotiation.models import Draft, NegotiationRound
from tests.factories.process import gcm

NAME_FR = "Pacte mondial pour des migrations sûres, ordonnées et régulières"
NAME_EN = "Global Compact for Safe, Orderly and Regular Migration"
FRENCH = {"Accept-Language": "fr"}


def _draft(session: Session) -> Draft:
    draft = session.scalar(select(Draft).where(Draft.source == DEMO_SOURCE))
    assert draft is not None
    return draft


def test_the_process_name_is_given_in_six_languages(session: Session) -> None:
    process = gcm(session)
    assert process.titled(NAME_EN, "fr") == NAME_FR
    assert process.titled(NAME_FR, "en") == NAME_EN
    assert process.titled(NAME_EN, "zh") == "安全、有序和正常移民全球契约"
    # any other title is kept as written
    assert process.titled("Draft outcome document", "fr") == "Draft outcome document"


def test_the_french_decisions_paper_and_revisions_page_name_the_compact_in_french(
    session: Session, signed_in
) -> None:  # type: ignore[no-untyped-def]
    draft = _draft(session)
    assert draft.title == NAME_EN
    item = session.scalars(
        select(NegotiationRound).where(NegotiationRound.draft_id == draft.id)
    ).first()
    assert item is not None
    client = signed_in("secretariat@gcm.example")
    paper = client.get(f"/drafts/{draft.id}/decisions?round={item.id}&format=docx", headers=FRENCH)
    assert paper.status_code == 200
    heading = Document(io.BytesIO(paper.content)).paragraphs[0].text
    assert heading == f"Décisions : {NAME_FR}"
    english = client.get(f"/drafts/{draft.id}/decisions?round={item.id}&format=docx")
    assert Document(io.BytesIO(english.content)).paragraphs[0].text == f"Decisions: {NAME_EN}"
    page = client.get(f"/drafts/{draft.id}/revisions", headers=FRENCH).text
    assert f"<title>Révisions · {NAME_FR}" in page
    assert f'<a href="/drafts/{draft.id}">{NAME_FR}</a>' in page
    assert NAME_EN not in page
    # a round's name is kept as entered, set apart for a right-to-left page
    assert f'<td dir="auto">{item.name}</td>' in page

"""A language version's paper carries the distribution block as the UN prints it in that
language: Distr. générale / Original : anglais in French, Distr. general / Original: inglés in
Spanish; Arabic, Chinese and Russian papers keep the English block, naming their language."""

from __future__ import annotations

import io
import re

from docx import Document
from sqlalchemy.orm import Session

from stocktake.negotiation.exports import export_comparison, export_text
from stocktake.negotiation.formats.reading import read_text
from stocktake.negotiation.models import Draft, ParagraphStatus
from stocktake.negotiation.services import (
    add_language_version,
    issue_revision,
    set_paragraph_status,
)
from stocktake.negotiation.services.papers import PaperDetails, set_paper_details
from stocktake.process.services import get_process
from tests.negotiation.conftest import SYSTEM, eid_of
from tests.negotiation.test_languages import ARABIC, FRENCH

SPANISH = """# Un pacto de cooperación

Recordando la Carta de las Naciones Unidas[^1],

Reconociendo que la migración es una responsabilidad compartida,

## Visión

1. El presente pacto establece un entendimiento común de la migración segura y ordenada.

2. El pacto se basa en los propósitos y principios de la Carta.
(a) centrado en las personas;
(b) cooperación internacional;

## Objetivos

3. Nos comprometemos a reunir datos y a compartirlos con los asociados.

4. Nos comprometemos a proporcionar información exacta en todas las etapas de la migración.

[^1]: Firmada en San Francisco el 26 de junio de 1945.
"""


def _header(content: bytes) -> list[str]:
    document = Document(io.BytesIO(content))
    return [p.text for p in document.sections[0].first_page_header.paragraphs]


def test_each_language_version_prints_the_header_of_its_language(
    bare_session: Session, bare_draft: Draft
) -> None:
    details = PaperDetails("A/CONF.231/3", "General", None, "A4", False)
    set_paper_details(bare_session, bare_draft, details, by=SYSTEM)
    revision = issue_revision(bare_session, bare_draft, by=SYSTEM)
    for code, text in (("fr", FRENCH), ("es", SPANISH), ("ar", ARABIC)):
        add_language_version(
            bare_session, bare_draft, code, read_text(text), revision=revision.number, by=SYSTEM
        )
    process = get_process(bare_session)
    day = revision.issued_at
    english = _header(export_text(process, bare_draft, revision, "docx").content)
    assert english == [
        "A/CONF.231/3",
        "Distr.: General",
        f"{day.day} {day:%B %Y}",
        "Original: English",
    ]
    french = _header(export_text(process, bare_draft, revision, "docx", language="fr").content)
    assert french[1] == "Distr. générale"
    assert french[3:] == ["Français", "Original : anglais"]
    assert re.fullmatch(rf"{day.day} [a-zéû]+ {day.year}", french[2])  # 7 décembre 2026
    assert french[2] != f"{day.day} {day:%B %Y}"
    assert "Distr.: General" not in french
    spanish = _header(export_text(process, bare_draft, revision, "docx", language="es").content)
    assert spanish[1] == "Distr. general"
    assert re.fullmatch(rf"{day.day} de [a-z]+ de {day.year}", spanish[2])  # 7 de diciembre de 2026
    assert spanish[3:] == ["Español", "Original: inglés"]
    arabic = _header(export_text(process, bare_draft, revision, "docx", language="ar").content)
    assert arabic[1:] == [
        "Distr.: General",
        f"{day.day} {day:%B %Y}",
        "Arabic",
        "Original: English",
    ]


def test_a_comparison_in_french_carries_the_french_header(
    bare_session: Session, bare_draft: Draft
) -> None:
    details = PaperDetails("A/CONF.231/3", "Limited", None, "A4", False)
    set_paper_details(bare_session, bare_draft, details, by=SYSTEM)
    first = issue_revision(bare_session, bare_draft, by=SYSTEM)
    second = issue_revision(bare_session, bare_draft, by=SYSTEM)
    for revision in (first, second):
        add_language_version(
            bare_session, bare_draft, "fr", read_text(FRENCH), revision=revision.number, by=SYSTEM
        )
    compared = export_comparison(bare_draft, first, second, "docx", language="fr")
    header = _header(compared.content)
    # no symbol of its own: the revisions it compares, in the paper's language, where it would be
    assert header[0] == "A/CONF.231/3/Rev.1 — comparaison avec A/CONF.231/3"
    assert header[1] == "Distr. limitée"
    assert header[-2:] == ["Français", "Original : anglais"]


def test_a_revision_marks_agreed_ad_ref_in_the_language_of_its_version(
    bare_session: Session, bare_draft: Draft
) -> None:
    agreed = ParagraphStatus.AGREED_AD_REF
    set_paragraph_status(bare_session, bare_draft, eid_of(bare_draft, "1"), agreed, by=SYSTEM)
    revision = issue_revision(bare_session, bare_draft, by=SYSTEM)
    for code, text in (("fr", FRENCH), ("ar", ARABIC)):
        add_language_version(
            bare_session, bare_draft, code, read_text(text), revision=revision.number, by=SYSTEM
        )
    process = get_process(bare_session)
    marks = {"en": "(agreed ad ref.)", "fr": "(convenu ad ref.)", "ar": "(متفق عليه رهناً"}
    for code, mark in marks.items():
        markdown = export_text(process, bare_draft, revision, "md", language=code).content
        assert markdown.decode().count(mark) == 1, code
        docx = export_text(process, bare_draft, revision, "docx", language=code).content
        assert sum(mark in p.text for p in Document(io.BytesIO(docx)).paragraphs) == 1, code
        if code != "en":
            assert "(agreed ad ref.)" not in markdown.decode()

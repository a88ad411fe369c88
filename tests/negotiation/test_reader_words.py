"""The demo's negotiation pages and papers as a reader in another language meets them: the
compact named in the reader's language, groups of States by their names there, a comparison in
its reader's words and offered only in the languages both revisions have, the papers without a
symbol of their own headed by the symbol they work on, and each footnote's mark in the web text."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

from docx import Document
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from stocktake.demo.negotiation import DEMO_SOURCE
from stocktake.negotiation.formats.compare import word_ops
from stocktake.negotiation.models import Draft

NAME_ES = "Pacto Mundial para la Migración Segura, Ordenada y Regular"
SPANISH = {"Accept-Language": "es"}
SECRETARIAT = "secretariat@gcm.example"
SignIn = Callable[[str], TestClient]


def _draft(session: Session) -> Draft:
    draft = session.scalar(select(Draft).where(Draft.source == DEMO_SOURCE))
    assert draft is not None
    return draft


def _docx(answer: object) -> object:
    assert answer.status_code == 200  # type: ignore[attr-defined]
    return Document(io.BytesIO(answer.content))  # type: ignore[attr-defined]


def test_rev1_in_spanish_is_titled_as_the_compact_not_as_the_zero_draft_outline(
    session: Session, signed_in: SignIn
) -> None:
    draft = _draft(session)
    client = signed_in(SECRETARIAT)
    page = client.get(f"/drafts/{draft.id}?revision=1&language=es", headers=SPANISH).text
    assert f'role="columnheader" lang="es" dir="ltr">{NAME_ES}</h2>' in page
    assert "esquema" not in page
    answer = client.get(f"/drafts/{draft.id}/export?format=docx&revision=1&language=es")
    assert _docx(answer).paragraphs[0].text == f"{NAME_ES} (Rev.1)"  # type: ignore[attr-defined]
    akn = client.get(f"/drafts/{draft.id}/export?format=akn&revision=1&language=es").text
    assert f'<FRBRname value="{NAME_ES}"/>' in akn
    assert "esquema" not in akn


def test_the_spanish_draft_page_and_its_papers_name_the_compact_in_spanish(
    session: Session, signed_in: SignIn
) -> None:
    draft = _draft(session)
    client = signed_in(SECRETARIAT)
    for address in (f"/drafts/{draft.id}", f"/drafts/{draft.id}?revision=1"):
        page = client.get(address, headers=SPANISH).text
        assert f"<h1>{NAME_ES} <small" in page, address
        assert f"<title>{NAME_ES} · stocktake</title>" in page, address
    listed = _docx(client.get(f"/drafts/{draft.id}/amendment-list?format=docx", headers=SPANISH))
    assert listed.paragraphs[0].text == NAME_ES  # type: ignore[attr-defined]
    decided = _docx(client.get(f"/drafts/{draft.id}/decisions?format=docx", headers=SPANISH))
    assert NAME_ES in decided.paragraphs[0].text  # type: ignore[attr-defined]


def test_groups_of_states_are_named_in_the_reader_s_language(
    session: Session, signed_in: SignIn
) -> None:
    draft = _draft(session)
    client = signed_in("philippines@gcm.example")
    form = client.get(f"/drafts/{draft.id}/amendments/new", headers={"Accept-Language": "ru"})
    assert (
        '<option value="RG-ASIA-PACIFIC" >Государства Азиатско-Тихоокеанского региона</option>'
        in form.text
    )
    assert "Asia-Pacific States" not in form.text
    client = signed_in(SECRETARIAT)
    listed = client.get(f"/drafts/{draft.id}/amendments", headers=SPANISH).text
    sponsors = set(re.findall(r"<td>([^<>]*)</td>", listed))
    assert {"Grupo Africano", "UE", "GRULAC"} <= sponsors  # GRULAC: the Spanish acronym
    assert not {"African Group", "EU"} & sponsors
    russian = client.get(f"/drafts/{draft.id}/amendments", headers={"Accept-Language": "ru"})
    assert {"Группа африканских государств", "ЕС", "ГРУЛАК"} <= set(
        re.findall(r"<td>([^<>]*)</td>", russian.text)
    )
    english = client.get(f"/drafts/{draft.id}/amendments").text
    assert "<td>African Group</td>" in english
    assert "<td>GRULAC</td>" in english


def test_a_phrase_extended_marks_only_the_words_added() -> None:
    ops = word_ops(
        "to protect all migrant workers against all forms of exploitation",
        "to protect all migrant workers, including domestic workers, against all forms of "
        "exploitation",
    )
    assert ops == [
        ("equal", "to protect all migrant workers"),
        ("insert", ", including domestic workers,"),
        ("equal", " against all forms of exploitation"),
    ]


def test_the_spanish_comparison_is_in_spanish_and_marks_only_the_new_words(
    session: Session, signed_in: SignIn
) -> None:
    draft = _draft(session)
    client = signed_in(SECRETARIAT)
    page = client.get(f"/drafts/{draft.id}/compare?a=0&b=1", headers=SPANISH).text
    assert "(trasladado, antes 3.)" in page
    assert "(antes 2.)" in page
    assert "was 3." not in page
    assert "workers<ins>, including domestic workers,</ins> against" in page
    side = client.get(f"/drafts/{draft.id}/compare?a=0&b=1&view=side", headers=SPANISH).text
    assert '<th scope="col">Antes</th><th scope="col">Después</th>' in side
    paper = _docx(client.get(f"/drafts/{draft.id}/compare?a=0&b=1&format=docx"))
    paragraph = next(
        p
        for p in paper.paragraphs  # type: ignore[attr-defined]
        if "domestic workers" in p.text
    )
    assert "workers workers" not in paragraph.text
    assert [r.text for r in paragraph.runs if r.underline] == [", including domestic workers,"]
    assert not [r.text for r in paragraph.runs if r.font.strike]


def test_the_comparison_offers_the_languages_both_revisions_have(
    session: Session, signed_in: SignIn
) -> None:
    draft = _draft(session)
    client = signed_in(SECRETARIAT)
    page = client.get(f"/drafts/{draft.id}/compare?a=0&b=1", headers=SPANISH).text
    chooser = re.search(r'<select id="compare-language" name="language">(.*?)</select>', page)
    assert chooser is not None
    assert re.findall(r'<option value="(\w+)"', chooser.group(1)) == ["en"]
    missing = client.get(f"/drafts/{draft.id}/compare?a=0&b=1&language=es", headers=SPANISH)
    assert missing.status_code == 404
    assert "Borrador cero no tiene versión en español; está en inglés" in missing.text
    assert f'href="/drafts/{draft.id}/compare?a=0&amp;b=1&amp;view=inline"' in missing.text
    assert "Compararlas en el original" in missing.text


def test_compilation_and_comparison_papers_are_headed_by_the_symbol_they_work_on(
    session: Session, signed_in: SignIn
) -> None:
    draft = _draft(session)
    assert draft.symbol == "A/CONF.231/3"
    client = signed_in(SECRETARIAT)

    def head(address: str) -> str:
        header = _docx(client.get(address)).sections[0].first_page_header  # type: ignore[attr-defined]
        return str(header.paragraphs[0].text)

    assert head(f"/drafts/{draft.id}/compilation?format=docx") == (
        "A/CONF.231/3/Rev.1 — compilation text"
    )
    assert head(f"/drafts/{draft.id}/compare?a=0&b=1&format=docx") == (
        "A/CONF.231/3/Rev.1 — comparison with A/CONF.231/3"
    )
    assert head(f"/drafts/{draft.id}/compare?a=0&b=1&format=docx&language=en") == (
        "A/CONF.231/3/Rev.1 — comparison with A/CONF.231/3"
    )


def test_the_web_text_marks_each_footnote_where_the_papers_place_it(
    session: Session, signed_in: SignIn
) -> None:
    draft = _draft(session)
    client = signed_in(SECRETARIAT)
    mark = re.compile(
        r'Refugees and Migrants<sup class="fn-mark"><a href="#(fn_\d+)" role="doc-noteref">1</a>'
        r"</sup> and determined"
    )
    for address in (
        f"/drafts/{draft.id}",
        f"/drafts/{draft.id}?revision=1",
        f"/drafts/{draft.id}/compilation",
        f"/drafts/{draft.id}/compare?a=0&b=1",
        f"/drafts/{draft.id}?revision=1&language=es",
    ):
        page = client.get(address).text
        found = mark.search(page)
        assert found is not None, address
        assert f'id="{found.group(1)}"' in page, address
    spanish = client.get(f"/drafts/{draft.id}?revision=1&language=es").text
    assert re.search(r'para los Refugiados y los Migrantes<sup class="fn-mark">', spanish)


def test_the_public_revisions_page_names_languages_and_the_secretariat_in_chinese(
    session: Session, client: TestClient
) -> None:
    draft = _draft(session)
    page = client.get(f"/drafts/{draft.id}/revisions", headers={"Accept-Language": "zh"})
    assert page.status_code == 200
    assert "the secretariat" not in page.text
    assert "秘书处" in page.text
    assert re.search(r'title="[^"]*">英文</a>', page.text)
    assert not re.search(r">en</a>", page.text)


def test_the_coverage_page_offers_the_adopted_text_only_once_there_is_one(
    session: Session, signed_in: SignIn
) -> None:
    draft = _draft(session)
    assert not any(r.final for r in draft.revisions)
    client = signed_in(SECRETARIAT)
    page = client.get(f"/drafts/{draft.id}/coverage", headers=SPANISH).text
    assert "aprobado" not in page
    assert "?adopted=true" not in page
    assert f"{NAME_ES}, texto de trabajo" in page

"""The negotiation's pages in the reader's language: the drafts, the text, the amendments, the
revisions and rounds, the room's lists and their Word files, and the notices after an action."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

import pytest
from docx import Document
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from stocktake.core.permissions import Principal
from stocktake.demo.negotiation import DEMO_SOURCE
from stocktake.negotiation.formats.writing import long_day
from stocktake.negotiation.models import AmendmentStatus, Draft
from stocktake.negotiation.services import (
    decide_amendment,
    list_amendments,
    record_round,
    working_nodes,
)
from stocktake.web.languages import LANGUAGE_COOKIE, catalog
from tests.conftest import csrf_of

SYSTEM = Principal.system()


def _demo(session: Session) -> Draft:
    draft = session.scalar(select(Draft).where(Draft.source == DEMO_SOURCE))
    assert draft is not None
    return draft


def _in(client: TestClient, language: str) -> TestClient:
    client.cookies.set(LANGUAGE_COOKIE, language)
    return client


def test_the_drafts_and_the_text_in_french(
    session: Session, signed_in: Callable[[str], TestClient]
) -> None:
    draft = _demo(session)
    client = _in(signed_in("secretariat@gcm.example"), "fr")
    listed = client.get("/drafts")
    assert '<html lang="fr"' in listed.text
    for text in ("<h1>Projets de négociation</h1>", "Importer un projet", ">Importer</button>"):
        assert text in listed.text, text
    page = client.get(f"/drafts/{draft.id}")
    for text in (
        ">Texte de compilation</a>",
        ">Révisions et cycles</a>",
        "Texte de travail",  # the working text's label
        ">Définir</button>",
        "Ajouter une version linguistique de Texte de travail",
        '<option value="ar">arabe</option>',
    ):
        assert text in page.text, text
    assert "Compilation text" not in page.text


def test_the_amendments_and_a_decision_in_arabic(
    session: Session, signed_in: Callable[[str], TestClient]
) -> None:
    draft = _demo(session)
    client = _in(signed_in("secretariat@gcm.example"), "ar")
    listed = client.get(f"/drafts/{draft.id}/amendments")
    assert '<html lang="ar" dir="rtl">' in listed.text
    for text in ("<h1>التعديلات</h1>", ">قائمة التعديلات</a>", ">دمج</button>", "المقدمون"):
        assert text in listed.text, text
    amendment = next(a for a in list_amendments(session, draft) if a.pending)
    page = client.get(f"/drafts/{draft.id}/amendments/{amendment.number}")
    assert f"التعديل {amendment.label}" in page.text
    assert ">البت</button>" in page.text
    decided = client.post(
        f"/drafts/{draft.id}/amendments/{amendment.number}/status",
        data={
            "csrf": csrf_of(client, f"/drafts/{draft.id}/amendments/{amendment.number}"),
            "status": "rejected",
            "version": str(amendment.version),
        },
    )
    assert decided.status_code == 200
    assert f"التعديل {amendment.label} مرفوض الآن." in decided.text  # the notice
    assert '<span class="badge">مرفوض</span>' in decided.text  # the status word


def test_a_delegation_proposes_in_spanish(
    session: Session, signed_in: Callable[[str], TestClient]
) -> None:
    draft = _demo(session)
    client = _in(signed_in("mexico@gcm.example"), "es")
    form_page = client.get(f"/drafts/{draft.id}/amendments/new")
    for text in ("<h1>Proponer una enmienda</h1>", ">sustitución</option>", ">Proponer</button>"):
        assert text in form_page.text, text
    target = next(n for n in working_nodes(draft) if n.kind == "paragraph")
    made = client.post(
        f"/drafts/{draft.id}/amendments",
        data={
            "csrf": csrf_of(client, f"/drafts/{draft.id}/amendments/new"),
            "kind": "replace",
            "target": target.eid,
            "quoted": target.text.split()[0],
            "new_text": "x",
            "sponsor": "MEX",
        },
    )
    assert made.status_code == 200
    assert "propuesta: la secretaría la examinará." in made.text
    assert "<h1>Enmienda A" in made.text


def test_revisions_rounds_and_decisions_in_french_with_french_dates(
    session: Session, signed_in: Callable[[str], TestClient]
) -> None:
    draft = _demo(session)
    item = record_round(
        session,
        draft,
        name="Deuxième cycle",
        start=dt.date(2018, 3, 5),
        end=dt.date(2018, 3, 9),
        revision=draft.revisions[-1].number,
        by=SYSTEM,
    )
    amendment = next(a for a in list_amendments(session, draft) if a.pending)
    decide_amendment(session, draft, amendment, AmendmentStatus.ACCEPTED, by=SYSTEM)
    client = _in(signed_in("secretariat@gcm.example"), "fr")
    revisions = client.get(f"/drafts/{draft.id}/revisions")
    for text in (
        "<h1>Révisions</h1>",
        "Cycles de négociation",
        "5–9 mars 2018",  # the round's days as French writes them
        "Dates limites de dépôt des amendements",
        ">Établir</button>",  # issuing a revision is not making it public
        ">Publier</button>",
        '<th scope="col">Établie le</th>',
        'Avant-projet (projet zéro)</a> <span class="badge status-published">version publiée</span>',
    ):
        assert text in revisions.text, text
    assert "Publiée le" not in revisions.text
    set_deadline = client.post(
        f"/drafts/{draft.id}/rounds/{item.id}/deadline",
        data={
            "csrf": csrf_of(client, f"/drafts/{draft.id}/revisions"),
            "deadline": "2018-03-06T18:00",
            "refuse_late": "true",
        },
    )
    assert (
        "Les amendements pour Deuxième cycle sont à déposer avant le 6 mars 2018, 18:00 UTC ; "
        "les suivants seront refusés." in set_deadline.text
    )
    decisions = client.get(f"/drafts/{draft.id}/decisions")
    assert "Décisions : Tous les cycles" in decisions.text
    assert f"{amendment.label}</a>" in decisions.text
    assert "<td>accepté</td>" in decisions.text
    today = dt.datetime.now(dt.UTC)
    assert f"{today.day} " in decisions.text
    assert str(today.year) in decisions.text


@pytest.mark.parametrize("language", ["fr", "es", "ru", "ar", "zh"])
def test_issuing_and_publishing_a_revision_are_two_words(
    session: Session, signed_in: Callable[[str], TestClient], language: str
) -> None:
    words = catalog(language)
    issue, publish = words.gettext("Issue"), words.gettext("Publish")
    assert issue != publish
    revisions = _in(signed_in("secretariat@gcm.example"), language).get(
        f"/drafts/{_demo(session).id}/revisions"
    )
    assert f">{issue}</button>" in revisions.text
    assert f">{publish}</button>" in revisions.text


def test_the_room_lists_in_word_follow_the_readers_language(
    session: Session, signed_in: Callable[[str], TestClient]
) -> None:
    draft = _demo(session)
    amendment = next(a for a in list_amendments(session, draft) if a.pending)
    decide_amendment(session, draft, amendment, AmendmentStatus.REJECTED, by=SYSTEM)
    client = _in(signed_in("secretariat@gcm.example"), "ru")
    listed = Document(
        io.BytesIO(client.get(f"/drafts/{draft.id}/amendment-list?format=docx").content)
    )
    texts = [p.text for p in listed.paragraphs]
    assert "Перечень поправок" in texts
    today = dt.datetime.now(dt.UTC).date()
    assert f"Поправки, полученные до {long_day(today, 'ru')}" in texts
    assert "дек." not in long_day(dt.date(2026, 12, 7), "ru")  # written out, not abbreviated, texts
    header = [cell.text for cell in listed.tables[0].rows[0].cells]
    assert header == ["Текст", "Предлагаемая поправка"]
    decisions = Document(
        io.BytesIO(client.get(f"/drafts/{draft.id}/decisions?format=docx").content)
    )
    assert "Все раунды" in [p.text for p in decisions.paragraphs]
    table = decisions.tables[0]
    assert [cell.text for cell in table.rows[0].cells] == [
        "Поправка",
        "Пункт",
        "Авторы",
        "Решение",
        "Дата",
    ]
    assert "отклонена" in [row.cells[3].text for row in table.rows[1:]]
    english = _in(client, "en").get(f"/drafts/{draft.id}/decisions?format=docx")
    english_table = Document(io.BytesIO(english.content)).tables[0]
    assert [cell.text for cell in english_table.rows[0].cells][:2] == ["Amendment", "Paragraph"]


def test_the_amendment_list_page_in_chinese(
    session: Session, signed_in: Callable[[str], TestClient]
) -> None:
    draft = _demo(session)
    client = _in(signed_in("mexico@gcm.example"), "zh")
    page = client.get(f"/drafts/{draft.id}/amendment-list")
    for text in ("<h1>修正案清单</h1>", "提议的修正案", "替换为"):
        assert text in page.text, text
    compilation = client.get(f"/drafts/{draft.id}/compilation")
    assert "<h1>汇编案文</h1>" in compilation.text
    assert "处未决括号" in compilation.text


def test_on_an_arabic_page_the_english_text_reads_left_to_right_and_statuses_in_arabic(
    session: Session, signed_in: Callable[[str], TestClient]
) -> None:
    draft = _demo(session)
    client = _in(signed_in("secretariat@gcm.example"), "ar")
    page = client.get(f"/drafts/{draft.id}/compilation").text
    assert '<article class="draft-text compilation" lang="en" dir="ltr">' in page
    assert '<span class="status" lang="ar" dir="rtl">مفتوح</span>' in page
    assert '<span class="status">open</span>' not in page
    assert "GRULAC A3" in page
    assert "RG-GRULAC" not in page
    listed = client.get(f"/drafts/{draft.id}/amendment-list").text
    # the paragraph in the draft's language; on a phone its cell is labelled by its column, in Arabic
    assert '<td data-label="النص" lang="en" dir="ltr"><strong>3</strong>' in listed
    assert "المجموعة الأفريقية" in listed  # the group by its name in Arabic
    assert "AFRICAN-GROUP" not in listed
    # the draft's words quoted in an Arabic sentence keep their own direction
    assert "\u2068in accordance with national priorities\u2069" in listed

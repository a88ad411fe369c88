"""The frame's pages in the reader's language: the header's role, the accounts, the audit log,
a delegation's own items and the public site's thread, coverage and "where did our inputs go?"
pages, with their flashes, dates, numbers and the registry's and definition's names."""

from __future__ import annotations

import csv
import io
import re

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stocktake.audit.models import AuditEvent
from stocktake.config import Settings
from stocktake.consultation.models import Input
from stocktake.registry.models import Actor
from stocktake.web.languages import LANGUAGE_COOKIE, format_day, format_number
from tests.conftest import DEMO_PASSWORD, csrf_of, sign_in
from tests.thread.test_thread import Adopted, adopt


def _in(client: TestClient, language: str) -> TestClient:
    client.cookies.set(LANGUAGE_COOKIE, language)
    return client


def test_a_delegations_own_items_in_french_and_arabic(client: TestClient, session: Session) -> None:
    mexico = session.scalar(select(Actor).where(Actor.code == "MEX"))
    assert mexico is not None
    sign_in(client, "mexico@gcm.example")
    first = session.scalar(
        select(func.min(Input.submitted_at)).where(
            Input.actor_id == mexico.id, Input.submitted_at.is_not(None)
        )
    )
    assert first is not None
    page = _in(client, "fr").get("/mine").text
    for text in (
        "<h1>Nos éléments</h1>",
        "(membre de délégation)",  # the role in the header
        "Contributions et brouillons",
        '<th scope="col">Statut</th>',
        "Amendements (",
        "Engagements (",
        "Inscriptions (",
        format_day(first.date(), "fr"),  # as French writes a date
    ):
        assert text in page, text
    assert "Inputs and drafts" not in page
    assert "delegation member" not in page
    page = _in(client, "ar").get("/mine").text
    for text in ("<h1>عناصرنا</h1>", "(عضو وفد)", "المساهمات والمسودات", "التعهدات ("):
        assert text in page, text
    assert format_day(first.date(), "ar") in page


def test_the_users_page_and_its_flash_in_arabic_and_spanish(client: TestClient) -> None:
    sign_in(client, "secretariat@gcm.example")
    page = _in(client, "ar").get("/users").text
    for text in ("<h1>المستخدمون</h1>", "عضو وفد", "صاحب مصلحة", "الأمانة", ">تعطيل<", "نشط"):
        assert text in page, text
    assert "delegation_member" not in page
    assert "delegation member" not in page
    _in(client, "es")
    answer = client.post(
        "/users/philippines@gcm.example/deactivate", data={"csrf": csrf_of(client, "/users")}
    )
    assert answer.status_code == 200
    assert "philippines@gcm.example desactivado: esa persona ya no" in answer.text
    assert "<h1>Usuarios</h1>" in answer.text
    assert ">desactivado<" in answer.text
    assert ">Activar<" in answer.text


def test_the_tokens_page_and_its_flash_in_russian(client: TestClient) -> None:
    sign_in(client, "mexico@gcm.example")
    page = _in(client, "ru").get("/account/tokens").text
    assert "<h1>Ваши токены API</h1>" in page
    assert "<code>POST /api/v1/tokens</code>" in page  # the request kept as code in the sentence
    issued = client.post(
        "/api/v1/tokens",
        json={"email": "mexico@gcm.example", "password": DEMO_PASSWORD, "name": "script"},
    )
    assert issued.status_code in (200, 201), issued.text
    page = client.get("/account/tokens").text
    assert "действует" in page
    assert "выдан " in page
    assert ">Отозвать<" in page
    found = re.search(r"/account/tokens/(\d+)/revoke", page)
    assert found
    token_id = found.group(1)
    answer = client.post(
        f"/account/tokens/{token_id}/revoke", data={"csrf": csrf_of(client, "/account/tokens")}
    )
    assert "Токен отозван" in answer.text
    assert ">отозван<" in answer.text


def test_the_audit_log_in_french_with_its_dates_and_pages(
    client: TestClient, session: Session, settings: Settings
) -> None:
    sign_in(client, "secretariat@gcm.example")
    total = session.scalar(select(func.count(AuditEvent.id))) or 0
    latest = session.scalar(select(func.max(AuditEvent.created_at)))
    assert latest is not None
    assert total > 1
    page = _in(client, "fr").get("/audit").text
    for text in (
        "<h1>Journal d'audit</h1>",
        'aria-label="Filtrer le journal d\'audit"',
        ">Tous</option>",
        ">Filtrer</button>",
        f"{format_number(total, 'fr')} événements",
        "Date (UTC)",
        format_day(latest.date(), "fr"),
    ):
        assert text in page, text
    if total > settings.page_size:  # the pages of the log, from the shared macro
        paged = client.get("/audit", params={"page": 2}).text
        assert "Page 2 sur" in paged
        assert "← Précédent" in paged


def test_the_thread_of_an_objective_in_french_and_arabic(
    client: TestClient, session: Session
) -> None:
    adopted: Adopted = adopt(session)
    assert adopted.pledge
    sign_in(client, "secretariat@gcm.example")
    page = _in(client, "fr").get("/review/objectives/1/thread").text
    for text in (
        "Les contributions dont il procède",
        "Qui les a envoyées",
        '<th scope="col">Région</th>',
        '<th scope="col">Catégorie de parties prenantes</th>',
        "Comment son libellé a évolué",
        "A1 : remplacement (auteur(s) : MEX) — accepté",
        "Son statut au fil des séries de négociations",
        ">Supprimer ce lien</button>",
    ):
        assert text in page, text
    # the registry's regional groups and the definition's categories by their French names
    assert "États d&#39;Amérique latine et des Caraïbes" in page
    assert "grulac" not in page.split("Qui les a envoyées")[1].split("Groupes")[0]
    assert "civil_society" not in page.split("Qui les a envoyées")[1].split("Groupes")[0]
    page = _in(client, "ar").get("/review/objectives/1/thread").text
    for text in (
        "المساهمات التي يستند إليها",
        "من أرسلها",
        "كيف تغيّرت صياغته",
        "دول أمريكا اللاتينية",
    ):
        assert text in page, text


def test_the_thread_of_an_objective_names_it_and_its_revisions_in_the_language(
    client: TestClient,
) -> None:
    page = _in(client, "ru").get("/review/objectives/20/thread")
    assert page.status_code == 200
    heading = page.text[page.text.index("<h1>") : page.text.index("</h1>")]
    assert "Цель 20" in heading
    assert "Objective" not in heading
    assert "Promote faster, safer and cheaper" not in heading
    steps = page.text[page.text.index("</h1>") :]
    assert "<td>Zero draft</td>" not in steps


def test_a_paragraphs_thread_is_titled_in_the_language(client: TestClient) -> None:
    page = _in(client, "es").get("/drafts/1/paragraphs/para_12/thread").text
    assert "Hilo de seguimiento: párrafo " in page
    assert "The thread of" not in page


def test_coverage_and_where_did_our_inputs_go_in_arabic_and_chinese(client: TestClient) -> None:
    page = _in(client, "ar").get("/drafts/1/coverage").text
    for text in ("مساهمات مَن يعكس؟", "حسب المنطقة", "حسب المجموعة الإقليمية", "أفريقيا"):
        assert text in page, text
    page = _in(client, "zh").get("/actors/MEX/inputs").text
    for text in ("墨西哥 的投入去向如何？", "在摘要中被引用", "每项投入", "下载："):
        assert text in page, text
    page = _in(client, "fr").get("/actors/MEX/inputs").text
    assert "Mexique : que sont devenues ses contributions ?" in page
    # the count of inputs in the lede, the Chair's summary named as the UN names it in French
    assert re.search(
        r'<p class="lede">\d+ contributions(, suivies à travers le Résumé du Président| et les projets)',
        page,
    )


def test_a_sign_in_flash_and_the_pages_macros_in_spanish(client: TestClient) -> None:
    _in(client, "es")
    answer = client.post(
        "/login",
        data={
            "csrf": csrf_of(client),
            "email": "stakeholder@gcm.example",
            "password": "wrong password",
            "next": "/",
        },
    )
    assert answer.status_code == 401
    assert "Correo electrónico o contraseña incorrectos." in answer.text
    # a macro imported by another page (the inputs list's filters) speaks the page's language
    page = client.get("/inputs").text
    assert '<label for="region">Región</label>' in page
    assert ">Cualquiera</option>" in page


def test_the_report_made_for_reading_follows_the_language_and_the_csv_stays_data(
    client: TestClient,
) -> None:
    html = _in(client, "fr").get("/actors/MEX/inputs/export?format=html")
    assert html.headers["content-language"] == "fr"
    assert '<html lang="fr" dir="ltr">' in html.text
    assert "<h1>Mexique : que sont devenues ses contributions ?</h1>" in html.text
    for heading in ("Contribution", "Titre", "Soumise le", "Statut", "Ce qu&#x27;elle est devenue"):
        assert f'<th scope="col">{heading}</th>' in html.text, heading
    assert re.search(r"<p>\d+ contributions \(.*\)\. Au \d{1,2} \w+\.? \d{4} à", html.text)
    arabic = _in(client, "ar").get("/actors/MEX/inputs/export?format=html").text
    assert '<html lang="ar" dir="rtl">' in arabic
    assert "ماذا حلّ بمساهمات" in arabic
    rows = list(csv.reader(io.StringIO(client.get("/actors/MEX/inputs/export?format=csv").text)))
    assert rows[0][:5] == ["input", "title", "submitted", "status", "outcome"]


def test_an_unknown_address_is_not_found_in_the_language(client: TestClient) -> None:
    page = _in(client, "ru").get("/no/such/page")
    assert page.status_code == 404
    assert "<h1>Не найдено</h1>" in page.text

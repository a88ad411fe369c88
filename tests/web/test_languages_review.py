"""The follow-up and review pages in the reader's language: headings, buttons, kinds and statuses,
flashes after an action, dates and numbers as the language writes them."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from html import unescape
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

import stocktake
from stocktake.review.models import Pledge
from stocktake.review.views.labels import LABELS
from stocktake.web.languages import (
    LANGUAGE_COOKIE,
    LANGUAGES,
    catalog,
    format_day,
    format_days,
)
from tests.conftest import csrf_of, sign_in

FORUM = "/review/cycles/imrf-2026-review"
LOCALE = Path(stocktake.__file__).parent / "locale"


def _in(client: TestClient, language: str) -> TestClient:
    client.cookies.set(LANGUAGE_COOKIE, language)
    return client


def _flash(html: str) -> str:
    found = re.search(r'class="flash flash-\w+"[^>]*><p>(.*?)</p>', html, re.S)
    assert found, "no flash on the page"
    return unescape(found.group(1))


def _pledge_id(client: TestClient, title: str) -> int:
    page = client.get("/review/pledges").text
    found = re.search(rf'href="/review/pledges/(\d+)"[^>]*>{re.escape(title)}<', page)
    assert found, title
    return int(found.group(1))


def test_the_overview_in_french(client: TestClient) -> None:
    page = _in(client, "fr").get("/review")
    assert page.status_code == 200
    assert '<html lang="fr" dir="ltr">' in page.text
    for text in (
        "<h1>Suivi et examen</h1>",
        ">Indicateurs et progrès</a>",
        ">Besoins et offres en capacités</a>",
        '<h2 id="h-objectives">Objectifs</h2>',
        ">Son fil</a>",
        '<th scope="col">Indicateurs et situation</th>',
        "10.7.4 : Progrès substantiels</span>",  # an indicator's progress, in its tag
        "Indicateurs par état d&#x27;avancement",  # the chart's title
    ):
        assert text in page.text, text
    assert "Follow-up and review</h1>" not in page.text
    assert "Substantial progress" not in page.text


def test_the_forum_report_in_arabic_with_its_dates_and_headings(client: TestClient) -> None:
    page = _in(client, "ar").get(FORUM)
    assert page.status_code == 200
    assert '<html lang="ar" dir="rtl">' in page.text
    days = format_days(dt.date(2026, 5, 5), dt.date(2026, 5, 8), "ar")
    assert days != format_days(dt.date(2026, 5, 5), dt.date(2026, 5, 8), "en")
    for text in (
        "تقرير عن التقدم المحرز: International Migration Review Forum 2026",
        f"نطاق الاستعراض: عالمي؛ {days}.",
        ">باختصار</h2>",
        ">حسب الهدف</h2>",
        ">التقارير الطوعية</h2>",
        ">تنزيل بصيغة Word (DOCX)</a>",
        "التعهدات حسب الحالة",  # a chart's heading
        "قيد التنفيذ",  # the status of Mexico's pledge
    ):
        assert text in page.text, text
    assert "In brief" not in page.text
    # the narrative, not yet kept, generated in Arabic: four pledges in the plural of 3 to 10,
    # with the money they pledge
    # the Latin title set apart (U+2068 … U+2069), so that the colon after it stays in place
    assert "\u2068International Migration Review Forum 2026\u2069: 4 تعهدات من 3 دول" in page.text
    assert "بمبلغ \u20683,680,000.00 USD\u2069" in page.text


def test_the_cycles_page_in_spanish_for_the_secretariat_and_its_flash(client: TestClient) -> None:
    sign_in(client, "secretariat@gcm.example")
    page = _in(client, "es").get("/review/cycles")
    assert "<h1>Ciclos de examen</h1>" in page.text
    assert '<h2 id="h-open">Abrir un ciclo de examen</h2>' in page.text
    assert '<option value="regional">Regional</option>' in page.text
    assert '<option value="global">Mundial</option>' in page.text
    assert format_days(dt.date(2026, 5, 5), dt.date(2026, 5, 8), "es") in page.text
    opened = client.post(
        "/review/cycles",
        data={
            "csrf": csrf_of(client, "/review/cycles"),
            "slug": "africa-2027",
            "title": "Examen regional de África 2027",
            "scope": "regional",
            "region": "Africa",
            "start_date": "2027-03-01",
            "end_date": "2027-03-03",
        },
    )
    assert opened.status_code == 200
    assert _flash(opened.text) == "Ciclo de examen «Examen regional de África 2027» abierto."
    assert "Ámbito del examen: Regional (Africa);" in opened.text


def test_pledges_in_russian_count_with_the_languages_plural(client: TestClient) -> None:
    sign_in(client, "mexico@gcm.example")
    page = _in(client, "ru").get("/review/pledges")
    assert "<h1>Обязательства</h1>" in page.text
    assert ">Взять обязательство</a>" in page.text
    assert ">Фильтровать</button>" in page.text
    total = int(re.search(r"<p>(\d+) обязательств?[ао]?\.</p>", page.text).group(1))  # type: ignore[union-attr]
    expected = catalog("ru").ngettext("%(num)s pledge.", "%(num)s pledges.", total)
    assert f"<p>{expected % {'num': total}}</p>" in page.text
    assert "Обязательства по статусу" in page.text  # a chart's heading
    assert '<option value="in_progress" >Выполняется</option>' in page.text or (
        ">Выполняется</option>" in page.text
    )


def test_a_partner_confirms_in_arabic_and_sees_the_flash_and_the_day(client: TestClient) -> None:
    sign_in(client, "mexico@gcm.example")
    _in(client, "ar")
    pledge = _pledge_id(client, "Cheaper remittances along the Philippines–Mexico corridor")
    page = client.get(f"/review/pledges/{pledge}")
    assert ">التأكيد بصفة شريك</button>" in page.text
    assert "<dt>الشركاء</dt>" not in page.text  # partners are a section, not a fact
    assert ">الشركاء</h2>" in page.text
    assert "<dd>بالاشتراك مع شركاء: المكسيك</dd>" in page.text
    done = client.post(
        f"/review/pledges/{pledge}/confirm",
        data={"csrf": csrf_of(client, f"/review/pledges/{pledge}")},
    )
    assert done.status_code == 200
    assert _flash(done.text) == "سُجّل تأكيدك."
    today = format_day(dt.datetime.now(dt.UTC).date(), "ar")
    assert "أُكّد في <time datetime=" in done.text
    assert f">{today}</time>" in done.text


def test_a_pledge_with_an_amount_in_french(client: TestClient) -> None:
    sign_in(client, "philippines@gcm.example")
    form = _in(client, "fr").get("/review/pledges/new")
    assert "<h1>Prendre un engagement</h1>" in form.text
    assert ">Soumettre l'engagement</button>" in form.text
    assert '<option value="joint" >En commun avec des partenaires</option>' in form.text or (
        ">En commun avec des partenaires</option>" in form.text
    )
    description = (
        "The Philippines will train two hundred labour attachés and welfare officers a year on "
        "fair recruitment, ethical recruitment audits and the handling of complaints from migrant "
        "workers, and will fund the training from the national budget, with the help of partners "
        "where they offer it, reporting each year on the people trained and complaints resolved."
    )
    made = client.post(
        "/review/pledges/new",
        data={
            "csrf": csrf_of(client, "/review/pledges/new"),
            "title": "Training for labour attachés",
            "description": description,
            "kind": "financial",
            "level": "national",
            "objectives": ["6"],
            "start_year": "2025",
            "end_year": "2027",
            "mode": "single",
            "amount": "250000.5",
            "currency": "USD",
        },
    )
    assert made.status_code == 200, made.text
    assert _flash(made.text) == (
        "Votre engagement est soumis ; le secrétariat le publiera après examen."
    )
    from babel.numbers import format_decimal

    amount = format_decimal(Decimal("250000.50"), format="#,##0.00", locale="fr")
    assert amount != "250,000.50"
    assert f"<dd>{amount} <abbr" in made.text
    for text in ("<dt>Montant</dt>", "<dt>Catégorie</dt><dd>Financier</dd>", "<dd>National</dd>"):
        assert text in made.text, text
    assert "Pas encore publié : le secrétariat l'examine d'abord." in made.text


PLEDGE = {
    "title": "Training for labour attachés",
    "description": "The Philippines will train two hundred labour attachés and welfare officers a "
    "year on fair recruitment, ethical recruitment audits and the handling of complaints from "
    "migrant workers, and will fund the training from the national budget, with the help of "
    "partners where they offer it, reporting each year on the people trained and complaints "
    "resolved.",
    "kind": "financial",
    "level": "national",
    "objectives": ["6"],
    "start_year": "2025",
    "end_year": "2027",
    "mode": "single",
    "currency": "MXN",
}


@pytest.mark.parametrize(
    ("language", "typed", "shown"),
    [
        ("fr", "1 250 000,50", "1\u202f250\u202f000,50"),
        ("fr", "1250000.50", "1\u202f250\u202f000,50"),
        ("es", "1.250.000,50", "1.250.000,50"),
        ("ru", "1 250 000,50", "1\u00a0250\u00a0000,50"),
        ("en", "1,250,000.50", "1,250,000.50"),
        ("zh", "1,250,000.5", "1,250,000.50"),
    ],
)
def test_an_amount_is_read_as_the_pages_language_writes_it(
    client: TestClient, session: Session, language: str, typed: str, shown: str
) -> None:
    sign_in(client, "philippines@gcm.example")
    page = _in(client, language)
    made = page.post(
        "/review/pledges/new",
        data={**PLEDGE, "csrf": csrf_of(client, "/review/pledges/new"), "amount": typed},
    )
    assert made.status_code == 200, made.text
    assert f"<dd>{shown} <abbr" in made.text
    pledge = session.get(Pledge, int(made.url.path.rsplit("/", 1)[-1]))
    assert pledge is not None
    assert pledge.amount == Decimal("1250000.50")


@pytest.mark.parametrize(
    ("language", "typed", "example"),
    [
        ("fr", "1,250,000.50", "1\u202f250\u202f000,50"),
        ("es", "1.250", "1.250.000,50"),
        ("en", "1 250 000,50", "1,250,000.50"),
        ("ru", "12e5", "1\u00a0250\u00a0000,50"),
    ],
)
def test_an_amount_that_cannot_be_read_is_refused_by_name(
    client: TestClient, language: str, typed: str, example: str
) -> None:
    sign_in(client, "philippines@gcm.example")
    page = _in(client, language)
    form = page.get("/review/pledges/new")
    assert f"{example}." in unescape(form.text)
    refused = page.post(
        "/review/pledges/new",
        data={**PLEDGE, "csrf": csrf_of(client, "/review/pledges/new"), "amount": typed},
    )
    assert refused.status_code == 422
    said = unescape(refused.text)
    problem = said.split("amount", 1)[1].split("</li>", 1)[0]
    assert example in problem
    assert "1250000.50" in problem
    assert f'value="{typed}"' in said


@pytest.mark.parametrize("typed", ["9" * 5000, "1e999", "NaN", "1\x002"])
def test_an_odd_amount_is_refused_and_nothing_is_stored(
    client: TestClient, session: Session, typed: str
) -> None:
    sign_in(client, "philippines@gcm.example")
    before = session.query(Pledge).count()
    refused = _in(client, "fr").post(
        "/review/pledges/new",
        data={**PLEDGE, "csrf": csrf_of(client, "/review/pledges/new"), "amount": typed},
    )
    assert refused.status_code == 422
    session.expire_all()
    assert session.query(Pledge).count() == before


def test_the_status_flash_follows_the_new_status(client: TestClient) -> None:
    sign_in(client, "mexico@gcm.example")
    _in(client, "fr")
    pledge = _pledge_id(client, "Fair recruitment: no recruitment fees charged to migrant workers")
    done = client.post(
        f"/review/pledges/{pledge}/status",
        data={
            "csrf": csrf_of(client, f"/review/pledges/{pledge}"),
            "status": "completed",
            "note": "Publiée au Journal officiel.",
        },
    )
    assert done.status_code == 200
    assert _flash(done.text) == (
        "L'engagement est désormais achevé ; son historique consigne le changement."
    )
    assert ': Achevé — <span dir="auto">Publiée au Journal officiel.</span></li>' in done.text


def test_capacity_and_practices_in_chinese(client: TestClient) -> None:
    sign_in(client, "philippines@gcm.example")
    _in(client, "zh")
    capacity = client.get("/review/capacity")
    for text in (
        "<h1>能力需求和提供</h1>",
        "<td>培训</td>",
        ">提出需求或提供</h2>",
        ">需求</option>",
    ):
        assert text in capacity.text, text
    assert "已发布需求中与提供相匹配的" in capacity.text
    sent = client.post(
        "/review/capacity",
        data={
            "csrf": csrf_of(client, "/review/capacity"),
            "direction": "offer",
            "objective": "3",
            "kind": "data_and_research",
            "description": "Our statistics office shares its survey of returning migrant workers.",
        },
    )
    assert _flash(sent.text) == "能力提供已记录：秘书处将先予发布，再进行匹配。"
    practices = client.get("/review/practices")
    for text in ("<h1>做法资料库</h1>", ">分享做法</h2>", ">搜索</button>", "目标 3, 6, 20"):
        assert text in practices.text, text


def test_indicators_in_french_with_numbers_as_french_writes_them(client: TestClient) -> None:
    page = _in(client, "fr").get("/review/indicators")
    for text in (
        "<h1>Indicateurs et progrès</h1>",
        ">Tous les pays</option>",
        ">Télécharger toutes les observations (CSV)</a>",
        "note ",
        "<small>Souhaité : ",
    ):
        assert text in page.text, text
    assert "Desired: increase" not in page.text
    assert "Desired: decrease" not in page.text
    scores = re.findall(r"<td>(-?\d+[.,]\d\d)", page.text)
    assert scores
    assert all("," in score for score in scores), scores


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_kind_and_status_the_pages_show_is_in_the_catalog(language: str) -> None:
    """The services name kinds and statuses in English; the pages' labels mark the same names."""
    with (LOCALE / language / "LC_MESSAGES" / "review.po").open("rb") as po:
        translated = {m.id: m.string for m in read_po(po, locale=language) if m.id}
    for names in LABELS.values():
        for name in names.values():
            assert translated.get(name), name


def test_the_forum_report_document_has_its_headings_in_the_requesters_language(
    client: TestClient,
) -> None:
    from docx import Document

    sent = _in(client, "fr").get(f"{FORUM}/report.docx")
    assert sent.status_code == 200
    document = Document(io.BytesIO(sent.content))
    paragraphs = [p.text for p in document.paragraphs]
    headings = [
        p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))
    ]
    assert (
        headings[0]
        == "Rapport sur les progrès accomplis : International Migration Review Forum 2026"
    )
    for heading in ("En bref", "Par objectif", "Rapports volontaires", "Engagements par état"):
        assert heading in headings, heading
    days = format_days(dt.date(2026, 5, 5), dt.date(2026, 5, 8), "fr")
    assert paragraphs[1].startswith(f"Portée de l'examen : Mondial ; {days}. Établi le ")
    headers = [[c.text for c in table.rows[0].cells] for table in document.tables]
    assert ["Engagement", "Par", "Montant", "Calendrier", "Statut"] in headers
    assert ["Indicateur", "Pays", "Première", "Dernière", "Périodes"] in headers
    # a narrative not yet kept is generated in the requester's language
    english = Document(io.BytesIO(_in(client, "en").get(f"{FORUM}/report.docx").content))
    assert paragraphs[3].startswith("International Migration Review Forum 2026 : 4 engagements")
    assert english.paragraphs[3].text.startswith(
        "International Migration Review Forum 2026: 4 pledges"
    )
    assert english.paragraphs[0].text.startswith("Progress report: ")

"""The reader's language: their choice, else what the browser asks for, else the process's
default; Arabic right to left; dates, numbers and names in the page's language."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from fastapi import Request
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.orm import Session

import stocktake
from stocktake.core.permissions import Role
from stocktake.process.definitions import DEFAULT as DEFAULT_DEFINITION
from stocktake.web.flash import Plural, flash, pop_flashes
from stocktake.web.languages import LANGUAGE_COOKIE, LANGUAGES, choose, negotiate
from stocktake.web.templating import templates
from tests.conftest import sign_in
from tests.factories.accounts import PASSWORD, account
from tests.factories.process import process_from

STYLESHEET = Path(stocktake.__file__).parent / "static" / "stocktake.css"


def _html_tag(html: str) -> str:
    match = re.search(r"<html[^>]*>", html)
    assert match
    return match.group(0)


def test_english_pages_are_as_they_were(bare_client: TestClient) -> None:
    page = bare_client.get("/")
    assert _html_tag(page.text) == '<html lang="en" dir="ltr">'
    assert page.headers["content-language"] == "en"
    for text in ("Skip to content", ">Overview<", ">Sign in<", "Phases", "1 Apr 2017", "Human"):
        assert text in page.text


def test_a_browser_asking_for_french_gets_the_french_layout(bare_client: TestClient) -> None:
    page = bare_client.get("/", headers={"Accept-Language": "de-CH, fr-CA;q=0.8, en;q=0.5"})
    assert _html_tag(page.text) == '<html lang="fr" dir="ltr">'
    assert page.headers["content-language"] == "fr"
    for text in (
        "Aller au contenu",  # skip link
        ">Vue d'ensemble<",  # navigation
        ">Réunions<",
        ">Se connecter<",  # sign in
        '<h2 id="timeline-h">Phases</h2>',
        "1 avr. 2017",  # the consultation phase's first day, as French writes it
        "<dt>Dimension humaine</dt>",  # the process definition's French name
        "Calendrier",
    ):
        assert text in page.text, text
    assert "Skip to content" not in page.text
    assert "Accept-Language" in page.headers["vary"]


def test_the_readers_choice_wins_over_the_browser(bare_client: TestClient) -> None:
    chosen = bare_client.get(
        "/language", params={"lang": "ru", "next": "/actors"}, follow_redirects=False
    )
    assert chosen.status_code == 303
    assert chosen.headers["location"] == "/actors"
    assert bare_client.cookies.get(LANGUAGE_COOKIE) == "ru"
    page = bare_client.get("/", headers={"Accept-Language": "fr"})
    assert _html_tag(page.text) == '<html lang="ru" dir="ltr">'
    assert ">Общие сведения<" in page.text
    assert 'lang="ru" hreflang="ru" aria-current="true"' in page.text  # the switch shows the choice


def test_the_switch_is_on_every_page_and_returns_to_it(bare_client: TestClient) -> None:
    page = bare_client.get("/actors?kind=member_state")
    for code in LANGUAGES:
        assert f"/language?lang={code}&amp;next=/actors%3Fkind%3Dmember_state" in page.text
    back = bare_client.get(
        "/language",
        params={"lang": "zh", "next": "https://elsewhere.example/"},
        follow_redirects=False,
    )
    assert back.headers["location"] == "/"  # never off the site


def test_an_unknown_code_falls_back_to_the_default_and_says_so(bare_client: TestClient) -> None:
    page = bare_client.get("/language", params={"lang": "de", "next": "/"})
    assert _html_tag(page.text) == '<html lang="en" dir="ltr">'
    assert (
        "“de” is not one of the languages of this site; the pages are shown in its default language."
        in page.text
    )
    assert bare_client.cookies.get(LANGUAGE_COOKIE) == "en"


def test_a_kept_unknown_code_falls_back_and_says_so(bare_client: TestClient) -> None:
    bare_client.cookies.set(LANGUAGE_COOKIE, "tlh")
    page = bare_client.get("/", headers={"Accept-Language": "fr"})
    assert _html_tag(page.text) == '<html lang="en" dir="ltr">'
    assert "“tlh” is not one of the languages of this site" in page.text


def test_arabic_pages_run_right_to_left(bare_client: TestClient) -> None:
    bare_client.cookies.set(LANGUAGE_COOKIE, "ar")
    page = bare_client.get("/")
    assert _html_tag(page.text) == '<html lang="ar" dir="rtl">'
    assert ">نظرة عامة<" in page.text
    assert "<dt>البُعد الإنساني</dt>" in page.text
    assert "1 أبريل 2017" in page.text
    assert '<p class="lede">عملية حكومية دولية لوضع اتفاق عالمي' in page.text


def test_what_the_definition_says_in_english_only_is_marked_so(
    bare_client: TestClient, bare_session: Session
) -> None:
    arabic = 'ar = "عملية حكومية دولية لوضع اتفاق عالمي'
    process_from(bare_session, DEFAULT_DEFINITION, replace={arabic: "# " + arabic})
    bare_client.cookies.set(LANGUAGE_COOKIE, "ar")
    page = bare_client.get("/").text
    # in English, and so marked: it runs left to right in the Arabic page
    assert '<p class="lede" lang="en" dir="ltr">An intergovernmental process' in page
    assert "<h1>الاتفاق العالمي من أجل الهجرة الآمنة والمنظمة والنظامية</h1>" in page


@pytest.mark.parametrize(
    ("language", "told"),
    [
        (
            "es",
            (
                '<p class="lede">Proceso intergubernamental para elaborar un pacto mundial',
                "<span>Declaración de Nueva York para los Refugiados y los Migrantes (2016);",
                '<span class="phase-name">Seguimiento y examen</span>',
                "<h3>Negociación</h3>",
                "<dd><span>Lo que les sucede a los propios migrantes como personas:",
                "<strong>Alianza</strong> — <span>La cooperación entre los Estados,",
            ),
        ),
        (
            "ru",
            (
                '<p class="lede">Межправительственный процесс разработки глобального договора',
                "<span>Нью-Йоркская декларация о беженцах и мигрантах (2016 год);",
                '<span class="phase-name">Подведение итогов</span>',
                "<h3>Консультации</h3>",
                "<dd><span>Мигранты и общество, в котором они живут",
            ),
        ),
        (
            "zh",
            (
                '<p class="lede">制定移民问题全球契约的政府间进程',
                "<span>《关于难民和移民的纽约宣言》（2016年）",
                '<span class="phase-name">盘点</span>',
                "<h3>谈判</h3>",
                "<dd><span>城市、市镇和地方当局作为行动者",
            ),
        ),
    ],
)
def test_the_home_page_tells_the_process_in_the_readers_language(
    client: TestClient, language: str, told: tuple[str, ...]
) -> None:
    client.cookies.set(LANGUAGE_COOKIE, language)
    page = client.get("/").text
    for text in told:
        assert text in page
    for english in ("Consultation", "Stocktaking", "Negotiation", "Follow-up and review"):
        assert f">{english}<" not in page
    assert "An intergovernmental process" not in page
    assert "New York Declaration" not in page
    assert "What happens to individual migrants" not in page


def test_the_layout_mirrors_in_right_to_left_pages() -> None:
    """The stylesheet places things at the start and end of a line, never at its left or right:
    in an Arabic page the header, navigation, tables and forms mirror."""
    css = STYLESHEET.read_text(encoding="utf-8")
    physical = re.findall(
        r"(?:margin|padding|border)-(?:left|right)\b|text-align:\s*(?:left|right)|float:\s*(?:left|right)"
        r"|[{;]\s*(?:left|right):",
        css,
    )
    assert physical == []
    assert "inline-start" in css


def test_the_process_default_language_serves_who_asks_for_none(
    bare_client: TestClient, bare_session: Session
) -> None:
    process_from(
        bare_session,
        DEFAULT_DEFINITION,
        replace={'short_name = "GCM"\n': 'short_name = "GCM"\nlanguage = "es"\n'},
    )
    assert _html_tag(bare_client.get("/").text) == '<html lang="es" dir="ltr">'
    page = bare_client.get("/", headers={"Accept-Language": "de, it;q=0.5"})
    assert ">Panorama general<" in page.text
    asked = bare_client.get("/", headers={"Accept-Language": "zh-Hans-CN"})
    assert _html_tag(asked.text) == '<html lang="zh" dir="ltr">'


def test_names_of_the_definition_follow_the_language(bare_client: TestClient) -> None:
    bare_client.cookies.set(LANGUAGE_COOKIE, "ru")
    page = bare_client.get("/").text
    assert 'kind=member_state">Государство-член</a></th><td class="num">193<' in page
    assert "<strong>Партнерство</strong>" in page or "Партнёрство" in page


@pytest.mark.parametrize(
    ("language", "written"),
    [
        ("en", "12,345.5 · 1 Apr 2017 · 4 – 6 Dec 2017"),
        ("fr", "12\u202f345,5 · 1 avr. 2017 · 4–6 déc. 2017"),
        ("es", "12.345,5 · 1 abr 2017 · 4–6 dic 2017"),
        ("ru", "12\xa0345,5 · 1 апр. 2017 г. · 4—6 дек. 2017 г."),
        ("ar", "12,345.5 · 1 أبريل 2017 · 4–6 ديسمبر 2017"),
        ("zh", "12,345.5 · 2017年4月1日 · 2017年12月4日 – 6日"),
    ],
)
def test_dates_and_numbers_are_written_as_the_language_writes_them(
    language: str, written: str
) -> None:
    shown = templates.env.from_string(
        "{{ 12345.5|number }} · {{ day|day }} · {{ start|days(end) }}"
    ).render(
        page_language=language,
        day=dt.date(2017, 4, 1),
        start=dt.date(2017, 12, 4),
        end=dt.date(2017, 12, 6),
    )
    assert re.sub(r"\s", " ", shown) == re.sub(r"\s", " ", written)  # any space: narrow, no-break


def test_messages_are_shown_in_the_page_language(
    bare_client: TestClient, bare_session: Session
) -> None:
    user = account(bare_session, Role.SECRETARIAT)
    bare_client.cookies.set(LANGUAGE_COOKIE, "fr")
    sign_in(bare_client, user.email, PASSWORD)
    page = bare_client.get("/")
    assert f"Connecté en tant que {user.email}." in page.text
    assert ">Se déconnecter<" in page.text


def test_error_pages_are_translated(bare_client: TestClient) -> None:
    page = bare_client.get("/meetings/no-such-meeting", headers={"Accept-Language": "es"})
    assert page.status_code == 404
    assert "<h1>No encontrado</h1>" in page.text
    assert "Volver al panorama general" in page.text


def test_the_sign_in_page_is_translated(bare_client: TestClient) -> None:
    page = bare_client.get("/login", headers={"Accept-Language": "zh-CN"})
    assert "<h1>登录</h1>" in page.text
    assert '<label for="password">密码</label>' in page.text
    assert "公众无需账户即可阅读已发布的页面。" in page.text


@given(st.text(max_size=200))
def test_any_accept_language_header_gives_one_of_the_six_or_none(header: str) -> None:
    assert negotiate(header) in (*LANGUAGES, None)


def test_quality_values_rank_the_languages() -> None:
    assert negotiate("en;q=0.2, ar;q=0.9, fr") == "fr"
    assert negotiate("en;q=0.2, ar;q=0.9") == "ar"
    assert negotiate("es;q=0, ru;q=0.1") == "ru"
    assert negotiate("de, *") is None
    assert choose("zh", "fr", "en").language == "zh"
    assert choose(None, "fr", "en").language == "fr"
    assert choose(None, "de", "es").language == "es"
    refused = choose("xx", "fr", "es")
    assert (refused.language, refused.refused) == ("es", "xx")
    assert choose("ar", None, "en").direction == "rtl"


@pytest.mark.parametrize(
    ("language", "count", "shown"),
    [
        ("en", 1, "1 input published. 3 inputs already published, left as they were."),
        (
            "fr",
            0,
            "0 contribution publiée. 3 contributions déjà publiées, laissées telles quelles.",
        ),
        (
            "ru",
            21,
            "21 материал опубликован. 3 материала уже опубликованы и оставлены без изменений.",
        ),
        (
            "ru",
            5,
            "5 материалов опубликовано. 3 материала уже опубликованы и оставлены без изменений.",
        ),
        ("ar", 2, "نُشرت 2 مساهمتان. تُركت 3 مساهمات على حالها لأنها منشورة من قبل."),
        ("ar", 11, "نُشرت 11 مساهمةً. تُركت 3 مساهمات على حالها لأنها منشورة من قبل."),
        ("zh", 4, "4 份投入已发布。3 份投入此前已发布，保持不变。"),
    ],
)
def test_a_counted_message_takes_the_form_the_language_needs(
    language: str, count: int, shown: str
) -> None:
    request = Request({"type": "http", "session": {}})
    published = (
        Plural("%(num)s input published.", "%(num)s inputs published.", count),
        Plural(
            "%(num)s input already published, left as they were.",
            "%(num)s inputs already published, left as they were.",
            3,
        ),
    )
    flash(request, published)
    assert pop_flashes(request, language) == [{"kind": "success", "text": shown}]

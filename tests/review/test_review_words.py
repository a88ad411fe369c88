"""The review pages and report in the reader's language: the objectives' titles as the process
definition gives them, regions named as the dashboard names them, the history's own notes
translated, and the dashboard's charts labelled on an Arabic page."""

from __future__ import annotations

import io
import re

from docx import Document
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from stocktake.review.services.frame import (
    FrameData,
    ObjectiveData,
    get_objective,
    load_frame,
)
from stocktake.review.services.objective_titles import ObjectiveTitles, title_in
from stocktake.review.services.pledges import publish_pledge, submit_pledge, update_pledge_status
from tests.factories.process import gcm
from tests.factories.review import SYSTEM, pledge_data

CYCLE = "/review/cycles/imrf-2026-review"
SIXTH_EN = (
    "Facilitate fair and ethical recruitment and safeguard conditions that ensure decent work"
)
SIXTH_FR = (
    "Favoriser des pratiques de recrutement justes et éthiques et assurer les conditions "
    "d’un travail décent"
)
SIXTH_AR = "تيسير التوظيف العادل والأخلاقي وضمان الظروف التي تكفل العمل اللائق"
FRENCH = {"Accept-Language": "fr"}
ARABIC = {"Accept-Language": "ar"}


def test_the_definition_titles_every_objective_in_six_languages(session: Session) -> None:
    objectives = gcm(session).read_definition().frame.objectives
    assert len(objectives) == 23
    for objective in objectives:
        titles = objective.titles.model_dump() if objective.titles else {}
        missing = [lang for lang in ("fr", "es", "ar", "ru", "zh") if not titles.get(lang)]
        assert not missing, (objective.number, missing)


def test_an_objective_titled_as_the_definition_says_is_shown_in_the_readers_language(
    session: Session,
) -> None:
    process = gcm(session)
    sixth = get_objective(session, process, 6)
    titles = ObjectiveTitles(process, "fr")
    shown = titles(sixth)
    assert (shown.text, shown.language) == (SIXTH_FR, "fr")
    assert sixth.title == SIXTH_EN
    # a title the definition does not give is kept as written, taken as English
    given = {"en": "Save lives", "fr": "Sauver des vies"}
    assert title_in("Save lives", given, "fr").text == "Sauver des vies"
    assert title_in("Sauver des vies", given, "en").text == "Save lives"
    kept = title_in("Save lives and more", given, "fr")
    assert (kept.text, kept.language) == ("Save lives and more", "en")
    # a definition without the reader's language: English, marked as such
    untranslated = title_in("Save lives", {"en": "Save lives"}, "ar")
    assert (untranslated.text, untranslated.language) == ("Save lives", "en")


def test_the_pledge_form_names_the_objectives_in_french(signed_in) -> None:  # type: ignore[no-untyped-def]
    client = signed_in("mexico@gcm.example")
    page = client.get("/review/pledges/new", headers=FRENCH).text
    assert f"6. {SIXTH_FR}</label>" in page
    assert SIXTH_EN not in page
    english = client.get("/review/pledges/new", headers={"Accept-Language": "en"}).text
    assert f"6. {SIXTH_EN}</label>" in english


def test_an_objective_retitled_by_another_frame_stays_as_written_marked_english(
    signed_in, session: Session
) -> None:  # type: ignore[no-untyped-def]
    frame = FrameData(
        source="A/CONF.231/3/Rev.1",
        objectives=[ObjectiveData(number=6, title="Fair recruitment and decent work")],
    )
    load_frame(session, gcm(session), frame, by=SYSTEM)
    page = signed_in("mexico@gcm.example").get("/review/pledges/new", headers=FRENCH).text
    assert '<span lang="en" dir="ltr">Fair recruitment and decent work</span>' in page
    assert SIXTH_FR not in page
    # the others keep their French titles
    assert "Gérer les frontières de manière intégrée, sûre et coordonnée" in page


def test_the_cycle_page_and_its_word_report_name_the_objectives_in_the_readers_language(
    client: TestClient,
) -> None:
    page = client.get(CYCLE, headers=FRENCH).text
    assert f"Objectif 6 : {SIXTH_FR}" in page
    assert SIXTH_EN not in page
    arabic = client.get(CYCLE, headers=ARABIC).text
    assert SIXTH_AR in arabic
    report = client.get(f"{CYCLE}/report.docx", headers=FRENCH)
    headings = [p.text for p in Document(io.BytesIO(report.content)).paragraphs]
    assert f"Objectif 6 : {SIXTH_FR}" in headings
    assert not any(SIXTH_EN in h for h in headings)
    english = client.get(f"{CYCLE}/report.docx")
    assert f"Objective 6: {SIXTH_EN}" in [
        p.text for p in Document(io.BytesIO(english.content)).paragraphs
    ]


def test_the_region_filter_names_the_regions_as_the_dashboard_does(client: TestClient) -> None:
    page = client.get("/review/pledges", headers=FRENCH).text
    select = page[page.index('<select id="region"') :]
    select = select[: select.index("</select>")]
    assert '<option value="Americas" >Amériques</option>' in select
    assert ">Americas<" not in select
    arabic = client.get("/review/pledges", headers=ARABIC).text
    select = arabic[arabic.index('<select id="region"') :]
    assert ">Americas<" not in select[: select.index("</select>")]


def test_the_history_says_its_own_notes_in_the_readers_language(
    session: Session, signed_in
) -> None:  # type: ignore[no-untyped-def]
    process = gcm(session)
    pledge = submit_pledge(session, process, pledge_data(), by=SYSTEM)
    update_pledge_status(
        session, pledge, status="in_progress", note="Inspectors hired in March.", by=SYSTEM
    )
    client = signed_in("mexico@gcm.example")
    page = client.get(f"/review/pledges/{pledge.id}", headers=FRENCH).text
    history = page[page.index('id="history"') :]
    assert "Prévu — Engagement soumis" in history
    assert "Pledge submitted" not in history
    # a note someone wrote stays as written
    assert '<span dir="auto">Inspectors hired in March.</span>' in history
    # stored as written in English, as the API gives it
    assert pledge.updates[0].note == "Pledge submitted"


def test_the_arabic_dashboard_labels_its_bars(client: TestClient) -> None:
    page = client.get("/review/pledges", headers=ARABIC).text
    charts = re.findall(r'<svg class="chart".*?</svg>', page, re.S)
    assert len(charts) == 4
    for chart in charts:
        assert 'direction="rtl"' in chart
        labels = re.findall(r'<text x="(\d+)"[^>]*class="chart-label">(.*?)</text>', chart)
        assert labels
        # each label starts at the chart's right edge, where an Arabic reader begins
        assert {x for x, _ in labels} == {"400"}
    assert "الهدف 6" in charts[0]
    english = client.get("/review/pledges").text
    assert 'direction="ltr"' in english
    assert 'direction="rtl"' not in english


def test_a_pledges_partners_are_listed_as_the_readers_language_lists_them(
    client: TestClient,
) -> None:
    # the demo's reintegration pledge: Mexico with Guatemala and Honduras
    arabic = client.get("/review/pledges", headers=ARABIC).text
    assert "المكسيك مع غواتيمالا وهندوراس" in arabic
    assert "غواتيمالا, هندوراس" not in arabic
    french = client.get("/review/pledges", headers=FRENCH).text
    assert "Mexique avec Guatemala et Honduras" in french
    assert "Mexico with Guatemala and Honduras" in client.get("/review/pledges").text


def test_the_dashboards_bars_name_each_objective_by_its_title_in_the_readers_language(
    client: TestClient, session: Session
) -> None:
    pledge = submit_pledge(session, gcm(session), pledge_data(objectives=[6]), by=SYSTEM)
    publish_pledge(session, pledge, by=SYSTEM)
    page = client.get("/review/pledges", headers=FRENCH).text
    charts = page[page.index('<svg class="chart"') : page.rindex("</svg>")]
    # cut to fit its line, the label keeps its whole name for hover and screen readers
    assert f"<title>Objectif 6 : {SIXTH_FR}</title>" in charts
    assert ">Objectif 6<" not in charts
    english = client.get("/review/pledges").text
    assert f"Objective 6: {SIXTH_EN}" in english


def test_a_pledges_title_follows_its_own_direction_on_an_arabic_page(
    client: TestClient, session: Session
) -> None:
    pledge = submit_pledge(
        session, gcm(session), pledge_data(title="Снижение стоимости переводов"), by=SYSTEM
    )
    publish_pledge(session, pledge, by=SYSTEM)
    page = client.get(f"/review/pledges/{pledge.id}", headers=ARABIC).text
    assert '<h1 dir="auto">Снижение стоимости переводов</h1>' in page
    listed = client.get("/review/pledges", headers=ARABIC).text
    assert f'href="/review/pledges/{pledge.id}" dir="auto">Снижение' in listed

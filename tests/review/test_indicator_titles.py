"""An indicator's title and unit in the reader's language: the SDG framework's title where the
indicator has an SDG code the framework knows, the common units of Open SDG data through the
catalogs; a title without an SDG code and an unknown unit as given; English as the country gave it."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from stocktake.core.permissions import Principal
from stocktake.review.services.indicators import import_opensdg, title_in, unit_in
from stocktake.review.services.indicators.titles import Shown
from stocktake.web.languages import LANGUAGE_COOKIE
from tests.databases import OPENSDG_UK
from tests.factories.frameworks import sdg

SYSTEM = Principal.system()
UK_TITLE = "Remittance costs as a proportion of the amount remitted"
FRENCH_TITLE = "Coûts des envois de fonds en proportion du montant transféré"
ARABIC_TITLE = "تكاليف التحويلات المالية كنسبة من المبالغ المحولة"


def _page(client: TestClient, language: str, **params: str) -> str:
    client.cookies.set(LANGUAGE_COOKIE, language)
    try:
        page = client.get("/review/indicators", params=params)
    finally:
        client.cookies.delete(LANGUAGE_COOKIE)
    assert page.status_code == 200
    return page.text


def _row(page: str, code: str) -> str:
    """The table row of one indicator."""
    found = re.search(
        rf"<tr>\s*<td><strong dir=\"ltr\">{re.escape(code)}</strong>.*?</tr>", page, re.S
    )
    assert found, code
    return found.group(0)


def _national(folder: Path) -> Path:
    """An Open SDG folder of the United Kingdom with one national indicator the SDG framework
    does not know, titled and measured in the platform's own words."""
    (folder / "data").mkdir(parents=True)
    (folder / "meta").mkdir()
    (folder / "data" / "indicator_99-1-1.csv").write_text(
        "Year,Units,Value\n2015,Tonnes,5\n2020,Tonnes,4\n"
    )
    (folder / "meta" / "99-1-1.md").write_text(
        "---\nindicator_available: Migrants in regular work\n"
        "national_geographical_coverage: United Kingdom\n---\n"
    )
    return folder


def test_a_french_reader_sees_the_frameworks_title_and_the_unit_in_french(
    bare_client: TestClient, bare_session: Session
) -> None:
    sdg(bare_session)
    import_opensdg(bare_session, OPENSDG_UK, by=SYSTEM)
    french = _row(_page(bare_client, "fr", country="GBR"), "10.c.1")
    assert f"<span>{FRENCH_TITLE}</span>" in french  # the page's own language: no mark
    assert UK_TITLE not in french.split("</td>", 1)[0]
    # the series as the data name it (here in the UK's words, set apart), its unit in French
    assert f"<div><bdi>{UK_TITLE}</bdi> (Pourcentage (%)): 7,49 (2015)" in french
    assert "(Pourcentage (%))" in french
    assert "Percentage" not in french
    victims = _row(_page(bare_client, "fr", country="GBR"), "16.2.2")
    # the UK counts victims of modern slavery, a national proxy of 16.2.2 (per 100,000
    # population): its own title stays, marked English, never the global indicator's
    assert '<span lang="en" dir="ltr">Victims of modern slavery in the UK</span>' in victims
    assert "Nombre de victimes" not in victims
    assert "(Nombre)" in victims


def test_an_arabic_reader_sees_the_frameworks_title_in_arabic(
    bare_client: TestClient, bare_session: Session
) -> None:
    sdg(bare_session)
    import_opensdg(bare_session, OPENSDG_UK, by=SYSTEM)
    arabic = _row(_page(bare_client, "ar", country="GBR"), "10.c.1")
    assert f"<span>{ARABIC_TITLE}</span>" in arabic
    assert "(النسبة المئوية (%))" in arabic


def test_an_english_reader_sees_the_title_and_unit_the_country_gave(
    bare_client: TestClient, bare_session: Session
) -> None:
    sdg(bare_session)
    import_opensdg(bare_session, OPENSDG_UK, by=SYSTEM)
    english = _row(_page(bare_client, "en", country="GBR"), "10.c.1")
    assert f"<span>{UK_TITLE}</span>" in english
    assert "(Percentage (%))" in english
    assert FRENCH_TITLE not in english


def test_an_indicator_without_an_sdg_code_keeps_its_title_and_unit(
    bare_client: TestClient, bare_session: Session, tmp_path: Path
) -> None:
    sdg(bare_session)
    import_opensdg(bare_session, _national(tmp_path), by=SYSTEM)
    french = _row(_page(bare_client, "fr", country="GBR"), "99.1.1")
    assert '<span lang="en" dir="ltr">Migrants in regular work</span>' in french
    assert "(Tonnes)" in french
    english = _row(_page(bare_client, "en", country="GBR"), "99.1.1")
    assert "<span>Migrants in regular work</span>" in english


def test_a_title_is_the_frameworks_in_whichever_language_it_was_given() -> None:
    framework = {"en": "Remittance costs", "fr": "Coûts des envois", "es": "Costo de las remesas"}
    # the framework's own title, given in French by a French-speaking platform
    assert title_in("Coûts des envois", framework, "fr").text == "Coûts des envois"
    assert title_in("Coûts des envois", framework, "en") == title_in("", framework, "en")
    assert title_in("Coûts des envois", framework, "en").text == "Remittance costs"
    # a platform's own words name what it measures (perhaps a national proxy): kept for every
    # reader, marked English
    own = "Cost of sending money home"
    assert title_in(own, framework, "en").text == own
    assert title_in(own, framework, "es") == Shown(own, "en")
    # a language the framework lacks: the title as given, marked as English
    shown = title_in(own, framework, "zh")
    assert (shown.text, shown.language) == (own, "en")
    # no SDG code the framework knows
    assert title_in(own, {}, "fr").text == own


def test_a_common_unit_is_translated_and_any_other_is_shown_as_given() -> None:
    assert unit_in("Percentage (%)", "fr") == "Pourcentage (%)"
    assert unit_in("Rate per 100,000 workers", "ru") == "Показатель на 100 000 работников"
    assert unit_in("Number", "zh") == "数量"
    assert unit_in("Number", "en") == "Number"
    assert unit_in("Tonnes of CO2", "fr") == "Tonnes of CO2"

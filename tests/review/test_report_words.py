"""The review report in the reader's language: numbers, amounts and dates written its way, values
with their unit, countries named in it, missing indicators named by their title, and no sentence
counting nothing."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from stocktake.core.translation import written_day, written_days, written_number
from tests.factories.review import cycle

PATH = "/review/cycles/imrf-2026-review"


def _docx_text(content: bytes) -> tuple[str, list[list[str]]]:
    document = Document(io.BytesIO(content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    return text, cells


def test_the_french_report_writes_numbers_dates_and_names_in_french(client: TestClient) -> None:
    _, english_cells = _docx_text(client.get(f"{PATH}/report.docx").content)
    assert "480,000.00 USD" in str(english_cells)
    assert "Mexico" in str(english_cells)
    # English: the title and unit the United Kingdom gave
    english_victims = next(" | ".join(r) for r in english_cells if r[0].startswith("16.2.2"))
    assert english_victims.startswith("16.2.2 Victims of modern slavery in the UK | ")
    assert "Number — 2009: 303; " in english_victims
    french = client.get(f"{PATH}/report.docx", headers={"Accept-Language": "fr"})
    text, cells = _docx_text(french.content)
    rows = [" | ".join(row) for row in cells]
    # amounts and figures as the narrative writes them, never with English separators
    assert any("480\u202f000,00 USD" in row for row in rows), rows
    assert not any("480,000.00" in row for row in rows)
    victims = next(row for row in rows if row.startswith("16.2.2"))
    assert "1\u202f256" in victims
    assert "1,256" not in victims
    # the UK measures a national proxy of 16.2.2 (victims counted, not per 100,000 population):
    # its own title is kept, never replaced by the global indicator's; its unit in French
    assert victims.startswith("16.2.2 Victims of modern slavery in the UK")
    assert "pour 100 000" not in victims
    assert "Nombre — 2009\u202f: 303\u202f; " in victims
    assert "Number —" not in victims
    # countries named in French, not by code nor in English
    assert "Royaume-Uni de Grande-Bretagne et d'Irlande du Nord" in victims
    assert "GBR" not in " ".join(row.split(" | ")[1] for row in rows if " | " in row)
    assert "Mexique" in str(rows)
    # who reported to the forum of 2022; the report itself stays as written
    forum = client.get(
        "/review/cycles/imrf-2022-review/report.docx", headers={"Accept-Language": "fr"}
    )
    reported, _ = _docx_text(forum.content)
    assert "Mexique, objectif 6" in reported
    assert "Mexico, " not in reported
    # the day written out, not abbreviated
    assert "Établi le " in text
    assert "déc." not in text
    # a missing indicator named by its title in French, not by its code only
    assert "Pas de données dans ce champ pour 10.7.1 Dépenses de recrutement" in text


def test_the_arabic_report_names_countries_in_arabic(client: TestClient) -> None:
    arabic = client.get(f"{PATH}/report.docx", headers={"Accept-Language": "ar"})
    text, cells = _docx_text(arabic.content)
    assert "المكسيك" in str(cells)
    assert "الفلبين" in text
    assert "؛ " in next(" ".join(row) for row in cells if row[0].startswith("16.2.2"))


def test_the_report_page_names_countries_in_the_readers_language(client: TestClient) -> None:
    page = client.get(PATH, headers={"Accept-Language": "fr"}).text
    assert "<td>Royaume-Uni de Grande-Bretagne et d&#39;Irlande du Nord</td>" in page
    assert "<td>GBR</td>" not in page
    assert "10.7.1 Dépenses de recrutement" in page
    # a national proxy keeps the country's own title (marked English), its unit in French
    victims = page.split("<td>16.2.2 ", 1)[1].split("</tr>", 1)[0]
    assert "Victims of modern slavery in the UK</small>" in victims
    assert 'lang="en"' in victims.split("Victims", 1)[0]
    assert "Nombre de victimes" not in victims
    assert "Nombre — 2009\u202f: 303" in victims


def test_a_report_with_nothing_pledged_says_there_is_none(
    client: TestClient, session: Session
) -> None:
    cycle(session, slug="gbr-2026", scope="national", region="GBR")
    for language, none in (
        ("en", "no pledges yet"),
        ("fr", "aucun engagement pour l'instant"),
        ("ar", "لا توجد تعهدات بعد"),
    ):
        docx = client.get(
            "/review/cycles/gbr-2026/report.docx", headers={"Accept-Language": language}
        )
        text, _ = _docx_text(docx.content)
        assert none in text, text
        for nothing in ("0 pledges", "0 States", "0 engagement", "0 État", "0 partie", "0 تعهد"):
            assert nothing not in text


@pytest.mark.parametrize(
    ("language", "day", "days", "number"),
    [
        ("en", "7 December 2026", "5–8 May 2026", "1,256"),
        ("fr", "7 décembre 2026", "5–8 mai 2026", "1\u202f256"),
        ("es", "7 de diciembre de 2026", "5–8 de mayo de 2026", "1.256"),
        ("ar", "7 ديسمبر 2026", "5–8 مايو 2026", "1,256"),
        ("zh", "2026年12月7日", "2026年5月5日–8日", "1,256"),
    ],
)
def test_papers_write_days_and_numbers_as_each_language_does(
    language: str, day: str, days: str, number: str
) -> None:
    assert written_day(dt.date(2026, 12, 7), language) == day
    assert written_days(dt.date(2026, 5, 5), dt.date(2026, 5, 8), language) == days
    assert written_number(1256.0, language) == number
    assert written_days(dt.date(2026, 5, 5), dt.date(2026, 6, 2), "en") == "5 May – 2 June 2026"

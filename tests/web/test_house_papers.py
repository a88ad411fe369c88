"""Every Word paper in the house style, in its own language and direction: the Chair's summary, a
review cycle's report and a thread's "where did our inputs go?" on A4 with their title in the header
and page numbers in the footer, declaring their language to Word (`w:lang`), Chinese with a
Chinese font, and Arabic laid out from the right while English quoted in it keeps its own way."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx import Document
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from stocktake.accounts.services import get_user, issue_token, principal_for
from stocktake.cli import app
from stocktake.core.paper import LOCALES
from stocktake.web.languages import LANGUAGE_COOKIE

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
LATIN = {"en": "en-GB", "fr": "fr-FR", "es": "es-ES", "ru": "ru-RU", "ar": "en-GB", "zh": "en-GB"}
"""The language each paper declares for its Latin (and Cyrillic) letters: the English quoted in an
Arabic or Chinese paper is checked as English."""


@dataclass(frozen=True)
class Setup:
    width_mm: int
    height_mm: int
    header: str
    page_numbers: bool
    lang: dict[str, str]
    east_asian_font: set[str]
    paragraphs: int
    bidi: int
    left_to_right: int  # paragraphs not marked w:bidi that are not wholly in Latin letters
    runs: int
    rtl: int
    tables: int
    bidi_tables: int
    english: int  # runs wholly in Latin letters
    english_rtl: int  # of them, those marked right to left


def _has(element: Any, path: str) -> bool:
    return element.find(path.replace("w:", f"{{{W}}}")) is not None


def _latin(element: Any) -> bool:
    text = "".join(t.text or "" for t in element.iter(f"{{{W}}}t"))
    return bool(re.search("[A-Za-z]", text)) and not re.search("[\u0600-\u06ff]", text)


def setup_of(content: bytes) -> Setup:
    """What a DOCX says of its page, header, footer, language and direction."""
    document = Document(io.BytesIO(content))
    section = document.sections[0]
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        styles = package.read("word/styles.xml").decode()
    lang = re.search(r"<w:rPrDefault>.*?<w:lang ([^>]*)/>", styles)
    assert lang is not None
    body = document.element.body
    paragraphs = list(body.iter(f"{{{W}}}p"))
    runs = list(body.iter(f"{{{W}}}r"))
    tables = list(body.iter(f"{{{W}}}tbl"))
    english = [r for r in runs if _latin(r)]
    return Setup(
        width_mm=round(section.page_width.mm),
        height_mm=round(section.page_height.mm),
        header=" ".join(p.text for p in section.header.paragraphs),
        page_numbers=" PAGE " in section.footer._element.xml,
        lang=dict(re.findall(r'w:(\w+)="([^"]*)"', lang.group(1))),
        east_asian_font=set(re.findall(r'<w:rFonts [^>]*w:eastAsia="([^"]*)"', styles)),
        paragraphs=len(paragraphs),
        bidi=sum(_has(p, "w:pPr/w:bidi") for p in paragraphs),
        left_to_right=sum(not _has(p, "w:pPr/w:bidi") and not _latin(p) for p in paragraphs),
        runs=len(runs),
        rtl=sum(_has(r, "w:rPr/w:rtl") for r in runs),
        tables=len(tables),
        bidi_tables=sum(_has(t, "w:tblPr/w:bidiVisual") for t in tables),
        english=len(english),
        english_rtl=sum(_has(r, "w:rPr/w:rtl") for r in english),
    )


def assert_in_language(setup: Setup, language: str) -> None:
    assert setup.lang == {"val": LATIN[language], "eastAsia": "zh-CN", "bidi": "ar-SA"}
    if language == "zh":
        assert setup.east_asian_font == {"SimSun"}
    if language == "ar":
        assert setup.bidi > 0
        assert setup.left_to_right == 0  # only paragraphs wholly in English read from the left
        assert setup.rtl > 0
        assert setup.bidi_tables == setup.tables
        assert setup.english_rtl == 0
    else:
        assert setup.bidi == setup.rtl == setup.bidi_tables == 0


GCM = "Global Compact for Safe, Orderly and Regular Migration"


def assert_described(content: bytes, title: str, language: str, author: str = GCM) -> None:
    """The file's properties name the paper: its title, the process as its author (never
    python-docx), its language and a moment of today."""
    properties = Document(io.BytesIO(content)).core_properties
    assert properties.title == title
    assert properties.author == properties.last_modified_by == author
    assert properties.comments == ""
    assert properties.language == LOCALES[language]
    assert properties.created is not None
    made = properties.created.replace(tzinfo=dt.UTC)
    assert abs(dt.datetime.now(dt.UTC) - made) < dt.timedelta(hours=1)


def _bearer(session: Session) -> dict[str, str]:
    user = get_user(session, "secretariat@gcm.example")
    return {"Authorization": f"Bearer {issue_token(session, user, by=principal_for(user))}"}


def test_the_chairs_summary_in_each_language_is_an_a4_paper_in_that_language(
    client: TestClient, session: Session
) -> None:
    headers = _bearer(session)
    for language in ("en", "fr", "es", "ar", "ru", "zh"):
        made = client.post("/api/v1/summaries", json={"language": language}, headers=headers)
        assert made.status_code == 201, made.text
        summary = made.json()
        docx = client.get(
            f"/api/v1/summaries/{summary['id']}/export", params={"format": "docx"}, headers=headers
        )
        assert docx.status_code == 200
        setup = setup_of(docx.content)
        assert (setup.width_mm, setup.height_mm) == (210, 297)
        assert setup.header == summary["title"]
        assert_described(docx.content, summary["title"], language)
        assert setup.page_numbers
        assert_in_language(setup, language)
        if language == "ar":  # an English quotation stays apart from the Arabic around it
            markdown = "# ملخص\n\nقال أحد الممثلين «a safe and orderly migration» في الجلسة.\n"
            saved = client.post(
                f"/api/v1/summaries/{summary['id']}/versions",
                json={"markdown": markdown},
                headers=headers,
            )
            assert saved.status_code == 201, saved.text
            docx = client.get(
                f"/api/v1/summaries/{summary['id']}/export",
                params={"format": "docx"},
                headers=headers,
            )
            quoted = Document(io.BytesIO(docx.content)).paragraphs[1].runs
            assert [run.text for run in quoted] == [
                "قال أحد الممثلين «",
                "a safe and orderly migration",
                "» في الجلسة.",
            ]
            rtl = [run._r.find(f"{{{W}}}rPr/{{{W}}}rtl") is not None for run in quoted]
            assert rtl == [True, False, True]


def test_the_review_report_in_each_language_is_an_a4_paper_in_that_language(
    client: TestClient,
) -> None:
    path = "/review/cycles/imrf-2022-review/report.docx"
    for language in ("en", "fr", "es", "ar", "ru", "zh"):
        client.cookies.set(LANGUAGE_COOKIE, language)
        content = client.get(path).content
        setup = setup_of(content)
        assert (setup.width_mm, setup.height_mm) == (210, 297)
        assert setup.header == "International Migration Review Forum 2022"
        opening = Document(io.BytesIO(content)).paragraphs[0].text
        assert_described(content, opening, language)
        assert setup.page_numbers
        assert setup.tables >= 3
        assert_in_language(setup, language)


def test_the_review_report_written_by_the_command_in_arabic_reads_from_the_right(
    cli_db: str, tmp_path: Path
) -> None:
    target = tmp_path / "report.docx"
    env = {"STOCKTAKE_DATABASE_URL": cli_db, "STOCKTAKE_LANGUAGE": "ar"}
    written = CliRunner().invoke(
        app, ["review", "report", "imrf-2026-review", "--out", str(target)], env=env
    )
    assert written.exit_code == 0, written.output
    setup = setup_of(target.read_bytes())
    assert (setup.width_mm, setup.page_numbers) == (210, True)
    assert_in_language(setup, "ar")


def test_where_the_inputs_went_is_a4_across_in_the_readers_language(client: TestClient) -> None:
    for language in ("fr", "ar", "zh"):
        client.cookies.set(LANGUAGE_COOKIE, language)
        content = client.get("/actors/MEX/inputs/export?format=docx").content
        setup = setup_of(content)
        assert (setup.width_mm, setup.height_mm) == (297, 210)
        assert setup.header
        assert_described(content, setup.header, language)
        assert setup.page_numbers
        assert_in_language(setup, language)

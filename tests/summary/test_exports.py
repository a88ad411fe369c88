"""A summary's exports in its own language, with links that work once the file is downloaded,
and its page in Arabic with the quotations written left to right isolated."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from stocktake.analysis.services import latest_run
from stocktake.core.permissions import Principal
from stocktake.process.services import get_process
from stocktake.summary.models import Summary
from stocktake.summary.services import generate_summary, publish_summary

SYSTEM = Principal.system()
SITE = "https://stocktake.example.org"


def _published(session: Session, language: str) -> Summary:
    process = get_process(session)
    run = latest_run(session, process)
    assert run is not None
    summary = generate_summary(session, process, run, language=language, by=SYSTEM)
    publish_summary(session, summary, 1, by=SYSTEM, despite_warnings=True)
    return summary


@pytest.mark.parametrize(
    ("language", "direction", "annex"),
    [
        ("fr", "ltr", "Annexe : contributions à l'origine de chaque déclaration"),
        ("ar", "rtl", "المرفق: المساهمات التي تستند إليها كل عبارة"),
    ],
)
def test_the_exports_are_in_the_summarys_language_and_link_to_the_site(
    client: TestClient,
    session: Session,
    monkeypatch: pytest.MonkeyPatch,
    language: str,
    direction: str,
    annex: str,
) -> None:
    monkeypatch.setenv("STOCKTAKE_PUBLIC_URL", SITE + "/")
    summary = _published(session, language)
    path = f"/summary/{summary.id}/export?format="
    html = client.get(path + "html").text
    assert f'<html lang="{language}" dir="{direction}">' in html
    links = re.findall(r'href="([^"]+)"', html)
    assert links
    assert all(link.startswith(f"{SITE}/") for link in links), links
    markdown = client.get(path + "md").text
    assert f"]({SITE}/summary/{summary.id}/sources/1)" in markdown
    assert "](/" not in markdown
    rows = client.get(path + "csv").text.splitlines()[1:]
    assert rows
    assert all(f",{SITE}/inputs/" in row for row in rows)
    docx = Document(io.BytesIO(client.get(path + "docx").content))
    headings = [p.text for p in docx.paragraphs if p.style.name.startswith("Heading")]
    assert headings[-1] == annex
    assert "Annex: inputs behind each statement" not in headings


def test_english_quoted_on_the_arabic_page_is_isolated_and_the_arabic_counts_agree(
    client: TestClient, session: Session
) -> None:
    summary = _published(session, "ar")
    page = client.get(f"/summary/{summary.id}").text
    quoted = re.findall(r'«<bdi dir="ltr">([^<]+)</bdi>»', page)
    assert quoted  # the English proposals quoted in the Arabic text
    assert all(not re.search(r"[\u0600-\u06ff]", text) for text in quoted)
    # an Arabic quotation stays as it is
    assert re.search(r"«[\u0600-\u06ff][^<»]*»", page)
    # the counted nouns follow "من" and the plural, whatever the number: no "500 مشاركا"
    assert "مشاركا" not in page
    assert re.search(r"\d من المشاركين", page)
    html = client.get(f"/summary/{summary.id}/export?format=html").text
    assert '«<bdi dir="ltr">' in html

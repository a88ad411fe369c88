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
from tests.conftest import sign_in

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


RELATED = re.compile(
    r"(?:Related proposals|Propositions connexes) ?: (.+?) (?:Supported by|Avec l’appui)"
)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_related_proposal_is_quoted_whole_on_the_page_and_on_paper(
    client: TestClient, session: Session, language: str
) -> None:
    summary = _published(session, language)
    page = client.get(f"/summary/{summary.id}")
    assert page.status_code == 200
    text = re.sub(r"<[^>]+>", "", page.text)
    docx = Document(io.BytesIO(client.get(f"/summary/{summary.id}/export?format=docx").content))
    paper = "\n".join(p.text for p in docx.paragraphs)
    whole = (
        "Each state should report voluntarily on its implementation, with national indicators "
        "and the participation of civil society."
    )
    for read in (text, paper):
        related = RELATED.findall(read)
        assert related, read[:500]
        assert not [r for r in related if "…" in r], related  # never cut mid-clause
        assert whole in read


def test_the_paper_links_each_statement_to_its_inputs_and_its_quote_to_its_input(
    client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STOCKTAKE_PUBLIC_URL", SITE + "/")
    summary = _published(session, "fr")
    docx = Document(io.BytesIO(client.get(f"/summary/{summary.id}/export?format=docx").content))
    entry = next(p for p in docx.paragraphs if p.text.startswith("S1 "))
    links = {link.text: link.address for link in entry.hyperlinks}
    assert links["Les contributions correspondantes"] == f"{SITE}/summary/{summary.id}/sources/1"
    quoted = [address for text, address in links.items() if text.startswith("DEMO-")]
    assert quoted
    assert quoted[0].startswith(f"{SITE}/inputs/")
    # the statement's own reference in the body leads to the same page
    body = [link.address for p in docx.paragraphs for link in p.hyperlinks if link.text == "S1"]
    assert body == [f"{SITE}/summary/{summary.id}/sources/1"]
    # the public reaches that page
    assert client.get(f"/summary/{summary.id}/sources/1").status_code == 200


MEETING = {
    "en": "The Preparatory (stocktaking) meeting, held in Puerto Vallarta on 4–6 December 2017,",
    "fr": "La réunion de bilan, tenue à Puerto Vallarta (4–6 décembre 2017),",
    "es": "La reunión de balance, celebrada en Puerto Vallarta (",
    "ru": "Совещание по подведению итогов, состоявшееся в Puerto Vallarta (",
    "ar": "جمع اجتماع التقييم، المعقود في Puerto Vallarta (",
    "zh": "在Puerto Vallarta举行的盘点会议（",
}
MEETING_WORD = {
    "en": "meeting",
    "fr": "réunion",
    "es": "reunión",
    "ru": "совещани",
    "ar": "اجتماع",
    "zh": "会议",
}


@pytest.mark.parametrize("language", list(MEETING))
def test_the_participation_sentence_names_the_meeting_once(
    client: TestClient, session: Session, language: str
) -> None:
    summary = _published(session, language)
    page = client.get(f"/summary/{summary.id}").text
    found = re.search(r"<p>([^<]*136[^<]*)</p>", page)
    assert found, page[:2000]
    sentence = found[1]
    assert MEETING[language] in sentence
    assert sentence.casefold().count(MEETING_WORD[language]) == 1, sentence


def test_the_version_table_reads_in_the_page_language(client: TestClient, session: Session) -> None:
    summary = _published(session, "fr")  # drafted by the system: its note is "generated"
    client.cookies.set("stocktake_language", "fr")
    sign_in(client, "secretariat@gcm.example")
    page = client.get(f"/summary/{summary.id}").text
    versions = page.split('id="versions-h"', 1)[1].split("</tbody>", 1)[0]
    assert "<td>système</td><td>générée</td>" in versions
    assert "generated" not in versions
    listed = client.get("/summary").text
    assert "par système" in listed

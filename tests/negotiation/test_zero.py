"""The zero draft started from a Chair's summary: its title, its objectives' headings and
paragraphs, the summary it starts from by default, and a draft renamed by page, API and CLI."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import pytest
from docx import Document
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from stocktake.analysis.services import latest_run
from stocktake.audit.events import AuditAction
from stocktake.audit.models import AuditEvent
from stocktake.cli import app
from stocktake.core.errors import PermissionDenied, ValidationFailed
from stocktake.core.permissions import Principal, Role
from stocktake.negotiation.exports import export_text
from stocktake.negotiation.models import Draft
from stocktake.negotiation.services import (
    draft_from_summary,
    issue_revision,
    rename_draft,
    working_nodes,
)
from stocktake.negotiation.services.news import revision_facts
from stocktake.negotiation.services.zero import heading_of, sentence, skeleton_from_summary
from stocktake.news.drafting import revision_issued
from stocktake.process.services import get_process
from stocktake.summary.models import Summary
from stocktake.summary.services import generate_summary, publish_summary
from tests.conftest import csrf_of
from tests.negotiation.test_web import token

SYSTEM = Principal.system()
GCM = "Global Compact for Safe, Orderly and Regular Migration"


def _summary(session: Session) -> Summary:
    summary = session.scalar(select(Summary).order_by(Summary.id))
    assert summary is not None
    return summary


@pytest.mark.parametrize(
    ("statement", "heading"),
    [
        (
            "Guarantee that every migrant child is registered at birth and holds a legal "
            "identity document",
            "Guarantee that every migrant child is registered at birth",
        ),
        (
            "Recognise the skills, qualifications and diplomas of migrants so that they can "
            "work in their profession",
            "Recognise the skills, qualifications and diplomas of migrants",
        ),
        (
            "Support diaspora organisations as partners in development through matching funds "
            "for community projects in countries of origin",
            "Support diaspora organisations as partners in development",
        ),
        (
            "Ensure that all migrants, regardless of status, have access to basic services, "
            "including health care and education, without fear of detection or deportation",
            "Ensure that all migrants, regardless of status, have access to basic services",
        ),
        ("Invest in language courses for newly arrived migrants.", "Invest in language courses "
         "for newly arrived migrants"),
        (
            # "to" opens an infinitive here, not a place: the heading stops before "and the means"
            "Give cities and local authorities a seat in migration governance and the means to "
            "deliver services to all residents, regardless of status",
            "Give cities and local authorities a seat in migration governance",
        ),
    ],
)  # fmt: skip
def test_a_heading_ends_at_a_clause_boundary(statement: str, heading: str) -> None:
    assert heading_of(statement) == heading


def test_a_paragraph_ends_with_the_full_stop_of_its_language() -> None:
    assert sentence("We commit to act", "en") == "We commit to act."
    assert sentence("We commit to act.", "en") == "We commit to act."
    assert sentence("确保所有移民获得基本服务", "zh") == "确保所有移民获得基本服务。"
    assert sentence("ضمان حصول جميع المهاجرين على الخدمات", "ar").endswith(".")
    assert heading_of("确保所有移民，无论其身份如何，都能获得基本服务，包括医疗和教育", "zh") == (
        "确保所有移民，无论其身份如何，都能获得基本服务"
    )


def test_the_objectives_read_whole(session: Session) -> None:
    parsed = skeleton_from_summary(_summary(session))
    headings = [e.text for e in parsed.elements if e.kind == "heading"]
    paragraphs = [e.text for e in parsed.elements if e.kind == "paragraph"]
    assert headings
    assert paragraphs
    dangling = {"a", "an", "the", "that", "can", "for", "to", "of", "community", "and"}
    assert not [h for h in headings if h.split()[-1].lower() in dangling]
    assert all(p.endswith(".") for p in paragraphs)


def test_the_zero_draft_bears_the_title_it_is_given(session: Session) -> None:
    process = get_process(session)
    summary = _summary(session)
    draft = draft_from_summary(session, process, summary.id, by=SYSTEM)
    assert draft.title == process.name == GCM
    assert draft.language == summary.language
    revision = issue_revision(session, draft, note="", by=SYSTEM)
    paper = Document(io.BytesIO(export_text(process, draft, revision, "docx").content))
    words = "\n".join(p.text for p in paper.paragraphs) + "\n".join(
        p.text for s in paper.sections for p in s.header.paragraphs
    )
    assert f"{GCM} (Zero draft)" in words
    assert words.count("Zero draft") == words.count(f"{GCM} (Zero draft)")
    _, body = revision_issued(revision_facts(draft, revision))["en"]
    assert body.startswith(f"The zero draft of “{GCM}” was released")
    named = draft_from_summary(
        session, process, summary.id, title="  Zero draft:  A  pact ", by=SYSTEM
    )
    assert named.title == "Zero draft: A pact"
    revision = issue_revision(session, named, note="", by=SYSTEM)
    _, body = revision_issued(revision_facts(named, revision))["en"]
    assert body.count("ero draft") == 1  # "The zero draft of “A pact”", not of “Zero draft: A pact”
    with pytest.raises(ValidationFailed, match="title"):
        draft_from_summary(session, process, summary.id, title="x" * 501, by=SYSTEM)


def test_a_draft_is_renamed_by_the_secretariat_only_and_on_the_record(session: Session) -> None:
    process = get_process(session)
    draft = draft_from_summary(session, process, _summary(session).id, by=SYSTEM)
    with pytest.raises(PermissionDenied):
        rename_draft(session, draft, "Mine", by=Principal(role=Role.DELEGATION_MEMBER, user_id=1))
    with pytest.raises(ValidationFailed):
        rename_draft(session, draft, "   ", by=SYSTEM)
    rename_draft(session, draft, "Global  Compact ", by=SYSTEM)
    assert session.get(Draft, draft.id).title == "Global Compact"  # type: ignore[union-attr]
    rename_draft(session, draft, "Global Compact", by=SYSTEM)  # so already: not recorded again
    events = session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == AuditAction.DRAFT_RENAMED, AuditEvent.target_key == str(draft.id)
        )
    ).all()
    assert [e.changes for e in events] == [{"title": [GCM, "Global Compact"]}]


def test_a_renamed_draft_leaves_its_issued_papers_as_circulated(
    session: Session, signed_in: Callable[[str], TestClient]
) -> None:
    process = get_process(session)
    draft = draft_from_summary(session, process, _summary(session).id, by=SYSTEM)
    zero = issue_revision(session, draft, note="", by=SYSTEM)
    rename_draft(session, draft, "Global Compact for Migration", by=SYSTEM)
    rev1 = issue_revision(session, draft, note="", by=SYSTEM)
    assert (zero.title, rev1.title) == (GCM, "Global Compact for Migration")
    for revision, title in ((zero, GCM), (rev1, "Global Compact for Migration")):
        paper = export_text(process, draft, revision, "docx").content
        assert Document(io.BytesIO(paper)).core_properties.title.startswith(title)
        akn = export_text(process, draft, revision, "akn").content.decode()
        assert f"{title} ({revision.label})" in akn or f">{title}<" in akn
    client = signed_in("secretariat@gcm.example")
    assert f"<h1>{GCM} " in client.get(f"/drafts/{draft.id}?revision=0").text
    assert "<h1>Global Compact for Migration " in client.get(f"/drafts/{draft.id}").text


def test_the_page_starts_from_the_published_summary_in_the_working_language(
    session: Session, signed_in: Callable[[str], TestClient]
) -> None:
    process = get_process(session)
    english = _summary(session)
    run = latest_run(session, process)
    assert run is not None
    french = generate_summary(session, process, run, language="fr", by=SYSTEM)
    publish_summary(session, english, english.current.number, by=SYSTEM, despite_warnings=True)
    client = signed_in("secretariat@gcm.example")
    page = client.get("/drafts").text
    options = dict(re.findall(r'<option value="(\d+)"( selected)?>', page))
    assert options[str(english.id)] == " selected"
    assert options[str(french.id)] == ""
    assert "English, version 1, published)" in page
    assert "Français, version 1, not published)" in page or "français, version 1, not" in page
    assert f'name="title" maxlength="500" required value="{GCM}"' in page
    made = client.post(
        "/drafts/from-summary",
        data={"csrf": csrf_of(client, "/drafts"), "summary": str(english.id), "title": "GCM"},
        follow_redirects=False,
    )
    assert made.status_code == 303
    draft_page = client.get(made.headers["location"]).text
    assert "<h1>GCM " in draft_page
    draft_id = int(made.headers["location"].rsplit("/", 1)[1])
    renamed = client.post(
        f"/drafts/{draft_id}/title",
        data={"csrf": csrf_of(client, f"/drafts/{draft_id}"), "title": "The GCM"},
        follow_redirects=True,
    )
    assert "<h1>The GCM " in renamed.text
    assert "The draft is now titled “The GCM”." in renamed.text


def test_the_api_starts_and_renames_a_draft(session: Session, client: TestClient) -> None:
    summary = _summary(session)
    staff = token(session, "secretariat@gcm.example")
    made = client.post(
        "/api/v1/drafts/from-summary", headers=staff, json={"summary": summary.id, "title": "A"}
    )
    assert made.status_code == 201, made.text
    assert made.json()["title"] == "A"
    draft = made.json()["id"]
    renamed = client.put(f"/api/v1/drafts/{draft}/title", headers=staff, json={"title": "B"})
    assert renamed.json()["title"] == "B"
    delegation = token(session, "mexico@gcm.example")
    refused = client.put(f"/api/v1/drafts/{draft}/title", headers=delegation, json={"title": "C"})
    assert refused.status_code == 403
    empty = client.put(f"/api/v1/drafts/{draft}/title", headers=staff, json={"title": ""})
    assert empty.status_code == 422
    text = client.get(f"/api/v1/drafts/{draft}", headers=staff).json()
    assert all(e["text"].endswith(".") for e in text["elements"] if e["kind"] == "paragraph")
    assert working_nodes(session.get(Draft, draft))  # type: ignore[arg-type]


def test_the_commands_start_with_a_title_and_rename(cli_db: str) -> None:
    runner = CliRunner()
    env = {"STOCKTAKE_DATABASE_URL": cli_db}

    def run(*args: str) -> str:
        result = runner.invoke(app, list(args), env=env)
        assert result.exit_code == 0, result.output
        return result.output

    started = run("drafts", "from-summary", "1", "--title", "Compact text")
    assert "Started 'Compact text'" in started
    draft = started.split("as draft ")[1].split(",")[0]
    assert f"Draft {draft} is now titled 'Final compact'" in run(
        "drafts", "rename", draft, "Final compact"
    )
    assert "Final compact" in run("drafts", "list")
    refused = runner.invoke(app, ["drafts", "rename", draft, " "], env=env)
    assert refused.exit_code != 0

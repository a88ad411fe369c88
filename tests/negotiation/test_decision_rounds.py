"""Decisions are listed by the round in which they are taken, not the round their amendment was
tabled for, which the list names when it differs; the decisions paper is dated and bears no
symbol of another paper."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from docx import Document
from fastapi.testclient import TestClient
from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from stocktake.accounts.services import issue_token
from stocktake.core.db import create_db_engine
from stocktake.core.migrate import upgrade
from stocktake.core.permissions import Role
from stocktake.negotiation.models import AmendmentStatus, Draft, NegotiationRound
from stocktake.negotiation.services import (
    AmendmentData,
    decide_amendment,
    issue_revision,
    propose_amendment,
    record_round,
)
from stocktake.negotiation.services.papers import PaperDetails, set_paper_details
from stocktake.negotiation.services.room import decisions_of
from tests.conftest import sign_in
from tests.databases import scratch_url
from tests.factories.accounts import account, signed_in
from tests.negotiation.conftest import SYSTEM, eid_of

TODAY = dt.datetime.now(dt.UTC).date()


def _rounds(session: Session, draft: Draft) -> tuple[NegotiationRound, NegotiationRound]:
    """A first round a month ago and a third round this week, both on the zero draft; an
    amendment tabled for the first and decided in the third, one tabled for the third and
    decided there, one tabled for the third still pending."""
    details = PaperDetails("A/CONF.231/3", "General", dt.date(2018, 2, 5), "A4", False)
    set_paper_details(session, draft, details, by=SYSTEM)
    issue_revision(session, draft, by=SYSTEM)
    month_ago = TODAY - dt.timedelta(days=30)
    first = record_round(
        session, draft, name="First round", start=month_ago, end=month_ago, revision=0, by=SYSTEM
    )
    early = propose_amendment(
        session,
        draft,
        AmendmentData(
            kind="replace",
            target=eid_of(draft, "1"),
            quoted="common",
            new_text="joint",
            sponsor="MEX",
        ),
        by=SYSTEM,
    )
    third = record_round(
        session,
        draft,
        name="Third round",
        start=TODAY,
        end=TODAY + dt.timedelta(days=2),
        revision=0,
        by=SYSTEM,
    )
    assert early.round_id == first.id
    tabled = [
        propose_amendment(
            session,
            draft,
            AmendmentData(kind="delete_paragraph", target=eid_of(draft, n), sponsor="MEX"),
            by=SYSTEM,
        )
        for n in ("3", "4")
    ]
    assert {a.round_id for a in tabled} == {third.id}
    decide_amendment(session, draft, early, AmendmentStatus.ACCEPTED, by=SYSTEM)
    decide_amendment(session, draft, tabled[0], AmendmentStatus.REJECTED, by=SYSTEM)
    return first, third


def test_a_decision_is_listed_in_the_round_it_was_taken_in(
    bare_session: Session, bare_draft: Draft
) -> None:
    first, third = _rounds(bare_session, bare_draft)
    listed = decisions_of(bare_session, bare_draft, third)
    assert [(d.label, d.decision, d.tabled_for) for d in listed.rows] == [
        ("A1", "accepted", "First round"),
        ("A2", "rejected", ""),
    ]
    assert listed.pending == 1  # A3, tabled for the third round
    earlier = decisions_of(bare_session, bare_draft, first)
    assert (earlier.rows, earlier.pending) == ([], 0)
    assert [d.label for d in decisions_of(bare_session, bare_draft, None).rows] == ["A1", "A2"]


def test_the_decisions_page_and_paper_say_which_round_an_amendment_was_tabled_for(
    bare_client: TestClient, bare_session: Session, bare_draft: Draft
) -> None:
    _, third = _rounds(bare_session, bare_draft)
    client = signed_in(bare_client, account(bare_session, Role.SECRETARIAT))
    page = client.get(f"/drafts/{bare_draft.id}/decisions?round={third.id}")
    assert page.status_code == 200
    assert "tabled for First round" in page.text
    assert page.text.count("tabled for") == 1
    docx = client.get(f"/drafts/{bare_draft.id}/decisions?round={third.id}&format=docx")
    document = Document(io.BytesIO(docx.content))
    cells = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert cells[1][0] == "A1 (tabled for First round)"
    assert cells[2][0] == "A2"
    header = "\n".join(p.text for p in document.sections[0].first_page_header.paragraphs)
    assert "A/CONF.231/3" not in header  # the zero draft's symbol: not this paper's
    assert "5 February 2018" not in header  # nor the zero draft's date
    assert f"{TODAY.day} {TODAY:%B %Y}" in header
    user = account(bare_session, Role.DELEGATION_MEMBER, actor_code="MEX")
    api = bare_client.get(
        f"/api/v1/drafts/{bare_draft.id}/decisions",
        params={"round": third.id},
        headers={"Authorization": f"Bearer {issue_token(bare_session, user, by=SYSTEM)}"},
    )
    assert [(d["amendment"], d["tabled_for"]) for d in api.json()["decisions"]] == [
        ("A1", "First round"),
        ("A2", ""),
    ]


def _process_and_drafts(connection: Connection, titles: dict[int, str]) -> dict[str, object]:
    """A process and drafts (id: title) written as an older schema holds them; the time stamps
    given them, for the rows a test adds."""
    now = dt.datetime(2018, 3, 1, tzinfo=dt.UTC)
    stamps: dict[str, object] = {"created_at": now, "updated_at": now}
    connection.execute(
        text(
            "INSERT INTO process (id, slug, name, short_name, mandate, description, "
            "definition, created_at, updated_at) VALUES (1, 'p', 'P', 'P', '', '', '{}', "
            ":created_at, :updated_at)"
        ),
        stamps,
    )
    for id_, title in titles.items():
        connection.execute(
            text(
                "INSERT INTO draft (id, process_id, title, language, source, origin, "
                "next_sequence, next_amendment, created_at, updated_at) VALUES "
                "(:id, 1, :title, 'en', '', '{}', 1, 1, :created_at, :updated_at)"
            ),
            {"id": id_, "title": title, **stamps},
        )
    return stamps


BEFORE = "9e4b1c7d2a55"
"""The last revision before the round a decision was taken in was kept."""


def test_migrating_finds_the_round_each_decision_was_taken_in(backend: str, tmp_path: Path) -> None:
    engine = create_db_engine(scratch_url("decided_round", tmp_path, backend))
    try:
        upgrade(engine, BEFORE)
        with engine.begin() as connection:
            stamps = _process_and_drafts(connection, {1: "D"})
            for id_, start, end in (
                (1, "2018-02-20", "2018-02-23"),
                (2, "2018-03-12", "2018-03-16"),
            ):
                connection.execute(
                    text(
                        "INSERT INTO negotiation_round (id, draft_id, name, start_date, end_date, "
                        "revision_number) VALUES (:id, 1, :name, :start, :end, 0)"
                    ),
                    {
                        "id": id_,
                        "name": f"Round {id_}",
                        "start": dt.date.fromisoformat(start),
                        "end": dt.date.fromisoformat(end),
                    },
                )
            decided = {
                1: dt.datetime(2018, 2, 21, 10, tzinfo=dt.UTC),  # during round 1
                2: dt.datetime(2018, 3, 14, 10, tzinfo=dt.UTC),  # during round 2
                3: dt.datetime(2018, 3, 1, 10, tzinfo=dt.UTC),  # between the rounds: round 1
                4: dt.datetime(2018, 2, 1, 10, tzinfo=dt.UTC),  # before any round: as tabled
                5: None,  # pending
            }
            for number, at in decided.items():
                connection.execute(
                    text(
                        "INSERT INTO amendment (id, draft_id, number, kind, target_eid, quoted, "
                        "occurrence, placement, new_text, new_kind, justification, status, "
                        "in_conflict, conflict_reason, proposed_by, version, round_id, "
                        "decided_at, created_at, updated_at) VALUES (:n, 1, :n, 'delete', "
                        "'para_1', 'x', 1, 'after', '', 'paragraph', '', :status, :no, '', '', 1, "
                        "1, :at, :created_at, :updated_at)"
                    ),
                    {
                        "n": number,
                        "status": "accepted" if at else "proposed",
                        "no": False,
                        "at": at,
                        **stamps,
                    },
                )
        upgrade(engine)
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT number, decided_round_id FROM amendment"))
            found = dict(rows.all())
        assert found == {1: 1, 2: 2, 3: 1, 4: 1, 5: None}
    finally:
        engine.dispose()


def test_the_demos_decisions_are_round_ones(client: TestClient) -> None:
    # decided by the demo before it records its rounds: still taken in the round they were tabled
    # for, so round 1's decisions list them and no "tabled for" note stands beside them
    sign_in(client, "secretariat@gcm.example")
    first = client.get("/drafts/1/decisions", params={"round": "1"})
    assert first.status_code == 200
    for label in ("A1", "A2", "A6", "A7"):
        assert f">{label}<" in first.text or f">{label} " in first.text, label
    assert "tabled for" not in client.get("/drafts/1/decisions").text


def test_migrating_gives_each_issued_revision_its_drafts_title(
    backend: str, tmp_path: Path
) -> None:
    engine = create_db_engine(scratch_url("revision_title", tmp_path, backend))
    try:
        upgrade(engine, "3c8d5e1f7a90")  # the last revision before a revision kept its title
        with engine.begin() as connection:
            stamps = _process_and_drafts(connection, {1: "Global Compact", 2: "Another text"})
            for id_ in (1, 2):
                connection.execute(
                    text(
                        "INSERT INTO draft_revision (draft_id, number, label, final, note, "
                        "issued_by, issued_at, elements, applied) VALUES (:id, 0, 'Zero draft', "
                        ":no, '', '', :created_at, '[]', '[]')"
                    ),
                    {"id": id_, "no": False, **stamps},
                )
        upgrade(engine)
        with engine.connect() as connection:
            found = dict(
                connection.execute(text("SELECT draft_id, title FROM draft_revision")).all()
            )
        assert found == {1: "Global Compact", 2: "Another text"}
        # and the issued revisions are refused any change again
        refused = pytest.raises(DBAPIError, match="issued revisions never change")
        with refused, engine.begin() as connection:
            connection.execute(text("UPDATE draft_revision SET title = 'x'"))
    finally:
        engine.dispose()

"""The thread on the demo data: a zero draft started from the clusters, amended by a delegation,
adopted, its frame loaded and a pledge made for it, shows each objective's whole thread; the
public follows only what is published; a removed paragraph and a withdrawn input say so."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from stocktake.accounts.models import User
from stocktake.accounts.services import principal_for
from stocktake.consultation.models import Input, InputStatus
from stocktake.consultation.services import withdraw_input
from stocktake.core.errors import NotFound
from stocktake.core.permissions import Principal
from stocktake.negotiation.models import AmendmentStatus, Draft
from stocktake.negotiation.services import (
    AmendmentData,
    decide_amendment,
    draft_from_summary,
    issue_revision,
    list_links,
    propose_amendment,
    publish_revision,
    working_nodes,
)
from stocktake.process.services import get_process
from stocktake.review.services.frame import load_frame_from_draft
from stocktake.review.services.mapping import PracticeData, publish, submit_practice
from stocktake.review.services.pledges import PledgeData, publish_pledge, submit_pledge
from stocktake.site.thread import objective_thread, paragraph_thread
from stocktake.summary.models import Summary

SYSTEM = Principal.system()
PUBLIC = Principal.public()


def user(session: Session, email: str) -> Principal:
    found = session.scalar(select(User).where(User.email == email))
    assert found is not None
    return principal_for(found)


@dataclass
class Adopted:
    draft: Draft
    commitment: str  # the eid of objective 1's commitment
    removed: str  # the eid of objective 2's commitment, deleted by Rev.1
    pledge: int


def adopt(session: Session) -> Adopted:
    """A zero draft from the summary, issued and published; Mexico amends objective 1's
    commitment and deletes objective 2's; both accepted; Rev.1 issued as the final text and
    published; the frame loaded from it; a published pledge for objective 1."""
    process = get_process(session)
    summary = session.scalar(select(Summary.id).order_by(Summary.id))
    assert summary is not None
    draft = draft_from_summary(session, process, summary, by=SYSTEM)
    nodes = working_nodes(draft)
    commitments = [n for n in nodes if n.kind == "paragraph"]
    first, second = commitments[0].eid, commitments[1].eid
    publish_revision(session, draft, issue_revision(session, draft, by=SYSTEM).number, by=SYSTEM)
    mexico = user(session, "mexico@gcm.example")
    changed = propose_amendment(
        session,
        draft,
        AmendmentData(
            kind="replace", target=first, quoted="We commit to", new_text="We resolve to"
        ),
        by=mexico,
    )
    deleted = propose_amendment(
        session, draft, AmendmentData(kind="delete_paragraph", target=second), by=mexico
    )
    for amendment in (changed, deleted):
        decide_amendment(session, draft, amendment, AmendmentStatus.ACCEPTED, by=SYSTEM)
    final = issue_revision(session, draft, final=True, note="Adopted", by=SYSTEM)
    publish_revision(session, draft, final.number, by=SYSTEM)
    load_frame_from_draft(session, process, draft.id, by=SYSTEM)
    pledge = submit_pledge(
        session,
        process,
        PledgeData(
            actor="MEX",
            title="Legal aid desks at every border post",
            description="Legal aid desks described at length. " * 10,
            kind="policy",
            level="national",
            objectives=[1],
            start_year=2024,
            end_year=2027,
        ),
        by=mexico,
    )
    publish_pledge(session, pledge, by=SYSTEM)
    practice = submit_practice(
        session,
        process,
        PracticeData(
            actor="MEX",
            title="One-stop legal aid at the border",
            description="A practice documented at length, with what came of it. " * 3,
            objectives=[1],
        ),
        by=mexico,
    )
    publish(session, practice, by=SYSTEM)
    return Adopted(draft, first, second, pledge.id)


@pytest.fixture
def adopted(session: Session) -> Adopted:
    return adopt(session)


def test_an_adopted_objective_shows_its_whole_thread(session: Session, adopted: Adopted) -> None:
    process = get_process(session)
    thread = objective_thread(session, process, 1, by=SYSTEM)
    assert thread.draft.id == adopted.draft.id
    assert thread.eid == adopted.commitment
    assert thread.text.startswith("We resolve to")
    # the inputs behind it, with their actors' regions, groups and categories
    links = list_links(session, adopted.draft, eid=adopted.commitment)
    assert links
    assert {v.link.id for v in thread.links} == {link.id for link in links}
    expected = {i for link in links for i in link.input_ids}
    assert {i.id for i in thread.inputs} == expected
    regions = thread.by("region")
    assert sum(regions.values()) == len(expected)
    assert sum(thread.by("regional_group").values()) == len(expected)
    # how its words changed, by which amendment of whom
    assert [(s.revision, s.change) for s in thread.steps] == [
        ("Zero draft", "new"),
        ("Final", "changed"),
    ]
    assert thread.steps[-1].amendments == ["A1"]
    assert [(a.label, a.sponsors, a.status) for a in thread.amendments] == [
        ("A1", ["MEX"], "accepted")
    ]
    assert [s.revision for s in thread.statuses] == ["Zero draft", "Final"]
    # on to the follow-up
    assert thread.objective is not None
    assert thread.objective.number == 1
    assert adopted.pledge in {p.id for p in thread.pledges}
    assert "One-stop legal aid at the border" in {p.title for p in thread.practices}


def test_a_deleted_paragraph_keeps_its_thread_and_says_when_it_went(
    session: Session, adopted: Adopted
) -> None:
    thread = paragraph_thread(
        session, get_process(session), adopted.draft.id, adopted.removed, by=SYSTEM
    )
    assert thread.gone is not None
    assert thread.gone.revision == "Final"
    assert [(a.label, a.kind, a.sponsors) for a in thread.amendments] == [
        ("A2", "delete_paragraph", ["MEX"])
    ]
    assert thread.links  # the inputs that fed it are still told
    assert thread.text.startswith("We commit to")  # its last words


def test_a_withdrawn_input_is_told_with_its_date(session: Session, adopted: Adopted) -> None:
    process = get_process(session)
    link = list_links(session, adopted.draft, eid=adopted.commitment)[0]
    record = session.scalars(
        select(Input).where(Input.id.in_(link.input_ids), Input.status == InputStatus.PUBLISHED)
    ).first()
    assert record is not None
    withdraw_input(session, record, reason="Sent twice", by=SYSTEM)
    view = next(
        v
        for v in paragraph_thread(
            session, process, adopted.draft.id, adopted.commitment, by=SYSTEM
        ).links
        if v.link.id == link.id
    )
    assert view.withdrawn >= 1
    assert view.withdrawn_last is not None
    public = next(
        v
        for v in paragraph_thread(
            session, process, adopted.draft.id, adopted.commitment, by=PUBLIC
        ).links
        if v.link.id == link.id
    )
    assert record.id not in {i.id for i in public.inputs}
    assert public.withdrawn == view.withdrawn


def test_the_public_follows_only_what_is_published(session: Session) -> None:
    process = get_process(session)
    summary = session.scalar(select(Summary.id).order_by(Summary.id))
    assert summary is not None
    draft = draft_from_summary(session, process, summary, by=SYSTEM)
    eid = next(n.eid for n in working_nodes(draft) if n.kind == "paragraph")
    with pytest.raises(NotFound):  # no revision published: the public does not see the draft
        paragraph_thread(session, process, draft.id, eid, by=PUBLIC)
    publish_revision(session, draft, issue_revision(session, draft, by=SYSTEM).number, by=SYSTEM)
    thread = paragraph_thread(session, process, draft.id, eid, by=PUBLIC)
    assert thread.inputs
    assert {i.status for i in thread.inputs} == {"published"}
    everything = paragraph_thread(session, process, draft.id, eid, by=SYSTEM)
    assert len(everything.inputs) >= len(thread.inputs)
    hidden = sum(v.hidden for v in thread.links)
    assert len(thread.inputs) + hidden >= len(everything.inputs)
    assert thread.suggested == []
    with pytest.raises(NotFound, match="para_999"):
        paragraph_thread(session, process, draft.id, "para_999", by=SYSTEM)


def test_the_thread_page_and_api(session: Session, client: TestClient, adopted: Adopted) -> None:
    page = client.get("/review/objectives/1/thread")
    assert page.status_code == 200
    assert "The thread of Objective 1" in page.text
    assert "Legal aid desks at every border post" in page.text
    assert "One-stop legal aid at the border" in page.text
    assert "A1: replace by MEX" in page.text
    assert "Suggest clusters" not in page.text  # the public does not link
    gone = client.get(f"/drafts/{adopted.draft.id}/paragraphs/{adopted.removed}/thread")
    assert "was removed in Final" in gone.text
    data = client.get("/api/v1/review/objectives/1/thread").json()
    assert data["objective"] == 1
    assert data["eid"] == adopted.commitment
    assert [s["change"] for s in data["steps"]] == ["new", "changed"]
    assert data["amendments"][0]["sponsors"] == ["MEX"]
    assert data["links"]
    assert all(i["status"] == "published" for v in data["links"] for i in v["inputs"])
    assert data["suggested"] == []
    assert client.get("/api/v1/review/objectives/999/thread").status_code == 404
    missing = client.get(f"/api/v1/drafts/{adopted.draft.id}/paragraphs/para_999/thread")
    assert missing.status_code == 404
    assert "para_999" in missing.text


def test_a_new_draft_s_objective_is_not_the_frame_s_until_the_frame_is_loaded_from_it(
    session: Session,
) -> None:
    """A zero draft's "Objective 1" names its own subject; the frame's objective 1 (the GCM's data
    objective) is another until the frame is loaded from this draft."""
    process = get_process(session)
    summary = session.scalar(select(Summary.id).order_by(Summary.id))
    assert summary is not None
    draft = draft_from_summary(session, process, summary, by=SYSTEM)
    first = next(n for n in working_nodes(draft) if n.kind == "paragraph")
    thread = paragraph_thread(session, process, draft.id, first.eid, by=SYSTEM)
    assert thread.objective is None
    assert thread.pledges == []
    issue_revision(session, draft, by=SYSTEM)
    load_frame_from_draft(session, process, draft.id, by=SYSTEM)
    thread = paragraph_thread(session, process, draft.id, first.eid, by=SYSTEM)
    assert thread.objective is not None
    assert thread.objective.number == 1

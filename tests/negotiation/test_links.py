"""The thread's links: made when a zero draft is started from the clusters, suggested by
similarity and confirmed or rejected, added and removed by hand, refused to whoever may not link
and for what does not exist; a removed cluster leaves its links saying when it went."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from stocktake.accounts.models import User
from stocktake.accounts.services import principal_for
from stocktake.analysis.models import AnalysisResult, AnalysisRun
from stocktake.analysis.services import merge_clusters
from stocktake.audit.models import AuditEvent
from stocktake.cli import app
from stocktake.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from stocktake.core.permissions import Principal
from stocktake.negotiation.models import Draft, LinkOrigin, LinkState, ThreadLink
from stocktake.negotiation.services import (
    confirm_link,
    draft_from_summary,
    link_cluster,
    list_links,
    reject_link,
    suggest_links,
    unlink,
    working_nodes,
)
from stocktake.process.services import get_process
from stocktake.summary.models import Summary
from tests.conftest import csrf_of
from tests.negotiation.test_web import token

SYSTEM = Principal.system()


def _zero_draft(session: Session) -> Draft:
    summary = session.scalar(select(Summary.id).order_by(Summary.id))
    assert summary is not None
    return draft_from_summary(session, get_process(session), summary, by=SYSTEM)


def _demo_draft(session: Session) -> Draft:
    draft = session.scalar(select(Draft).where(Draft.source == "gcm-zero-draft.md"))
    assert draft is not None
    return draft


def _para(draft: Draft, number: str = "5") -> str:
    """The identity of the demo draft's paragraph of that number."""
    return next(n.eid for n in working_nodes(draft) if n.kind == "paragraph" and n.number == number)


def _members(session: Session, run_id: int, number: int) -> list[int]:
    return sorted(
        session.scalars(
            select(AnalysisResult.input_id).where(
                AnalysisResult.run_id == run_id, AnalysisResult.cluster_number == number
            )
        )
    )


def _user(session: Session, email: str) -> Principal:
    user = session.scalar(select(User).where(User.email == email))
    assert user is not None
    return principal_for(user)


def test_a_zero_draft_from_the_summary_links_each_commitment_to_its_clusters(
    session: Session,
) -> None:
    draft = _zero_draft(session)
    summary = session.scalar(select(Summary).order_by(Summary.id))
    assert summary is not None
    assert summary.run_id is not None
    links = list_links(session, draft)
    commitments = [e for e in draft.elements if e.kind == "paragraph" and e.origin.get("inputs")]
    assert commitments
    assert {link.eid for link in links} == {e.eid for e in commitments}
    for link in links:
        assert link.state == LinkState.CONFIRMED
        assert link.origin == LinkOrigin.ZERO_DRAFT
        assert link.run_id == summary.run_id
        assert link.input_ids == _members(session, link.run_id, link.cluster_number)
        element = next(e for e in commitments if e.eid == link.eid)
        assert set(element.origin["inputs"]) & set(link.input_ids)
    assert session.scalar(
        select(AuditEvent).where(
            AuditEvent.action == "negotiation:thread:link", AuditEvent.target_key == str(draft.id)
        )
    )


def test_link_by_hand_then_remove_it_leaves_a_record(session: Session) -> None:
    process = get_process(session)
    draft = _demo_draft(session)
    para = _para(draft)
    link = link_cluster(session, process, draft, para, 3, note="migration data", by=SYSTEM)
    assert (link.state, link.origin, link.note) == ("confirmed", "manual", "migration data")
    with pytest.raises(Conflict, match=f"linked to {para} already"):
        link_cluster(session, process, draft, para, 3, by=SYSTEM)
    removed = unlink(session, draft, link.id, note="too broad", by=SYSTEM)
    assert removed.state == LinkState.REMOVED
    assert removed.decided_at is not None
    assert list_links(session, draft, eid=para, states=["removed"]) == [removed]
    again = link_cluster(session, process, draft, para, 3, by=SYSTEM)
    assert again.id == link.id
    assert again.state == LinkState.CONFIRMED
    actions = list(
        session.scalars(
            select(AuditEvent.action).where(
                AuditEvent.target_type == "thread_link", AuditEvent.target_key == str(link.id)
            )
        )
    )
    assert actions == [
        "negotiation:thread:link",
        "negotiation:thread:unlink",
        "negotiation:thread:link",
    ]


def test_bad_links_are_refused_naming_what_is_wrong(session: Session) -> None:
    process = get_process(session)
    draft = _demo_draft(session)
    para = _para(draft)
    with pytest.raises(NotFound, match="element 'para_999' does not exist"):
        link_cluster(session, process, draft, "para_999", 3, by=SYSTEM)
    with pytest.raises(NotFound, match="cluster 9999 does not exist"):
        link_cluster(session, process, draft, para, 9999, by=SYSTEM)
    with pytest.raises(NotFound, match="analysis run 424242"):
        link_cluster(session, process, draft, para, 3, run_id=424242, by=SYSTEM)
    heading = next(e for e in draft.elements if e.kind == "heading")
    with pytest.raises(ValidationFailed, match="is a heading"):
        link_cluster(session, process, draft, heading.eid, 3, by=SYSTEM)
    for email in ("mexico@gcm.example", "stakeholder@gcm.example"):
        with pytest.raises(PermissionDenied, match="negotiation:thread:link"):
            link_cluster(session, process, draft, para, 3, by=_user(session, email))
    with pytest.raises(PermissionDenied):
        suggest_links(session, process, draft, by=Principal.public())
    assert list_links(session, draft) == []


def test_suggestions_are_confirmed_or_rejected_and_never_suggested_twice(
    session: Session,
) -> None:
    process = get_process(session)
    draft = _demo_draft(session)
    made = suggest_links(session, process, draft, backend="tfidf", by=SYSTEM)
    assert made
    assert all(link.state == "suggested" and link.score is not None for link in made)
    assert all(link.origin == "similarity" and link.decided_by == "" for link in made)
    first, second = made[0], made[1]
    assert confirm_link(session, draft, first.id, by=SYSTEM).state == "confirmed"
    assert reject_link(session, draft, second.id, note="off topic", by=SYSTEM).state == "rejected"
    with pytest.raises(Conflict, match="is rejected"):
        confirm_link(session, draft, second.id, by=SYSTEM)
    with pytest.raises(Conflict, match="is confirmed"):
        reject_link(session, draft, first.id, by=SYSTEM)
    with pytest.raises(NotFound, match="link 987654"):
        confirm_link(session, draft, 987654, by=SYSTEM)
    again = suggest_links(session, process, draft, backend="tfidf", by=SYSTEM)
    pairs = {(link.eid, link.cluster_number) for link in again}
    assert (second.eid, second.cluster_number) not in pairs
    assert first.eid not in {link.eid for link in again}  # it has a link now


def test_a_cluster_merged_away_leaves_its_link_saying_when(session: Session) -> None:
    process = get_process(session)
    draft = _demo_draft(session)
    link = link_cluster(session, process, draft, _para(draft), 4, by=SYSTEM)
    members = list(link.input_ids)
    run = session.get(AnalysisRun, link.run_id)
    assert run is not None
    merge_clusters(session, run, [3, 4], "Merged", by=SYSTEM)
    session.expire_all()
    kept = session.get(ThreadLink, link.id)
    assert kept is not None
    assert kept.cluster_id is None
    assert kept.cluster_removed_at is not None
    assert kept.input_ids == members
    assert kept.state == "confirmed"


# --- HTTP ---------------------------------------------------------------------------------


def test_the_api_links_for_the_secretariat_only(session: Session, client: TestClient) -> None:
    draft = _demo_draft(session)
    para = _para(draft)
    staff = token(session, "secretariat@gcm.example")
    made = client.post(
        headers=staff, url=f"/api/v1/drafts/{draft.id}/links", json={"eid": para, "cluster": 3}
    )
    assert made.status_code == 201, made.text
    body = made.json()
    assert (body["eid"], body["cluster"], body["state"]) == (para, 3, "confirmed")
    missing = client.post(
        headers=staff,
        url=f"/api/v1/drafts/{draft.id}/links",
        json={"eid": "para_999", "cluster": 3},
    )
    assert missing.status_code == 404
    assert "para_999" in missing.text
    no_cluster = client.post(
        headers=staff, url=f"/api/v1/drafts/{draft.id}/links", json={"eid": para, "cluster": 9999}
    )
    assert no_cluster.status_code == 404
    assert "cluster 9999" in no_cluster.text
    no_draft = client.post(
        headers=staff, url="/api/v1/drafts/999999/links", json={"eid": para, "cluster": 3}
    )
    assert no_draft.status_code == 404
    twice = client.post(
        headers=staff, url=f"/api/v1/drafts/{draft.id}/links", json={"eid": para, "cluster": 3}
    )
    assert twice.status_code == 409
    suggested = client.post(
        headers=staff, url=f"/api/v1/drafts/{draft.id}/links/suggest", json={"vectors": "tfidf"}
    )
    assert suggested.status_code == 200
    assert suggested.json()
    first = suggested.json()[0]
    confirmed = client.post(
        headers=staff, url=f"/api/v1/drafts/{draft.id}/links/{first['id']}/confirm", json={}
    )
    assert confirmed.json()["state"] == "confirmed"
    removed = client.post(
        headers=staff,
        url=f"/api/v1/drafts/{draft.id}/links/{body['id']}/unlink",
        json={"note": "wrong"},
    )
    assert (removed.json()["state"], removed.json()["note"]) == ("removed", "wrong")
    listed = client.get(headers=staff, url=f"/api/v1/drafts/{draft.id}/links").json()
    assert {link["state"] for link in listed} >= {"removed", "confirmed", "suggested"}
    one = client.get(headers=staff, url=f"/api/v1/drafts/{draft.id}/links?eid={para}").json()
    assert one
    assert {link["eid"] for link in one} == {para}
    # a paragraph the draft never had is not an empty list of links: it is not found
    unknown = client.get(headers=staff, url=f"/api/v1/drafts/{draft.id}/links?eid=para_999")
    assert unknown.status_code == 404
    assert "para_999" in unknown.text
    delegation = token(session, "mexico@gcm.example")
    refused = client.post(
        headers=delegation, url=f"/api/v1/drafts/{draft.id}/links", json={"eid": para, "cluster": 3}
    )
    assert refused.status_code == 403
    assert "negotiation:thread:link" in refused.text
    # the public sees no suggestion, and no input that is not published
    public = client.get(f"/api/v1/drafts/{draft.id}/links").json()
    assert {link["state"] for link in public} <= {"confirmed", "removed"}
    assert client.get(f"/api/v1/drafts/{draft.id}/links?eid=para_999").status_code == 404
    assert client.post(
        f"/api/v1/drafts/{draft.id}/links/{first['id']}/reject", json={}
    ).status_code in (
        401,
        403,
    )


def test_the_thread_page_forms_link_and_confirm_with_a_notice(
    session: Session, signed_in: object
) -> None:
    draft = _demo_draft(session)
    para, other = _para(draft), _para(draft, "6")
    staff = signed_in("secretariat@gcm.example")  # type: ignore[operator]
    thread = f"/drafts/{draft.id}/paragraphs/{para}/thread"
    csrf = csrf_of(staff, thread)
    made = staff.post(
        f"/drafts/{draft.id}/links",
        data={"csrf": csrf, "eid": para, "cluster": "3"},
        follow_redirects=False,
    )
    assert made.status_code == 303
    assert made.headers["location"] == thread
    page = staff.get(thread).text
    assert "is linked to this paragraph" in page
    assert "Cluster 3:" in page
    suggest = staff.post(
        f"/drafts/{draft.id}/links/suggest",
        data={"csrf": csrf, "eid": other},
        follow_redirects=False,
    )
    assert suggest.status_code == 303
    link = session.scalar(select(ThreadLink).where(ThreadLink.eid == para))
    assert link is not None
    gone = staff.post(
        f"/drafts/{draft.id}/links/{link.id}/unlink",
        data={"csrf": csrf, "note": "no"},
        follow_redirects=False,
    )
    assert gone.status_code == 303
    assert "is removed" in staff.get(thread).text
    bad = staff.post(
        f"/drafts/{draft.id}/links/{link.id}/explode", data={"csrf": csrf}, follow_redirects=False
    )
    assert bad.status_code == 404


# --- CLI ----------------------------------------------------------------------------------


def test_the_commands_start_a_linked_zero_draft_and_manage_its_links(cli_db: str) -> None:
    runner = CliRunner()
    env = {"STOCKTAKE_DATABASE_URL": cli_db}

    def run(*args: str) -> str:
        result = runner.invoke(app, list(args), env=env)
        assert result.exit_code == 0, result.output
        return result.output

    started = run("drafts", "from-summary", "1")
    assert "linked to the clusters by" in started
    draft = started.split("as draft ")[1].split(",")[0]
    listed = run("drafts", "links", "list", draft)
    assert "zero_draft" in listed
    assert "confirmed" in listed
    first = listed.split()[0]
    assert "is removed" in run("drafts", "links", "remove", draft, first, "--note", "too broad")
    assert "Linked cluster 2 to para_3" in run("drafts", "links", "add", draft, "para_3", "2")
    refused = runner.invoke(app, ["drafts", "links", "add", draft, "para_999", "2"], env=env)
    assert refused.exit_code != 0
    assert "para_999" in refused.output


def test_the_secretariat_s_notes_on_links_stay_with_the_secretariat(
    session: Session, client: TestClient
) -> None:
    process = get_process(session)
    draft = _demo_draft(session)
    para = _para(draft)
    link = link_cluster(session, process, draft, para, 3, note="ask the Chair first", by=SYSTEM)
    unlink(session, draft, link.id, note="internal: too broad", by=SYSTEM)
    public = client.get(f"/api/v1/drafts/{draft.id}/links")
    assert public.status_code == 200
    assert "too broad" not in public.text
    assert "ask the Chair" not in public.text
    page = client.get(f"/drafts/{draft.id}/paragraphs/{para}/thread")
    assert "too broad" not in page.text
    secretariat = client.get(
        f"/api/v1/drafts/{draft.id}/links",
        headers=token(session, "secretariat@gcm.example"),
    )
    assert "internal: too broad" in secretariat.text

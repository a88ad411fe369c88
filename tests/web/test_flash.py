"""Every action says on the next page what it did, or why it did not."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from stocktake.consultation.models import Input
from stocktake.core.permissions import Role
from stocktake.meetings.models import Participant
from stocktake.meetings.services import get_meeting
from stocktake.summary.models import Summary
from tests.conftest import csrf_of, sign_in
from tests.factories.accounts import account, signed_in


def _flash(html: str) -> str:
    start = html.index('class="flash')
    return html[start : html.index("</div>", start)]


def test_a_delegation_sees_its_submission_and_draft_confirmed(
    bare_client: TestClient, bare_session: Session
) -> None:
    mexico = account(bare_session, Role.DELEGATION_MEMBER, actor_code="MEX")
    signed_in(bare_client, mexico)
    assert f"Signed in as {mexico.email}" in _flash(bare_client.get("/").text)
    csrf = csrf_of(bare_client, "/inputs/new")
    sent = bare_client.post(
        "/inputs/new", data={"csrf": csrf, "text": "Portable pensions for all."}
    )
    assert "submitted: the secretariat will review it" in _flash(sent.text)
    assert 'role="status"' in sent.text
    draft = bare_client.post(
        "/inputs/new", data={"csrf": csrf, "text": "A draft card.", "status": "draft"}
    )
    assert "Draft saved" in _flash(draft.text)
    again = bare_client.get(draft.url)
    assert 'class="flash' not in again.text  # shown once
    out = bare_client.post("/logout", data={"csrf": csrf_of(bare_client, "/")})
    assert "Signed out." in _flash(out.text)


def test_the_secretariat_sees_each_action_confirmed(client: TestClient, session: Session) -> None:
    sign_in(client, "secretariat@gcm.example")
    csrf = csrf_of(client, "/")
    waiting = session.scalar(select(Input).where(Input.status == "submitted").order_by(Input.id))
    assert waiting is not None
    label = waiting.external_id or str(waiting.id)
    published = client.post(f"/inputs/{waiting.id}/publish", data={"csrf": csrf})
    assert f"Input {label} published" in _flash(published.text)
    tagged = client.post(f"/inputs/{waiting.id}/tags", data={"csrf": csrf, "dimensions": ["human"]})
    assert f"Tags of input {label} saved" in _flash(tagged.text)
    withdrawn = client.post(
        f"/inputs/{waiting.id}/withdraw", data={"csrf": csrf, "reason": "Sent twice"}
    )
    assert f"Input {label} withdrawn" in _flash(withdrawn.text)
    meeting = get_meeting(session, "imrf-2022")
    registered = client.post(
        "/meetings/imrf-2022/registrations",
        data={"csrf": csrf, "actor": "BRA", "name": "Ana Souza"},
    )
    assert "Ana Souza is registered for Brazil" in _flash(registered.text)
    participant = session.scalar(
        select(Participant.id).where(
            Participant.meeting_id == meeting.id, Participant.attended.is_(False)
        )
    )
    attended = client.post(
        f"/meetings/imrf-2022/registrations/{participant}/attendance",
        data={"csrf": csrf, "attended": "yes"},
    )
    assert "Attendance recorded." in _flash(attended.text)
    renamed = client.post(
        "/analysis/clusters/0/rename", data={"csrf": csrf, "label": "Portable social security"}
    )
    assert "Cluster renamed “Portable social security”" in _flash(renamed.text)


def test_a_failed_action_says_why_on_the_page_it_came_from(
    client: TestClient, session: Session
) -> None:
    summary = session.scalar(select(Summary.id).order_by(Summary.id))
    sign_in(client, "secretariat@gcm.example")
    response = client.post(
        f"/summary/{summary}/publish",
        data={"csrf": csrf_of(client, "/"), "version": 99},
        headers={"Referer": f"http://testserver/summary/{summary}"},
    )
    assert str(response.url).endswith(f"/summary/{summary}")
    message = _flash(response.text)
    assert "flash-error" in message
    assert "summary version 99 does not exist" in message
    assert 'role="alert"' in message
    expired = client.post(
        f"/summary/{summary}/publish",
        data={"csrf": "stale", "version": 1},
        headers={"Referer": f"http://testserver/summary/{summary}"},
    )
    assert "the form had expired" in _flash(expired.text)
    elsewhere = client.post(
        f"/summary/{summary}/publish",
        data={"csrf": csrf_of(client, "/"), "version": 99},
        headers={"Referer": "https://evil.example/page"},
        follow_redirects=False,
    )
    assert elsewhere.status_code == 404  # no page of ours to go back to: an error page

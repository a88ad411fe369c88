"""A draft is edited and submitted by its author; an attachment is downloaded by whoever may read."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from stocktake.accounts.services import issue_token, principal_for
from stocktake.audit.models import AuditEvent
from stocktake.consultation.models import Input
from stocktake.consultation.services.attachments import content_disposition, safe_filename
from stocktake.core.permissions import Role
from tests.conftest import csrf_of
from tests.consultation.test_web import docx_bytes
from tests.factories.accounts import account, signed_in
from tests.factories.registry import organisation


def _new_id(response_url: object) -> int:
    match = re.search(r"/inputs/(\d+)$", str(response_url))
    assert match, response_url
    return int(match.group(1))


def test_a_delegation_edits_and_submits_its_draft_from_its_page(
    bare_client: TestClient, bare_session: Session
) -> None:
    signed_in(bare_client, account(bare_session, Role.DELEGATION_MEMBER, actor_code="MEX"))
    csrf = csrf_of(bare_client, "/inputs/new")
    saved = bare_client.post(
        "/inputs/new", data={"csrf": csrf, "text": "First words of a draft.", "status": "draft"}
    )
    input_id = _new_id(saved.url)
    assert f'href="/inputs/{input_id}/edit"' in saved.text
    assert f'action="/inputs/{input_id}/submit"' in saved.text
    form = bare_client.get(f"/inputs/{input_id}/edit")
    assert form.status_code == 200
    assert "First words of a draft." in form.text
    assert "Submit to the secretariat" in form.text
    edited = bare_client.post(
        f"/inputs/{input_id}/edit",
        data={"csrf": csrf, "text": "Better words of a draft.", "intent": "save"},
    )
    assert "Draft saved." in edited.text
    record = bare_session.get(Input, input_id)
    assert record is not None
    bare_session.refresh(record)
    assert (record.text, record.status) == ("Better words of a draft.", "draft")
    refused = bare_client.post(f"/inputs/{input_id}/edit", data={"csrf": csrf, "text": " "})
    assert refused.status_code == 422
    sent = bare_client.post(
        f"/inputs/{input_id}/edit",
        data={"csrf": csrf, "text": "Final words of a draft.", "intent": "submit"},
    )
    assert "Draft submitted: the secretariat will review it." in sent.text
    bare_session.refresh(record)
    assert (record.text, record.status) == ("Final words of a draft.", "submitted")
    assert record.submitted_at is not None
    assert bare_session.scalar(
        select(AuditEvent.summary).where(
            AuditEvent.target_key == str(input_id), AuditEvent.summary == "draft submitted"
        )
    )
    again = bare_client.post(f"/inputs/{input_id}/submit", data={"csrf": csrf})
    assert again.status_code == 409


def test_only_the_author_or_the_secretariat_edits_a_draft(
    bare_client: TestClient, bare_session: Session
) -> None:
    mexico = account(bare_session, Role.DELEGATION_MEMBER, actor_code="MEX")
    signed_in(bare_client, mexico)
    csrf = csrf_of(bare_client, "/inputs/new")
    saved = bare_client.post(
        "/inputs/new", data={"csrf": csrf, "text": "Mexico's draft.", "status": "draft"}
    )
    input_id = _new_id(saved.url)
    bare_client.post("/logout", data={"csrf": csrf_of(bare_client, "/")})
    signed_in(bare_client, account(bare_session, Role.DELEGATION_MEMBER, actor_code="PHL"))
    assert bare_client.get(f"/inputs/{input_id}/edit").status_code == 404
    bare_client.post("/logout", data={"csrf": csrf_of(bare_client, "/")})
    signed_in(bare_client, account(bare_session, Role.SECRETARIAT))
    csrf = csrf_of(bare_client, f"/inputs/{input_id}")
    assert bare_client.post(f"/inputs/{input_id}/submit", data={"csrf": csrf}).status_code == 200
    published = bare_client.post(f"/inputs/{input_id}/publish", data={"csrf": csrf})
    assert "published" in published.text
    bare_client.post("/logout", data={"csrf": csrf_of(bare_client, "/")})
    signed_in(bare_client, mexico)
    assert bare_client.get(f"/inputs/{input_id}/edit").status_code == 403  # published: no longer


def test_the_api_submits_a_draft(bare_client: TestClient, bare_session: Session) -> None:
    user = account(bare_session, Role.DELEGATION_MEMBER, actor_code="PHL")
    headers = {"Authorization": f"Bearer {issue_token(bare_session, user, by=principal_for(user))}"}
    draft = bare_client.post(
        "/api/v1/inputs", json={"text": "An API draft.", "status": "draft"}, headers=headers
    ).json()
    assert draft["status"] == "draft"
    sent = bare_client.post(f"/api/v1/inputs/{draft['id']}/submit", headers=headers)
    assert sent.status_code == 200
    assert sent.json()["status"] == "submitted"
    assert (
        bare_client.post(f"/api/v1/inputs/{draft['id']}/submit", headers=headers).status_code == 409
    )


def test_an_attachment_downloads_for_whoever_may_read_the_input(
    bare_client: TestClient, bare_session: Session
) -> None:
    content = docx_bytes("Cities need funding for reception.")
    secretariat = account(bare_session, Role.SECRETARIAT)
    signed_in(
        bare_client,
        account(bare_session, Role.STAKEHOLDER, actor_code=organisation(bare_session).code),
    )
    sent = bare_client.post(
        "/inputs/new",
        data={"csrf": csrf_of(bare_client, "/inputs/new"), "title": "Contribution"},
        files={"attachment": ("../../Notre contribution: été.docx", content, "text/html")},
    )
    input_id = _new_id(sent.url)
    assert f'href="/inputs/{input_id}/attachment"' in sent.text
    download = bare_client.get(f"/inputs/{input_id}/attachment")
    assert download.status_code == 200
    assert download.content == content
    assert download.headers["content-type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    disposition = download.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="Notre contribution_ ete.docx"')
    assert "filename*=UTF-8''Notre%20contribution%3A%20%C3%A9t%C3%A9.docx" in disposition
    assert download.headers["x-content-type-options"] == "nosniff"
    bare_client.post("/logout", data={"csrf": csrf_of(bare_client, "/")})
    assert bare_client.get(f"/inputs/{input_id}/attachment").status_code == 404  # not yet published
    assert bare_client.get(f"/api/v1/inputs/{input_id}/attachment").status_code == 404
    signed_in(bare_client, secretariat)
    bare_client.post(f"/inputs/{input_id}/publish", data={"csrf": csrf_of(bare_client, "/")})
    bare_client.post("/logout", data={"csrf": csrf_of(bare_client, "/")})
    public = bare_client.get(f"/inputs/{input_id}/attachment")
    assert public.status_code == 200
    assert public.content == content
    api = bare_client.get(f"/api/v1/inputs/{input_id}/attachment")
    assert api.content == content
    assert api.headers["content-disposition"] == disposition
    for answer in (download, public, api):  # no shared cache keeps a file, published or not
        assert answer.headers["cache-control"] == "private, no-store"
        assert answer.headers["x-content-type-options"] == "nosniff"


def test_file_names_are_made_safe() -> None:
    assert safe_filename("C:\\Users\\x\\report.pdf") == "report.pdf"
    assert safe_filename("../../etc/passwd") == "passwd"
    assert safe_filename("a\x00b\nc.txt") == "abc.txt"
    assert safe_filename("...") == "attachment"
    assert len(safe_filename("x" * 300 + ".pdf")) == 200
    assert safe_filename("x" * 300 + ".pdf").endswith(".pdf")
    header = content_disposition('evil"; filename="x.exe')
    assert header.count('"') == 2
    assert 'filename="evil_ filename_x.exe"' in header


def test_a_refused_withdrawal_goes_back_to_the_whole_input_page(
    bare_client: TestClient, bare_session: Session
) -> None:
    client = bare_client
    signed_in(
        client,
        account(bare_session, Role.STAKEHOLDER, actor_code=organisation(bare_session).code),
    )
    sent = client.post(
        "/inputs/new",
        data={"csrf": csrf_of(client, "/inputs/new"), "text": "A draft.", "status": "draft"},
        files={"attachment": ("notes.txt", b"Our notes on reception centres.", "text/plain")},
    )
    input_id = _new_id(sent.url)
    page = client.get(f"/inputs/{input_id}")
    refused = client.post(
        f"/inputs/{input_id}/withdraw", data={"csrf": csrf_of(client, "/"), "reason": " "}
    )
    assert refused.status_code == 422
    assert "a withdrawal needs a reason" in refused.text
    for part in (f'href="/inputs/{input_id}/attachment"', f'href="/inputs/{input_id}/edit"'):
        assert part in page.text
        assert part in refused.text  # the same page, with the reason it was refused


def test_the_draft_form_saves_by_default_and_keeps_references_as_written(
    bare_client: TestClient, bare_session: Session
) -> None:
    signed_in(bare_client, account(bare_session, Role.DELEGATION_MEMBER, actor_code="MEX"))
    csrf = csrf_of(bare_client, "/inputs/new")
    saved = bare_client.post(
        "/inputs/new",
        data={
            "csrf": csrf,
            "text": "Words of a draft with references.",
            "status": "draft",
            "references": "SDG 10.7; 8.8.1",
        },
    )
    input_id = _new_id(saved.url)
    form = bare_client.get(f"/inputs/{input_id}/edit").text
    # Enter sends the first button of a form: it saves, it never sends the draft
    first = re.search(r'<button type="submit" name="intent" value="(\w+)"', form)
    assert first is not None
    assert first.group(1) == "save"
    value = re.search(r'id="references" name="references" value="([^"]*)"', form)
    assert value is not None
    assert value.group(1) == "SDG 10.7; SDG 8.8.1"
    # the edit form has no file field, so its help does not promise one
    assert 'type="file"' not in form
    assert "attach a DOCX or PDF file below" not in form
    again = bare_client.post(
        f"/inputs/{input_id}/edit",
        data={
            "csrf": csrf,
            "text": "Words of a draft with references.",
            "references": value.group(1),
        },
    )
    assert "Draft saved." in again.text
    record = bare_session.get(Input, input_id)
    assert record is not None
    bare_session.refresh(record)
    assert record.status == "draft"
    assert sorted((r.scheme, r.code) for r in record.references) == [
        ("sdg", "10.7"),
        ("sdg", "8.8.1"),
    ]

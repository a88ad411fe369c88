"""Who issued a revision or proposed an amendment: the secretariat sees the user's e-mail, a
delegation and the public a neutral label (the secretariat, the sponsor), on pages and in the API."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from stocktake.accounts.services import issue_token, principal_for
from stocktake.core.permissions import Role
from stocktake.negotiation.models import CompilationReaders, Draft
from stocktake.negotiation.services import (
    AmendmentData,
    issue_revision,
    propose_amendment,
    publish_revision,
    set_compilation_readers,
)
from stocktake.process.services import get_process
from tests.factories.accounts import account, signed_in
from tests.negotiation.conftest import eid_of

STAFF = "staff.member@test.example"
DELEGATE = "delegate.mexico@test.example"


def _negotiated(session: Session, draft: Draft) -> None:
    staff = principal_for(account(session, Role.SECRETARIAT, email=STAFF))
    issue_revision(session, draft, by=staff)
    publish_revision(session, draft, 0, by=staff)
    set_compilation_readers(
        session, get_process(session), CompilationReaders.GOVERNMENTAL, by=staff
    )
    delegate = principal_for(
        account(session, Role.DELEGATION_MEMBER, actor_code="MEX", email=DELEGATE)
    )
    amendment = AmendmentData(
        kind="replace", target=eid_of(draft, "1"), quoted="common", new_text="shared"
    )
    propose_amendment(session, draft, amendment, by=delegate)


def _api_texts(client: TestClient, draft: Draft, token: str | None) -> str:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    paths = (
        "/api/v1/drafts",
        f"/api/v1/drafts/{draft.id}",
        f"/api/v1/drafts/{draft.id}/revisions/0",
        f"/api/v1/drafts/{draft.id}/amendments",
    )
    answers = [client.get(path, headers=headers) for path in paths]
    assert [a.status_code for a in answers[:3]] == [200, 200, 200]
    return "\n".join(a.text for a in answers)


def _pages(client: TestClient, draft: Draft) -> str:
    paths = (f"/drafts/{draft.id}/revisions", f"/drafts/{draft.id}/amendments/1")
    answers = [client.get(path) for path in paths]
    return "\n".join(a.text for a in answers)


def test_delegations_and_the_public_see_no_other_users_e_mail(
    bare_session: Session, bare_client: TestClient, bare_draft: Draft
) -> None:
    _negotiated(bare_session, bare_draft)
    other = account(bare_session, Role.DELEGATION_MEMBER, actor_code="PHL")
    token = issue_token(bare_session, other, by=principal_for(other))
    for seen in (_api_texts(bare_client, bare_draft, None), _pages(bare_client, bare_draft)):
        assert STAFF not in seen
        assert DELEGATE not in seen
    api = _api_texts(bare_client, bare_draft, token)
    assert '"issued_by":"the secretariat"' in api
    pages = _pages(signed_in(bare_client, other), bare_draft)
    assert "the secretariat" in pages
    assert "Mexico" in pages or "MEX" in pages
    for seen in (api, pages):
        assert STAFF not in seen
        assert DELEGATE not in seen


def test_the_secretariat_sees_who_acted(
    bare_session: Session, bare_client: TestClient, bare_draft: Draft
) -> None:
    _negotiated(bare_session, bare_draft)
    staff = account(bare_session, Role.SECRETARIAT)
    token = issue_token(bare_session, staff, by=principal_for(staff))
    assert STAFF in _api_texts(bare_client, bare_draft, token)
    pages = _pages(signed_in(bare_client, staff), bare_draft)
    assert STAFF in pages
    assert DELEGATE in pages

"""A sponsor's own tools on the amendment page and through the API: edit and withdraw."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stocktake.accounts.services import issue_token, principal_for
from stocktake.audit.events import AuditAction
from stocktake.audit.models import AuditEvent
from stocktake.core.permissions import Role
from stocktake.negotiation.models import Amendment, AmendmentStatus, Draft
from stocktake.negotiation.services import AmendmentData, decide_amendment, propose_amendment
from tests.conftest import csrf_of
from tests.factories.accounts import account, signed_in
from tests.factories.registry import organisation
from tests.negotiation.conftest import SYSTEM, eid_of


def _proposed(session: Session, draft: Draft, sponsor: str = "MEX") -> tuple[Amendment, str]:
    """A pending amendment of the sponsor's delegation, and the e-mail of one of its members."""
    user = account(session, Role.DELEGATION_MEMBER, actor_code=sponsor)
    data = AmendmentData(
        kind="replace", target=eid_of(draft, "1"), quoted="common", new_text="joint"
    )
    return propose_amendment(session, draft, data, by=principal_for(user)), user.email


def _events(session: Session, action: AuditAction) -> int:
    return session.scalar(select(func.count()).where(AuditEvent.action == action.value)) or 0


def test_a_sponsor_edits_its_amendment_from_the_page(
    bare_client: TestClient, bare_session: Session, bare_draft: Draft
) -> None:
    amendment, _ = _proposed(bare_session, bare_draft)
    mexico = signed_in(bare_client, account(bare_session, Role.DELEGATION_MEMBER, actor_code="MEX"))
    page = f"/drafts/{bare_draft.id}/amendments/{amendment.number}"
    assert "Save the changes" in mexico.get(page).text
    form = {
        "csrf": csrf_of(mexico, page),
        "new_text": "mutual",
        "justification": "Closer to the Charter",
        "version": str(amendment.version),
    }
    done = mexico.post(f"{page}/edit", data=form, follow_redirects=False)
    assert done.status_code == 303
    shown = mexico.get(done.headers["location"]).text
    assert "A1 is changed." in shown
    assert "“mutual”" in shown
    assert "Closer to the Charter" in shown
    assert _events(bare_session, AuditAction.AMENDMENT_UPDATED) == 1
    # the version read before the change is stale now: nothing is overwritten
    stale = mexico.post(f"{page}/edit", data={**form, "new_text": "other"}, headers={})
    assert "changed by someone else" in stale.text
    bare_session.refresh(amendment)
    assert amendment.new_text == "mutual"


def test_a_sponsor_withdraws_its_amendment_and_it_leaves_the_compilation(
    bare_client: TestClient, bare_session: Session, bare_draft: Draft
) -> None:
    amendment, email = _proposed(bare_session, bare_draft)
    mexico = signed_in(bare_client, account(bare_session, Role.DELEGATION_MEMBER, actor_code="MEX"))
    compilation = f"/drafts/{bare_draft.id}/compilation"
    assert "Mexico A1" in mexico.get(compilation).text
    page = f"/drafts/{bare_draft.id}/amendments/{amendment.number}"
    form = {"csrf": csrf_of(mexico, page), "reason": "Agreed in informals"}
    done = mexico.post(f"{page}/withdraw", data=form, follow_redirects=False)
    assert done.status_code == 303
    shown = mexico.get(done.headers["location"]).text
    assert "A1 is withdrawn" in shown
    assert "Save the changes" not in shown  # a withdrawn amendment is no longer edited
    assert "Mexico A1" not in mexico.get(compilation).text
    bare_session.refresh(amendment)
    assert amendment.status == AmendmentStatus.WITHDRAWN
    event = bare_session.scalar(
        select(AuditEvent).where(AuditEvent.action == AuditAction.AMENDMENT_WITHDRAWN.value)
    )
    assert event is not None
    assert "Agreed in informals" in event.summary
    assert email


def test_others_are_refused_edit_and_withdrawal(
    bare_client: TestClient, bare_session: Session, bare_draft: Draft
) -> None:
    amendment, _ = _proposed(bare_session, bare_draft)
    page = f"/drafts/{bare_draft.id}/amendments/{amendment.number}"
    public = bare_client.post(f"{page}/withdraw", data={}, follow_redirects=False)
    assert public.status_code in (303, 403)  # no CSRF token, no session: never withdrawn
    philippines = signed_in(
        bare_client, account(bare_session, Role.DELEGATION_MEMBER, actor_code="PHL")
    )
    assert "Save the changes" not in philippines.get(page).text
    csrf = csrf_of(philippines, page)
    for action, fields in (("edit", {"new_text": "theirs"}), ("withdraw", {})):
        refused = philippines.post(f"{page}/{action}", data={"csrf": csrf, **fields})
        assert refused.status_code == 403, action
    stakeholder = account(
        bare_session, Role.STAKEHOLDER, actor_code=organisation(bare_session).code
    )
    headers = {"Authorization": f"Bearer {issue_token(bare_session, stakeholder, by=SYSTEM)}"}
    api = f"/api/v1{page}"
    assert bare_client.post(f"{api}/withdraw", json={}, headers=headers).status_code == 403
    assert bare_client.post(f"{api}/withdraw", json={}).status_code in (401, 403)
    bare_session.refresh(amendment)
    assert amendment.status == AmendmentStatus.PROPOSED
    assert amendment.new_text == "joint"


def test_a_decided_amendment_is_neither_edited_nor_withdrawn(
    bare_client: TestClient, bare_session: Session, bare_draft: Draft
) -> None:
    amendment, _ = _proposed(bare_session, bare_draft)
    decide_amendment(bare_session, bare_draft, amendment, AmendmentStatus.REJECTED, by=SYSTEM)
    user = account(bare_session, Role.DELEGATION_MEMBER, actor_code="MEX")
    headers = {"Authorization": f"Bearer {issue_token(bare_session, user, by=SYSTEM)}"}
    api = f"/api/v1/drafts/{bare_draft.id}/amendments/{amendment.number}"
    withdrawn = bare_client.post(f"{api}/withdraw", json={}, headers=headers)
    assert withdrawn.status_code == 409
    assert "A1 is rejected" in withdrawn.json()["detail"]
    edited = bare_client.patch(api, json={"new_text": "late"}, headers=headers)
    assert edited.status_code == 409
    assert "A1 is rejected" in edited.json()["detail"]


def test_a_sponsor_withdraws_through_the_api(
    bare_client: TestClient, bare_session: Session, bare_draft: Draft
) -> None:
    amendment, _ = _proposed(bare_session, bare_draft)
    user = account(bare_session, Role.DELEGATION_MEMBER, actor_code="MEX")
    headers = {"Authorization": f"Bearer {issue_token(bare_session, user, by=SYSTEM)}"}
    api = f"/api/v1/drafts/{bare_draft.id}/amendments/{amendment.number}"
    stale = bare_client.post(f"{api}/withdraw", json={"version": 99}, headers=headers)
    assert stale.status_code == 409
    done = bare_client.post(f"{api}/withdraw", json={"version": amendment.version}, headers=headers)
    assert done.status_code == 200
    assert done.json()["status"] == "withdrawn"
    assert _events(bare_session, AuditAction.AMENDMENT_WITHDRAWN) == 1


def test_co_sponsors_named_by_the_secretariat_each_confirm(
    bare_client: TestClient, bare_session: Session, bare_draft: Draft
) -> None:
    data = AmendmentData(
        kind="replace",
        target=eid_of(bare_draft, "1"),
        quoted="common",
        new_text="joint",
        sponsor="MEX",
        co_sponsors=["PHL"],
    )
    amendment = propose_amendment(bare_session, bare_draft, data, by=SYSTEM)
    compilation = f"/drafts/{bare_draft.id}/compilation"
    page = f"/drafts/{bare_draft.id}/amendments/{amendment.number}"
    philippines = signed_in(
        bare_client, account(bare_session, Role.DELEGATION_MEMBER, actor_code="PHL")
    )
    assert "Mexico, Philippines (to confirm) A1" in philippines.get(compilation).text
    shown = philippines.get(page).text
    assert "Philippines <small>(not yet confirmed)</small>" in shown
    assert "Confirm co-sponsorship" in shown
    form = {"csrf": csrf_of(philippines, page), "actor": "PHL"}
    done = philippines.post(f"{page}/confirm", data=form, follow_redirects=False)
    assert done.status_code == 303
    shown = philippines.get(done.headers["location"]).text
    assert "Philippines confirms co-sponsoring A1." in shown
    assert "Philippines <small>(confirmed)</small>" in shown
    assert "Confirm co-sponsorship" not in shown
    assert "Mexico, Philippines A1" in philippines.get(compilation).text
    assert _events(bare_session, AuditAction.AMENDMENT_CO_SPONSORSHIP_CONFIRMED) == 1
    # confirming again changes nothing and records nothing
    philippines.post(f"{page}/confirm", data=form)
    assert _events(bare_session, AuditAction.AMENDMENT_CO_SPONSORSHIP_CONFIRMED) == 1
    user = account(bare_session, Role.DELEGATION_MEMBER, actor_code="PHL")
    headers = {"Authorization": f"Bearer {issue_token(bare_session, user, by=SYSTEM)}"}
    read = bare_client.get(f"/api/v1{page}", headers=headers).json()
    assert read["co_sponsors"] == ["PHL"]
    assert read["confirmed_co_sponsors"] == ["PHL"]


def test_only_a_named_co_sponsor_confirms_and_only_as_itself(
    bare_client: TestClient, bare_session: Session, bare_draft: Draft
) -> None:
    data = AmendmentData(
        kind="replace",
        target=eid_of(bare_draft, "1"),
        quoted="common",
        new_text="joint",
        sponsor="MEX",
        co_sponsors=["PHL"],
    )
    amendment = propose_amendment(bare_session, bare_draft, data, by=SYSTEM)
    api = f"/api/v1/drafts/{bare_draft.id}/amendments/{amendment.number}/confirm"

    def as_(role: Role, code: str | None) -> dict[str, str]:
        user = account(bare_session, role, actor_code=code)
        return {"Authorization": f"Bearer {issue_token(bare_session, user, by=SYSTEM)}"}

    mexico = as_(Role.DELEGATION_MEMBER, "MEX")
    for_other = bare_client.post(api, json={"actor": "PHL"}, headers=mexico)
    assert for_other.status_code == 403  # a delegation confirms only as itself
    not_named = bare_client.post(api, json={}, headers=mexico)
    assert not_named.status_code == 409
    assert "MEX is not named a co-sponsor of A1" in not_named.json()["detail"]
    stakeholder = as_(Role.STAKEHOLDER, organisation(bare_session).code)
    assert bare_client.post(api, json={"actor": "PHL"}, headers=stakeholder).status_code == 403
    secretariat = as_(Role.SECRETARIAT, None)
    assert bare_client.post(api, json={"actor": "PHL"}, headers=secretariat).status_code == 403
    decide_amendment(bare_session, bare_draft, amendment, AmendmentStatus.REJECTED, by=SYSTEM)
    late = bare_client.post(api, json={}, headers=as_(Role.DELEGATION_MEMBER, "PHL"))
    assert late.status_code == 409
    assert "A1 is rejected" in late.json()["detail"]

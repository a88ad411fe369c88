"""API tokens expire and can be revoked: by the command, the API and the holder's own page."""

from __future__ import annotations

import datetime as dt
import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from stocktake.accounts.services import issue_token, principal_for
from stocktake.core.permissions import Role
from tests.conftest import csrf_of
from tests.factories.accounts import PASSWORD, account, signed_in
from tests.factories.registry import organisation


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_token_expires(bare_client: TestClient, bare_session: Session) -> None:
    user = account(bare_session, Role.DELEGATION_MEMBER, actor_code="MEX")
    old = issue_token(bare_session, user, lifetime=dt.timedelta(seconds=-1), by=principal_for(user))
    assert bare_client.get("/api/v1/me", headers=_bearer(old)).status_code == 401
    response = bare_client.post("/api/v1/tokens", json={"email": user.email, "password": PASSWORD})
    assert response.status_code == 201
    expires = dt.datetime.fromisoformat(response.json()["expires_at"])
    assert dt.timedelta(days=89) < expires - dt.datetime.now(dt.UTC) <= dt.timedelta(days=90)
    assert (
        bare_client.get("/api/v1/me", headers=_bearer(response.json()["token"])).status_code == 200
    )


def test_the_holder_lists_and_revokes_a_token_through_the_api(
    bare_client: TestClient, bare_session: Session
) -> None:
    user = account(bare_session, Role.DELEGATION_MEMBER, actor_code="MEX")
    token = issue_token(bare_session, user, name="laptop", by=principal_for(user))
    mine = bare_client.get("/api/v1/tokens", headers=_bearer(token)).json()
    assert token[:12] in [t["prefix"] for t in mine]
    assert all("digest" not in t and "token" not in t for t in mine)
    token_id = next(t["id"] for t in mine if t["prefix"] == token[:12])
    # another user's token does not exist for the Philippines
    other = account(bare_session, Role.DELEGATION_MEMBER, actor_code="PHL")
    theirs = issue_token(bare_session, other, by=principal_for(other))
    response = bare_client.delete(f"/api/v1/tokens/{token_id}", headers=_bearer(theirs))
    assert response.status_code == 404
    assert (
        bare_client.delete(f"/api/v1/tokens/{token_id}", headers=_bearer(token)).status_code == 204
    )
    assert bare_client.get("/api/v1/me", headers=_bearer(token)).status_code == 401


def test_the_holder_revokes_a_token_on_their_page(
    bare_client: TestClient, bare_session: Session
) -> None:
    user = account(bare_session, Role.STAKEHOLDER, actor_code=organisation(bare_session).code)
    token = issue_token(bare_session, user, name="script", by=principal_for(user))
    signed_in(bare_client, user)
    page = bare_client.get("/account/tokens")
    assert page.status_code == 200
    assert token[:12] in page.text
    assert token not in page.text
    token_id = re.search(r'action="/account/tokens/(\d+)/revoke"', page.text)
    assert token_id
    response = bare_client.post(
        f"/account/tokens/{token_id.group(1)}/revoke",
        data={"csrf": csrf_of(bare_client, "/account/tokens")},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert "revoked" in bare_client.get("/account/tokens").text
    assert bare_client.get("/api/v1/me", headers=_bearer(token)).status_code == 401

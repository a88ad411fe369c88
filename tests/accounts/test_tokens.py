"""API tokens expire and can be revoked: by the command, the API and the holder's own page."""

from __future__ import annotations

import datetime as dt
import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from stocktake.accounts.services import get_user, issue_token, principal_for
from stocktake.demo.generator import DEMO_PASSWORD
from tests.conftest import csrf_of, sign_in


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_token_expires(client: TestClient, session: Session) -> None:
    user = get_user(session, "mexico@gcm.example")
    old = issue_token(session, user, lifetime=dt.timedelta(seconds=-1), by=principal_for(user))
    assert client.get("/api/v1/me", headers=_bearer(old)).status_code == 401
    response = client.post(
        "/api/v1/tokens", json={"email": "mexico@gcm.example", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 201
    expires = dt.datetime.fromisoformat(response.json()["expires_at"])
    assert dt.timedelta(days=89) < expires - dt.datetime.now(dt.UTC) <= dt.timedelta(days=90)
    assert client.get("/api/v1/me", headers=_bearer(response.json()["token"])).status_code == 200


def test_the_holder_lists_and_revokes_a_token_through_the_api(
    client: TestClient, session: Session
) -> None:
    user = get_user(session, "mexico@gcm.example")
    token = issue_token(session, user, name="laptop", by=principal_for(user))
    mine = client.get("/api/v1/tokens", headers=_bearer(token)).json()
    assert token[:12] in [t["prefix"] for t in mine]
    assert all("digest" not in t and "token" not in t for t in mine)
    token_id = next(t["id"] for t in mine if t["prefix"] == token[:12])
    # another user's token does not exist for the Philippines
    other = get_user(session, "philippines@gcm.example")
    theirs = issue_token(session, other, by=principal_for(other))
    response = client.delete(f"/api/v1/tokens/{token_id}", headers=_bearer(theirs))
    assert response.status_code == 404
    assert client.delete(f"/api/v1/tokens/{token_id}", headers=_bearer(token)).status_code == 204
    assert client.get("/api/v1/me", headers=_bearer(token)).status_code == 401


def test_the_holder_revokes_a_token_on_their_page(client: TestClient, session: Session) -> None:
    user = get_user(session, "stakeholder@gcm.example")
    token = issue_token(session, user, name="script", by=principal_for(user))
    sign_in(client, "stakeholder@gcm.example")
    page = client.get("/account/tokens")
    assert page.status_code == 200
    assert token[:12] in page.text
    assert token not in page.text
    token_id = re.search(r'action="/account/tokens/(\d+)/revoke"', page.text)
    assert token_id
    response = client.post(
        f"/account/tokens/{token_id.group(1)}/revoke",
        data={"csrf": csrf_of(client, "/account/tokens")},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert "revoked" in client.get("/account/tokens").text
    assert client.get("/api/v1/me", headers=_bearer(token)).status_code == 401

"""Deactivating a user: from the secretariat's page; the user's sessions and tokens end at once."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from stocktake.accounts.services import deactivate_user, get_user, issue_token, principal_for
from stocktake.core.errors import Conflict
from stocktake.demo.generator import DEMO_PASSWORD
from tests.conftest import csrf_of, sign_in


def test_the_secretariat_deactivates_a_user_on_the_users_page(
    client: TestClient, session: Session
) -> None:
    user = get_user(session, "philippines@gcm.example")
    token = issue_token(session, user, by=principal_for(user))
    sign_in(client, "secretariat@gcm.example")
    page = client.get("/users")
    assert page.status_code == 200
    assert "philippines@gcm.example" in page.text
    response = client.post(
        "/users/philippines@gcm.example/deactivate",
        data={"csrf": csrf_of(client, "/users")},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert "deactivated" in client.get("/users").text
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    response = client.post(
        "/api/v1/tokens", json={"email": "philippines@gcm.example", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 401
    response = client.post(
        "/users/philippines@gcm.example/activate",
        data={"csrf": csrf_of(client, "/users")},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_a_deactivated_user_s_open_session_ends(client: TestClient, session: Session) -> None:
    sign_in(client, "mexico@gcm.example")
    assert client.get("/inputs/new", follow_redirects=False).status_code == 200
    secretariat = principal_for(get_user(session, "secretariat@gcm.example"))
    deactivate_user(session, "mexico@gcm.example", by=secretariat)
    response = client.get("/inputs/new", follow_redirects=False)
    assert response.status_code == 303
    with pytest.raises(Conflict, match="your own account"):
        deactivate_user(session, "secretariat@gcm.example", by=secretariat)

"""Deactivating a user: from the secretariat's page; the user's sessions and tokens end at once."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from stocktake.accounts.services import deactivate_user, issue_token, principal_for
from stocktake.core.errors import Conflict
from stocktake.core.permissions import Role
from tests.conftest import csrf_of
from tests.factories.accounts import PASSWORD, account, signed_in


def test_the_secretariat_deactivates_a_user_on_the_users_page(
    bare_client: TestClient, bare_session: Session
) -> None:
    user = account(
        bare_session, Role.DELEGATION_MEMBER, actor_code="PHL", email="philippines@test.example"
    )
    token = issue_token(bare_session, user, by=principal_for(user))
    signed_in(bare_client, account(bare_session, Role.SECRETARIAT))
    page = bare_client.get("/users")
    assert page.status_code == 200
    assert "philippines@test.example" in page.text
    response = bare_client.post(
        "/users/philippines@test.example/deactivate",
        data={"csrf": csrf_of(bare_client, "/users")},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert "deactivated" in bare_client.get("/users").text
    assert (
        bare_client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code
        == 401
    )
    response = bare_client.post(
        "/api/v1/tokens", json={"email": "philippines@test.example", "password": PASSWORD}
    )
    assert response.status_code == 401
    response = bare_client.post(
        "/users/philippines@test.example/activate",
        data={"csrf": csrf_of(bare_client, "/users")},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert (
        bare_client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code
        == 401
    )


def test_a_deactivated_user_s_open_session_ends(
    bare_client: TestClient, bare_session: Session
) -> None:
    mexico = account(bare_session, Role.DELEGATION_MEMBER, actor_code="MEX")
    signed_in(bare_client, mexico)
    assert bare_client.get("/inputs/new", follow_redirects=False).status_code == 200
    secretariat_user = account(bare_session, Role.SECRETARIAT)
    secretariat = principal_for(secretariat_user)
    deactivate_user(bare_session, mexico.email, by=secretariat)
    response = bare_client.get("/inputs/new", follow_redirects=False)
    assert response.status_code == 303
    with pytest.raises(Conflict, match="your own account"):
        deactivate_user(bare_session, secretariat_user.email, by=secretariat)

"""Signing in and out: failed sign-ins are throttled per account and per address and written to
the audit log; signing out ends the session on the server."""

from __future__ import annotations

from argon2 import PasswordHasher, extract_parameters
from argon2.low_level import Type
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stocktake.accounts.services import PASSWORD_HASHING
from stocktake.audit.events import AuditAction
from stocktake.audit.models import AuditEvent
from stocktake.core.permissions import Role
from tests.conftest import csrf_of
from tests.factories.accounts import PASSWORD, account, signed_in
from tests.factories.registry import organisation


def _login(client: TestClient, email: str, password: str) -> int:
    response = client.post(
        "/login",
        data={"csrf": csrf_of(client), "email": email, "password": password, "next": "/"},
        follow_redirects=False,
    )
    return response.status_code


def _failures(session: Session, email: str) -> int:
    return (
        session.scalar(
            select(func.count()).where(
                AuditEvent.action == AuditAction.SIGN_IN_FAILED.value,
                AuditEvent.target_key == email,
            )
        )
        or 0
    )


def test_failed_sign_ins_on_an_account_are_throttled_and_audited(
    bare_client: TestClient, bare_session: Session
) -> None:
    email = account(bare_session, Role.DELEGATION_MEMBER, actor_code="PHL").email
    other = account(bare_session, Role.DELEGATION_MEMBER, actor_code="MEX").email
    assert [_login(bare_client, email, "wrong password") for _ in range(5)] == [401] * 5
    assert _failures(bare_session, email) == 5
    response = bare_client.post(
        "/login",
        data={"csrf": csrf_of(bare_client), "email": email, "password": PASSWORD, "next": "/"},
        follow_redirects=False,
    )
    # even the right password waits: the pause is the account's, not the guess's
    assert response.status_code == 429
    assert 1 <= int(response.headers["retry-after"]) <= 900
    assert "Too many" in response.text
    # the API shares the count
    response = bare_client.post("/api/v1/tokens", json={"email": email, "password": "x"})
    assert response.status_code == 429
    assert "retry-after" in response.headers
    # other accounts are not held up
    assert _login(bare_client, other, PASSWORD) == 303


def test_failed_sign_ins_from_one_address_are_throttled(bare_client: TestClient) -> None:
    statuses = [
        bare_client.post(
            "/api/v1/tokens", json={"email": f"guess{i}@example.org", "password": "guess"}
        ).status_code
        for i in range(21)
    ]
    assert statuses == [401] * 20 + [429]


def test_a_successful_sign_in_clears_the_account_s_failures(
    bare_client: TestClient, bare_session: Session
) -> None:
    email = account(
        bare_session, Role.STAKEHOLDER, actor_code=organisation(bare_session).code
    ).email
    assert [_login(bare_client, email, "wrong password") for _ in range(4)] == [401] * 4
    assert _login(bare_client, email, PASSWORD) == 303
    assert [_login(bare_client, email, "wrong password") for _ in range(4)] == [401] * 4


def test_signing_out_ends_the_session_on_the_server(
    bare_client: TestClient, bare_session: Session
) -> None:
    signed_in(bare_client, account(bare_session, Role.SECRETARIAT))
    stolen = bare_client.cookies.get("stocktake_session")
    assert bare_client.get("/audit", follow_redirects=False).status_code == 200
    response = bare_client.post(
        "/logout", data={"csrf": csrf_of(bare_client, "/")}, follow_redirects=False
    )
    assert response.status_code == 303
    bare_client.cookies.clear()
    bare_client.cookies.set("stocktake_session", stolen or "")
    response = bare_client.get("/audit", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


def test_a_password_hashed_with_other_parameters_is_remade_at_sign_in(
    bare_client: TestClient, bare_session: Session
) -> None:
    user = account(bare_session, Role.DELEGATION_MEMBER, actor_code="PHL")
    user.password_hash = PasswordHasher(time_cost=3, memory_cost=65536, parallelism=4).hash(
        PASSWORD
    )
    bare_session.commit()
    assert _login(bare_client, user.email, "wrong password") == 401
    bare_session.refresh(user)
    assert (
        extract_parameters(user.password_hash).memory_cost == 65536
    )  # a wrong one changes nothing
    assert _login(bare_client, user.email, PASSWORD) == 303
    bare_session.refresh(user)
    remade = extract_parameters(user.password_hash)
    assert (remade.type, remade.time_cost, remade.parallelism) == (Type.ID, 2, 1)
    assert remade.memory_cost == PASSWORD_HASHING["memory_cost"] == 19 * 1024
    assert _login(bare_client, user.email, PASSWORD) == 303  # and the new hash holds

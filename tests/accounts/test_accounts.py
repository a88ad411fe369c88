from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from stocktake.accounts.models import ApiToken, User
from stocktake.accounts.services import (
    add_user,
    authenticate,
    issue_token,
    principal_for,
    principal_for_token,
)
from stocktake.core.errors import Conflict, PermissionDenied, ValidationFailed
from stocktake.core.permissions import Principal, Role
from tests.factories.accounts import account
from tests.factories.registry import organisation


def test_passwords_are_stored_as_argon2_hashes_and_checked(bare_session: Session) -> None:
    user = add_user(
        bare_session,
        email="Officer@Example.org",
        password="correct horse",
        role=Role.SECRETARIAT,
        by=Principal.system(),
    )
    assert user.email == "officer@example.org"
    assert user.password_hash.startswith("$argon2id$")
    assert "correct horse" not in user.password_hash
    assert authenticate(bare_session, "officer@example.org", "correct horse") is not None
    assert authenticate(bare_session, "officer@example.org", "wrong horse!") is None
    assert authenticate(bare_session, "nobody@example.org", "correct horse") is None


def test_roles_are_bound_to_the_right_kind_of_actor(bare_session: Session) -> None:
    system = Principal.system()
    organisation(bare_session, code="CSO-KEN-001")
    delegate = add_user(
        bare_session,
        email="d@example.org",
        password="0123456789",
        role=Role.DELEGATION_MEMBER,
        actor_code="KEN",
        by=system,
    )
    assert principal_for(delegate).actor_id == delegate.actor_id
    cases = [
        (Role.DELEGATION_MEMBER, None, "must be bound to an actor"),
        (Role.DELEGATION_MEMBER, "CSO-KEN-001", "cannot be bound to a stakeholder"),
        (Role.STAKEHOLDER, "KEN", "cannot be bound to a member_state"),
        (Role.SECRETARIAT, "KEN", "is not bound to an actor"),
        (Role.STAKEHOLDER, "NOPE", "unknown actor 'NOPE'"),
    ]
    for index, (role, actor, message) in enumerate(cases):
        with pytest.raises(ValidationFailed, match=message):
            add_user(
                bare_session,
                email=f"x{index}@example.org",
                password="0123456789",
                role=role,
                actor_code=actor,
                by=system,
            )
    with pytest.raises(ValidationFailed, match="at least 10 characters"):
        add_user(
            bare_session,
            email="short@example.org",
            password="short",
            role=Role.SECRETARIAT,
            by=system,
        )
    with pytest.raises(Conflict):
        add_user(
            bare_session,
            email="d@example.org",
            password="0123456789",
            role=Role.SECRETARIAT,
            by=system,
        )
    with pytest.raises(PermissionDenied):
        add_user(
            bare_session,
            email="e@example.org",
            password="0123456789",
            role=Role.SECRETARIAT,
            by=principal_for(delegate),
        )


def test_api_tokens_are_stored_as_digests_and_resolve_to_their_user(bare_session: Session) -> None:
    user = account(bare_session, Role.DELEGATION_MEMBER, actor_code="MEX")
    token = issue_token(bare_session, user, name="ministry system", by=principal_for(user))
    assert token.startswith("stk_")
    stored = bare_session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    assert stored is not None
    assert token not in stored.digest
    principal = principal_for_token(bare_session, token)
    assert principal is not None
    assert (principal.role, principal.actor_id) == (Role.DELEGATION_MEMBER, user.actor_id)
    assert principal_for_token(bare_session, token + "x") is None
    stored.revoked = True
    bare_session.flush()
    assert principal_for_token(bare_session, token) is None
    account(
        bare_session, Role.DELEGATION_MEMBER, actor_code="PHL", email="philippines@test.example"
    )
    other = bare_session.scalar(select(User).where(User.email == "philippines@test.example"))
    assert other is not None
    with pytest.raises(PermissionDenied):
        issue_token(bare_session, other, by=principal_for(user))

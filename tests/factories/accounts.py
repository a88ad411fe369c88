from __future__ import annotations

from itertools import count

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from stocktake.accounts.models import User
from stocktake.accounts.services import add_user, principal_for
from stocktake.core.permissions import Principal, Role
from tests.conftest import sign_in

SYSTEM = Principal.system()
PASSWORD = "a long test password"
_numbers = count(1)


def account(
    session: Session,
    role: Role,
    *,
    actor_code: str | None = None,
    email: str = "",
    password: str = PASSWORD,
) -> User:
    """A new user with this role (bound to `actor_code` where the role needs an actor) and a
    password, so that a test can sign in as them."""
    return add_user(
        session,
        email=email or f"user{next(_numbers)}@test.example",
        password=password,
        role=role,
        actor_code=actor_code,
        by=SYSTEM,
    )


def user(
    session: Session, role: Role, *, actor_code: str | None = None, email: str = ""
) -> Principal:
    """A new user with this role, as the principal it acts as."""
    return principal_for(account(session, role, actor_code=actor_code, email=email))


def signed_in(client: TestClient, user: User, password: str = PASSWORD) -> TestClient:
    """The client, signed in as this user through the sign-in page."""
    sign_in(client, user.email, password)
    return client


def member_of(session: Session, actor_code: str, role: Role = Role.DELEGATION_MEMBER) -> Principal:
    """The principal of this actor's one user of this role, made the first time it is asked for,
    so that a test acting twice for an actor acts as the same person."""
    email = f"{role.value}.{actor_code.lower()}@test.example"
    found = session.scalar(select(User).where(User.email == email))
    return principal_for(found or account(session, role, actor_code=actor_code, email=email))

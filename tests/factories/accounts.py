from __future__ import annotations

from itertools import count

from sqlalchemy.orm import Session

from stocktake.accounts.services import add_user, principal_for
from stocktake.core.permissions import Principal, Role

SYSTEM = Principal.system()
PASSWORD = "a long test password"
_numbers = count(1)


def user(session: Session, role: Role, *, actor_code: str | None = None) -> Principal:
    """A new user with this role (bound to `actor_code` where the role needs an actor), as the
    principal it acts as."""
    made = add_user(
        session,
        email=f"user{next(_numbers)}@test.example",
        password=PASSWORD,
        role=role,
        actor_code=actor_code,
        by=SYSTEM,
    )
    return principal_for(made)

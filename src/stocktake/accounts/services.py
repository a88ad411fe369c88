"""Account actions: add users, check passwords, issue API tokens, resolve who is acting."""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from stocktake.accounts.models import ApiToken, User
from stocktake.audit.events import AuditAction
from stocktake.audit.services import record_event
from stocktake.core.db import transaction
from stocktake.core.errors import Conflict, NotFound, Problem, ValidationFailed
from stocktake.core.permissions import Permission, Principal, Role, require
from stocktake.registry.models import Actor

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("stocktake-dummy-password")
MIN_PASSWORD_LENGTH = 10
TOKEN_PREFIX = "stk_"  # noqa: S105  (a public prefix, not a secret)

_ACTOR_KINDS_FOR_ROLE = {
    Role.DELEGATION_MEMBER: (
        "member_state",
        "observer_state",
        "group_of_states",
        "un_entity",
        "igo",
    ),
    Role.STAKEHOLDER: ("stakeholder",),
}


def add_user(
    session: Session,
    *,
    email: str,
    password: str,
    role: Role,
    actor_code: str | None = None,
    display_name: str = "",
    by: Principal,
) -> User:
    """Add a user. Delegation members are bound to a governmental actor, stakeholders to a
    stakeholder organisation; the secretariat and the public are bound to none."""
    require(by, Permission.USERS_CREATE)
    email = email.strip().lower()
    problems = []
    if "@" not in email or len(email) > 320:
        problems.append(Problem("email", "is not an e-mail address"))
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(Problem("password", f"needs at least {MIN_PASSWORD_LENGTH} characters"))
    if role is Role.PUBLIC:
        problems.append(Problem("role", "the public reads without an account"))
    actor = None
    if role in _ACTOR_KINDS_FOR_ROLE:
        if not actor_code:
            problems.append(Problem("actor", f"a {role.value} user must be bound to an actor"))
        else:
            actor = session.scalar(select(Actor).where(Actor.code == actor_code))
            if actor is None:
                problems.append(Problem("actor", f"unknown actor {actor_code!r}"))
            elif actor.kind not in _ACTOR_KINDS_FOR_ROLE[role]:
                problems.append(
                    Problem(
                        "actor", f"a {role.value} cannot be bound to a {actor.kind} ({actor.code})"
                    )
                )
    elif actor_code:
        problems.append(Problem("actor", f"a {role.value} user is not bound to an actor"))
    if problems:
        raise ValidationFailed("user", problems)
    if session.scalar(select(User.id).where(User.email == email)):
        raise Conflict(f"a user {email} already exists")
    user = User(
        email=email,
        display_name=display_name or email.split("@")[0],
        password_hash=_hasher.hash(password),
        role=role.value,
        actor_id=actor.id if actor else None,
    )
    with transaction(session):
        session.add(user)
        session.flush()
        record_event(
            session,
            by=by,
            action=AuditAction.USER_CREATED,
            target_type="user",
            target_key=email,
            summary=f"{role.value}" + (f" for {actor.code}" if actor else ""),
            changes={"role": role.value, "actor": actor.code if actor else None},
        )
    return user


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None (same work either way)."""
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    candidate = user.password_hash if user and user.is_active else _DUMMY_HASH
    try:
        _hasher.verify(candidate, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.is_active:
        return None
    return user


def principal_for(user: User) -> Principal:
    return Principal(
        role=Role(user.role), user_id=user.id, email=user.email, actor_id=user.actor_id
    )


def principal_for_user_id(session: Session, user_id: int) -> Principal | None:
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        return None
    return principal_for(user)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, user: User, *, name: str = "", by: Principal) -> str:
    """Create an API token for a user (themselves, or any user for the secretariat).
    Returns the token itself, shown once; only its digest is kept."""
    if by.user_id != user.id:
        require(by, Permission.USERS_CREATE)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction(session):
        session.add(ApiToken(user_id=user.id, name=name, digest=_digest(token), prefix=token[:12]))
        record_event(
            session,
            by=by,
            action=AuditAction.TOKEN_ISSUED,
            target_type="user",
            target_key=user.email,
            summary=f"API token {name or token[:12]}",
        )
    return token


def principal_for_token(session: Session, token: str) -> Principal | None:
    row = session.scalar(
        select(ApiToken).where(ApiToken.digest == _digest(token)).options(joinedload(ApiToken.user))
    )
    if row is None or row.revoked or not row.user.is_active:
        return None
    return principal_for(row.user)


def get_user(session: Session, email: str) -> User:
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise NotFound("user", email)
    return user

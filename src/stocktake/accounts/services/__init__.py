"""Account actions: add users, sign in and out (throttled), issue and revoke API tokens,
deactivate users, resolve who is acting."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import math
import os
import secrets
import threading
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, joinedload

from stocktake.accounts.models import ApiToken, SignInFailure, User
from stocktake.accounts.services.principals import principal_for as principal_for
from stocktake.accounts.services.principals import principal_for_user_id as principal_for_user_id
from stocktake.audit.events import AuditAction
from stocktake.audit.services import record_event
from stocktake.config import Settings
from stocktake.core.db import transaction, utcnow
from stocktake.core.errors import Conflict, NotFound, Problem, Throttled, ValidationFailed
from stocktake.core.permissions import Permission, Principal, Role, require
from stocktake.core.translation import Text, translatable
from stocktake.registry.models import Actor


def password_checks_at_once() -> int:
    """How many passwords are hashed or checked at once: one per core this process may use, as
    each takes a core for a fraction of a second (more at once would only slow every one)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


# argon2id at OWASP's recommended minimum (19 MiB, 2 passes, 1 lane): about 60 ms of one core on a
# 2-core server, where argon2-cffi's default (64 MiB, 3 passes, 4 lanes) took over 0.2 s and its four
# lanes only competed for two cores. Hashes made with other parameters are remade at the next sign-in.
PASSWORD_HASHING = {"time_cost": 2, "memory_cost": 19 * 1024, "parallelism": 1}
_hasher = PasswordHasher(
    time_cost=PASSWORD_HASHING["time_cost"],
    memory_cost=PASSWORD_HASHING["memory_cost"],
    parallelism=PASSWORD_HASHING["parallelism"],
)
_password_work = threading.BoundedSemaphore(password_checks_at_once())
MIN_PASSWORD_LENGTH = 10
TOKEN_PREFIX = "stk_"  # noqa: S105  (a public prefix, not a secret)
TOKEN_LIFETIME = dt.timedelta(days=90)

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
        problems.append(Problem("email", Text("is not an e-mail address")))
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(
            Problem(
                "password",
                Text("needs at least %(limit)s characters", limit=MIN_PASSWORD_LENGTH),
            )
        )
    if role is Role.PUBLIC:
        problems.append(Problem("role", Text("the public reads without an account")))
    actor = None
    if role in _ACTOR_KINDS_FOR_ROLE:
        if not actor_code:
            problems.append(
                Problem(
                    "actor",
                    Text("a %(role)s user must be bound to an actor", role=role.value),
                )
            )
        else:
            actor = session.scalar(select(Actor).where(Actor.code == actor_code))
            if actor is None:
                problems.append(Problem("actor", Text("unknown actor %(actor)r", actor=actor_code)))
            elif actor.kind not in _ACTOR_KINDS_FOR_ROLE[role]:
                problems.append(
                    Problem(
                        "actor",
                        Text(
                            "a %(role)s cannot be bound to a %(kind)s (%(actor)s)",
                            role=role.value,
                            kind=actor.kind,
                            actor=actor.code,
                        ),
                    )
                )
    elif actor_code:
        problems.append(
            Problem("actor", Text("a %(role)s user is not bound to an actor", role=role.value))
        )
    if problems:
        raise ValidationFailed("user", problems)
    if session.scalar(select(User.id).where(User.email == email)):
        raise Conflict(Text("a user %(email)s already exists", email=email))
    user = User(
        email=email,
        display_name=display_name or email.split("@")[0],
        password_hash=_hash(password),
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


@functools.cache
def _dummy_hash() -> str:
    """A hash to check an unknown e-mail's password against, so that it takes as long as a known
    one's; made when first needed, not when a command starts."""
    return _hasher.hash("stocktake-dummy-password")


def _hash(password: str) -> str:
    with _password_work:
        return _hasher.hash(password)


def _password_matches(password_hash: str, password: str) -> bool:
    with _password_work:
        try:
            return _hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None (same work either way). The
    password is checked in the calling worker thread, never on the event loop, and at most
    `password_checks_at_once()` at a time in the process."""
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    candidate = user.password_hash if user and user.is_active else _dummy_hash()
    if not _password_matches(candidate, password):
        return None
    if user is None or not user.is_active:
        return None
    return user


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _refuse_deactivated(user: User) -> None:
    if not user.is_active:
        raise Conflict(Text("user %(email)s is deactivated", email=user.email))


def issue_token(
    session: Session,
    user: User,
    *,
    name: str = "",
    lifetime: dt.timedelta = TOKEN_LIFETIME,
    by: Principal,
) -> str:
    """Create an API token for a user (themselves, or any user for the secretariat), valid for
    `lifetime`. Returns the token itself, shown once; only its digest is kept."""
    if by.user_id != user.id:
        require(by, Permission.USERS_CREATE)
    _refuse_deactivated(user)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires_at = utcnow() + lifetime
    with transaction(session):
        # as the user is now, inside the write: no token for someone deactivated a moment ago,
        # whose tokens that deactivation revoked
        session.refresh(user, ["is_active"], with_for_update=True)
        _refuse_deactivated(user)
        session.add(
            ApiToken(
                user_id=user.id,
                name=name,
                digest=_digest(token),
                prefix=token[:12],
                expires_at=expires_at,
            )
        )
        record_event(
            session,
            by=by,
            action=AuditAction.TOKEN_ISSUED,
            target_type="user",
            target_key=user.email,
            summary=f"API token {name or token[:12]}, expires {expires_at:%Y-%m-%d}",
        )
    return token


def principal_for_token(session: Session, token: str) -> Principal | None:
    """Who holds this token, unless it is unknown, revoked, expired or its user deactivated."""
    if len(token) > 200 or "\x00" in token:
        return None
    row = session.scalar(
        select(ApiToken).where(ApiToken.digest == _digest(token)).options(joinedload(ApiToken.user))
    )
    if row is None or row.revoked or not row.user.is_active:
        return None
    if row.expires_at is not None and row.expires_at <= utcnow():
        return None
    return principal_for(row.user)


def token_expiry(session: Session, token: str) -> dt.datetime | None:
    """When a token just issued expires."""
    return session.scalar(select(ApiToken.expires_at).where(ApiToken.digest == _digest(token)))


def list_tokens(session: Session, *, by: Principal) -> list[ApiToken]:
    """The caller's own API tokens, newest first (never the tokens themselves)."""
    if by.user_id is None:
        return []
    return list(
        session.scalars(
            select(ApiToken).where(ApiToken.user_id == by.user_id).order_by(ApiToken.id.desc())
        )
    )


def find_token(session: Session, prefix: str) -> ApiToken:
    """The token whose shown beginning (`stk_` and 8 more characters) is `prefix`."""
    rows = list(session.scalars(select(ApiToken).where(ApiToken.prefix == prefix[:12])))
    if not rows:
        raise NotFound(Text("API token"), prefix)
    if len(rows) > 1:
        raise Conflict(
            Text(
                "%(count)s tokens begin with %(prefix)r; revoke them by id",
                count=len(rows),
                prefix=prefix,
            )
        )
    return rows[0]


def revoke_token(session: Session, token_id: int, *, by: Principal) -> ApiToken:
    """Revoke an API token: its holder's own, or any for the secretariat. Another's token does
    not exist for the caller."""
    row = session.get(ApiToken, token_id)
    if row is None or (row.user_id != by.user_id and not by.can(Permission.USERS_MANAGE)):
        raise NotFound(Text("API token"), token_id)
    if row.revoked:
        return row
    with transaction(session):
        # as it is now, inside the write: of two revocations at once, the second finds it revoked
        session.refresh(row, ["revoked"], with_for_update=True)
        if row.revoked:
            return row
        row.revoked = True
        record_event(
            session,
            by=by,
            action=AuditAction.TOKEN_REVOKED,
            target_type="user",
            target_key=row.user.email,
            summary=f"API token {row.name or row.prefix}",
        )
    return row


# ---------------------------------------------------------------- signing in and out


@dataclass(frozen=True)
class SignInLimits:
    """How many failed sign-ins an account, and an address, may have in `window` before further
    attempts are refused until the oldest of them is older than the window."""

    per_account: int = 5
    per_address: int = 20
    window: dt.timedelta = dt.timedelta(minutes=15)


def sign_in_limits(settings: Settings) -> SignInLimits:
    return SignInLimits(
        per_account=settings.sign_in_failures_per_account,
        per_address=settings.sign_in_failures_per_address,
        window=dt.timedelta(seconds=settings.sign_in_window),
    )


TOO_MANY_FOR_ACCOUNT = translatable(
    "too many failed sign-ins for this account; try again in %(seconds)s seconds"
)
TOO_MANY_FOR_ADDRESS = translatable(
    "too many failed sign-ins for this address; try again in %(seconds)s seconds"
)


def _check_throttle(
    session: Session, email: str, address: str, limits: SignInLimits, *, counting: int = 0
) -> None:
    """Refuse when the account or the address has reached its limit of failures in the window;
    `counting` attempts of its own are already among the rows (and allowed beyond the limit)."""
    since = utcnow() - limits.window
    for column, value, limit, too_many in (
        (SignInFailure.email, email, limits.per_account, TOO_MANY_FOR_ACCOUNT),
        (SignInFailure.address, address, limits.per_address, TOO_MANY_FOR_ADDRESS),
    ):
        count, oldest = session.execute(
            select(func.count(), func.min(SignInFailure.at)).where(
                column == value, SignInFailure.at > since
            )
        ).one()
        if count - counting >= limit:
            first = oldest if oldest.tzinfo else oldest.replace(tzinfo=dt.UTC)
            wait = math.ceil((first + limits.window - utcnow()).total_seconds())
            raise Throttled(Text(too_many, seconds=max(wait, 1)), wait)


def sign_in(
    session: Session,
    email: str,
    password: str,
    *,
    address: str,
    limits: SignInLimits,
    by: Principal,
) -> User | None:
    """The active user with this e-mail and password, or None. A failure is counted and written
    to the audit log; too many failures for the account or the address in a short time refuse
    further attempts (Throttled) before any password is checked."""
    email = email.strip().lower()[:320]
    address = address[:64]
    _check_throttle(session, email, address, limits)
    # The attempt counts as a failure until its password is known to be right, and is written
    # before the limit is checked again: of simultaneous guesses, no more than the limit get
    # their password checked, each having seen the others' rows.
    with transaction(session):
        attempt = SignInFailure(email=email, address=address)
        session.add(attempt)
    try:
        _check_throttle(session, email, address, limits, counting=1)
    except Throttled:
        with transaction(session):
            session.delete(attempt)
        raise
    user = authenticate(session, email, password)
    remade = (
        _hash(password)
        if user is not None and _hasher.check_needs_rehash(user.password_hash)
        else None
    )
    with transaction(session):
        if user is None:
            session.execute(
                delete(SignInFailure).where(SignInFailure.at < utcnow() - 4 * limits.window)
            )
            record_event(
                session,
                by=by,
                action=AuditAction.SIGN_IN_FAILED,
                target_type="user",
                target_key=email[:200],
                summary=f"wrong e-mail or password, from {address}",
            )
        else:
            session.execute(delete(SignInFailure).where(SignInFailure.email == email))
            if remade is not None:
                user.password_hash = remade
    return user


def sign_out(session: Session, *, by: Principal) -> None:
    """End every session of the signed-in user on the server: their cookies stop working."""
    if by.user_id is None:
        return
    user = session.get(User, by.user_id)
    if user is None:
        return
    with transaction(session):
        # the generation as it is now, so that no other change of it is lost
        session.refresh(user, ["session_generation"], with_for_update=True)
        user.session_generation += 1
        record_event(
            session,
            by=by,
            action=AuditAction.SIGNED_OUT,
            target_type="user",
            target_key=user.email,
        )


# ---------------------------------------------------------------- managing users


def list_users(session: Session, *, by: Principal) -> list[User]:
    require(by, Permission.USERS_MANAGE)
    return list(session.scalars(select(User).options(joinedload(User.actor)).order_by(User.email)))


def deactivate_user(session: Session, email: str, *, by: Principal) -> User:
    """Stop a user from signing in or using the API: their sessions end and their tokens are
    revoked at once. Their inputs and history stay."""
    require(by, Permission.USERS_MANAGE)
    user = get_user(session, email)
    if user.id == by.user_id:
        raise Conflict(Text("you cannot deactivate your own account"))
    if not user.is_active:
        return user
    with transaction(session):
        # as the user is now, inside the write: of two managers at once, the second finds it done
        session.refresh(user, ["is_active", "session_generation"], with_for_update=True)
        if not user.is_active:
            return user
        user.is_active = False
        user.session_generation += 1
        for token in session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked.is_(False))
        ):
            token.revoked = True
        record_event(
            session,
            by=by,
            action=AuditAction.USER_DEACTIVATED,
            target_type="user",
            target_key=user.email,
        )
    return user


def activate_user(session: Session, email: str, *, by: Principal) -> User:
    """Let a deactivated user sign in again (their former tokens stay revoked)."""
    require(by, Permission.USERS_MANAGE)
    user = get_user(session, email)
    if user.is_active:
        return user
    with transaction(session):
        session.refresh(user, ["is_active"], with_for_update=True)  # as it is now
        if user.is_active:
            return user
        user.is_active = True
        record_event(
            session,
            by=by,
            action=AuditAction.USER_ACTIVATED,
            target_type="user",
            target_key=user.email,
        )
    return user


def get_user(session: Session, email: str) -> User:
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise NotFound(Text("user"), email)
    return user

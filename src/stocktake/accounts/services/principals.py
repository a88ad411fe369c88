"""Who is acting: the principal of a user, and of a signed-in session's user id (with what else a
page asks of that user, in the same query)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from stocktake.accounts.models import User
from stocktake.core.permissions import Principal, Role

__all__ = ["principal_for", "principal_for_user_id"]


def principal_for(user: User) -> Principal:
    return Principal(
        role=Role(user.role), user_id=user.id, email=user.email, actor_id=user.actor_id
    )


def principal_for_user_id(
    session: Session, key: tuple[int, int], asks: Mapping[str, Callable[[Any], Any]] | None = None
) -> tuple[Principal | None, dict[str, Any]]:
    """Who holds a session cookie with this (user id, session generation), if it still holds;
    with the answers to `asks` (by name: given the user id's column, a scalar subquery of that
    user, as the frame's unread count), read in the same query.

    Every signed-in request asks this, so it reads only the columns a principal needs, on the
    session's connection: loading the user as an object of the session took a tenth of a
    millisecond more."""
    user_id, generation = key
    asks = asks or {}
    row = session.connection().execute(_asking(asks), {"user_id": user_id}).first()
    if row is None or not row.is_active or row.session_generation != generation:
        return None, {}
    principal = Principal(
        role=Role(row.role), user_id=row.id, email=row.email, actor_id=row.actor_id
    )
    return principal, dict(zip(asks, row[len(_USER) :], strict=True))


_USER = (
    User.__table__.c.id,
    User.__table__.c.role,
    User.__table__.c.email,
    User.__table__.c.actor_id,
    User.__table__.c.is_active,
    User.__table__.c.session_generation,
)
_ASKING: dict[tuple[tuple[str, int], ...], Select[Any]] = {}


def _asking(asks: Mapping[str, Callable[[Any], Any]]) -> Select[Any]:
    """The query of a signed-in user with what is asked of them, built once per set of asks (a
    page's share of building it and its cache key was a tenth of a millisecond)."""
    key = tuple((name, id(ask)) for name, ask in asks.items())
    query = _ASKING.get(key)
    if query is None:
        query = select(*_USER, *(ask(User.__table__.c.id) for ask in asks.values()))
        query = _ASKING[key] = query.where(User.__table__.c.id == bindparam("user_id"))
    return query

"""Telling users of a step of the process, in the transaction of the action that took it.

The domain that acts says who may hear of it (`Audience`: the users entitled to see the thing, as
its own reading rules say) and what happened (an English message with its values and a link);
`notify` writes, for each user who asked to hear of that kind, the notification shown in the site
and the e-mail waiting in the outbox, each in the user's language. Nothing is sent here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from stocktake.accounts.models import User
from stocktake.accounts.services import principal_for
from stocktake.core.permissions import Principal
from stocktake.notifications.kinds import Kind
from stocktake.notifications.models import Delivery, Notification, OutboxMail
from stocktake.notifications.render import Item, one_mail
from stocktake.notifications.services.preferences import choices_of, language_of

Audience = Callable[[Principal], bool]
"""Whether a user, as the principal they act as, is entitled to see the thing told of."""


def everyone(_principal: Principal) -> bool:
    return True


def users_of_actors(session: Session, actor_ids: Iterable[int]) -> list[User]:
    """The active users who act for these actors (a delegation's members, a stakeholder's staff)."""
    ids = sorted(set(actor_ids))
    if not ids:
        return []
    users: list[User] = []
    for start in range(0, len(ids), 500):
        users.extend(
            session.scalars(
                select(User)
                .where(User.actor_id.in_(ids[start : start + 500]), User.is_active.is_(True))
                .order_by(User.id)
            )
        )
    return users


def active_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).where(User.is_active.is_(True)).order_by(User.id)))


def notify(
    session: Session,
    kind: Kind,
    users: Iterable[User],
    *,
    message: str,
    values: Mapping[str, Any],
    link: str,
    audience: Audience = everyone,
    by: Principal,
) -> int:
    """Tell each of `users` whom `audience` entitles to see the thing, as they chose to hear of
    `kind`; the user who acted is not told of their own act. Called inside the action's
    transaction: what it writes commits or rolls back with the action. How many were told."""
    told = [
        user
        for user in users
        if user.is_active and user.id != by.user_id and audience(principal_for(user))
    ]
    if not told:
        return 0
    choices = choices_of(session, [u.id for u in told])
    item = Item(message, dict(values), link)
    count = 0
    for user in told:
        choice = choices[user.id][kind]
        if choice.email is Delivery.NONE and not choice.in_app:
            continue
        count += 1
        if choice.in_app or choice.email is Delivery.DIGEST:
            session.add(
                Notification(
                    user_id=user.id,
                    kind=kind.value,
                    message=message,
                    values=dict(values),
                    link=link,
                    in_app=choice.in_app,
                    digest_due=choice.email is Delivery.DIGEST,
                )
            )
        if choice.email is Delivery.NOW:
            language = language_of(session, user)
            mail = one_mail(kind, item, language)
            session.add(
                OutboxMail(
                    user_id=user.id,
                    kind=kind.value,
                    recipient=user.email,
                    language=language,
                    subject=mail.subject,
                    body_text=mail.text,
                    body_html=mail.html,
                )
            )
    session.flush()
    return count

"""What a user chooses to hear of and how, the language they read, and unsubscribing by a link."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from stocktake.accounts.models import User
from stocktake.accounts.services import principal_for
from stocktake.audit.events import AuditAction
from stocktake.audit.services import record_event
from stocktake.core.db import transaction
from stocktake.core.errors import PermissionDenied, Problem, ValidationFailed
from stocktake.core.permissions import Principal
from stocktake.core.translation import LANGUAGES, Text
from stocktake.notifications.kinds import DEFAULTS, DIGEST, Kind
from stocktake.notifications.models import Delivery, NotificationSetting
from stocktake.process.services import default_language


@dataclass(frozen=True)
class Choice:
    """How a user hears of one kind of news."""

    kind: Kind
    email: Delivery
    in_app: bool


@dataclass(frozen=True)
class Preferences:
    language: str | None  # the user's own choice, None: the process's default
    choices: tuple[Choice, ...]

    def of(self, kind: Kind | str) -> Choice:
        return next(c for c in self.choices if c.kind == kind)


def _signed_in_user(session: Session, by: Principal) -> User:
    user = session.get(User, by.user_id) if by.user_id is not None else None
    if user is None:
        raise PermissionDenied(
            "notifications:settings:own", Text("sign in to choose what you hear of")
        )
    return user


def choices_of(session: Session, user_ids: Iterable[int]) -> dict[int, dict[Kind, Choice]]:
    """Each user's choice for every kind: their own where they made one, else the default."""
    ids = list(user_ids)
    chosen: dict[int, dict[Kind, Choice]] = {
        uid: {k: Choice(k, *DEFAULTS[k]) for k in Kind} for uid in ids
    }
    for start in range(0, len(ids), 500):
        rows = session.scalars(
            select(NotificationSetting).where(
                NotificationSetting.user_id.in_(ids[start : start + 500])
            )
        )
        for row in rows:
            if row.kind in Kind.__members__.values():
                kind = Kind(row.kind)
                chosen[row.user_id][kind] = Choice(kind, Delivery(row.email), row.in_app)
    return chosen


def read_preferences(session: Session, *, by: Principal) -> Preferences:
    """The signed-in user's own choices (nobody reads another's)."""
    user = _signed_in_user(session, by)
    chosen = choices_of(session, [user.id])[user.id]
    return Preferences(user.language, tuple(chosen[k] for k in Kind))


def language_of(session: Session, user: User) -> str:
    """The language a user's mail and notifications are written in: theirs, else the process's."""
    if user.language in LANGUAGES:
        return user.language
    language = default_language(session)
    return language if language in LANGUAGES else "en"


def _store(session: Session, user_id: int, kind: Kind, email: Delivery, in_app: bool) -> bool:
    row = session.scalar(
        select(NotificationSetting).where(
            NotificationSetting.user_id == user_id, NotificationSetting.kind == kind.value
        )
    )
    if row is None:
        if DEFAULTS[kind] == (email, in_app):
            return False
        session.add(
            NotificationSetting(user_id=user_id, kind=kind.value, email=email.value, in_app=in_app)
        )
        return True
    if (row.email, row.in_app) == (email.value, in_app):
        return False
    row.email, row.in_app = email.value, in_app
    return True


def save_preferences(
    session: Session,
    choices: Mapping[str, tuple[str, bool]],
    *,
    language: str | None = None,
    by: Principal,
) -> Preferences:
    """Keep the signed-in user's choices (kind: (e-mail delivery, in the site)) and, when given,
    the language they read ("" for the process's default). Kinds not named keep their choice."""
    user = _signed_in_user(session, by)
    problems = []
    parsed: dict[Kind, tuple[Delivery, bool]] = {}
    for key, (email, in_app) in choices.items():
        if key not in Kind.__members__.values():
            problems.append(
                Problem(
                    "kind",
                    Text(
                        "unknown kind %(kind)r: one of %(kinds)s", kind=key, kinds=", ".join(Kind)
                    ),
                )
            )
        elif email not in Delivery.__members__.values():
            problems.append(
                Problem(
                    key,
                    Text(
                        "unknown delivery %(delivery)r: one of %(deliveries)s",
                        delivery=email,
                        deliveries=", ".join(Delivery),
                    ),
                )
            )
        else:
            parsed[Kind(key)] = (Delivery(email), bool(in_app))
    if language and language not in LANGUAGES:
        problems.append(
            Problem(
                "language",
                Text(
                    "%(language)r is not one of %(languages)s",
                    language=language,
                    languages=", ".join(LANGUAGES),
                ),
            )
        )
    if problems:
        raise ValidationFailed("notification settings", problems)
    with transaction(session):
        changed: dict[str, list[object]] = {
            kind.value: [email.value, in_app]
            for kind, (email, in_app) in parsed.items()
            if _store(session, user.id, kind, email, in_app)
        }
        if language is not None and (language or None) != user.language:
            changed["language"] = [user.language, language or None]
            user.language = language or None
        if changed:
            session.flush()
            record_event(
                session,
                by=by,
                action=AuditAction.NOTIFICATIONS_CHOSEN,
                target_type="user",
                target_key=user.id,
                summary="notification settings changed",
                changes=changed,
            )
    return read_preferences(session, by=by)


def choose_language(session: Session, language: str, *, by: Principal) -> None:
    """Keep the language a signed-in user chose with the switch, for their mail and notifications."""
    if by.user_id is None or language not in LANGUAGES:
        return
    user = session.get(User, by.user_id)
    if user is None or user.language == language:
        return
    with transaction(session):
        user.language = language


def unsubscribe(session: Session, user_id: int, kind: str) -> bool:
    """Stop the e-mails an unsubscribe link names (one kind, or the daily digest) for its user; the
    link itself is the authority (`tokens.py`). False when there was nothing to stop."""
    user = session.get(User, user_id)
    if user is None:
        return False
    current = choices_of(session, [user.id])[user.id]
    if kind == DIGEST:
        kinds = [c.kind for c in current.values() if c.email is Delivery.DIGEST]
    elif kind in Kind.__members__.values():
        kinds = [Kind(kind)] if current[Kind(kind)].email is not Delivery.NONE else []
    else:
        return False
    with transaction(session):
        for each in kinds:
            _store(session, user.id, each, Delivery.NONE, current[each].in_app)
        if kinds:
            session.flush()
            record_event(
                session,
                by=principal_for(user),
                action=AuditAction.MAIL_UNSUBSCRIBED,
                target_type="user",
                target_key=user.id,
                summary=f"unsubscribed by a link: {kind}",
                changes={"stopped": [k.value for k in kinds]},
            )
    return bool(kinds)

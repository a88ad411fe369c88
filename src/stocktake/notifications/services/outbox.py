"""The outbox: the daily digests queued, and the e-mails that are due delivered.

A sender claims a row before it sends it, with one UPDATE that only succeeds while the row is
still queued (or its claim has gone stale: a sender that stopped half-way), so that two senders, on
PostgreSQL as on SQLite, never send the same e-mail twice. A send that fails (the server down or
refusing) puts the row back in the queue, later each time, with the error kept: nothing is lost.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from stocktake.accounts.models import User
from stocktake.core.db import transaction, utcnow
from stocktake.notifications.kinds import DIGEST
from stocktake.notifications.models import MailStatus, Notification, OutboxMail
from stocktake.notifications.render import Item, digest_mail
from stocktake.notifications.services.preferences import language_of

STALE_CLAIM = dt.timedelta(minutes=15)
FIRST_RETRY = dt.timedelta(minutes=1)
LONGEST_WAIT = dt.timedelta(hours=6)
BATCH = 100


def retry_after(attempts: int) -> dt.timedelta:
    """How long a failed e-mail waits before its next attempt: doubling from a minute, at most six
    hours; it is tried again for as long as it takes."""
    wait: dt.timedelta = FIRST_RETRY * 2 ** min(max(attempts - 1, 0), 20)
    return min(wait, LONGEST_WAIT)


def queue_digests(session: Session, *, now: dt.datetime | None = None) -> int:
    """One digest e-mail per user whose news waits for it, in their language; the news it holds
    is marked as digested in the same transaction. How many digests were queued."""
    with transaction(session):
        waiting = list(
            session.scalars(
                select(Notification)
                .where(Notification.digest_due.is_(True))
                .order_by(Notification.user_id, Notification.id)
                .with_for_update()
            )
        )
        by_user: dict[int, list[Notification]] = defaultdict(list)
        for notification in waiting:
            by_user[notification.user_id].append(notification)
        queued = 0
        for user_id, news in by_user.items():
            for notification in news:
                notification.digest_due = False
            user = session.get(User, user_id)
            if user is None or not user.is_active:
                continue
            language = language_of(session, user)
            mail = digest_mail([Item(n.message, n.values, n.link) for n in news], language)
            session.add(
                OutboxMail(
                    user_id=user.id,
                    kind=DIGEST,
                    recipient=user.email,
                    language=language,
                    subject=mail.subject,
                    body_text=mail.text,
                    body_html=mail.html,
                    next_attempt_at=now or utcnow(),
                )
            )
            queued += 1
    return queued


def queue_digests_if_due(session: Session, hour: int, *, now: dt.datetime | None = None) -> int:
    """Queue the day's digests once a day, from `hour` (UTC) on: not before it, and not again
    once a digest has been queued since it today (by this server or another). How many."""
    now = now or utcnow()
    mark = now.replace(hour=hour, minute=0, second=0, microsecond=0)
    if now < mark:
        return 0
    done_today = session.scalar(
        select(func.count())
        .select_from(OutboxMail)
        .where(OutboxMail.kind == DIGEST, OutboxMail.created_at >= mark)
    )
    if done_today:
        return 0
    return queue_digests(session, now=now)


def _claimable(now: dt.datetime):  # type: ignore[no-untyped-def]
    return or_(
        and_(OutboxMail.status == MailStatus.QUEUED.value, OutboxMail.next_attempt_at <= now),
        and_(
            OutboxMail.status == MailStatus.SENDING.value,
            OutboxMail.claimed_at < now - STALE_CLAIM,
        ),
    )


def claim(session: Session, mail_id: int, *, now: dt.datetime) -> str | None:
    """Take one due e-mail for this sender: its claim, or None when another sender has it."""
    mark = secrets.token_hex(16)
    with transaction(session):
        done = session.execute(
            update(OutboxMail)
            .where(OutboxMail.id == mail_id, _claimable(now))
            .values(status=MailStatus.SENDING.value, claimed_at=now, claim=mark)
            .execution_options(synchronize_session=False)
        )
    return mark if done.rowcount == 1 else None  # type: ignore[attr-defined]


def _settle(session: Session, mail_id: int, mark: str, **values: object) -> None:
    with transaction(session):
        session.execute(
            update(OutboxMail)
            .where(OutboxMail.id == mail_id, OutboxMail.claim == mark)
            .values(**values)
            .execution_options(synchronize_session=False)
        )


@dataclass
class Delivery:
    sent: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


Send = Callable[[OutboxMail], None]
"""Delivers one e-mail or raises (`mail.py`'s SMTP transport)."""


def deliver_due(
    session: Session, send: Send, *, now: dt.datetime | None = None, limit: int = BATCH
) -> Delivery:
    """Send the e-mails that are due, each claimed first. After the first failure the rest wait
    for the next round (a server that is down refuses them all alike)."""
    now = now or utcnow()
    report = Delivery()
    due = list(
        session.scalars(
            select(OutboxMail.id).where(_claimable(now)).order_by(OutboxMail.id).limit(limit)
        )
    )
    for mail_id in due:
        mark = claim(session, mail_id, now=now)
        if mark is None:
            continue
        mail = session.get(OutboxMail, mail_id, populate_existing=True)
        if mail is None:
            continue
        try:
            send(mail)
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"[:2000]
            attempts = mail.attempts + 1
            _settle(
                session,
                mail_id,
                mark,
                status=MailStatus.QUEUED.value,
                attempts=attempts,
                next_attempt_at=utcnow() + retry_after(attempts),
                last_error=error,
                claim=None,
                claimed_at=None,
            )
            report.failed.append(mail_id)
            report.errors.append(error)
            break
        _settle(
            session,
            mail_id,
            mark,
            status=MailStatus.SENT.value,
            attempts=mail.attempts + 1,
            sent_at=utcnow(),
            last_error="",
        )
        report.sent.append(mail_id)
    return report


def outbox_counts(session: Session) -> dict[str, int]:
    """How many e-mails are queued, being sent and sent."""
    counts = {status.value: 0 for status in MailStatus}
    rows = session.execute(select(OutboxMail.status, func.count()).group_by(OutboxMail.status))
    counts.update({str(status): int(number) for status, number in rows})
    return counts

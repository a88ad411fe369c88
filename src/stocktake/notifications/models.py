"""What a user asked to hear of, what they were told in the site, and the mail waiting to go out."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from stocktake.core.db import Base, Timestamped, UTCDateTime, utcnow


class Delivery(enum.StrEnum):
    """How a user hears of one kind of news by e-mail."""

    NOW = "now"  # an e-mail at once
    DIGEST = "digest"  # in the daily digest
    NONE = "none"  # no e-mail


class MailStatus(enum.StrEnum):
    QUEUED = "queued"  # waiting for its time (`next_attempt_at`)
    SENDING = "sending"  # claimed by a sender
    SENT = "sent"


class NotificationSetting(Timestamped, Base):
    """A user's choice for one kind of news; a kind without a row takes the default (`kinds.py`)."""

    __tablename__ = "notification_setting"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(40))
    email: Mapped[str] = mapped_column(String(10), default=Delivery.NONE.value)
    in_app: Mapped[bool] = mapped_column(default=True)


class Notification(Base):
    """One piece of news for one user: shown in the site (`in_app`) and/or waiting for the daily
    digest (`digest_due`). Its message is kept in English with its values and translated when it
    is shown or mailed, into the reader's language."""

    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(String(500))
    values: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    link: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    in_app: Mapped[bool] = mapped_column(default=True)
    read_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    digest_due: Mapped[bool] = mapped_column(default=False, index=True)


class OutboxMail(Base):
    """An e-mail written by the request that caused it and delivered later by a sender.

    Its bodies hold `[[site]]` where the site's address goes and `[[unsubscribe]]` where the link
    that stops this kind of mail goes: the sender puts them in, signed, when it delivers."""

    __tablename__ = "mail_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(String(40))
    recipient: Mapped[str] = mapped_column(String(320))
    language: Mapped[str] = mapped_column(String(8))
    subject: Mapped[str] = mapped_column(String(500))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default=MailStatus.QUEUED.value, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    claimed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    claim: Mapped[str | None] = mapped_column(String(40))
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from stocktake.core.db import Base, Timestamped
from stocktake.process.models import NamesProcessKeys, Process
from stocktake.registry.models import Actor

SCHEDULED = "scheduled"
CANCELLED = "cancelled"


class Meeting(NamesProcessKeys, Timestamped, Base):
    __tablename__ = "meeting"
    process_keys: ClassVar[dict[str, tuple[str, str]]] = {
        "phase_key": ("phases", "phase"),
        "meeting_type": ("meeting_types", "meeting type"),
    }
    process_key_owner = "meeting"
    process_key_label = "slug"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(
        ForeignKey("process.id", ondelete="CASCADE"), index=True
    )
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    meeting_type: Mapped[str] = mapped_column(String(60))
    phase_key: Mapped[str] = mapped_column(String(60))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    city: Mapped[str] = mapped_column(String(120), default="")
    country_iso3: Mapped[str | None] = mapped_column(String(3))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default="scheduled", server_default="scheduled")
    """`scheduled`, or `cancelled`: a cancelled meeting stays listed, and in the calendars."""
    sequence: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """How many times the meeting was changed since it was added: the SEQUENCE of its calendar
    event, so that a subscriber's calendar updates the event instead of adding another."""

    process: Mapped[Process] = relationship()

    @property
    def cancelled(self) -> bool:
        return self.status == CANCELLED

    @property
    def dates(self) -> str:
        if self.start_date == self.end_date:
            return f"{self.start_date.day} {self.start_date:%B %Y}"
        if (self.start_date.year, self.start_date.month) == (
            self.end_date.year,
            self.end_date.month,
        ):
            return f"{self.start_date.day}–{self.end_date.day} {self.end_date:%B %Y}"
        return f"{self.start_date.day} {self.start_date:%B} – {self.end_date.day} {self.end_date:%B %Y}"


class Participant(Timestamped, Base):
    """A person registered to a meeting for an actor; `attended` makes participation figures."""

    __tablename__ = "participant"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int] = mapped_column(ForeignKey("actor.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    function: Mapped[str] = mapped_column(String(200), default="")
    attended: Mapped[bool] = mapped_column(default=False)
    registered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    meeting: Mapped[Meeting] = relationship()
    actor: Mapped[Actor] = relationship()

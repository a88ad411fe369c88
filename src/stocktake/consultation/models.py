from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from stocktake.accounts.models import User
from stocktake.core.db import Base, Timestamped, UTCDateTime
from stocktake.meetings.models import Meeting
from stocktake.registry.models import Actor


class InputKind(enum.StrEnum):
    CARD = "card"  # a recommendation card: short and structured
    CONTRIBUTION = "contribution"  # a written contribution, possibly from a DOCX or PDF
    STATEMENT = "statement"  # a statement made at a meeting


class InputStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


class Channel(enum.StrEnum):
    WEB = "web"
    API = "api"
    IMPORT = "import"


def search_text(title: str, text: str, attachment_text: str) -> str:
    """What search matches against: title, text and attachment, case-folded (see docs/consultation.md)."""
    return f"{title}\n{text}\n{attachment_text}".casefold()


class Input(Timestamped, Base):
    """Anything an actor submits during consultation."""

    __tablename__ = "input"
    __table_args__ = (
        UniqueConstraint("process_id", "external_id"),
        Index("ix_input_process_status", "process_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("process.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20), default=InputKind.CARD.value)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actor.id", ondelete="RESTRICT"), index=True)
    on_behalf_of_id: Mapped[int | None] = mapped_column(ForeignKey("actor.id", ondelete="RESTRICT"))
    submitted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting.id", ondelete="SET NULL"), index=True
    )
    channel: Mapped[str] = mapped_column(String(20), default=Channel.WEB.value)
    title: Mapped[str] = mapped_column(String(300), default="")
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8), default="und", index=True)
    attachment_name: Mapped[str] = mapped_column(String(255), default="")
    attachment_text: Mapped[str] = mapped_column(Text, default="")
    search_text: Mapped[str] = mapped_column(Text, default="")
    """Title, text and attachment, case-folded: what search matches against, in any script."""
    status: Mapped[str] = mapped_column(String(20), default=InputStatus.SUBMITTED.value)
    withdrawn_reason: Mapped[str] = mapped_column(Text, default="")
    external_id: Mapped[str | None] = mapped_column(String(120))
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    actor: Mapped[Actor] = relationship(foreign_keys=[actor_id])
    on_behalf_of: Mapped[Actor | None] = relationship(foreign_keys=[on_behalf_of_id])
    submitted_by: Mapped[User | None] = relationship()
    meeting: Mapped[Meeting | None] = relationship()
    tags: Mapped[list[InputTag]] = relationship(
        back_populates="input", cascade="all, delete-orphan", order_by="InputTag.id"
    )
    references: Mapped[list[FrameworkReference]] = relationship(
        back_populates="input", cascade="all, delete-orphan", order_by="FrameworkReference.id"
    )

    def tag_keys(self, vocabulary: str) -> list[str]:
        return [t.key for t in self.tags if t.vocabulary == vocabulary]

    def refresh_search_text(self) -> None:
        self.search_text = search_text(self.title, self.text, self.attachment_text)


class InputTag(Base):
    """A dimension or input type of an input, with who set it (the submitter, the secretariat,
    or the analysis with a confidence)."""

    __tablename__ = "input_tag"
    __table_args__ = (
        UniqueConstraint("input_id", "vocabulary", "key"),
        Index("ix_input_tag_vocabulary_key", "vocabulary", "key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    input_id: Mapped[int] = mapped_column(ForeignKey("input.id", ondelete="CASCADE"), index=True)
    vocabulary: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(60))
    source: Mapped[str] = mapped_column(String(20), default="submitter")  # a TagSource
    confidence: Mapped[float] = mapped_column(Float, default=1.0)

    input: Mapped[Input] = relationship(back_populates="tags")


class FrameworkReference(Base):
    """A link from an input to an existing framework: an SDG goal, target or indicator
    (scheme `sdg`, code `10.7.2`) or an instrument of the process definition's `[[instruments]]`
    (scheme `hr`, code `CRC`)."""

    __tablename__ = "framework_reference"
    __table_args__ = (UniqueConstraint("input_id", "scheme", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    input_id: Mapped[int] = mapped_column(ForeignKey("input.id", ondelete="CASCADE"), index=True)
    scheme: Mapped[str] = mapped_column(String(10))
    code: Mapped[str] = mapped_column(String(40))

    input: Mapped[Input] = relationship(back_populates="references")


class InputAttachment(Timestamped, Base):
    """The file a submitter attached to an input, kept as sent so that readers can download it; its
    text is in Input.attachment_text."""

    __tablename__ = "input_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    input_id: Mapped[int] = mapped_column(
        ForeignKey("input.id", ondelete="CASCADE"), unique=True, index=True
    )
    name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)

from __future__ import annotations

import re

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy import Text as LongText
from sqlalchemy.orm import Mapped, mapped_column, relationship

from stocktake.core.db import Base, Timestamped
from stocktake.core.translation import Text


class Summary(Timestamped, Base):
    __tablename__ = "summary"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(
        ForeignKey("process.id", ondelete="CASCADE"), index=True
    )
    run_id: Mapped[int | None] = mapped_column(ForeignKey("analysis_run.id", ondelete="SET NULL"))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(300))
    language: Mapped[str] = mapped_column(String(2), default="en", server_default="en")
    """The one language the summary is written in (one of the six UN languages)."""
    published_version: Mapped[int | None] = mapped_column(Integer)

    versions: Mapped[list[SummaryVersion]] = relationship(
        back_populates="summary", order_by="SummaryVersion.number", cascade="all, delete-orphan"
    )

    @property
    def current(self) -> SummaryVersion:
        return self.versions[-1]


class SummaryVersion(Timestamped, Base):
    """A saved state of the summary's text (Markdown). Versions are never changed once saved."""

    __tablename__ = "summary_version"
    __table_args__ = (UniqueConstraint("summary_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    summary_id: Mapped[int] = mapped_column(
        ForeignKey("summary.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    markdown: Mapped[str] = mapped_column(LongText)
    note: Mapped[str] = mapped_column(String(500), default="")
    saved_by: Mapped[str] = mapped_column(String(320), default="")
    sources: Mapped[dict[str, list[int]] | None] = mapped_column(JSON, default=dict)
    """The inputs behind each statement as generated ("S1": [input ids])."""

    summary: Mapped[Summary] = relationship(back_populates="versions")

    @property
    def said_note(self) -> str:
        """The note as a page shows it: the notes stocktake writes itself ("generated", "generated
        from analysis run 4; kept as edited: …") as texts for the catalogs, so that they read in
        the page's language; a note the secretariat wrote as it was written."""
        if self.note == "generated":
            return Text("generated")
        found = _GENERATED.match(self.note)
        if found is None:
            return self.note
        if found["kept"]:
            return Text(
                "generated from analysis run %(run)s; kept as edited: %(sections)s",
                run=found["run"],
                sections=found["kept"],
            )
        return Text("generated from analysis run %(run)s", run=found["run"])

    @property
    def said_by(self) -> str:
        """Who saved it as a page shows it: the system in the page's language."""
        return Text("system") if self.saved_by == "system" else self.saved_by


_GENERATED = re.compile(
    r"^generated from analysis run (?P<run>\d+)(?:; kept as edited: (?P<kept>.*))?$"
)

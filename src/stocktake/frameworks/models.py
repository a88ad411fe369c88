from __future__ import annotations

from sqlalchemy import JSON, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from stocktake.core.db import Base, Timestamped


class FrameworkItem(Timestamped, Base):
    """One goal, target or indicator of a framework, with its text in each language it has."""

    __tablename__ = "framework_item"
    __table_args__ = (UniqueConstraint("scheme", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme: Mapped[str] = mapped_column(String(10))
    level: Mapped[str] = mapped_column(String(12))  # goal, target, indicator
    code: Mapped[str] = mapped_column(String(20))
    parent_code: Mapped[str | None] = mapped_column(String(20))
    short: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    texts: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)

    def text(self, language: str) -> str:
        return (
            self.texts.get(language) or self.texts.get("en") or next(iter(self.texts.values()), "")
        )

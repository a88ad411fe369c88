from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from stocktake.core.db import Base, Timestamped, UTCDateTime


class NewsStatus(enum.StrEnum):
    DRAFT = "draft"
    """Not public yet: held for the secretariat's review, or waiting until what it tells of is."""
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


class NewsItem(Timestamped, Base):
    """One item of news of the process: drafted from a public event (`origin`, `source`) or
    written by the secretariat (`origin` empty). Its title and body are in `language`; `translations`
    holds them in the other languages ({"fr": {"title": …, "body": …}}). `links` are the pages it
    points to ([{"href": …, "label": …}]), each one the public can read when it is published."""

    __tablename__ = "news_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(
        ForeignKey("process.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(12), default=NewsStatus.DRAFT.value, index=True)
    origin: Mapped[str] = mapped_column(String(40), default="")
    source: Mapped[str] = mapped_column(String(120), default="", index=True)
    """What the event was about ("summary:3:2", "draft:1:revision:1", "meeting:slug"), to find
    an item waiting for it to become public."""
    waits: Mapped[bool] = mapped_column(default=False)
    """Drafted from an event that is not public yet: published when it becomes so."""
    language: Mapped[str] = mapped_column(String(2), default="en")
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    links: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    translations: Mapped[dict[str, dict[str, str]]] = mapped_column(JSON, default=dict)
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)
    written_by: Mapped[str] = mapped_column(String(320), default="")

    def text_in(self, language: str) -> tuple[str, str, str]:
        """Title, body and their language: the translation into `language` where there is one,
        else the item's own language."""
        other: Any = (self.translations or {}).get(language)
        if language != self.language and isinstance(other, dict) and other.get("title"):
            return str(other["title"]), str(other.get("body", "")), language
        return self.title, self.body, self.language

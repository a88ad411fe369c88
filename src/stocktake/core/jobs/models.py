"""The record of every job: what long work was asked for, by whom, and where it stands."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import JSON, Float, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from stocktake.core.db import Base, UTCDateTime, utcnow


class JobState(enum.StrEnum):
    """A job waits (queued), is at work (running), and ends done or failed (with its reason)."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Job(Base):
    """One piece of long work (an analysis run, a large import, a report). The row is the truth
    about the job on every backend: a worker claims it by changing its state, keeps its heartbeat
    fresh while at work, and ends it; a running job whose heartbeat went stale is claimed again by
    any worker, on any machine."""

    __tablename__ = "job"
    __table_args__ = (Index("ix_job_state_queue", "state", "queue"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(60))
    queue: Mapped[str] = mapped_column(String(60), default="default")
    arguments: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(20), default=JobState.QUEUED.value)  # JobState
    stage: Mapped[str] = mapped_column(String(60), default="")
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    reason: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    requested_by: Mapped[str] = mapped_column(String(320), default="")
    requested_by_id: Mapped[int | None] = mapped_column(Integer)
    """The user who asked for it (no foreign key: the record outlives an account)."""
    requested_role: Mapped[str] = mapped_column(String(40), default="")
    worker: Mapped[str] = mapped_column(String(200), default="")
    """The name of the worker at work on it (for people reading the page; liveness is the heartbeat)."""
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    @property
    def ended(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
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

from stocktake.core.db import Base, Timestamped, UTCDateTime
from stocktake.core.jobs.models import Job


class RunStatus(enum.StrEnum):
    """A run is running until it completes or fails (an interrupted run is failed, with the reason)."""

    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"


class AnalysisRun(Timestamped, Base):
    """One run of the pipeline over a process's inputs. Its results are written in one transaction
    when it completes; a failed or interrupted run has none."""

    __tablename__ = "analysis_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(
        ForeignKey("process.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(20), default=RunStatus.RUNNING.value)  # RunStatus
    stage: Mapped[str] = mapped_column(String(40), default="queued")
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    stats: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    error: Mapped[str] = mapped_column(Text, default="")
    started_by: Mapped[str] = mapped_column(String(320), default="")
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    heartbeat_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    worker: Mapped[str] = mapped_column(String(200), default="", server_default="")
    """The name of the worker executing the run, for people to read (liveness is its job's)."""
    job_id: Mapped[int | None] = mapped_column(
        ForeignKey("job.id", ondelete="SET NULL"), index=True
    )
    """The job that executes the run; its state and heartbeat tell whether the run is at work."""
    job: Mapped[Job | None] = relationship(Job)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class AnalysisResult(Base):
    """What a run found for one input."""

    __tablename__ = "analysis_result"
    __table_args__ = (
        UniqueConstraint("run_id", "input_id"),
        Index("ix_analysis_result_run_confidence", "run_id", "confidence"),
        Index("ix_analysis_result_run_cluster", "run_id", "cluster_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("analysis_run.id", ondelete="CASCADE"))
    input_id: Mapped[int] = mapped_column(ForeignKey("input.id", ondelete="CASCADE"), index=True)
    dimensions: Mapped[list[str]] = mapped_column(JSON, default=list)
    input_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    tag_source: Mapped[str] = mapped_column(String(20), default="analysis")
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    goals: Mapped[list[str]] = mapped_column(JSON, default=list)
    targets: Mapped[list[str]] = mapped_column(JSON, default=list)
    link_confidence: Mapped[float] = mapped_column(Float, default=0.0)
    duplicate_of_id: Mapped[int | None] = mapped_column(Integer)
    cluster_number: Mapped[int] = mapped_column(Integer, default=-1)


class AnalysisCluster(Base):
    __tablename__ = "analysis_cluster"
    __table_args__ = (UniqueConstraint("run_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(
        ForeignKey("analysis_run.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(300))
    representative_id: Mapped[int] = mapped_column(ForeignKey("input.id", ondelete="CASCADE"))
    size: Mapped[int] = mapped_column(Integer)
    ideas: Mapped[int] = mapped_column(Integer)
    support: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    dimensions: Mapped[list[str]] = mapped_column(JSON, default=list)
    input_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    confirmed_id: Mapped[int | None] = mapped_column(
        ForeignKey("confirmed_cluster.id", ondelete="SET NULL")
    )
    theme_number: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    representative = relationship("Input")


class AnalysisTheme(Base):
    """A theme of a run: ideas (clusters) about one subject, what a Chair's summary is organised by."""

    __tablename__ = "analysis_theme"
    __table_args__ = (UniqueConstraint("run_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(
        ForeignKey("analysis_run.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(300))
    representative_id: Mapped[int] = mapped_column(ForeignKey("input.id", ondelete="CASCADE"))
    size: Mapped[int] = mapped_column(Integer)
    clusters: Mapped[list[int]] = mapped_column(JSON, default=list)  # cluster numbers
    support: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class TextVector(Base):
    """A text's meaning vector, computed once and kept: a later run embeds only new texts."""

    __tablename__ = "analysis_text_vector"
    __table_args__ = (UniqueConstraint("model", "digest"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    model: Mapped[str] = mapped_column(String(60))
    digest: Mapped[str] = mapped_column(String(40))
    vector: Mapped[bytes] = mapped_column(LargeBinary)


class AnalysisDivergence(Base):
    __tablename__ = "analysis_divergence"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(
        ForeignKey("analysis_run.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    surfaced: Mapped[bool] = mapped_column(Boolean, default=False)
    positions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)


class ConfirmedCluster(Timestamped, Base):
    """A cluster as the secretariat made it (renamed, merged or split); kept across runs."""

    __tablename__ = "confirmed_cluster"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(
        ForeignKey("process.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str] = mapped_column(String(300))

    members: Mapped[list[ConfirmedClusterMember]] = relationship(cascade="all, delete-orphan")


class ConfirmedClusterMember(Base):
    __tablename__ = "confirmed_cluster_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    cluster_id: Mapped[int] = mapped_column(
        ForeignKey("confirmed_cluster.id", ondelete="CASCADE"), index=True
    )
    input_id: Mapped[int] = mapped_column(ForeignKey("input.id", ondelete="CASCADE"), unique=True)

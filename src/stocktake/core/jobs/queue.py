"""The job table as a queue: adding a job, claiming it (or taking over one whose worker stopped
answering), its heartbeat and progress, and its end. Every change is one short transaction whose
conditions make it safe for any number of workers on any number of machines: a job is claimed by
one worker at a time, and only the attempt that holds it may end it."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select, text, update
from sqlalchemy.orm import Session

from stocktake.core.db import transaction, utcnow
from stocktake.core.jobs.models import Job, JobState
from stocktake.core.permissions import Principal

DEFAULT_QUEUE = "default"
TASK = "stocktake.run_job"
"""The one procrastinate task (core/jobs/postgres.py): run job N of the job table."""


@dataclass(frozen=True)
class Claim:
    """A job held by a worker: the attempt number fences off an earlier holder that comes back."""

    job_id: int
    attempt: int
    worker: str


def add_job(
    session: Session,
    kind: str,
    arguments: dict[str, Any],
    *,
    by: Principal,
    queue: str = DEFAULT_QUEUE,
    held_by: str | None = None,
) -> Job:
    """Record a job in the caller's transaction (the job and what it works on are committed
    together, or neither); on PostgreSQL it is handed to procrastinate in the same transaction.
    With `held_by`, the job is claimed at once by that worker (a command that runs it itself); if
    that worker stops answering, any other takes it over."""
    now = utcnow()
    job = Job(
        kind=kind,
        queue=queue,
        arguments=arguments,
        state=JobState.QUEUED.value,
        requested_by=by.label,
        requested_by_id=by.user_id,
        requested_role=by.role.value,
        created_at=now,
    )
    if held_by is not None:
        job.state, job.worker, job.attempts = JobState.RUNNING.value, held_by, 1
        job.started_at = job.heartbeat_at = now
    session.add(job)
    session.flush()
    if session.get_bind().dialect.name == "postgresql":
        defer_in(session, job)
    return job


def queueing_lock(job_id: int) -> str:
    """At most one waiting procrastinate job per job (procrastinate's queueing lock)."""
    return f"stocktake-job-{job_id}"


def defer_in(session: Session, job: Job) -> None:
    """Hand the job to procrastinate in the caller's transaction, through procrastinate's own SQL
    function (the one its `defer` calls): the job and its procrastinate job commit together."""
    session.execute(
        text(
            "SELECT procrastinate_defer_jobs_v1(ARRAY[ROW(:queue, :task, 0, NULL, :lock, "
            "CAST(:args AS jsonb), NULL)::procrastinate_job_to_defer_v1])"
        ),
        {
            "queue": job.queue,
            "task": TASK,
            "lock": queueing_lock(job.id),
            "args": json.dumps({"job_id": job.id}),
        },
    )


def stalled_before(stalled_after: float) -> dt.datetime:
    return utcnow() - dt.timedelta(seconds=stalled_after)


def _claimable(stalled_after: float) -> Any:
    return or_(
        Job.state == JobState.QUEUED.value,
        (Job.state == JobState.RUNNING.value) & (Job.heartbeat_at < stalled_before(stalled_after)),
    )


def claimable_ids(
    session: Session, *, stalled_after: float, queues: Sequence[str] = (), limit: int = 10
) -> list[int]:
    """Jobs a worker may take, oldest first: those waiting, and those whose worker stopped answering."""
    query = select(Job.id).where(_claimable(stalled_after))
    if queues:
        query = query.where(Job.queue.in_(queues))
    return list(session.scalars(query.order_by(Job.id).limit(limit)))


def claim(
    session: Session, job_id: int, worker: str, *, stalled_after: float, max_attempts: int
) -> tuple[Claim | None, Job | None]:
    """Take the job for `worker` if it waits or its worker stopped answering. Returns the claim, or
    (None, job) when the job is not to be run now (someone else holds it, it has ended, or it has
    been taken over too often and is failed here, with the reason)."""
    with transaction(session):
        job = session.get(Job, job_id, with_for_update=True, populate_existing=True)
        if job is None:
            return None, None
        now = utcnow()
        stalled = (
            job.state == JobState.RUNNING
            and job.heartbeat_at is not None
            and job.heartbeat_at < stalled_before(stalled_after)
        )
        if job.state != JobState.QUEUED and not stalled:
            return None, job
        if stalled and job.attempts >= max_attempts:
            job.state, job.finished_at = JobState.FAILED.value, now
            job.reason = (
                f"the worker at work on it ({job.worker}) stopped answering, "
                f"{job.attempts} time(s); it is not tried again"
            )
            return None, job
        if stalled:
            job.reason = f"taken over: the worker {job.worker} stopped answering"
        job.state, job.worker, job.attempts = JobState.RUNNING.value, worker, job.attempts + 1
        job.started_at = job.started_at or now
        job.heartbeat_at = now
        return Claim(job.id, job.attempts, worker), job


def _held(claim: Claim) -> Any:
    return (
        (Job.id == claim.job_id)
        & (Job.state == JobState.RUNNING.value)
        & (Job.attempts == claim.attempt)
    )


def beat(
    session: Session, claim: Claim, *, stage: str | None = None, fraction: float | None = None
) -> bool:
    """Keep the claim fresh (and record the progress); False when the job is no longer held by it."""
    values: dict[str, Any] = {"heartbeat_at": utcnow()}
    if stage is not None:
        values["stage"] = stage[:60]
    if fraction is not None:
        values["progress"] = round(max(0.0, min(1.0, fraction)), 3)
    with transaction(session):
        done = session.execute(update(Job).where(_held(claim)).values(**values))
    return bool(getattr(done, "rowcount", 0))


def finish(session: Session, claim: Claim, result: dict[str, Any] | None = None) -> bool:
    """End the held job as done, in the caller's transaction if it has one open (the work and its
    end committed together); False (nothing changed) when the claim was lost."""
    done = session.execute(
        update(Job)
        .where(_held(claim))
        .values(
            state=JobState.DONE.value,
            stage="done",
            progress=1.0,
            result=result or {},
            finished_at=utcnow(),
            heartbeat_at=utcnow(),
        )
    )
    return bool(getattr(done, "rowcount", 0))


def fail(session: Session, claim: Claim, reason: str, result: dict[str, Any] | None = None) -> bool:
    """End the held job as failed, with its reason (and, in `result`, what its reader needs to
    put it right: the problems of an import, row by row)."""
    values: dict[str, Any] = {
        "state": JobState.FAILED.value,
        "stage": "failed",
        "reason": reason[:2000],
        "finished_at": utcnow(),
    }
    if result is not None:
        values["result"] = result
    done = session.execute(update(Job).where(_held(claim)).values(**values))
    return bool(getattr(done, "rowcount", 0))


@dataclass(frozen=True)
class QueueFigures:
    waiting: int
    running: int
    stalled: int
    failed: int
    oldest_waiting_seconds: float | None


def queue_figures(session: Session, *, stalled_after: float) -> QueueFigures:
    """How the queue stands: jobs waiting, at work, stalled (at work, heartbeat stale), failed."""
    now = utcnow()
    counts: dict[str, int] = dict(
        session.execute(select(Job.state, func.count()).group_by(Job.state)).all()
    )
    stalled = session.scalar(
        select(func.count())
        .select_from(Job)
        .where(
            Job.state == JobState.RUNNING.value,
            Job.heartbeat_at < stalled_before(stalled_after),
        )
    )
    oldest = session.scalar(
        select(func.min(Job.created_at)).where(Job.state == JobState.QUEUED.value)
    )
    if oldest is not None and oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=dt.UTC)
    return QueueFigures(
        waiting=counts.get(JobState.QUEUED.value, 0),
        running=counts.get(JobState.RUNNING.value, 0),
        stalled=stalled or 0,
        failed=counts.get(JobState.FAILED.value, 0),
        oldest_waiting_seconds=round((now - oldest).total_seconds(), 1) if oldest else None,
    )

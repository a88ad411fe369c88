"""Reading jobs: the secretariat reads every job; whoever asked for one reads theirs. Anyone else
is told that the job does not exist, as for a number no job has: its number says nothing of
others' work."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from stocktake.core.errors import NotFound, PermissionDenied
from stocktake.core.jobs.models import Job, JobState
from stocktake.core.permissions import Permission, Principal


def get_job(session: Session, job_id: int, *, by: Principal) -> Job:
    """The job, to the secretariat and to whoever asked for it. The public is asked to sign in
    first (a job's link followed from an e-mail, signed out), whether or not the job exists."""
    if by.user_id is None and not by.can(Permission.JOBS_READ):
        raise PermissionDenied(Permission.JOBS_READ)
    job = session.get(Job, job_id)
    if job is None or (
        not by.can(Permission.JOBS_READ)
        and (by.user_id is None or by.user_id != job.requested_by_id)
    ):
        raise NotFound("job", job_id)
    return job


def list_jobs(
    session: Session, *, by: Principal, state: str | None = None, limit: int = 50
) -> list[Job]:
    """The latest jobs, newest first (the secretariat's view of the queue)."""
    if not by.can(Permission.JOBS_READ):
        raise PermissionDenied(Permission.JOBS_READ)
    query = select(Job).order_by(Job.id.desc()).limit(limit)
    if state:
        query = query.where(Job.state == state)
    return list(session.scalars(query))


def job_under_way(
    session: Session, kind: str, *, by: Principal, same: Mapping[str, Any]
) -> Job | None:
    """The job of this kind that `by` asked for and that still waits or is at work, whose
    arguments hold `same`: asked for twice (a second click, a form sent again), the work is
    done once and both askers follow the same job. A job that has ended is never reused: what
    it made may be out of date."""
    query = (
        select(Job)
        .where(
            Job.kind == kind,
            Job.state.in_([JobState.QUEUED.value, JobState.RUNNING.value]),
            Job.requested_by_id == by.user_id
            if by.user_id is not None
            else Job.requested_by == by.label,
        )
        .order_by(Job.id.desc())
        .limit(20)
    )
    for job in session.scalars(query):
        if all(job.arguments.get(name) == value for name, value in same.items()):
            return job
    return None

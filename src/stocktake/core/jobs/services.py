"""Reading jobs: the secretariat reads every job; whoever asked for one reads theirs. Anyone else
is told that the job does not exist, as for a number no job has: its number says nothing of
others' work."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from stocktake.core.errors import NotFound, PermissionDenied
from stocktake.core.jobs.models import Job
from stocktake.core.permissions import Permission, Principal


def get_job(session: Session, job_id: int, *, by: Principal) -> Job:
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

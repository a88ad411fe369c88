"""Jobs in the JSON API: where a job stands (state, progress, reason, result) and, for a report,
its file. The secretariat reads every job; whoever asked for a job reads theirs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter
from fastapi.responses import FileResponse
from pydantic import BaseModel, ConfigDict

from stocktake.core.jobs.models import Job
from stocktake.core.jobs.services import get_job, list_jobs
from stocktake.core.permissions import Permission, Principal
from stocktake.site.views.jobs import job_file
from stocktake.web.deps import ApiPrincipal, DbSession

router = APIRouter(tags=["jobs"])


class JobOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    queue: str
    arguments: dict[str, Any]
    state: str
    stage: str
    progress: float
    result: dict[str, Any]
    reason: str
    attempts: int
    requested_by: str
    worker: str
    created_at: dt.datetime
    started_at: dt.datetime | None
    heartbeat_at: dt.datetime | None
    finished_at: dt.datetime | None


SERVER_PLACES = ("path", "folder")
"""Arguments that name places on the servers' disks: for the secretariat only."""


def job_out(job: Job, by: Principal) -> JobOut:
    out = JobOut.model_validate(job)
    if not by.can(Permission.JOBS_READ):
        out.arguments = {k: v for k, v in out.arguments.items() if k not in SERVER_PLACES}
    return out


@router.get(
    "/jobs", response_model=list[JobOut], summary="The latest jobs, newest first (secretariat)"
)
def read_jobs(session: DbSession, by: ApiPrincipal, state: str | None = None) -> list[JobOut]:
    return [job_out(j, by) for j in list_jobs(session, by=by, state=state)]


@router.get("/jobs/{job_id}", response_model=JobOut, summary="One job: its state and progress")
def read_job(job_id: int, session: DbSession, by: ApiPrincipal) -> JobOut:
    return job_out(get_job(session, job_id, by=by), by)


@router.get(
    "/jobs/{job_id}/file",
    response_class=FileResponse,
    summary="The file a done report job wrote (a Word document)",
)
def read_job_file(job_id: int, session: DbSession, by: ApiPrincipal) -> FileResponse:
    return job_file(session, job_id, by=by)

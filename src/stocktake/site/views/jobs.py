"""The pages of jobs: the secretariat's list of the latest jobs (waiting, at work, done, failed)
and one job's page, which refreshes itself while the job waits or runs and then links to what it
made (the analysis run, the inputs imported or the problems of a refused file, the Word document of
a report or a compilation). Whoever asked for a job reads its page too; anyone else signed in is
told it does not exist, as for a job that does not, and the public is asked to sign in first."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse
from sqlalchemy.orm import Session
from starlette.responses import Response

from stocktake.analysis.views.names import RUN_STAGE_NAMES
from stocktake.core.errors import NotFound, problems_of_data
from stocktake.core.jobs.files import made_path
from stocktake.core.jobs.services import get_job, list_jobs
from stocktake.core.permissions import Principal
from stocktake.web.deps import DbSession, PagePrincipal
from stocktake.web.languages import translatable
from stocktake.web.names import JOB_STATES
from stocktake.web.templating import render

router = APIRouter(include_in_schema=False)

JOB_STAGES = {
    **{k: v for k, v in RUN_STAGE_NAMES.items() if k not in ("queued", "done", "failed")},
    "reading": translatable("reading the file"),
    "importing": translatable("importing the rows"),
    "gathering": translatable("gathering the figures"),
    "writing": translatable("writing the document"),
    "compiling": translatable("compiling the text"),
}
"""What a job at work is doing (its stage, stored as a key), as its page says it."""


@router.get("/jobs")
def jobs_page(
    request: Request, session: DbSession, by: PagePrincipal, state: str = Query("", max_length=20)
) -> Response:
    chosen = state if state in JOB_STATES else ""
    jobs = list_jobs(session, by=by, state=chosen or None)
    return render(request, "jobs/list.html", by, jobs=jobs, state=chosen, states=list(JOB_STATES))


@router.get("/jobs/{job_id}")
def job_page(request: Request, job_id: int, session: DbSession, by: PagePrincipal) -> Response:
    job = get_job(session, job_id, by=by)
    return render(
        request,
        "jobs/job.html",
        by,
        job=job,
        stages=JOB_STAGES,
        has_file=made_path(job) is not None,
        problems=problems_of_data((job.result or {}).get("problems")),
    )


def job_file(session: Session, job_id: int, *, by: Principal) -> FileResponse:
    """The Word document a done job made (a report, a compilation), for the page and the API."""
    path = made_path(get_job(session, job_id, by=by))
    if path is None:
        raise NotFound("file of job", job_id)
    return FileResponse(
        path,
        filename=path.name,
        media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


@router.get("/jobs/{job_id}/file")
def job_file_page(job_id: int, session: DbSession, by: PagePrincipal) -> FileResponse:
    return job_file(session, job_id, by=by)

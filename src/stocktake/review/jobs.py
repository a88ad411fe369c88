"""A review cycle's report as a Word document, written by a job into a folder the servers read;
the job's file is offered for download when it is done. A cycle deleted fails the job."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from stocktake.core.db import transaction
from stocktake.core.errors import NotFound
from stocktake.core.jobs import Job, JobContext, JobFailed, add_job
from stocktake.core.jobs.files import made_path
from stocktake.core.permissions import Permission, Principal, require
from stocktake.process.services import get_process
from stocktake.review.services.cycles import get_cycle
from stocktake.review.services.report import build_cycle_report, cycle_report_docx, narrative_of

REVIEW_REPORT_JOB = "review_report"


def queue_review_report(
    session: Session, cycle: str, folder: Path, *, by: Principal, language: str = "en"
) -> Job:
    """Queue a review cycle's report as a Word document, written into `folder` (shared by the
    workers and the servers)."""
    require(by, Permission.REVIEW_MANAGE)
    with transaction(session):
        found = get_cycle(session, cycle)
        return add_job(
            session,
            REVIEW_REPORT_JOB,
            {"cycle": found.slug, "folder": str(folder.resolve()), "language": language},
            by=by,
            queue="reports",
        )


def report_path(job: Job) -> Path | None:
    """The file a done report job wrote, if it is still there."""
    return made_path(job) if job.kind == REVIEW_REPORT_JOB else None


def run_report_job(context: JobContext) -> dict[str, Any]:
    arguments = context.arguments
    with context.sessions() as session:
        try:
            cycle = get_cycle(session, arguments["cycle"])
        except NotFound as exc:
            raise JobFailed(f"the review cycle {arguments['cycle']} was deleted") from exc
        context.progress("gathering", 0.1)
        built = build_cycle_report(session, get_process(session), cycle)
        narrative = narrative_of(cycle, built.figures)
        context.progress("writing", 0.6)
        content = cycle_report_docx(built, narrative, arguments.get("language", "en"))
    folder = Path(arguments["folder"])
    folder.mkdir(parents=True, exist_ok=True)
    name = f"report-{context.job_id}-{arguments['cycle']}.docx"
    partial = folder / f".{name}.part"
    partial.write_bytes(content)
    partial.replace(folder / name)  # the whole file appears at once, or none
    return {"file": name, "bytes": len(content)}

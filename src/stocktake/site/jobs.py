"""What each kind of job does, registered with the job runner (stocktake.core.jobs) when this
module is imported: an analysis run, an import of inputs from a file, a review cycle's report
as a Word document. A job whose input vanished (its run deleted, its file removed, its cycle gone)
fails with that reason."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from stocktake.analysis.models import AnalysisRun, RunStatus
from stocktake.analysis.services import ANALYSIS_JOB, execute_run
from stocktake.consultation.files import read_inputs
from stocktake.consultation.services import import_inputs
from stocktake.core.db import transaction, utcnow
from stocktake.core.errors import Conflict, NotFound
from stocktake.core.jobs import Job, JobContext, JobFailed, add_job, register
from stocktake.core.permissions import Permission, Principal, require
from stocktake.process.services import get_process
from stocktake.review.services.cycles import get_cycle
from stocktake.review.services.report import build_cycle_report, cycle_report_docx, narrative_of

INPUTS_IMPORT_JOB = "inputs_import"
REVIEW_REPORT_JOB = "review_report"


# ---------------------------------------------------------------- analysis runs


def _analysis_run(context: JobContext) -> dict[str, Any]:
    run_id = context.arguments["run_id"]
    with context.sessions() as session:
        run = session.get(AnalysisRun, run_id)
        if run is None:
            raise JobFailed(f"analysis run {run_id} was deleted before it was executed")
        if run.status == RunStatus.COMPLETED:  # done by an earlier attempt, which then stopped
            return {"run_id": run.id}
        if run.status == RunStatus.FAILED:
            raise JobFailed(f"analysis run {run_id} had already ended: {run.error}")
        with transaction(session):
            run.worker = context.claim.worker
        try:
            execute_run(session, run, by=context.by, progress=context.progress)
        except Conflict:
            # an earlier attempt, taken for gone, stored it first: done, once
            session.refresh(run)
            if run.status != RunStatus.COMPLETED:
                raise
    return {"run_id": run_id}


def _analysis_failed(session: Session, job: Job, reason: str) -> None:
    run = session.get(AnalysisRun, job.arguments.get("run_id"))
    if run is not None and run.status == RunStatus.RUNNING:
        run.status, run.stage, run.error, run.finished_at = (
            RunStatus.FAILED.value,
            "failed",
            reason,
            utcnow(),
        )


# ---------------------------------------------------------------- imports of inputs


def queue_inputs_import(
    session: Session,
    path: Path,
    *,
    by: Principal,
    source: str | None = None,
    file_format: str | None = None,
    max_chars: int = 50_000,
    process: str | None = None,
    remove_after: bool = False,
) -> Job:
    """Queue an import of inputs from a file that the workers can read (a shared folder)."""
    require(by, Permission.INPUTS_IMPORT)
    with transaction(session):
        return add_job(
            session,
            INPUTS_IMPORT_JOB,
            {
                "path": str(path.resolve()),
                "source": source or path.name,
                "format": file_format,
                "max_chars": max_chars,
                "process": process,
                "remove_after": remove_after,
            },
            by=by,
            queue="imports",
        )


def _inputs_import(context: JobContext) -> dict[str, Any]:
    arguments = context.arguments
    path, source = Path(arguments["path"]), arguments["source"]
    context.progress("reading", 0.05)
    try:
        content = path.read_bytes()
    except FileNotFoundError as exc:
        raise JobFailed(f"the file {source} is gone ({path}): nothing was imported") from exc
    except OSError as exc:
        raise JobFailed(f"the file {source} cannot be read: {exc.strerror}") from exc
    rows = read_inputs(content, source, arguments.get("format"))
    context.progress("importing", 0.2)
    with context.sessions() as session:
        process = get_process(session, arguments.get("process"))
        report = import_inputs(
            session,
            process,
            rows,
            by=context.by,
            source=source,
            max_chars=arguments.get("max_chars", 50_000),
        )
    if arguments.get("remove_after"):
        path.unlink(missing_ok=True)
    return {"created": report.created, "unchanged": report.unchanged, "source": source}


# ---------------------------------------------------------------- reports


def queue_review_report(
    session: Session, cycle: str, folder: Path, *, by: Principal, language: str = "en"
) -> Job:
    """Queue a review cycle's report as a Word document, written into `folder` (shared by the
    workers and the servers); the job's page offers it for download when it is done."""
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
    name = (job.result or {}).get("file")
    if not name or job.state != "done":
        return None
    path = Path(job.arguments["folder"]) / name
    return path if path.is_file() else None


def _review_report(context: JobContext) -> dict[str, Any]:
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


register(ANALYSIS_JOB, _analysis_run, _analysis_failed)
register(INPUTS_IMPORT_JOB, _inputs_import)
register(REVIEW_REPORT_JOB, _review_report)

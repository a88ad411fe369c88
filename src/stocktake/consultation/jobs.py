"""An import of inputs from a file as a job: a file uploaded on the inputs import page or to the API
(kept in the jobs' folder until the job has read it), or named on the command line (in a folder
every worker reads). All rows or none, as any import; a refused file fails the job with its
problems, row by row; a file gone fails it with that reason."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from stocktake.config import Settings
from stocktake.consultation.files import read_inputs
from stocktake.consultation.services import import_inputs
from stocktake.core.db import transaction
from stocktake.core.errors import ValidationFailed
from stocktake.core.jobs import Job, JobContext, JobFailed, add_job, run_at_once
from stocktake.core.jobs.files import jobs_folder, keep_upload
from stocktake.core.jobs.runner import Sessions
from stocktake.core.permissions import Permission, Principal, require
from stocktake.process.models import Process
from stocktake.process.services import get_process

INPUTS_IMPORT_JOB = "inputs_import"
WAITED_FOR_ROWS = 1000
"""An uploaded file of at most this many rows is imported at once, its page (or the API's
answer) waiting that moment; a larger one by a worker, its job's page following it."""


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


def queue_upload_import(
    session: Session,
    process: Process,
    content: bytes,
    name: str,
    *,
    by: Principal,
    folder: Path,
    max_chars: int = 50_000,
) -> tuple[Job, int]:
    """Queue the import of an uploaded file: a file that is not one of inputs (its format, its
    columns, a NUL) is refused here, before anything is kept; else it is kept in the jobs' folder
    until its job has read it. The job, and the number of rows the file has."""
    require(by, Permission.INPUTS_IMPORT)
    rows = read_inputs(content, name)
    path = keep_upload(folder, content, name)
    job = queue_inputs_import(
        session,
        path,
        by=by,
        source=name,
        max_chars=max_chars,
        process=process.slug,
        remove_after=True,
    )
    return job, len(rows)


def import_upload(
    session: Session,
    sessions: Sessions,
    process: Process,
    content: bytes,
    name: str,
    *,
    by: Principal,
    settings: Settings,
) -> Job:
    """An uploaded file's import, as the page and the API ask for it: queued as a job (a file
    that is not one of inputs is refused before), and run here at once when it has at most
    WAITED_FOR_ROWS rows, so that the answer can say what was imported."""
    job, rows = queue_upload_import(
        session,
        process,
        content,
        name,
        by=by,
        folder=jobs_folder(settings),
        max_chars=settings.max_input_chars,
    )
    if rows <= WAITED_FOR_ROWS:
        run_at_once(sessions, job.id, settings)
        session.refresh(job)
    return job


def run_import_job(context: JobContext) -> dict[str, Any]:
    arguments = context.arguments
    path, source = Path(arguments["path"]), arguments["source"]
    context.progress("reading", 0.05)
    try:
        content = path.read_bytes()
    except FileNotFoundError as exc:
        raise JobFailed(f"the file {source} is gone ({path}): nothing was imported") from exc
    except OSError as exc:
        raise JobFailed(f"the file {source} cannot be read: {exc.strerror}") from exc
    try:
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
    except ValidationFailed:
        if arguments.get("remove_after"):  # refused whole: it is uploaded again, corrected
            path.unlink(missing_ok=True)
        raise
    if arguments.get("remove_after"):
        path.unlink(missing_ok=True)
    return {"created": report.created, "unchanged": report.unchanged, "source": source}

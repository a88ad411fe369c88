"""A draft's compilation text as a Word document, made by a job: a compilation of thousands of
amendments takes longer than a page should wait. The job records the draft, the revision its
working text follows and the round then under way; the document is written once, under the job's
number, and never changes after (download it from /jobs/{id}/file)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stocktake.config import Settings
from stocktake.core.db import transaction
from stocktake.core.errors import Conflict
from stocktake.core.jobs import Job, JobContext, JobFailed, JobState, add_job, run_at_once
from stocktake.core.jobs.files import made_folder, write_made
from stocktake.core.jobs.runner import Sessions
from stocktake.core.jobs.services import job_under_way
from stocktake.core.permissions import Principal
from stocktake.core.translation import Counted, Text
from stocktake.negotiation.exports import compilation_paper
from stocktake.negotiation.formats.compilation import compile_text
from stocktake.negotiation.formats.writing import compilation_docx
from stocktake.negotiation.models import PENDING, Amendment, Draft
from stocktake.negotiation.services import require_working_text, working_nodes
from stocktake.negotiation.services.queries import pending_views
from stocktake.negotiation.services.revisions import rounds_of
from stocktake.process.models import Process

COMPILATION_DOCX_JOB = "compilation_docx"
WAITED_FOR_AMENDMENTS = 300
"""A compilation of at most this many pending amendments is made at once (the page then offers
its download straight away); a larger one by a worker, its job's page following it."""


def pending_count(session: Session, draft: Draft) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(Amendment)
            .where(
                Amendment.draft_id == draft.id,
                Amendment.status.in_([s.value for s in PENDING]),
            )
        )
        or 0
    )


def refuse_large_docx(session: Session, draft: Draft) -> None:
    """A Word document of a compilation larger than a request should wait for is made by a job
    only: asked for at once (a GET), it is refused with the way to ask for it."""
    if pending_count(session, draft) > WAITED_FOR_AMENDMENTS:
        raise Conflict(
            Text(
                "a compilation of more than %(num)s pending amendments is made as a Word document "
                "by a job: use the Word (DOCX) button of the compilation page, or POST "
                "/api/v1/drafts/%(draft)s/compilation/docx",
                num=Counted(WAITED_FOR_AMENDMENTS),
                draft=draft.id,
            )
        )


def queue_compilation_docx(
    session: Session, process: Process, draft: Draft, *, by: Principal, folder: Path
) -> Job:
    """Queue the compilation text of `draft` as a Word document, written into `folder` (the jobs'
    folder every server and worker reads). Whoever reads the compilation text may ask for it."""
    require_working_text(session, process, by)
    revision = draft.revisions[-1] if draft.revisions else None
    rounds = [
        r for r in rounds_of(session, draft) if revision and r.revision_number == revision.number
    ]
    current = rounds[-1] if rounds else None
    with transaction(session):
        # askers of one draft's document take their turn (PostgreSQL: the draft's row; SQLite's
        # write transaction is already one at a time), so that a second click finds the first job
        session.execute(select(Draft.id).where(Draft.id == draft.id).with_for_update())
        made_from = {
            "draft_id": draft.id,
            "revision_number": revision.number if revision else None,
            "round_id": current.id if current else None,
            "pending": pending_count(session, draft),
        }
        under_way = job_under_way(session, COMPILATION_DOCX_JOB, by=by, same=made_from)
        if under_way is not None:
            return under_way
        return add_job(
            session,
            COMPILATION_DOCX_JOB,
            {
                **made_from,
                "process": process.slug,
                "draft_title": draft.title,
                "revision_label": revision.label if revision else "",
                "round_name": current.name if current else "",
                "folder": str(folder.resolve()),
            },
            by=by,
            queue="reports",
        )


def ask_compilation_docx(
    session: Session,
    sessions: Sessions,
    process: Process,
    draft: Draft,
    *,
    by: Principal,
    settings: Settings,
) -> Job:
    """The compilation text as a Word document, as the page and the API ask for it: a job, run
    here at once when at most WAITED_FOR_AMENDMENTS amendments are pending, else by a worker."""
    job = queue_compilation_docx(session, process, draft, by=by, folder=made_folder(settings))
    if job.state == JobState.QUEUED and job.arguments["pending"] <= WAITED_FOR_AMENDMENTS:
        run_at_once(sessions, job.id, settings)
        session.refresh(job)
    return job


def run_compilation_job(context: JobContext) -> dict[str, Any]:
    arguments = context.arguments
    draft_id = arguments["draft_id"]
    with context.sessions() as session:
        # its asker's reading of the compilation was checked when they asked (the queue)
        draft = session.get(Draft, draft_id)
        if draft is None:
            raise JobFailed(f"the draft {draft_id} was deleted")
        context.progress("compiling", 0.1)
        nodes, views = working_nodes(draft), pending_views(session, draft, draft.language)
        compilation = compile_text(draft.title, nodes, views, draft.language)
        context.progress("writing", 0.5)
        content = compilation_docx(
            compilation, compilation_paper(draft, compilation.made_on, compiled=True)
        )
    name = f"compilation-{context.job_id}-draft-{draft_id}.docx"
    path = write_made(Path(arguments["folder"]), name, content)
    return {"file": name, "bytes": path.stat().st_size}

"""The compilation text as a Word document, made by a job (a compilation of thousands of
amendments takes longer than a request should wait): a small one is made at once (201), a larger
one by a worker (202); either way the document is then at /api/v1/jobs/{job_id}/file, and never
changes."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel

from stocktake.core.jobs import JobState
from stocktake.negotiation.jobs import ask_compilation_docx
from stocktake.negotiation.services import get_draft
from stocktake.process.deps import CurrentProcess
from stocktake.web.deps import ApiPrincipal, AppSettings, DbSession

router = APIRouter(tags=["negotiation"])


class CompilationJobOut(BaseModel):
    job_id: int
    state: str
    draft_id: int
    revision_number: int | None
    round_id: int | None
    file: str | None
    """Where the Word document is once the job is done."""


@router.post(
    "/drafts/{draft_id}/compilation/docx",
    response_model=CompilationJobOut,
    status_code=201,
    summary="Make the compilation text as a Word document, by a job",
    description=(
        "A compilation of at most 300 pending amendments is made at once (201); a larger one is "
        "queued for a worker (202: follow it at /api/v1/jobs/{job_id}). The document is then at "
        "/api/v1/jobs/{job_id}/file."
    ),
)
def post_compilation_docx(
    request: Request,
    response: Response,
    draft_id: int,
    session: DbSession,
    process: CurrentProcess,
    settings: AppSettings,
    by: ApiPrincipal,
) -> CompilationJobOut:
    draft = get_draft(session, process, draft_id, by=by)
    job = ask_compilation_docx(
        session, request.app.state.sessions, process, draft, by=by, settings=settings
    )
    if job.state != JobState.DONE:
        response.status_code = 202
    return CompilationJobOut(
        job_id=job.id,
        state=job.state,
        draft_id=draft.id,
        revision_number=job.arguments.get("revision_number"),
        round_id=job.arguments.get("round_id"),
        file=f"/api/v1/jobs/{job.id}/file" if job.state == JobState.DONE else None,
    )

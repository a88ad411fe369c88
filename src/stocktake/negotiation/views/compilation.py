"""The compilation text as a Word document, from the compilation page: made by a job. A
compilation of a few hundred amendments is made at once, its job's page offering the document
straight away; a larger one by a worker, while its job's page follows it."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from stocktake.core.jobs import JobState
from stocktake.negotiation.jobs import ask_compilation_docx
from stocktake.negotiation.services import get_draft
from stocktake.process.deps import CurrentProcess
from stocktake.web.deps import AppSettings, CheckCsrf, DbSession, PagePrincipal
from stocktake.web.flash import flash

router = APIRouter(include_in_schema=False)


@router.post("/drafts/{draft_id}/compilation/docx", dependencies=[CheckCsrf])
def post_compilation_docx(
    request: Request,
    draft_id: int,
    session: DbSession,
    process: CurrentProcess,
    settings: AppSettings,
    by: PagePrincipal,
) -> Response:
    draft = get_draft(session, process, draft_id, by=by)
    job = ask_compilation_docx(
        session, request.app.state.sessions, process, draft, by=by, settings=settings
    )
    if job.state == JobState.DONE:
        flash(
            request,
            "The compilation text is ready as a Word document (job %(job)s).",
            values={"job": job.id},
        )
    elif job.state == JobState.FAILED:
        flash(
            request,
            "The Word document of the compilation text could not be made; job %(job)s says why.",
            "error",
            {"job": job.id},
        )
    else:
        flash(
            request,
            "The compilation text is being made as a Word document by job %(job)s; this page offers "
            "it when it is ready.",
            values={"job": job.id},
        )
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)

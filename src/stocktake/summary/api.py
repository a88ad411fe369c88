from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from starlette.responses import Response

from stocktake.process.deps import CurrentProcess
from stocktake.summary.exports import export
from stocktake.summary.schemas import GenerateIn, PublishIn, SummaryOut, VersionIn, VersionOut
from stocktake.summary.services import (
    editable_summary,
    generate_summary_of_run,
    get_summary,
    list_summaries,
    publish_summary,
    save_version,
)
from stocktake.web.deps import ApiPrincipal, DbSession

router = APIRouter(tags=["summary"])


@router.get(
    "/summaries",
    response_model=list[SummaryOut],
    summary="Summaries: all for the secretariat, the published ones for others",
)
def read_summaries(
    session: DbSession, process: CurrentProcess, by: ApiPrincipal
) -> list[SummaryOut]:
    return [SummaryOut.of(session, s, by) for s in list_summaries(session, process, by=by)]


@router.post(
    "/summaries",
    response_model=SummaryOut,
    status_code=201,
    summary="Generate a summary from an analysis run",
)
def post_summary(
    body: GenerateIn, session: DbSession, process: CurrentProcess, by: ApiPrincipal
) -> SummaryOut:
    summary = generate_summary_of_run(session, process, body.run_id, language=body.language, by=by)
    return SummaryOut.of(session, summary, by)


@router.get(
    "/summaries/{summary_id}", response_model=SummaryOut, summary="A summary with its versions"
)
def read_summary(summary_id: int, session: DbSession, by: ApiPrincipal) -> SummaryOut:
    return SummaryOut.of(session, get_summary(session, summary_id, by=by), by)


@router.post(
    "/summaries/{summary_id}/versions",
    response_model=VersionOut,
    status_code=201,
    summary="Save an edited text as a new version",
)
def post_version(
    summary_id: int, body: VersionIn, session: DbSession, by: ApiPrincipal
) -> VersionOut:
    summary = editable_summary(session, summary_id, by=by)
    return VersionOut.of(
        save_version(
            session, summary, body.markdown, note=body.note, based_on=body.based_on, by=by
        ),
        by,
    )


@router.get(
    "/summaries/{summary_id}/export",
    summary="A version as Markdown, HTML or DOCX, or its sources as CSV",
)
def export_version(
    summary_id: int,
    session: DbSession,
    by: ApiPrincipal,
    format: Literal["md", "html", "docx", "csv"] = "md",
    version: int = 0,
) -> Response:
    return export(
        session, get_summary(session, summary_id, by=by), format, by=by, number=version or None
    )


@router.post(
    "/summaries/{summary_id}/publish",
    response_model=SummaryOut,
    summary="Publish a version: the public then reads it",
)
def post_publish(
    summary_id: int, body: PublishIn, session: DbSession, by: ApiPrincipal
) -> SummaryOut:
    summary = editable_summary(session, summary_id, by=by)
    publish_summary(session, summary, body.version, by=by, despite_warnings=body.confirm)
    return SummaryOut.of(session, summary, by)

from __future__ import annotations

import datetime as dt
from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from stocktake.analysis.services import get_run, latest_run
from stocktake.core.errors import NotFound
from stocktake.summary.models import Summary
from stocktake.summary.services import generate_summary, get_summary, list_summaries, save_version
from stocktake.summary.views import export
from stocktake.web.deps import ApiPrincipal, CurrentProcess, DbSession

router = APIRouter(tags=["summary"])


class VersionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    number: int
    note: str
    saved_by: str
    created_at: dt.datetime


class SummaryOut(BaseModel):
    id: int
    title: str
    run_id: int | None
    versions: list[VersionOut]
    markdown: str = Field(description="The current version's text")

    @classmethod
    def of(cls, summary: Summary) -> SummaryOut:
        return cls(
            id=summary.id,
            title=summary.title,
            run_id=summary.run_id,
            versions=[VersionOut.model_validate(v) for v in summary.versions],
            markdown=summary.current.markdown,
        )


class GenerateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    run_id: int | None = Field(None, description="Default: the latest completed run")


class VersionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    markdown: str = Field(min_length=1)
    note: str = Field("", max_length=500)


@router.get("/summaries", response_model=list[SummaryOut], summary="Summaries (secretariat)")
def read_summaries(
    session: DbSession, process: CurrentProcess, by: ApiPrincipal
) -> list[SummaryOut]:
    return [SummaryOut.of(s) for s in list_summaries(session, process, by=by)]


@router.post(
    "/summaries",
    response_model=SummaryOut,
    status_code=201,
    summary="Generate a summary from an analysis run",
)
def post_summary(
    body: GenerateIn, session: DbSession, process: CurrentProcess, by: ApiPrincipal
) -> SummaryOut:
    run = get_run(session, body.run_id) if body.run_id else latest_run(session, process)
    if run is None:
        raise NotFound("completed analysis run", process.slug)
    return SummaryOut.of(generate_summary(session, process, run, by=by))


@router.get(
    "/summaries/{summary_id}", response_model=SummaryOut, summary="A summary with its versions"
)
def read_summary(summary_id: int, session: DbSession, by: ApiPrincipal) -> SummaryOut:
    return SummaryOut.of(get_summary(session, summary_id, by=by))


@router.post(
    "/summaries/{summary_id}/versions",
    response_model=VersionOut,
    status_code=201,
    summary="Save an edited text as a new version",
)
def post_version(
    summary_id: int, body: VersionIn, session: DbSession, by: ApiPrincipal
) -> VersionOut:
    summary = get_summary(session, summary_id, by=by)
    return VersionOut.model_validate(
        save_version(session, summary, body.markdown, note=body.note, by=by)
    )


@router.get("/summaries/{summary_id}/export", summary="A version as Markdown, HTML or DOCX")
def export_version(
    summary_id: int,
    session: DbSession,
    by: ApiPrincipal,
    format: Literal["md", "html", "docx"] = "md",
    version: int = 0,
) -> Response:
    return export(get_summary(session, summary_id, by=by), format, version or None)

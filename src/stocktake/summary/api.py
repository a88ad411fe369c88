from __future__ import annotations

import datetime as dt
from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from stocktake.analysis.services import get_run, latest_run
from stocktake.core.errors import NotFound
from stocktake.core.permissions import Permission, Principal, require
from stocktake.summary.exports import export
from stocktake.summary.models import Summary
from stocktake.summary.services import (
    generate_summary,
    get_summary,
    list_summaries,
    publish_summary,
    save_version,
    visible_version,
)
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
    published_version: int | None
    versions: list[VersionOut] = Field(
        description="Every version for the secretariat; the published one for others"
    )
    markdown: str = Field(
        description="The latest version for the secretariat; the published one for others"
    )

    @classmethod
    def of(cls, summary: Summary, by: Principal) -> SummaryOut:
        version = visible_version(summary, by=by)
        versions = summary.versions if by.can(Permission.SUMMARY_READ) else [version]
        return cls(
            id=summary.id,
            title=summary.title,
            run_id=summary.run_id,
            published_version=summary.published_version,
            versions=[VersionOut.model_validate(v) for v in versions],
            markdown=version.markdown,
        )


class PublishIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1)


class GenerateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    run_id: int | None = Field(None, description="Default: the latest completed run")


class VersionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    markdown: str = Field(min_length=1)
    note: str = Field("", max_length=500)


@router.get(
    "/summaries",
    response_model=list[SummaryOut],
    summary="Summaries: all for the secretariat, the published ones for others",
)
def read_summaries(
    session: DbSession, process: CurrentProcess, by: ApiPrincipal
) -> list[SummaryOut]:
    return [SummaryOut.of(s, by) for s in list_summaries(session, process, by=by)]


@router.post(
    "/summaries",
    response_model=SummaryOut,
    status_code=201,
    summary="Generate a summary from an analysis run",
)
def post_summary(
    body: GenerateIn, session: DbSession, process: CurrentProcess, by: ApiPrincipal
) -> SummaryOut:
    # the permission first: whether a run exists is not told to those who may not generate
    require(by, Permission.SUMMARY_EDIT)
    run = get_run(session, body.run_id) if body.run_id else latest_run(session, process)
    if run is None:
        raise NotFound("completed analysis run", process.slug)
    return SummaryOut.of(generate_summary(session, process, run, by=by), by)


@router.get(
    "/summaries/{summary_id}", response_model=SummaryOut, summary="A summary with its versions"
)
def read_summary(summary_id: int, session: DbSession, by: ApiPrincipal) -> SummaryOut:
    return SummaryOut.of(get_summary(session, summary_id, by=by), by)


@router.post(
    "/summaries/{summary_id}/versions",
    response_model=VersionOut,
    status_code=201,
    summary="Save an edited text as a new version",
)
def post_version(
    summary_id: int, body: VersionIn, session: DbSession, by: ApiPrincipal
) -> VersionOut:
    require(by, Permission.SUMMARY_EDIT)
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
    return export(get_summary(session, summary_id, by=by), format, by=by, number=version or None)


@router.post(
    "/summaries/{summary_id}/publish",
    response_model=SummaryOut,
    summary="Publish a version: the public then reads it",
)
def post_publish(
    summary_id: int, body: PublishIn, session: DbSession, by: ApiPrincipal
) -> SummaryOut:
    require(by, Permission.SUMMARY_EDIT)
    summary = get_summary(session, summary_id, by=by)
    publish_summary(session, summary, body.version, by=by)
    return SummaryOut.of(summary, by)

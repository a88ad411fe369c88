from __future__ import annotations

import datetime as dt
from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session
from starlette.responses import Response

from stocktake.analysis.services import get_run, latest_run
from stocktake.core.errors import NotFound
from stocktake.core.permissions import Permission, Principal, require
from stocktake.summary.exports import export
from stocktake.summary.models import Summary, SummaryVersion
from stocktake.summary.services import (
    generate_summary,
    get_summary,
    list_summaries,
    publish_summary,
    readable_markdown,
    save_version,
    visible_version,
)
from stocktake.web.deps import ApiPrincipal, CurrentProcess, DbSession

router = APIRouter(tags=["summary"])


class VersionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    number: int
    note: str
    saved_by: str | None = Field(description="Who saved it: shown to the secretariat only")
    created_at: dt.datetime

    @classmethod
    def of(cls, version: SummaryVersion, by: Principal) -> VersionOut:
        shown = cls.model_validate(version)
        if not by.can(Permission.SUMMARY_READ):
            shown.saved_by = None
        return shown


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
    def of(cls, session: Session, summary: Summary, by: Principal) -> SummaryOut:
        version = visible_version(summary, by=by)
        versions = summary.versions if by.can(Permission.SUMMARY_READ) else [version]
        return cls(
            id=summary.id,
            title=summary.title,
            run_id=summary.run_id,
            published_version=summary.published_version,
            versions=[VersionOut.of(v, by) for v in versions],
            markdown=readable_markdown(session, version.markdown, by=by),
        )


class PublishIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1)
    confirm: bool = Field(
        False,
        description="Publish even when the text still holds draft markers or links to unpublished "
        "inputs (otherwise 409 names them)",
    )


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
    run = get_run(session, body.run_id) if body.run_id else latest_run(session, process)
    if run is None:
        raise NotFound("completed analysis run", process.slug)
    return SummaryOut.of(session, generate_summary(session, process, run, by=by), by)


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
    require(by, Permission.SUMMARY_EDIT)
    summary = get_summary(session, summary_id, by=by)
    return VersionOut.of(save_version(session, summary, body.markdown, note=body.note, by=by), by)


@router.get("/summaries/{summary_id}/export", summary="A version as Markdown, HTML or DOCX")
def export_version(
    summary_id: int,
    session: DbSession,
    by: ApiPrincipal,
    format: Literal["md", "html", "docx"] = "md",
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
    require(by, Permission.SUMMARY_EDIT)
    summary = get_summary(session, summary_id, by=by)
    publish_summary(session, summary, body.version, by=by, despite_warnings=body.confirm)
    return SummaryOut.of(session, summary, by)

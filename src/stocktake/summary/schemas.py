"""The summary's API shapes."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from stocktake.core.permissions import Permission, Principal
from stocktake.summary.models import Summary, SummaryVersion
from stocktake.summary.services import readable_markdown, visible_version


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
    language: str
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
            language=summary.language,
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
    language: str = Field(
        "en",
        max_length=10,
        description="The summary's language, one of the six UN languages: en, fr, es, ar, ru, zh",
    )


class VersionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    markdown: str = Field(min_length=1)
    note: str = Field("", max_length=500)
    based_on: int | None = Field(
        None, ge=1, description="The version edited; refused (422) when it is no longer the latest"
    )

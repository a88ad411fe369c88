from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from stocktake.consultation.models import Input
from stocktake.consultation.references import format_reference


class InputOut(BaseModel):
    id: int
    kind: str
    submitter: str
    submitter_name: str
    on_behalf_of: str | None
    meeting: str | None
    title: str
    text: str
    language: str
    dimensions: list[str]
    input_types: list[str]
    references: list[str]
    status: str
    withdrawn_reason: str
    external_id: str | None
    channel: str
    submitted_at: dt.datetime | None
    attachment_name: str

    @classmethod
    def of(cls, record: Input) -> InputOut:
        return cls(
            id=record.id,
            kind=record.kind,
            submitter=record.actor.code,
            submitter_name=record.actor.name,
            on_behalf_of=record.on_behalf_of.code if record.on_behalf_of else None,
            meeting=record.meeting.slug if record.meeting else None,
            title=record.title,
            text=record.text,
            language=record.language,
            dimensions=record.tag_keys("dimensions"),
            input_types=record.tag_keys("input_types"),
            references=[format_reference(r.scheme, r.code) for r in record.references],
            status=record.status,
            withdrawn_reason=record.withdrawn_reason,
            external_id=record.external_id,
            channel=record.channel,
            submitted_at=record.submitted_at,
            attachment_name=record.attachment_name,
        )


class InputIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1)
    title: str = Field("", max_length=300)
    kind: Literal["card", "contribution", "statement"] = "card"
    submitter: str = Field("", description="Actor code; default: the token holder's own actor")
    on_behalf_of: str = Field("", description="Code of a group of states the submitter speaks for")
    meeting: str = Field("", description="Slug of the meeting where the input was made")
    dimensions: list[str] = Field(default_factory=list, description="Dimension keys or names")
    input_types: list[str] = Field(default_factory=list, description="Input type keys or names")
    references: list[str] = Field(
        default_factory=list,
        description="SDG goals, targets or indicators ('SDG 10.7', '10.7.2') or codes of the "
        "process's instruments",
    )
    language: str = Field("", description="ISO 639-1 code; detected when empty")
    external_id: str = Field(
        "", max_length=120, description="Your system's id, to avoid duplicates"
    )
    status: Literal["draft", "submitted"] = "submitted"


class InputPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(None, min_length=1)
    title: str | None = Field(None, max_length=300)
    kind: Literal["card", "contribution", "statement"] | None = None
    meeting: str | None = None
    dimensions: list[str] | None = None
    input_types: list[str] | None = None
    references: list[str] | None = None
    language: str | None = None


class WithdrawIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=2000)


class TagsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    dimensions: list[str]
    input_types: list[str]


class InputPageOut(BaseModel):
    items: list[InputOut]
    total: int = Field(description="How many inputs match, on every page")
    page: int
    pages: int
    per_page: int
    next: str | None = Field(description="The URL of the next page; null on the last")


class ImportOut(BaseModel):
    """An import of a file, done by a job: done at once for a small file (201), else waiting for a
    worker (202, follow it at /api/v1/jobs/{job_id})."""

    source: str
    created: int
    unchanged: int
    job_id: int
    state: str


class ModerationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: Literal["publish", "withdraw", "tag", "retag"] = Field(
        description="tag adds the tags given to each input's own; retag sets the vocabularies given"
    )
    ids: list[int] = Field(min_length=1, max_length=500, description="The inputs to act on")
    reason: str = Field("", max_length=2000, description="Needed to withdraw")
    dimensions: list[str] = Field(
        default_factory=list, description="Tag or retag: these dimensions"
    )
    input_types: list[str] = Field(
        default_factory=list, description="Tag or retag: these input types"
    )


class ModerationOut(BaseModel):
    action: str
    changed: list[int]
    unchanged: list[int] = Field(description="Already in the state asked for")

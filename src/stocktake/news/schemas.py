from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field


class LinkIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    href: str = Field(
        max_length=500, description="A page of this site the public can read, or an http(s) address"
    )
    label: str = Field("", max_length=200)


class TranslationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(max_length=300)
    body: str = Field("", max_length=20_000)


class NewsOut(BaseModel):
    id: int
    status: str = Field(description="draft, published or withdrawn")
    origin: str = Field(
        description="The event it was drafted from (summary_published, revision_issued, meeting_added, …); empty when written by hand"
    )
    language: str = Field(description="The language of title and body")
    title: str
    body: str
    links: list[LinkIn]
    translations: dict[str, TranslationIn]
    published_at: dt.datetime | None
    updated_at: dt.datetime


class NewsPageOut(BaseModel):
    items: list[NewsOut]
    total: int
    page: int
    pages: int
    per_page: int
    next: str | None


class NewsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=300)
    body: str = Field("", max_length=20_000)
    language: str | None = Field(None, description="Default: the process's language")
    links: list[LinkIn] = Field(default_factory=list, max_length=12)
    translations: dict[str, TranslationIn] = Field(default_factory=dict)
    publish: bool = Field(False, description="Publish at once; otherwise kept as a draft")


class NewsPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(None, min_length=1, max_length=300)
    body: str | None = Field(None, max_length=20_000)
    language: str | None = None
    links: list[LinkIn] | None = Field(None, max_length=12)
    translations: dict[str, TranslationIn] | None = Field(
        None, description="Replaces every translation"
    )

"""The API shapes of accounts."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field


class TokenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(min_length=3, max_length=320)
    password: str = Field(min_length=1, max_length=1000)
    name: str = Field("", max_length=100, description="A label to recognise the token by")


class TokenOut(BaseModel):
    token: str = Field(description="Send as `Authorization: Bearer <token>`; shown once")
    role: str
    expires_at: dt.datetime | None


class TokenInfoOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    prefix: str = Field(description="The token's first characters, to recognise it by")
    created_at: dt.datetime
    expires_at: dt.datetime | None
    revoked: bool


class MeOut(BaseModel):
    role: str
    email: str | None
    actor_id: int | None

"""The API shapes of accounts."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class TokenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(min_length=3, max_length=320)
    password: str = Field(min_length=1, max_length=1000)
    name: str = Field("", max_length=100, description="A label to recognise the token by")


class TokenOut(BaseModel):
    token: str = Field(description="Send as `Authorization: Bearer <token>`; shown once")
    role: str


class MeOut(BaseModel):
    role: str
    email: str | None
    actor_id: int | None

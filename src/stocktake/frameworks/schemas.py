"""The API shapes of the frameworks."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class FrameworkItemOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    level: str
    code: str
    parent_code: str | None
    short: dict[str, str]
    texts: dict[str, str]

"""The API shapes of the audit log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class AuditEventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    created_at: dt.datetime
    action: str
    user_label: str
    acting_for_id: int | None
    target_type: str
    target_key: str
    summary: str
    changes: dict[str, Any]


class AuditPageOut(BaseModel):
    items: list[AuditEventOut]
    total: int = Field(description="How many events match, on every page")
    page: int
    pages: int
    per_page: int
    next: str | None = Field(description="The URL of the next page; null on the last")

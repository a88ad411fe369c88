"""The analysis's API shapes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict


class RunOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    status: str
    stage: str
    progress: float
    params: dict[str, Any]
    stats: dict[str, Any]
    error: str
    started_by: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    job_id: int | None = None


class ClusterOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    number: int
    label: str
    representative_id: int
    size: int
    ideas: int
    support: dict[str, Any]
    dimensions: list[str]
    input_types: list[str]
    confirmed_id: int | None

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict


class PhaseOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    key: str
    name: str
    start_date: dt.date
    end_date: dt.date
    description: str


class TermOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    vocabulary: str
    key: str
    name: str
    names: dict[str, str]
    description: str


class ProcessOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    slug: str
    name: str
    short_name: str
    mandate: str
    description: str
    phases: list[PhaseOut]
    terms: list[TermOut]

"""Shapes of the review API."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field


class ObjectiveOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    number: int
    paragraph: str
    title: str
    sdg_indicators: list[str]


class IndicatorOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str = Field(description="As in Open SDG file names, e.g. 10-c-1")
    sdg_code: str | None
    title: str
    level: str
    unit: str
    direction: str | None
    base_year: float | None
    target: float | None
    target_year: float | None
    natural_limit: float | None
    manual_status: str | None
    series_codes: list[str]


class SeriesProgressOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    series: str
    unit: str
    status: str
    score: float | None
    base_time: float | None
    base_value: float | None
    current_time: float | None
    current_value: float | None
    cagr: float | None
    required_cagr: float | None
    ratio: float | None
    scaling: float | None
    expected_value: float | None
    note: str


class ProgressOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    indicator: str
    method: str
    score: float | None
    status: str
    manual: bool
    note: str
    series: list[SeriesProgressOut]


class PledgeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    actor: str = Field("", description="The pledging actor's code; default: the caller's own")
    title: str
    description: str = Field(description="300 to 3,000 characters")
    kind: str = Field(description="financial, human_resources, process or policy")
    level: str = Field(description="local, national, regional or global")
    objectives: list[int] = Field(description="Objective numbers, e.g. [6, 20]")
    actions: list[str] = Field([], description='Actions as objective(letter), e.g. ["20(b)"]')
    start_year: int
    end_year: int
    mode: str = Field("single", description="single, joint (with partners) or matching")
    partners: list[str] = Field([], description="Partner actors' codes, for a joint pledge")
    matches: int | None = Field(None, description="The id of the pledge a matching pledge matches")
    status: str = "planned"


class PledgeUpdateOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    status: str
    note: str
    recorded_at: dt.datetime


class PledgeOut(BaseModel):
    id: int
    actor: str
    mode: str
    partners: list[str]
    matches: int | None
    title: str
    description: str
    kind: str
    level: str
    objectives: list[int]
    actions: list[str]
    start_year: int
    end_year: int
    status: str
    published: bool
    history: list[PledgeUpdateOut]


class StatusIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: str = Field(description="planned, in_progress, completed or discontinued")
    note: str = ""

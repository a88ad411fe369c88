"""Shapes of the review API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

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


class ReportedOut(BaseModel):
    """What a report of a country's observations stored."""

    indicator: str = Field(description="The indicator's code, e.g. 10-c-1")
    sdg_code: str = Field(description="Its SDG code, e.g. 10.c.1 (the code, for a national one)")
    country: str = Field(description="ISO3 code of the country the observations are of")
    stored: int = Field(description="Observations stored")
    replaced: int = Field(description="Observations of that country stored before, replaced")
    blank: int = Field(description="Rows without a value (no figure), skipped")


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
    country: str
    method: str
    score: float | None
    status: str
    manual: bool
    note: str
    published_score: float | None = Field(
        None, description="the headline score the country's platform publishes, where it does"
    )
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
    amount: Decimal | None = Field(None, description="What is pledged in money, e.g. 250000.00")
    currency: str = Field("", description="The amount's ISO 4217 currency code, e.g. USD")
    answers: int | None = Field(
        None, description="The id of the published capacity need of another actor it answers"
    )


class PledgeUpdateOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    status: str
    note: str
    recorded_at: dt.datetime


class ConfirmationOut(BaseModel):
    actor: str = Field(description="The partner's actor code")
    confirmed_at: dt.datetime
    on_behalf: bool = Field(description="Recorded by the secretariat on the partner's behalf")
    note: str = Field(description="How a confirmation recorded on a partner's behalf came")


class ConfirmIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    partner: str = Field(
        "", description="The secretariat only: the partner whose confirmation it records"
    )
    note: str = Field("", description="With partner: how the confirmation came, e.g. by letter")


class PledgeOut(BaseModel):
    id: int
    actor: str
    mode: str
    partners: list[str]
    confirmations: list[ConfirmationOut] = Field(
        description="The partners of a joint pledge that have confirmed it"
    )
    matches: int | None
    title: str
    description: str
    kind: str
    level: str
    objectives: list[int]
    actions: list[str]
    start_year: int
    end_year: int
    amount: Decimal | None
    currency: str
    answers: int | None = Field(description="The capacity need it answers")
    status: str
    published: bool
    history: list[PledgeUpdateOut]


class StatusIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: str = Field(description="planned, in_progress, completed or discontinued")
    note: str = ""


class CycleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)
    title: str
    scope: str = Field(description="national, regional or global")
    region: str = Field("", description="The region (regional) or country ISO3 (national)")
    start_date: dt.date
    end_date: dt.date


class CycleOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    slug: str
    title: str
    scope: str
    region: str
    start_date: dt.date
    end_date: dt.date


class VoluntaryReportIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    actor: str = Field("", description="The reporting state's code; default: the caller's own")
    objective: int
    text: str


class VoluntaryReportOut(BaseModel):
    id: int
    cycle: str
    actor: str
    objective: int
    text: str
    published: bool


class PracticeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    actor: str = ""
    title: str
    description: str = Field(description="100 to 5,000 characters")
    objectives: list[int]
    criteria: list[str] = []
    country_iso3: str = ""
    place: str = ""


class PracticeOut(BaseModel):
    id: int
    actor: str
    title: str
    description: str
    objectives: list[int]
    criteria: list[str]
    country_iso3: str
    place: str
    published: bool


class CapacityIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    actor: str = ""
    direction: str = Field(description="need or offer")
    objective: int
    kind: str = Field(
        description="financial, technical_assistance, training, data_and_research or policy_advice"
    )
    description: str


class CapacityOut(BaseModel):
    id: int
    direction: str
    actor: str
    objective: int
    kind: str
    description: str
    published: bool
    answered_by: list[int] = Field(
        [], description="A need: the pledges the caller may read that answer it"
    )


class MatchOut(BaseModel):
    objective: int
    kind: str
    need: CapacityOut
    offer: CapacityOut

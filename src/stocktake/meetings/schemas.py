from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field


class MeetingOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    slug: str
    title: str
    meeting_type: str
    phase_key: str
    start_date: dt.date
    end_date: dt.date
    city: str
    country_iso3: str | None
    description: str
    status: str = Field(description="scheduled or cancelled")
    sequence: int = Field(description="How many times it changed: its calendar event's SEQUENCE")


class MeetingPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(None, min_length=1, max_length=300)
    meeting_type: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    city: str | None = Field(None, max_length=120)
    country_iso3: str | None = Field(None, min_length=3, max_length=3)
    description: str | None = Field(None, max_length=20_000)


class MeetingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)
    title: str = Field(min_length=1, max_length=300)
    meeting_type: str
    start_date: dt.date
    end_date: dt.date
    phase_key: str | None = Field(None, description="Default: the phase the start date falls in")
    city: str = ""
    country_iso3: str | None = Field(None, min_length=3, max_length=3)
    description: str = ""


class TallyOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    actors: int
    participants: int


class FiguresOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    meeting_slug: str
    delegations: int = Field(
        description="Member and observer states with at least one participant who attended"
    )
    participants: int = Field(description="Persons who attended, for any actor")
    stakeholders: int = Field(
        description="Non-governmental stakeholder organisations that attended"
    )
    organisations: int = Field(
        description="UN entities, other IGOs and groups of states that attended"
    )
    registered: int = Field(description="Persons registered, attended or not")
    by_kind: dict[str, TallyOut]
    by_region: dict[str, TallyOut]
    by_regional_group: dict[str, TallyOut]
    by_category: dict[str, TallyOut]


class RegistrationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    actor: str = Field(description="Code of the actor the person comes for")
    name: str = Field(min_length=1, max_length=200)
    function: str = Field("", max_length=200)


class RegistrationOut(BaseModel):
    id: int
    actor: str
    name: str
    function: str
    attended: bool


class RegistrationPageOut(BaseModel):
    items: list[RegistrationOut]
    total: int = Field(description="How many registrations the caller may see, on every page")
    page: int
    pages: int
    per_page: int
    next: str | None = Field(description="The URL of the next page; null on the last")


class AttendanceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    attended: bool

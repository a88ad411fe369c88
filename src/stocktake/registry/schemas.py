from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ActorOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    kind: str
    name: str
    short_name: str
    iso3: str | None
    m49_code: str | None
    country_iso3: str | None
    region: str | None
    sub_region: str | None
    intermediate_region: str | None
    regional_group: str | None
    stakeholder_category: str | None


class ActorDetailOut(ActorOut):
    groups: list[str] = Field(description="Codes of the groups of states this actor belongs to")
    members: list[str] = Field(description="Codes of the members, for a group of states")


class ActorIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=60)
    name: str = Field(min_length=1, max_length=300)
    kind: str = Field("stakeholder", description="un_entity, igo or stakeholder")
    short_name: str = ""
    category: str = Field("", description="Stakeholder category key (for a stakeholder)")
    country: str = Field("", description="ISO alpha-3 code or name of the country it is based in")
    description: str = ""


class ActorPageOut(BaseModel):
    items: list[ActorOut]
    total: int = Field(description="How many actors match, on every page")
    page: int
    pages: int
    per_page: int
    next: str | None = Field(description="The URL of the next page; null on the last")

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from stocktake.core.db import Base, Timestamped

STATE_KINDS = ("member_state", "observer_state")
GOVERNMENTAL_KINDS = ("member_state", "observer_state", "group_of_states", "un_entity", "igo")

REGIONAL_GROUPS = {
    "african": "African States",
    "asia_pacific": "Asia-Pacific States",
    "eeg": "Eastern European States",
    "grulac": "Latin American and Caribbean States",
    "weog": "Western European and other States",
}
GROUP_SHORT_NAMES = {"eeg": "EEG", "grulac": "GRULAC", "weog": "WEOG"}
"""The names delegations call three of the groups by in the room (the others by their label)."""


class Actor(Timestamped, Base):
    """Anyone who takes part. States carry their M49 geography; other actors inherit it from
    the country they are based in, so that every actor can be counted by region."""

    __tablename__ = "actor"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    name: Mapped[str] = mapped_column(String(300))
    short_name: Mapped[str] = mapped_column(String(120), default="")
    iso3: Mapped[str | None] = mapped_column(String(3), unique=True)
    m49_code: Mapped[str | None] = mapped_column(String(3))
    country_iso3: Mapped[str | None] = mapped_column(String(3), index=True)
    region: Mapped[str | None] = mapped_column(String(60), index=True)
    sub_region: Mapped[str | None] = mapped_column(String(80))
    intermediate_region: Mapped[str | None] = mapped_column(String(80))
    regional_group: Mapped[str | None] = mapped_column(String(20), index=True)
    stakeholder_category: Mapped[str | None] = mapped_column(String(60), index=True)
    description: Mapped[str] = mapped_column(Text, default="")

    memberships: Mapped[list[GroupMembership]] = relationship(
        foreign_keys="GroupMembership.member_id",
        back_populates="member",
        cascade="all, delete-orphan",
    )
    members: Mapped[list[GroupMembership]] = relationship(
        foreign_keys="GroupMembership.group_id",
        back_populates="group",
        cascade="all, delete-orphan",
    )

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def regional_group_name(self) -> str | None:
        return REGIONAL_GROUPS.get(self.regional_group or "")


class GroupMembership(Base):
    """A state's membership of a group of states (a regional group, the EU, a negotiating bloc)."""

    __tablename__ = "group_membership"
    __table_args__ = (UniqueConstraint("group_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("actor.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("actor.id", ondelete="CASCADE"), index=True)

    group: Mapped[Actor] = relationship(foreign_keys=[group_id], back_populates="members")
    member: Mapped[Actor] = relationship(foreign_keys=[member_id], back_populates="memberships")

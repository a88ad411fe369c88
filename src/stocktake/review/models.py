"""Tables of follow-up and review: the frame (objectives and actions), indicators and their
observations, pledges with their status history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Date,
    Float,
    ForeignKey,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from stocktake.core.db import Base, Timestamped, UTCDateTime, utcnow
from stocktake.registry.models import Actor


class Objective(Timestamped, Base):
    """An objective of the adopted text: a commitment followed by actions."""

    __tablename__ = "review_objective"
    __table_args__ = (UniqueConstraint("process_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("process.id", ondelete="CASCADE"))
    number: Mapped[int]
    paragraph: Mapped[str] = mapped_column(String(20), default="")
    title: Mapped[str] = mapped_column(Text)
    sdg_indicators: Mapped[list[str]] = mapped_column(JSON, default=list)
    source: Mapped[str] = mapped_column(String(200), default="")
    retired: Mapped[bool] = mapped_column(default=False)  # not in the frame last loaded

    actions: Mapped[list[Action]] = relationship(
        back_populates="objective", order_by="Action.position", cascade="all, delete-orphan"
    )

    @property
    def label(self) -> str:
        return f"Objective {self.number}"


class Action(Base):
    """An action listed under an objective, by its letter."""

    __tablename__ = "review_action"
    __table_args__ = (UniqueConstraint("objective_id", "letter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    objective_id: Mapped[int] = mapped_column(ForeignKey("review_objective.id", ondelete="CASCADE"))
    letter: Mapped[str] = mapped_column(String(4))
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(Text, default="")
    retired: Mapped[bool] = mapped_column(default=False)  # kept with its pledges, marked

    objective: Mapped[Objective] = relationship(back_populates="actions")

    @property
    def ref(self) -> str:
        return f"{self.objective.number}({self.letter})"


class Indicator(Timestamped, Base):
    """A measure of progress, global or national, linked to an SDG indicator where it is one."""

    __tablename__ = "review_indicator"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)  # as in file names: 10-c-1
    sdg_code: Mapped[str | None] = mapped_column(String(20), index=True)  # 10.c.1
    title: Mapped[str] = mapped_column(Text, default="")
    level: Mapped[str] = mapped_column(String(12), default="national")  # national, global
    unit: Mapped[str] = mapped_column(String(200), default="")
    direction: Mapped[str | None] = mapped_column(String(10))  # increase, decrease
    baseline: Mapped[float | None] = mapped_column(Float)
    base_year: Mapped[float | None] = mapped_column(Float)
    target: Mapped[float | None] = mapped_column(Float)
    target_year: Mapped[float | None] = mapped_column(Float)
    natural_limit: Mapped[float | None] = mapped_column(Float)
    manual_status: Mapped[str | None] = mapped_column(String(30))
    series_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    source: Mapped[str] = mapped_column(String(20), default="")  # opensdg, sdmx
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    @property
    def dotted(self) -> str:
        return self.sdg_code or self.code


class CountryIndicator(Timestamped, Base):
    """An indicator as one country publishes it: its reporting status, the progress settings of
    its own platform (Open SDG's `auto_progress_calculation`, `progress_calculation_options`,
    `progress_status`) and its metadata. The indicator's own settings are the defaults."""

    __tablename__ = "review_country_indicator"
    __table_args__ = (UniqueConstraint("indicator_id", "geography"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("review_indicator.id", ondelete="CASCADE"), index=True
    )
    geography: Mapped[str] = mapped_column(String(3), index=True)  # ISO3
    title: Mapped[str] = mapped_column(Text, default="")
    reporting_status: Mapped[str] = mapped_column(String(30), default="")  # complete, notstarted...
    published_status: Mapped[str] = mapped_column(String(40), default="")  # as the file writes it
    published_score: Mapped[float | None] = mapped_column(Float)  # its platform's headline score
    manual_status: Mapped[str | None] = mapped_column(String(30))
    auto_progress: Mapped[bool] = mapped_column(default=True)
    progress_options: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    observation_count: Mapped[int] = mapped_column(default=0)
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    indicator: Mapped[Indicator] = relationship()


class Observation(Base):
    """One value of an indicator for a place, a period, a series and unit, and a disaggregation."""

    __tablename__ = "review_observation"

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("review_indicator.id", ondelete="CASCADE"), index=True
    )
    geography: Mapped[str] = mapped_column(String(3), default="")  # ISO3, "" = not given
    series: Mapped[str] = mapped_column(Text, default="")
    unit: Mapped[str] = mapped_column(String(200), default="")
    period: Mapped[str] = mapped_column(String(40))  # as written: 2013 Q1, 2002/03
    year: Mapped[int]
    time: Mapped[float] = mapped_column(Float)
    value: Mapped[float] = mapped_column(Float)
    disaggregation: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    attributes: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)

    indicator: Mapped[Indicator] = relationship()

    @property
    def is_headline(self) -> bool:
        return not self.disaggregation


pledge_objective = Table(
    "review_pledge_objective",
    Base.metadata,
    Column("pledge_id", ForeignKey("review_pledge.id", ondelete="CASCADE"), primary_key=True),
    Column("objective_id", ForeignKey("review_objective.id", ondelete="CASCADE"), primary_key=True),
)
pledge_action = Table(
    "review_pledge_action",
    Base.metadata,
    Column("pledge_id", ForeignKey("review_pledge.id", ondelete="CASCADE"), primary_key=True),
    Column("action_id", ForeignKey("review_action.id", ondelete="CASCADE"), primary_key=True),
)
pledge_partner = Table(
    "review_pledge_partner",
    Base.metadata,
    Column("pledge_id", ForeignKey("review_pledge.id", ondelete="CASCADE"), primary_key=True),
    Column("actor_id", ForeignKey("actor.id", ondelete="CASCADE"), primary_key=True),
)


class Pledge(Timestamped, Base):
    """A voluntary promise by an actor (alone, with partners, or matching another pledge) to
    implement objectives of the compact; it has a status over time."""

    __tablename__ = "review_pledge"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("process.id", ondelete="CASCADE"))
    actor_id: Mapped[int] = mapped_column(ForeignKey("actor.id", ondelete="RESTRICT"), index=True)
    mode: Mapped[str] = mapped_column(String(12))  # single, joint, matching
    matches_id: Mapped[int | None] = mapped_column(
        ForeignKey("review_pledge.id", ondelete="SET NULL")
    )
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    level: Mapped[str] = mapped_column(String(12))
    start_year: Mapped[int]
    end_year: Mapped[int]
    amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))  # what is pledged, if money
    currency: Mapped[str] = mapped_column(String(3), default="", server_default="")  # ISO 4217
    status: Mapped[str] = mapped_column(String(20), index=True)
    answers_id: Mapped[int | None] = mapped_column(  # the capacity need the pledge answers
        ForeignKey("review_capacity_item.id", ondelete="SET NULL"), index=True
    )
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    actor: Mapped[Actor] = relationship()
    answers: Mapped[CapacityItem | None] = relationship()
    partners: Mapped[list[Actor]] = relationship(secondary=pledge_partner, order_by=Actor.code)
    objectives: Mapped[list[Objective]] = relationship(
        secondary=pledge_objective, order_by=Objective.number
    )
    actions: Mapped[list[Action]] = relationship(secondary=pledge_action)
    matches: Mapped[Pledge | None] = relationship(remote_side="Pledge.id")
    updates: Mapped[list[PledgeUpdate]] = relationship(
        back_populates="pledge", order_by="PledgeUpdate.id", cascade="all, delete-orphan"
    )
    confirmations: Mapped[list[PledgeConfirmation]] = relationship(
        back_populates="pledge", order_by="PledgeConfirmation.id", cascade="all, delete-orphan"
    )

    def confirmation_of(self, actor_id: int | None) -> PledgeConfirmation | None:
        """A partner's confirmation of this joint pledge, if it has confirmed."""
        return next((c for c in self.confirmations if c.actor_id == actor_id), None)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class PledgeUpdate(Base):
    """A status update of a pledge, kept as its history."""

    __tablename__ = "review_pledge_update"

    id: Mapped[int] = mapped_column(primary_key=True)
    pledge_id: Mapped[int] = mapped_column(
        ForeignKey("review_pledge.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    pledge: Mapped[Pledge] = relationship(back_populates="updates")


class PledgeConfirmation(Base):
    """A partner of a joint pledge confirms that it is party to it, once: through one of its own
    users, or recorded by the secretariat on its behalf (`on_behalf`), saying how it came (`note`:
    "by letter of 3 March")."""

    __tablename__ = "review_pledge_confirmation"
    __table_args__ = (UniqueConstraint("pledge_id", "actor_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pledge_id: Mapped[int] = mapped_column(ForeignKey("review_pledge.id", ondelete="CASCADE"))
    actor_id: Mapped[int] = mapped_column(ForeignKey("actor.id", ondelete="CASCADE"))
    confirmed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    on_behalf: Mapped[bool] = mapped_column(default=False, server_default=false())
    note: Mapped[str] = mapped_column(Text, default="", server_default="")

    pledge: Mapped[Pledge] = relationship(back_populates="confirmations")
    actor: Mapped[Actor] = relationship()


class ReviewCycle(Timestamped, Base):
    """A round of follow-up and review: national, regional or global (e.g. a review forum every
    four years)."""

    __tablename__ = "review_cycle"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("process.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    scope: Mapped[str] = mapped_column(String(12))  # national, regional, global
    region: Mapped[str] = mapped_column(String(80), default="")
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    # the report's narrative as the secretariat keeps it: generated from the figures, then edited
    narrative: Mapped[str] = mapped_column(Text, default="", server_default="")
    narrative_edited: Mapped[bool] = mapped_column(default=False, server_default=false())
    narrative_updated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    narrative_updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )


class VoluntaryReport(Timestamped, Base):
    """A country's narrative of its implementation of one objective for a review cycle."""

    __tablename__ = "review_voluntary_report"
    __table_args__ = (UniqueConstraint("cycle_id", "actor_id", "objective_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("review_cycle.id", ondelete="CASCADE"))
    actor_id: Mapped[int] = mapped_column(ForeignKey("actor.id", ondelete="RESTRICT"), index=True)
    objective_id: Mapped[int] = mapped_column(ForeignKey("review_objective.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    cycle: Mapped[ReviewCycle] = relationship()
    actor: Mapped[Actor] = relationship()
    objective: Mapped[Objective] = relationship()

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


practice_objective = Table(
    "review_practice_objective",
    Base.metadata,
    Column("practice_id", ForeignKey("review_practice.id", ondelete="CASCADE"), primary_key=True),
    Column("objective_id", ForeignKey("review_objective.id", ondelete="CASCADE"), primary_key=True),
)


class Practice(Timestamped, Base):
    """A documented practice shared for others to learn from, reviewed before publication."""

    __tablename__ = "review_practice"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("process.id", ondelete="CASCADE"))
    actor_id: Mapped[int] = mapped_column(ForeignKey("actor.id", ondelete="RESTRICT"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text)
    country_iso3: Mapped[str] = mapped_column(String(3), default="", index=True)
    place: Mapped[str] = mapped_column(String(200), default="")
    criteria: Mapped[list[str]] = mapped_column(JSON, default=list)
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    actor: Mapped[Actor] = relationship()
    objectives: Mapped[list[Objective]] = relationship(
        secondary=practice_objective, order_by=Objective.number
    )

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class CapacityItem(Timestamped, Base):
    """A capacity need (a request for support) or offer, by objective and kind of support."""

    __tablename__ = "review_capacity_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("process.id", ondelete="CASCADE"))
    direction: Mapped[str] = mapped_column(String(6))  # need, offer
    actor_id: Mapped[int] = mapped_column(ForeignKey("actor.id", ondelete="RESTRICT"), index=True)
    objective_id: Mapped[int] = mapped_column(ForeignKey("review_objective.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    description: Mapped[str] = mapped_column(Text)
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    actor: Mapped[Actor] = relationship()
    objective: Mapped[Objective] = relationship()

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

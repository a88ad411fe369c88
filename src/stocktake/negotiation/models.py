"""Drafts, their elements, amendments, issued revisions and rounds of negotiation."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from stocktake.core.db import Base, Timestamped, UTCDateTime, utcnow
from stocktake.core.errors import Conflict
from stocktake.registry.models import Actor
from stocktake.registry.names import actor_name


class ElementKind(enum.StrEnum):
    PREAMBLE = "preamble"  # a preambular paragraph
    HEADING = "heading"  # a section heading
    PARAGRAPH = "paragraph"  # a numbered operative paragraph
    POINT = "point"  # a lettered point of the paragraph before it
    FOOTNOTE = "footnote"  # a footnote of the element before it


class ParagraphStatus(enum.StrEnum):
    OPEN = "open"
    UNDER_DISCUSSION = "under_discussion"
    AGREED_AD_REF = "agreed_ad_ref"
    AGREED = "agreed"


class AmendmentKind(enum.StrEnum):
    INSERT = "insert"  # insert words before or after the quoted words
    DELETE = "delete"  # delete the quoted words
    REPLACE = "replace"  # replace the quoted words
    ALTERNATIVE = "alternative"  # a whole alternative text of the paragraph (an Alt option)
    ADD_PARAGRAPH = "add_paragraph"  # a new paragraph after the target (numbered bis, ter …)
    DELETE_PARAGRAPH = "delete_paragraph"
    MOVE_PARAGRAPH = "move_paragraph"  # move the target after the destination


WORD_KINDS = (AmendmentKind.INSERT, AmendmentKind.DELETE, AmendmentKind.REPLACE)


class AmendmentStatus(enum.StrEnum):
    PROPOSED = "proposed"
    UNDER_DISCUSSION = "under_discussion"
    ACCEPTED = "accepted"
    ACCEPTED_AS_MODIFIED = "accepted_as_modified"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    SUPERSEDED = "superseded"
    MERGED = "merged"  # merged by the secretariat into another amendment (`merged_into`)


PENDING = (AmendmentStatus.PROPOSED, AmendmentStatus.UNDER_DISCUSSION)
ACCEPTED = (AmendmentStatus.ACCEPTED, AmendmentStatus.ACCEPTED_AS_MODIFIED)


class PositionRole(enum.StrEnum):
    SPONSOR = "sponsor"
    CO_SPONSOR = "co_sponsor"
    SUPPORTER = "supporter"
    OBJECTOR = "objector"


class CompilationReaders(enum.StrEnum):
    """Who reads a draft's working and compilation text before a revision is published."""

    SECRETARIAT = "secretariat"
    MEMBER_STATES = "member_states"  # delegations of member and observer states and their groups
    GOVERNMENTAL = "governmental"  # also UN entities and other intergovernmental organisations
    SIGNED_IN = "signed_in"  # every signed-in user, stakeholders included


class NegotiationSetting(Base):
    """The negotiation settings of a process."""

    __tablename__ = "negotiation_setting"

    process_id: Mapped[int] = mapped_column(
        ForeignKey("process.id", ondelete="CASCADE"), primary_key=True
    )
    compilation_readers: Mapped[str] = mapped_column(
        String(20), default=CompilationReaders.MEMBER_STATES.value
    )


class Draft(Timestamped, Base):
    __tablename__ = "draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(
        ForeignKey("process.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(500))
    language: Mapped[str] = mapped_column(String(3), default="en")
    source: Mapped[str] = mapped_column(String(300), default="")
    origin: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Identities are never reused: the next element gets the next number, whatever was deleted.
    next_sequence: Mapped[int] = mapped_column(Integer, default=1)
    next_amendment: Mapped[int] = mapped_column(Integer, default=1)
    published_revision: Mapped[int | None] = mapped_column(Integer)
    # how its papers go out: the document symbol and distribution line of their header, the
    # date they bear (the revision's issue date when none), paper size and line numbers
    symbol: Mapped[str | None] = mapped_column(String(80), unique=True)
    distribution: Mapped[str] = mapped_column(
        String(40), default="General", server_default="General"
    )
    dated: Mapped[dt.date | None] = mapped_column(Date)
    paper: Mapped[str] = mapped_column(String(6), default="A4", server_default="A4")
    line_numbers: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    elements: Mapped[list[DraftElement]] = relationship(
        back_populates="draft", order_by="DraftElement.position", cascade="all, delete-orphan"
    )
    revisions: Mapped[list[DraftRevision]] = relationship(
        back_populates="draft", order_by="DraftRevision.number", cascade="all, delete-orphan"
    )

    def new_eid(self, kind: str) -> str:
        eid = f"{EID_PREFIX[kind]}_{self.next_sequence}"
        self.next_sequence += 1
        return eid


EID_PREFIX: dict[str, str] = {
    ElementKind.PREAMBLE: "pmbl",
    ElementKind.HEADING: "sec",
    ElementKind.PARAGRAPH: "para",
    ElementKind.POINT: "pnt",
    ElementKind.FOOTNOTE: "fn",
}


class DraftElement(Timestamped, Base):
    """One element of the working text. `eid` is its identity for good; `position` orders the
    document, and the display number is computed from the order."""

    __tablename__ = "draft_element"
    __table_args__ = (UniqueConstraint("draft_id", "eid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("draft.id", ondelete="CASCADE"), index=True)
    eid: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=ParagraphStatus.OPEN.value)
    origin: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # a heading's own typed number ("Objective 20"); empty: numbered I, II … from its place
    label: Mapped[str] = mapped_column(String(60), default="", server_default="")
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    draft: Mapped[Draft] = relationship(back_populates="elements")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012  (SQLAlchemy's declaration)


class DraftRevision(Base):
    """An issued revision: the whole text as it stood, never changed once stored."""

    __tablename__ = "draft_revision"
    __table_args__ = (UniqueConstraint("draft_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("draft.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)  # 0: the zero draft
    label: Mapped[str] = mapped_column(String(60))
    # the draft's title when the revision was issued: a draft renamed later leaves its issued
    # papers as they were circulated
    title: Mapped[str] = mapped_column(String(500), server_default="")
    final: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(String(500), default="")
    issued_by: Mapped[str] = mapped_column(String(320), default="")
    issued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    elements: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    applied: Mapped[list[int]] = mapped_column(JSON, default=list)  # amendment numbers

    draft: Mapped[Draft] = relationship(back_populates="revisions")


@event.listens_for(DraftRevision, "before_update")
def _revisions_never_change(_mapper: object, _connection: object, target: DraftRevision) -> None:
    raise Conflict(f"{target.label} is issued and never changes")


class LanguageVersion(Base):
    """A revision's text (or the working text's, `revision_number` empty) in another of the six
    languages, element by element through the stable identities: `texts` holds, in the text's
    order, each element's identity, its words and a heading's own typed number. Never changed
    once stored: a later edition replaces it, as a recorded action."""

    __tablename__ = "draft_language_version"
    __table_args__ = (
        UniqueConstraint(
            "draft_id",
            "revision_number",
            "language",
            "edition",
            name="uq_draft_language_version_edition",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("draft.id", ondelete="CASCADE"), index=True)
    revision_number: Mapped[int | None] = mapped_column(Integer)  # empty: the working text
    language: Mapped[str] = mapped_column(String(3))
    edition: Mapped[int] = mapped_column(Integer, default=1)  # 2, 3 …: replaced by a new edition
    title: Mapped[str] = mapped_column(String(500), default="")
    texts: Mapped[list[dict[str, str]]] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(String(300), default="")
    note: Mapped[str] = mapped_column(String(500), default="")
    added_by: Mapped[str] = mapped_column(String(320), default="")
    added_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


@event.listens_for(LanguageVersion, "before_update")
def _language_versions_never_change(
    _mapper: object, _connection: object, target: LanguageVersion
) -> None:
    raise Conflict(f"the {target.language} version, edition {target.edition}, never changes")


class Amendment(Timestamped, Base):
    __tablename__ = "amendment"
    __table_args__ = (UniqueConstraint("draft_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("draft.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    target_eid: Mapped[str] = mapped_column(String(40))
    quoted: Mapped[str] = mapped_column(Text, default="")
    occurrence: Mapped[int] = mapped_column(Integer, default=1)
    placement: Mapped[str] = mapped_column(String(6), default="after")
    new_text: Mapped[str] = mapped_column(Text, default="")
    new_kind: Mapped[str] = mapped_column(String(20), default=ElementKind.PARAGRAPH.value)
    destination_eid: Mapped[str | None] = mapped_column(String(40))
    # the element an added paragraph becomes when a revision takes it in
    created_eid: Mapped[str | None] = mapped_column(String(40))
    justification: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(24), default=AmendmentStatus.PROPOSED.value)
    modified_text: Mapped[str | None] = mapped_column(Text)
    # where the quoted words stand in the target's current text, or a conflict
    anchor_start: Mapped[int | None] = mapped_column(Integer)
    in_conflict: Mapped[bool] = mapped_column(Boolean, default=False)
    conflict_reason: Mapped[str] = mapped_column(String(500), default="")
    applied_revision: Mapped[int | None] = mapped_column(Integer)
    proposed_by: Mapped[str] = mapped_column(String(320), default="")
    # the round it was tabled for, and whether that was after the round's deadline for tabling
    round_id: Mapped[int | None] = mapped_column(
        ForeignKey("negotiation_round.id", ondelete="SET NULL"), index=True
    )
    late: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # the number of the amendment it was merged into, when merged
    merged_into: Mapped[int | None] = mapped_column(Integer)
    # when it was last decided (accepted, rejected, withdrawn, merged …); empty while pending
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # the round the decision was taken in (not always the one it was tabled for)
    decided_round_id: Mapped[int | None] = mapped_column(
        ForeignKey("negotiation_round.id", ondelete="SET NULL"), index=True
    )
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    positions: Mapped[list[AmendmentPosition]] = relationship(
        back_populates="amendment", cascade="all, delete-orphan", order_by="AmendmentPosition.id"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012  (SQLAlchemy's declaration)

    @property
    def label(self) -> str:
        return f"A{self.number}"

    @property
    def pending(self) -> bool:
        return self.status in PENDING

    def actors(self, *roles: PositionRole) -> list[str]:
        return [p.actor.code for p in self.positions if p.role in roles]

    def named(self, *roles: PositionRole | str, language: str = "en") -> list[str]:
        """The actors in `roles` by the names the papers give them: "GRULAC", "Mexico"; a State
        in the reader's `language` ("Mexique", "المكسيك")."""
        return [actor_name(p.actor, language) for p in self.positions if p.role in roles]

    def sponsors_in(self, language: str) -> list[str]:
        """The sponsor and co-sponsors as a page in `language` names them."""
        return self.named(PositionRole.SPONSOR, PositionRole.CO_SPONSOR, language=language)

    @property
    def sponsors(self) -> list[str]:
        return self.actors(PositionRole.SPONSOR, PositionRole.CO_SPONSOR)

    @property
    def sponsor_names(self) -> list[str]:
        """The sponsor and co-sponsors as pages and papers name them (codes: `sponsors`)."""
        return self.named(PositionRole.SPONSOR, PositionRole.CO_SPONSOR)

    @property
    def co_sponsors(self) -> list[tuple[str, bool]]:
        """Each co-sponsor's code and whether it has confirmed."""
        return [(p.actor.code, p.confirmed) for p in self.positions if p.role == "co_sponsor"]


class AmendmentPosition(Base):
    """An actor's stand on an amendment: sponsor, co-sponsor, supporter or objector."""

    __tablename__ = "amendment_position"
    __table_args__ = (UniqueConstraint("amendment_id", "actor_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    amendment_id: Mapped[int] = mapped_column(
        ForeignKey("amendment.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int] = mapped_column(ForeignKey("actor.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(12))
    # a co-sponsor named by the secretariat confirms it; one that co-sponsors itself has confirmed
    confirmed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    amendment: Mapped[Amendment] = relationship(back_populates="positions")
    actor: Mapped[Actor] = relationship(lazy="joined")


class NegotiationRound(Base):
    """A round of negotiation and the revision it discussed."""

    __tablename__ = "negotiation_round"
    __table_args__ = (UniqueConstraint("draft_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("draft.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(200))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    revision_number: Mapped[int] = mapped_column(Integer)
    # amendments tabled after the deadline are marked late, or refused when `refuse_late`
    tabling_deadline: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    refuse_late: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class LinkState(enum.StrEnum):
    SUGGESTED = "suggested"  # found by similarity, waiting for the secretariat
    CONFIRMED = "confirmed"
    REJECTED = "rejected"
    REMOVED = "removed"  # unlinked by hand: kept as a record of what was removed and when


class LinkOrigin(enum.StrEnum):
    ZERO_DRAFT = "zero_draft"  # made when a zero draft was started from the clusters
    SIMILARITY = "similarity"
    MANUAL = "manual"


class ThreadLink(Timestamped, Base):
    """A cluster of the stocktaking linked to the paragraph it fed, by the paragraph's stable
    identity (`eid`), so the link follows it across revisions. What the cluster was (its run,
    number, label and inputs) is kept with the link: a cluster removed later leaves the link
    saying what it was and when it went."""

    __tablename__ = "thread_link"
    __table_args__ = (UniqueConstraint("draft_id", "eid", "run_id", "cluster_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("draft.id", ondelete="CASCADE"), index=True)
    eid: Mapped[str] = mapped_column(String(40))
    cluster_id: Mapped[int | None] = mapped_column(
        ForeignKey("analysis_cluster.id", ondelete="SET NULL"), index=True
    )
    run_id: Mapped[int] = mapped_column(Integer)
    cluster_number: Mapped[int] = mapped_column(Integer)
    cluster_label: Mapped[str] = mapped_column(String(300))
    input_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    origin: Mapped[str] = mapped_column(String(12))  # LinkOrigin
    state: Mapped[str] = mapped_column(String(12))  # LinkState
    score: Mapped[float | None] = mapped_column(Float)
    decided_by: Mapped[str] = mapped_column(String(320), default="")
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(String(500), default="")
    cluster_removed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    draft: Mapped[Draft] = relationship()

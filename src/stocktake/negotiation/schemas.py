"""Shapes of the negotiation's JSON API."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from stocktake.core.permissions import Permission, Principal, who_acted
from stocktake.negotiation.models import (
    Amendment,
    AmendmentKind,
    AmendmentStatus,
    Draft,
    DraftRevision,
    ParagraphStatus,
    PositionRole,
    ThreadLink,
)
from stocktake.negotiation.text import Node


class ElementOut(BaseModel):
    eid: str = Field(description="The element's identity: it never changes and is never reused")
    kind: str
    number: str = Field(description="The display number, from the element's place")
    text: str
    status: str
    version: int | None = Field(
        None, description="For an edit: send it back; a newer one means someone else saved"
    )

    @classmethod
    def of(cls, node: Node, version: int | None = None) -> ElementOut:
        return cls(
            eid=node.eid,
            kind=node.kind,
            number=node.number,
            text=node.text,
            status=node.status,
            version=version,
        )


class RevisionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    number: int = Field(description="0 is the zero draft")
    label: str
    title: str = Field(
        description="The title it was issued under (a draft renamed later keeps its papers' title)"
    )
    final: bool
    note: str
    issued_by: str = Field(description="Who issued it: an e-mail for the secretariat only")
    issued_at: dt.datetime
    applied: list[int] = Field(description="Numbers of the amendments it took in")

    @classmethod
    def of(cls, revision: DraftRevision, by: Principal) -> RevisionOut:
        shown = cls.model_validate(revision)
        shown.issued_by = who_acted(revision.issued_by, by)
        return shown


class RevisionTextOut(RevisionOut):
    elements: list[ElementOut]

    @classmethod
    def of(cls, revision: DraftRevision, by: Principal) -> RevisionTextOut:
        return cls(
            number=revision.number,
            label=revision.label,
            title=revision.title,
            final=revision.final,
            note=revision.note,
            issued_by=who_acted(revision.issued_by, by),
            issued_at=revision.issued_at,
            applied=revision.applied,
            elements=[ElementOut.of(Node.of(e)) for e in revision.elements],
        )


class DraftOut(BaseModel):
    id: int
    title: str
    language: str
    source: str
    published_revision: int | None
    revisions: list[RevisionOut]

    @classmethod
    def of(cls, draft: Draft, revisions: list[DraftRevision], by: Principal) -> DraftOut:
        return cls(
            id=draft.id,
            title=draft.title,
            language=draft.language,
            source=draft.source,
            published_revision=draft.published_revision,
            revisions=[RevisionOut.of(r, by) for r in revisions],
        )


class DraftTextOut(DraftOut):
    label: str = Field(description="'Working text' or the revision's label")
    elements: list[ElementOut]


class AmendmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: AmendmentKind
    target: str = Field(max_length=40, description="The amended element's eid")
    sponsor: str = Field("", description="Actor code; default: the caller's own actor")
    quoted: str = Field("", max_length=20_000, description="The exact words amended")
    occurrence: int = Field(1, ge=1, le=1000, description="Which occurrence of the words")
    placement: Literal["before", "after"] = "after"
    new_text: str = Field("", max_length=20_000)
    new_kind: Literal["paragraph", "point", "preamble"] = "paragraph"
    destination: str = Field("", max_length=40, description="move_paragraph: move after this eid")
    justification: str = Field("", max_length=20_000)
    co_sponsors: list[str] = Field(
        default_factory=list, description="Secretariat only: actors co-sponsoring from the start"
    )


class AmendmentPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int | None = Field(None, description="The version you read; a newer one is a 409")
    new_text: str | None = Field(None, max_length=20_000)
    quoted: str | None = Field(None, max_length=20_000)
    occurrence: int | None = Field(None, ge=1, le=1000)
    justification: str | None = Field(None, max_length=20_000)


class WithdrawIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int | None = Field(None, description="The version you read; a newer one is a 409")
    reason: str = Field("", max_length=500, description="Why, for the record (optional)")


class ConfirmIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    actor: str = Field("", max_length=40, description="Actor code; default: the caller's own")


class PositionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Literal["co_sponsor", "supporter", "objector"]
    actor: str = Field("", description="Actor code; default: the caller's own actor")


class StatusIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: AmendmentStatus
    modified_text: str = Field("", max_length=20_000)
    version: int | None = None


class ElementPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int | None = Field(None, description="The version you read; a newer one is a 409")
    text: str | None = Field(None, min_length=1, max_length=20_000)
    status: ParagraphStatus | None = None


class RevisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str = Field("", max_length=500)
    final: bool = False


class AmendmentOut(BaseModel):
    number: int
    label: str
    kind: str
    target: str
    quoted: str
    occurrence: int
    placement: str
    new_text: str
    destination: str | None
    justification: str
    status: str
    modified_text: str | None
    sponsor: str | None
    co_sponsors: list[str]
    confirmed_co_sponsors: list[str] = Field(description="The co-sponsors that have confirmed")
    supporters: list[str]
    objectors: list[str]
    in_conflict: bool
    conflict_reason: str
    applied_revision: int | None
    late: bool = Field(False, description="Tabled after its round's deadline")
    merged_into: int | None = Field(None, description="The amendment it was merged into")
    decided_at: dt.datetime | None = Field(None, description="When it was decided, if it was")
    version: int

    @classmethod
    def of(cls, a: Amendment) -> AmendmentOut:
        return cls(
            number=a.number,
            label=a.label,
            kind=a.kind,
            target=a.target_eid,
            quoted=a.quoted,
            occurrence=a.occurrence,
            placement=a.placement,
            new_text=a.new_text,
            destination=a.destination_eid,
            justification=a.justification,
            status=a.status,
            modified_text=a.modified_text,
            sponsor=next(iter(a.actors(PositionRole.SPONSOR)), None),
            co_sponsors=a.actors(PositionRole.CO_SPONSOR),
            confirmed_co_sponsors=[code for code, confirmed in a.co_sponsors if confirmed],
            supporters=a.actors(PositionRole.SUPPORTER),
            objectors=a.actors(PositionRole.OBJECTOR),
            in_conflict=a.in_conflict,
            conflict_reason=a.conflict_reason,
            applied_revision=a.applied_revision,
            late=a.late,
            merged_into=a.merged_into,
            decided_at=a.decided_at,
            version=a.version,
        )


class CompilationOut(BaseModel):
    title: str
    open_brackets: int
    in_conflict: int
    paragraphs_by_status: dict[str, int]
    html: str = Field(description="The compilation text as an HTML fragment")


class ComparedOut(BaseModel):
    eid: str
    kind: str
    old_number: str | None
    new_number: str | None
    change: Literal["unchanged", "changed", "added", "deleted"]
    moved: bool
    renumbered: bool
    words: list[tuple[Literal["equal", "delete", "insert"], str]]


class ComparisonOut(BaseModel):
    old: str
    new: str
    counts: dict[str, int]
    elements: list[ComparedOut]


class RoundOut(BaseModel):
    id: int | None = Field(None, description="The round's id, for its deadline")
    tabling_deadline: dt.datetime | None = None
    refuse_late: bool = False
    name: str
    dates: str
    revision: str = Field(description="The revision the round discussed")
    paragraphs_by_status: dict[str, int] = Field(description="Paragraph status after the round")


class MergeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    amendments: list[int] = Field(
        min_length=2, max_length=100, description="The numbers of the amendments to merge"
    )
    new_text: str | None = Field(
        None, max_length=20_000, description="A compromise text; none: identical ones merge"
    )
    quoted: str | None = Field(
        None, max_length=20_000, description="The words the compromise amends; none: the first's"
    )


class DeadlineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    deadline: dt.datetime | None = Field(
        description="When tabling closes (UTC when no zone); null clears it"
    )
    refuse_late: bool = Field(
        False, description="Refuse later amendments instead of marking them late"
    )


class DecisionOut(BaseModel):
    amendment: str
    paragraph: str
    sponsors: str = Field(description="The sponsor and co-sponsors' codes, comma-separated")
    sponsor_names: str = Field(
        description="The sponsor and co-sponsors as the papers name them: short name, else name"
    )
    decision: str
    decided_at: dt.datetime | None
    late: bool
    modified_text: str | None
    tabled_for: str = Field(
        "",
        description="The round the amendment was tabled for, when it was decided in another "
        "(carried over); empty when decided in the round it was tabled for",
    )


class DecisionsOut(BaseModel):
    round: str
    decisions: list[DecisionOut]
    pending: int


class LinkIn(BaseModel):
    """A cluster to link to a paragraph: its number in a run (the latest completed when none)."""

    eid: str = Field(max_length=40, description="the paragraph's stable identity, e.g. para_12")
    cluster: int = Field(ge=0, description="the cluster's number in the run")
    run: int | None = Field(default=None, description="the analysis run; the latest when none")
    note: str = Field(default="", max_length=500)


class LinkDecisionIn(BaseModel):
    note: str = Field(default="", max_length=500)


class SuggestIn(BaseModel):
    run: int | None = Field(default=None, description="the analysis run; the latest when none")
    eids: list[str] | None = Field(
        default=None,
        max_length=2000,
        description="these paragraphs only; all without a link when none",
    )
    vectors: Literal["multilingual", "tfidf"] | None = Field(
        default=None, description="how texts are compared; the run's own setting when none"
    )


class LinkOut(BaseModel):
    id: int
    draft: int
    eid: str
    run: int
    cluster: int
    cluster_label: str
    cluster_removed: bool
    cluster_removed_at: dt.datetime | None
    inputs: list[int]
    origin: str
    state: str
    score: float | None
    decided_by: str
    decided_at: dt.datetime | None
    note: str

    @classmethod
    def of(cls, link: ThreadLink, by: Principal, inputs: list[int]) -> LinkOut:
        return cls(
            id=link.id,
            draft=link.draft_id,
            eid=link.eid,
            run=link.run_id,
            cluster=link.cluster_number,
            cluster_label=link.cluster_label,
            cluster_removed=link.cluster_id is None,
            cluster_removed_at=link.cluster_removed_at,
            inputs=inputs,
            origin=link.origin,
            state=link.state,
            score=link.score,
            decided_by=who_acted(link.decided_by, by) if link.decided_by else "",
            decided_at=link.decided_at,
            # the secretariat's working notes stay with the secretariat
            note=link.note if by.can(Permission.THREAD_LINK) else "",
        )


class TitleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=500, description="The draft's new title")


class ZeroDraftIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    summary: int = Field(description="The Chair's summary's id")
    version: int | None = Field(None, description="Its version; default: the latest")
    title: str = Field("", max_length=500, description="The title; default: the process's name")

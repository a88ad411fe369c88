"""Amendments kept anchored to the words they amend: after the text changes, each pending (or
accepted, not yet applied) amendment finds its place again or is flagged in conflict, saying
why in the reader's language."""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from stocktake.core.translation import Text
from stocktake.negotiation.models import (
    ACCEPTED,
    PENDING,
    WORD_KINDS,
    Amendment,
    AmendmentKind,
    Draft,
)
from stocktake.negotiation.services.queries import working_nodes
from stocktake.negotiation.text import Node, locate, occurrences


class Anchored(Protocol):
    """What says where an amendment stands in the text: an amendment, or its plain row."""

    @property
    def kind(self) -> str: ...
    @property
    def target_eid(self) -> str: ...
    @property
    def quoted(self) -> str: ...
    @property
    def occurrence(self) -> int: ...
    @property
    def destination_eid(self) -> str | None: ...


def conflict_said(amendment: Anchored, nodes: dict[str, Node]) -> str:
    """Why the amendment no longer fits the text (a `Text`), or "" when it fits."""
    target = nodes.get(amendment.target_eid)
    if target is None:
        return Text("%(element)s is no longer in the text", element=amendment.target_eid)
    if amendment.kind in WORD_KINDS:
        if locate(target.text, amendment.quoted, amendment.occurrence) is None:
            return Text(
                "the words %(words)r are no longer in %(number)s",
                words=amendment.quoted,
                number=target.number,
            )
    elif amendment.kind == AmendmentKind.MOVE_PARAGRAPH and (
        amendment.destination_eid not in nodes
    ):
        return Text("%(element)s is no longer in the text", element=amendment.destination_eid)
    return ""


def reanchor(amendment: Amendment, nodes: dict[str, Node]) -> None:
    """Find the amendment's place again in the current text, or flag it in conflict."""
    target = nodes.get(amendment.target_eid)
    if target is not None and amendment.kind in WORD_KINDS:
        start = locate(target.text, amendment.quoted, amendment.occurrence)
        if start is None and occurrences(target.text, amendment.quoted) == 1:
            amendment.occurrence = 1
            start = locate(target.text, amendment.quoted)
        amendment.anchor_start = start
    reason = conflict_said(amendment, nodes)
    amendment.in_conflict = bool(reason)
    amendment.conflict_reason = str(reason)


def reanchor_pending(session: Session, draft: Draft) -> int:
    """Re-anchor every pending and accepted-but-unapplied amendment; the number in conflict."""
    nodes = {n.eid: n for n in working_nodes(draft)}
    conflicts = 0
    for amendment in session.scalars(
        select(Amendment).where(
            Amendment.draft_id == draft.id,
            Amendment.status.in_([s.value for s in (*PENDING, *ACCEPTED)]),
            Amendment.applied_revision.is_(None),
        )
    ):
        reanchor(amendment, nodes)
        conflicts += amendment.in_conflict
    return conflicts


def conflict_of(amendment: Amendment, draft: Draft) -> str:
    """What an amendment flagged in conflict is in conflict with, as the reader is told it: why
    it does not fit the text now, else the reason recorded when it was flagged."""
    if not amendment.in_conflict:
        return ""
    nodes = {n.eid: n for n in working_nodes(draft)}
    return conflict_said(amendment, nodes) or amendment.conflict_reason

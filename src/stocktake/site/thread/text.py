"""The text a reader may follow a thread through: the working text for those who read it, else the
issued revisions up to the published one; and which objective each element stands under."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from stocktake.core.permissions import Principal
from stocktake.negotiation.models import Draft, DraftRevision
from stocktake.negotiation.services import (
    list_drafts,
    reads_working_text,
    revision_nodes,
    working_nodes,
)
from stocktake.negotiation.text import Node
from stocktake.process.models import Process
from stocktake.review.models import Objective
from stocktake.review.services.frame import OBJECTIVE_HEADING


@dataclass
class ReadableText:
    """What of a draft a reader sees: the revisions they may read, and the text they follow
    (the working text for those who read it, else the latest revision they may read)."""

    draft: Draft
    revisions: list[DraftRevision]
    nodes: list[Node]
    working: bool

    @property
    def adopted(self) -> DraftRevision | None:
        return next((r for r in reversed(self.revisions) if r.final), None)


def readable_text(session: Session, process: Process, draft: Draft, by: Principal) -> ReadableText:
    if reads_working_text(session, process, by):
        return ReadableText(draft, list(draft.revisions), working_nodes(draft), working=True)
    published = draft.published_revision if draft.published_revision is not None else -1
    revisions = [r for r in draft.revisions if r.number <= published]
    nodes = revision_nodes(revisions[-1]) if revisions else []
    return ReadableText(draft, revisions, nodes, working=False)


def objective_number(node: Node) -> int | None:
    if node.kind != "heading":
        return None
    match = OBJECTIVE_HEADING.match(f"{node.label}: {node.text}" if node.label else node.text)
    return int(match[1]) if match else None


def objectives_of(nodes: list[Node]) -> dict[str, int]:
    """The objective each element stands under, by its identity."""
    found: dict[str, int] = {}
    current: int | None = None
    for node in nodes:
        if node.kind == "heading":
            current = objective_number(node)
        elif current is not None:
            found[node.eid] = current
    return found


def section_of(nodes: list[Node], number: int) -> list[Node]:
    """The elements under the heading of objective `number`: its commitment first."""
    owned = objectives_of(nodes)
    return [n for n in nodes if owned.get(n.eid) == number]


def text_of_objective(
    session: Session,
    process: Process,
    objective: Objective,
    by: Principal,
    *,
    read: ReadableText | None = None,
) -> ReadableText | None:
    """The readable text that holds the objective: the one its frame was loaded from, else an
    adopted text, else one whose heading bears its title, else the latest draft. `read`: the
    readable text of one draft that the caller has read already, so it is not read again."""
    found: list[tuple[tuple[bool, bool, bool, int], ReadableText]] = []
    for draft in list_drafts(session, process, by=by):
        text = (
            read
            if read is not None and read.draft.id == draft.id
            else readable_text(session, process, draft, by)
        )
        for revision in [*reversed(text.revisions), None]:
            nodes = revision_nodes(revision) if revision is not None else text.nodes
            heading = next((n for n in nodes if objective_number(n) == objective.number), None)
            if heading is None:
                continue
            label = revision.label if revision is not None else ""
            rank = (
                bool(label) and objective.source == f"{draft.title}, {label}",
                revision is not None and revision.final,
                objective.title.casefold() in heading.text.casefold(),
                draft.id,
            )
            found.append((rank, ReadableText(draft, text.revisions, nodes, text.working)))
            break
    return max(found, key=lambda pair: pair[0])[1] if found else None

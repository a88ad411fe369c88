"""The news of a draft's revisions: drafted when one is issued, with what it changed, and
published when the revision is made public (the zero draft released, Rev.1 issued, the final
text adopted)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from stocktake.core.permissions import Principal
from stocktake.negotiation.models import Draft, DraftRevision, ElementKind
from stocktake.negotiation.titles import plain_title
from stocktake.news.drafting import RevisionFacts, revision_issued
from stocktake.news.services import draft_news, release_news
from stocktake.process.models import Process

PARAGRAPH_KINDS = (ElementKind.PREAMBLE.value, ElementKind.PARAGRAPH.value)
"""What the news counts as paragraphs: preambular and operative paragraphs (a changed point or
footnote counts as a change of the paragraph it belongs to)."""


def _paragraph_texts(elements: list[dict[str, Any]]) -> dict[str, str]:
    """Each paragraph's identity and its whole text, its points and footnotes included."""
    texts: dict[str, str] = {}
    current: str | None = None
    for element in elements:
        if element["kind"] in PARAGRAPH_KINDS:
            current = element["eid"]
            texts[current] = element["text"]
        elif element["kind"] == ElementKind.HEADING.value:
            current = None
        elif current is not None:
            texts[current] += "\n" + element["text"]
    return texts


def revision_facts(draft: Draft, revision: DraftRevision) -> RevisionFacts:
    """What a revision changed from the one before: paragraphs changed, added and deleted."""
    now = _paragraph_texts(revision.elements)
    earlier = [r for r in draft.revisions if r.number < revision.number]
    before = _paragraph_texts(earlier[-1].elements) if earlier else {}
    return RevisionFacts(
        draft=plain_title(revision.title),
        label=revision.label,
        number=revision.number,
        final=revision.final,
        paragraphs=len(now),
        changed=sum(1 for eid, text in now.items() if eid in before and before[eid] != text),
        added=sum(1 for eid in now if eid not in before) if before else 0,
        deleted=sum(1 for eid in before if eid not in now),
    )


def _source(draft: Draft, number: int) -> str:
    return f"draft:{draft.id}:revision:{number}"


def revision_news(
    session: Session, draft: Draft, revision: DraftRevision, *, by: Principal
) -> None:
    """Draft the item of an issued revision, in the caller's transaction: it waits until the
    revision is published."""
    process = session.get(Process, draft.process_id)
    assert process is not None
    draft_news(
        session,
        process,
        origin="revision_issued",
        source=_source(draft, revision.number),
        texts=revision_issued(revision_facts(draft, revision)),
        links=[{"href": f"/drafts/{draft.id}", "label": draft.title[:200]}],
        public=draft.published_revision == revision.number,
        by=by,
    )


def revision_published_news(
    session: Session, draft: Draft, revision: DraftRevision, *, by: Principal
) -> None:
    """The revision is public now: its item is published (in the caller's transaction)."""
    process = session.get(Process, draft.process_id)
    assert process is not None
    session.flush()
    release_news(session, process, _source(draft, revision.number), by=by)

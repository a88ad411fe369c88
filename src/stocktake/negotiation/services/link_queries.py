"""What of the thread's links a reader may see: suggestions only for who may link; for readers of
published texts only, the links of paragraphs in the issued revisions they may read, and only the
inputs they may read."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from stocktake.consultation.models import Input, InputStatus
from stocktake.core.errors import NotFound
from stocktake.core.permissions import Permission, Principal
from stocktake.core.translation import Text
from stocktake.negotiation.models import Draft, LinkState, ThreadLink
from stocktake.negotiation.services.drafts import reads_working_text
from stocktake.negotiation.services.links import list_links
from stocktake.process.models import Process


def readable_links(
    session: Session, process: Process, draft: Draft, *, by: Principal, eid: str | None = None
) -> list[ThreadLink]:
    """The links a reader of the draft may see: suggestions only for who may link; for readers
    of published texts only, the links of paragraphs in an issued revision they may read."""
    states = [LinkState.CONFIRMED.value, LinkState.REMOVED.value]
    if by.can(Permission.THREAD_LINK):
        states += [LinkState.SUGGESTED.value, LinkState.REJECTED.value]
    working = reads_working_text(session, process, by)
    published = draft.published_revision if draft.published_revision is not None else -1
    shown = {
        d["eid"] for r in draft.revisions if working or r.number <= published for d in r.elements
    }
    if working:
        shown |= {element.eid for element in draft.elements}
    if eid is not None and eid not in shown:
        raise NotFound(
            Text("paragraph"), eid
        )  # the same answer whether it is unknown or unreadable
    links = list_links(session, draft, eid=eid, states=states)
    return links if working else [link for link in links if link.eid in shown]


def readable_inputs(session: Session, by: Principal, ids: Iterable[int]) -> set[int]:
    """Of these inputs, those the reader may see: every one for who reads any input, else the
    published ones and the reader's own."""
    wanted = sorted(set(ids))
    if by.can(Permission.INPUTS_READ_ANY):
        return set(wanted)
    seen: set[int] = set()
    for start in range(0, len(wanted), 500):
        query = select(Input.id, Input.status, Input.actor_id).where(
            Input.id.in_(wanted[start : start + 500])
        )
        for input_id, status, actor_id in session.execute(query):
            own = by.actor_id is not None and actor_id == by.actor_id
            if status == InputStatus.PUBLISHED or (own and by.can(Permission.INPUTS_READ_OWN)):
                seen.add(input_id)
    return seen

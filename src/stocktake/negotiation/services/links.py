"""The thread's links: which clusters of the stocktaking fed which paragraph of a draft.

A link names the paragraph by its stable identity (`eid`), so it follows the paragraph across
revisions, and keeps what the cluster was (run, number, label, inputs), so a cluster removed later
leaves the link saying what it was and when it went. Links are made when a zero draft is started
from the Chair's summary, suggested by similarity (the secretariat confirms or rejects them) and
added or removed by hand; a removed link stays, marked removed, as the record of that."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from stocktake.analysis.models import AnalysisCluster, AnalysisResult, AnalysisRun
from stocktake.analysis.services.results import get_cluster
from stocktake.analysis.services.runs import latest_run
from stocktake.audit.events import AuditAction
from stocktake.audit.services import record_event
from stocktake.core.db import transaction, utcnow
from stocktake.core.errors import Conflict, NotFound, Problem, ValidationFailed
from stocktake.core.permissions import Permission, Principal, require
from stocktake.core.translation import Text
from stocktake.negotiation.models import (
    Draft,
    ElementKind,
    LinkOrigin,
    LinkState,
    ThreadLink,
)
from stocktake.negotiation.services.queries import element_of
from stocktake.process.models import Process

LINKABLE = (ElementKind.PARAGRAPH.value, ElementKind.POINT.value, ElementKind.PREAMBLE.value)
LIVE = (LinkState.CONFIRMED.value, LinkState.SUGGESTED.value)


@event.listens_for(AnalysisCluster, "before_delete")
def _cluster_removed(_mapper: object, connection: Any, target: AnalysisCluster) -> None:
    """A cluster merged away or deleted: its links say when it went (the key is set to null)."""
    connection.execute(
        update(ThreadLink)
        .where(ThreadLink.cluster_id == target.id)
        .values(cluster_removed_at=utcnow())
    )


def _paragraph(draft: Draft, eid: str) -> None:
    element = element_of(draft, eid)  # NotFound names the paragraph
    if element.kind not in LINKABLE:
        raise ValidationFailed(
            f"draft {draft.id}",
            [
                Problem(
                    eid,
                    Text(
                        "is a %(kind)s: only paragraphs, points and preambles link",
                        kind=element.kind,
                    ),
                )
            ],
        )


def run_of(session: Session, process: Process, run_id: int | None) -> AnalysisRun:
    run = session.get(AnalysisRun, run_id) if run_id is not None else latest_run(session, process)
    if run is None or run.process_id != process.id:
        raise NotFound(Text("analysis run"), run_id if run_id is not None else "completed")
    return run


def _members(session: Session, run_id: int, number: int) -> list[int]:
    return list(
        session.scalars(
            select(AnalysisResult.input_id)
            .where(AnalysisResult.run_id == run_id, AnalysisResult.cluster_number == number)
            .order_by(AnalysisResult.input_id)
        )
    )


def _existing(
    session: Session, draft: Draft, eid: str, cluster: AnalysisCluster
) -> ThreadLink | None:
    return session.scalar(
        select(ThreadLink).where(
            ThreadLink.draft_id == draft.id,
            ThreadLink.eid == eid,
            ThreadLink.run_id == cluster.run_id,
            ThreadLink.cluster_number == cluster.number,
        )
    )


def new_link(
    session: Session,
    draft: Draft,
    eid: str,
    cluster: AnalysisCluster,
    *,
    origin: LinkOrigin,
    state: LinkState,
    by: Principal,
    score: float | None = None,
) -> ThreadLink:
    link = ThreadLink(
        draft_id=draft.id,
        eid=eid,
        cluster_id=cluster.id,
        run_id=cluster.run_id,
        cluster_number=cluster.number,
        cluster_label=cluster.label[:300],
        input_ids=_members(session, cluster.run_id, cluster.number),
        origin=origin.value,
        state=state.value,
        score=score,
        decided_by="" if state is LinkState.SUGGESTED else by.label,
        decided_at=None if state is LinkState.SUGGESTED else utcnow(),
    )
    session.add(link)
    return link


def _event(
    session: Session, link: ThreadLink, action: AuditAction, by: Principal, what: str
) -> None:
    session.flush()
    record_event(
        session,
        by=by,
        action=action,
        target_type="thread_link",
        target_key=link.id,
        summary=f"{what}: cluster {link.cluster_number} ({link.cluster_label[:80]}) "
        f"and {link.eid} of draft {link.draft_id}",
        changes={"state": [None, link.state]},
    )


def link_cluster(
    session: Session,
    process: Process,
    draft: Draft,
    eid: str,
    cluster_number: int,
    *,
    run_id: int | None = None,
    note: str = "",
    by: Principal,
) -> ThreadLink:
    """Link a cluster (of the given run, else the latest) to a paragraph by hand. A link that was
    suggested, rejected or removed before is confirmed again."""
    require(by, Permission.THREAD_LINK)
    _paragraph(draft, eid)
    cluster = get_cluster(session, run_of(session, process, run_id), cluster_number)
    with transaction(session):
        link = _existing(session, draft, eid, cluster)
        if link is not None and link.state == LinkState.CONFIRMED:
            raise Conflict(
                Text(
                    "cluster %(cluster)s is linked to %(element)s already (link %(link)s)",
                    cluster=cluster_number,
                    element=eid,
                    link=link.id,
                )
            )
        if link is None:
            link = new_link(
                session,
                draft,
                eid,
                cluster,
                origin=LinkOrigin.MANUAL,
                state=LinkState.CONFIRMED,
                by=by,
            )
        else:
            link.state, link.decided_by, link.decided_at = LinkState.CONFIRMED, by.label, utcnow()
        link.note = note.strip()[:500]
        _event(session, link, AuditAction.THREAD_LINKED, by, "linked")
    return link


def get_link(session: Session, draft: Draft, link_id: int) -> ThreadLink:
    link = session.get(ThreadLink, link_id)
    if link is None or link.draft_id != draft.id:
        raise NotFound(Text("link"), link_id)
    return link


def _decide(
    session: Session,
    draft: Draft,
    link_id: int,
    state: LinkState,
    *,
    allowed: Sequence[str],
    action: AuditAction,
    note: str,
    by: Principal,
) -> ThreadLink:
    require(by, Permission.THREAD_LINK)
    link = get_link(session, draft, link_id)
    if link.state not in allowed:
        raise Conflict(
            Text(
                "link %(link)s is %(state)s: it cannot become %(new_state)s",
                link=link_id,
                state=link.state,
                new_state=state.value,
            )
        )

    with transaction(session):
        previous = link.state
        link.state, link.decided_by, link.decided_at = state.value, by.label, utcnow()
        if note.strip():
            link.note = note.strip()[:500]
        session.flush()
        record_event(
            session,
            by=by,
            action=action,
            target_type="thread_link",
            target_key=link.id,
            summary=f"{state.value}: cluster {link.cluster_number} and {link.eid} of draft "
            f"{draft.id}",
            changes={"state": [previous, state.value]},
        )
    return link


def confirm_link(
    session: Session, draft: Draft, link_id: int, *, note: str = "", by: Principal
) -> ThreadLink:
    """Confirm a suggested link."""
    return _decide(
        session,
        draft,
        link_id,
        LinkState.CONFIRMED,
        allowed=(LinkState.SUGGESTED,),
        action=AuditAction.THREAD_LINK_CONFIRMED,
        note=note,
        by=by,
    )


def reject_link(
    session: Session, draft: Draft, link_id: int, *, note: str = "", by: Principal
) -> ThreadLink:
    """Reject a suggested link: it is not suggested again."""
    return _decide(
        session,
        draft,
        link_id,
        LinkState.REJECTED,
        allowed=(LinkState.SUGGESTED,),
        action=AuditAction.THREAD_LINK_REJECTED,
        note=note,
        by=by,
    )


def unlink(
    session: Session, draft: Draft, link_id: int, *, note: str = "", by: Principal
) -> ThreadLink:
    """Remove a confirmed link: it stays, marked removed, with who removed it and when."""
    return _decide(
        session,
        draft,
        link_id,
        LinkState.REMOVED,
        allowed=(LinkState.CONFIRMED,),
        action=AuditAction.THREAD_UNLINKED,
        note=note,
        by=by,
    )


def clusters_of_inputs(session: Session, run_id: int, input_ids: Iterable[int]) -> list[int]:
    """The numbers of the clusters of a run that hold any of these inputs, most inputs first."""
    ids = sorted(set(input_ids))
    if not ids:
        return []
    counts: dict[int, int] = {}
    for number in session.scalars(
        select(AnalysisResult.cluster_number).where(
            AnalysisResult.run_id == run_id,
            AnalysisResult.input_id.in_(ids),
            AnalysisResult.cluster_number >= 0,
        )
    ):
        counts[number] = counts.get(number, 0) + 1
    return sorted(counts, key=lambda n: (-counts[n], n))


def link_from_origins(session: Session, draft: Draft, run_id: int, *, by: Principal) -> int:
    """Inside the caller's transaction: link each paragraph of a zero draft started from a
    summary to the clusters of the summary's run that hold the inputs it came from."""
    clusters = {
        c.number: c
        for c in session.scalars(select(AnalysisCluster).where(AnalysisCluster.run_id == run_id))
    }
    made = 0
    for element in draft.elements:
        if element.kind != ElementKind.PARAGRAPH or not element.origin.get("inputs"):
            continue
        for number in clusters_of_inputs(session, run_id, element.origin["inputs"]):
            if number in clusters:
                new_link(
                    session,
                    draft,
                    element.eid,
                    clusters[number],
                    origin=LinkOrigin.ZERO_DRAFT,
                    state=LinkState.CONFIRMED,
                    by=by,
                )
                made += 1
    if made:
        session.flush()
        record_event(
            session,
            by=by,
            action=AuditAction.THREAD_LINKED,
            target_type="draft",
            target_key=draft.id,
            summary=f"{made} links from the clusters of run {run_id} to the zero draft",
        )
    return made


def list_links(
    session: Session,
    draft: Draft,
    *,
    eid: str | None = None,
    eids: Sequence[str] | None = None,
    states: Sequence[str] | None = None,
) -> list[ThreadLink]:
    """A draft's links (of one paragraph, or of several), in the order they were made."""
    query = select(ThreadLink).where(ThreadLink.draft_id == draft.id)
    if eid is not None:
        query = query.where(ThreadLink.eid == eid)
    if eids is not None:
        query = query.where(ThreadLink.eid.in_(list(eids)))
    if states is not None:
        query = query.where(ThreadLink.state.in_(list(states)))
    return list(session.scalars(query.order_by(ThreadLink.id)))


def links_of_inputs(session: Session, input_ids: Iterable[int]) -> dict[int, list[ThreadLink]]:
    """The confirmed links that carry each of these inputs."""
    wanted = set(input_ids)
    found: dict[int, list[ThreadLink]] = {}
    for link in session.scalars(
        select(ThreadLink).where(ThreadLink.state == LinkState.CONFIRMED).order_by(ThreadLink.id)
    ):
        for input_id in wanted.intersection(link.input_ids):
            found.setdefault(input_id, []).append(link)
    return found

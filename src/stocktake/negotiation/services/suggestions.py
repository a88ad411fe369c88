"""Links suggested by similarity: each paragraph without a link is compared with the clusters of a
run (their label and representative input), embedded as the analysis embeds texts, and the
closest clusters are suggested for the secretariat to confirm or reject."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from stocktake.analysis.models import AnalysisCluster
from stocktake.audit.events import AuditAction
from stocktake.audit.services import record_event
from stocktake.core.db import transaction
from stocktake.core.permissions import Permission, Principal, require
from stocktake.negotiation.models import Draft, LinkOrigin, LinkState, ThreadLink
from stocktake.negotiation.services.links import LINKABLE, LIVE, new_link, run_of
from stocktake.process.models import Process

FLOOR = {"meaning": 0.35, "tfidf": 0.12}
"""The least similarity (cosine) at which a cluster is suggested, by kind of vector."""
PER_PARAGRAPH = 3


def similarities(
    texts: Sequence[str], others: Sequence[str], backend: str
) -> tuple[np.ndarray, str]:
    """Cosine similarity of each text with each other text, and the kind of vectors used."""
    from stocktake.analysis.vectors import Vectoriser, embedder_for

    embedder = embedder_for(backend)
    if embedder is None:
        matrix = Vectoriser().fit_transform([*texts, *others])
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1))).ravel()
        norms[norms == 0] = 1.0
        left, right = matrix[: len(texts)], matrix[len(texts) :]
        scores = np.asarray((left @ right.T).todense()) / np.outer(
            norms[: len(texts)], norms[len(texts) :]
        )
        return scores, "tfidf"
    vectors = embedder.embed([*texts, *others])
    return vectors[: len(texts)] @ vectors[len(texts) :].T, "meaning"


def suggest_links(
    session: Session,
    process: Process,
    draft: Draft,
    *,
    run_id: int | None = None,
    eids: Sequence[str] | None = None,
    backend: str | None = None,
    by: Principal,
) -> list[ThreadLink]:
    """Suggest clusters for the paragraphs (these, else all) that have no link yet; a pair
    suggested, rejected or removed before is not suggested again."""
    require(by, Permission.THREAD_LINK)
    run = run_of(session, process, run_id)
    existing = list(session.scalars(select(ThreadLink).where(ThreadLink.draft_id == draft.id)))
    linked = {link.eid for link in existing if link.state in LIVE}
    known = {(link.eid, link.run_id, link.cluster_number) for link in existing}
    wanted = set(eids) if eids is not None else None
    if wanted is not None:
        from stocktake.negotiation.services.queries import element_of

        for eid in wanted:
            element_of(draft, eid)  # NotFound names the paragraph
    paragraphs = [
        e
        for e in sorted(draft.elements, key=lambda e: e.position)
        if e.kind in LINKABLE and e.eid not in linked and (wanted is None or e.eid in wanted)
    ]
    clusters = list(
        session.scalars(
            select(AnalysisCluster)
            .where(AnalysisCluster.run_id == run.id)
            .order_by(AnalysisCluster.number)
        )
    )
    if not paragraphs or not clusters:
        return []
    scores, kind = similarities(
        [p.text for p in paragraphs],
        [f"{c.label}. {c.representative.text}" for c in clusters],
        backend or str(run.params.get("vectors") or "multilingual"),
    )
    made: list[ThreadLink] = []
    with transaction(session):
        for row, paragraph in enumerate(paragraphs):
            for column in np.argsort(-scores[row])[:PER_PARAGRAPH]:
                cluster, score = clusters[int(column)], float(scores[row, column])
                if score < FLOOR[kind] or (paragraph.eid, run.id, cluster.number) in known:
                    continue
                made.append(
                    new_link(
                        session,
                        draft,
                        paragraph.eid,
                        cluster,
                        origin=LinkOrigin.SIMILARITY,
                        state=LinkState.SUGGESTED,
                        by=by,
                        score=round(score, 3),
                    )
                )
        if made:
            session.flush()
            record_event(
                session,
                by=by,
                action=AuditAction.THREAD_SUGGESTED,
                target_type="draft",
                target_key=draft.id,
                summary=f"{len(made)} links suggested from run {run.id} by {kind} similarity",
            )
    return made

"""What a stored run found: its clusters and their inputs, its divergences, the review queue."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stocktake.analysis.labels import label_of
from stocktake.analysis.models import (
    AnalysisCluster,
    AnalysisDivergence,
    AnalysisResult,
    AnalysisRun,
)
from stocktake.consultation.models import Input, InputTag
from stocktake.core.errors import NotFound
from stocktake.core.translation import Text
from stocktake.process.terms import TagSource


def clusters_of(session: Session, run: AnalysisRun) -> list[AnalysisCluster]:
    return list(
        session.scalars(
            select(AnalysisCluster)
            .where(AnalysisCluster.run_id == run.id)
            .order_by(AnalysisCluster.number)
        )
    )


def get_cluster(session: Session, run: AnalysisRun, number: int) -> AnalysisCluster:
    cluster = session.scalar(
        select(AnalysisCluster).where(
            AnalysisCluster.run_id == run.id, AnalysisCluster.number == number
        )
    )
    if cluster is None:
        raise NotFound(Text("cluster"), number)
    return cluster


LABEL_LIMIT = 300  # the length of a cluster's label column


def label_to_edit(cluster: AnalysisCluster) -> str:
    """What the rename form starts from: the label as it is, or, where the label was cut short
    ("Ensure access to legal aid for…"), the whole opening clause of its representative input."""
    if not cluster.label.endswith("…") or cluster.representative is None:
        return cluster.label
    record = cluster.representative
    whole = label_of(record.text or "", record.title or "", max_words=LABEL_LIMIT // 5)
    return whole.removesuffix("…")[:LABEL_LIMIT].strip() or cluster.label


def cluster_inputs(
    session: Session, run: AnalysisRun, number: int
) -> list[tuple[Input, AnalysisResult]]:
    return [
        (record, result)
        for record, result in session.execute(
            select(Input, AnalysisResult)
            .join(AnalysisResult, AnalysisResult.input_id == Input.id)
            .where(AnalysisResult.run_id == run.id, AnalysisResult.cluster_number == number)
            .order_by(Input.id)
        )
    ]


def divergences_of(session: Session, run: AnalysisRun) -> list[AnalysisDivergence]:
    return list(
        session.scalars(
            select(AnalysisDivergence)
            .where(AnalysisDivergence.run_id == run.id)
            .order_by(AnalysisDivergence.id)
        )
    )


@dataclass
class QueueItem:
    input: Input
    result: AnalysisResult


def review_queue(
    session: Session, run: AnalysisRun, *, limit: int = 50, offset: int = 0
) -> tuple[list[QueueItem], int]:
    """Inputs whose tags the analysis chose, least confident first, leaving out those the
    secretariat has confirmed since."""
    confirmed = select(InputTag.input_id).where(InputTag.source == TagSource.SECRETARIAT)
    query = (
        select(Input, AnalysisResult)
        .join(AnalysisResult, AnalysisResult.input_id == Input.id)
        .where(
            AnalysisResult.run_id == run.id,
            AnalysisResult.tag_source == "analysis",
            Input.id.not_in(confirmed),
        )
    )
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.execute(
        query.order_by(AnalysisResult.confidence, Input.id).offset(offset).limit(limit)
    )
    return [QueueItem(record, result) for record, result in rows], total

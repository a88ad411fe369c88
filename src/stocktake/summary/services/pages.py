"""What the summary's pages show besides its text: a cluster of a summary and the inputs behind a
statement, each as its reader may see them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from stocktake.analysis.models import AnalysisCluster, AnalysisResult
from stocktake.consultation.models import Input, InputStatus
from stocktake.core.errors import NotFound
from stocktake.core.permissions import Permission, Principal
from stocktake.core.translation import Text
from stocktake.summary.models import Summary
from stocktake.summary.services.versions import visible_version


@dataclass
class ClusterPage:
    """A cluster a summary refers to, as this reader may see it."""

    cluster: AnalysisCluster
    members: list[Input]
    """The inputs the reader may open."""
    hidden: int
    """How many members the reader may not open (not yet published)."""


def summary_cluster(
    session: Session, summary: Summary, number: int, *, by: Principal
) -> ClusterPage:
    """A cluster of the run a summary was drawn from: the secretariat sees every member, everyone
    else (only for a published summary, see get_summary) its published members."""
    if summary.run_id is None:
        raise NotFound(Text("cluster"), number)
    cluster = session.scalar(
        select(AnalysisCluster).where(
            AnalysisCluster.run_id == summary.run_id, AnalysisCluster.number == number
        )
    )
    if cluster is None:
        raise NotFound(Text("cluster"), number)
    members = list(
        session.scalars(
            select(Input)
            .join(AnalysisResult, AnalysisResult.input_id == Input.id)
            .where(AnalysisResult.run_id == summary.run_id, AnalysisResult.cluster_number == number)
            .options(selectinload(Input.actor))
            .order_by(Input.id)
        )
    )
    visible = (
        members
        if by.can(Permission.INPUTS_READ_ANY)
        else [m for m in members if m.status == InputStatus.PUBLISHED]
    )
    return ClusterPage(cluster, visible, len(members) - len(visible))


@dataclass
class SourcesPage:
    """The inputs behind one statement of a summary, as this reader may see them."""

    statement: str
    members: list[Input]
    hidden: int


def statement_inputs(
    session: Session, summary: Summary, number: int, *, by: Principal
) -> SourcesPage:
    """The inputs behind statement S{number} of the version this reader reads: every one for the
    secretariat, the published ones for everyone else (the others are counted)."""
    version = visible_version(summary, by=by)
    ids = (version.sources or {}).get(f"S{number}")
    if ids is None:
        raise NotFound(Text("statement"), f"S{number}")
    members = list(
        session.scalars(
            select(Input)
            .where(Input.id.in_(ids))
            .options(selectinload(Input.actor))
            .order_by(Input.id)
        )
    )
    visible = (
        members
        if by.can(Permission.INPUTS_READ_ANY)
        else [m for m in members if m.status == InputStatus.PUBLISHED]
    )
    return SourcesPage(f"S{number}", visible, len(members) - len(visible))

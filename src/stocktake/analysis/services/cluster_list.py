"""The clusters of a run as a paged list, searchable by label."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stocktake.analysis.models import AnalysisCluster, AnalysisRun
from stocktake.core.db import contains
from stocktake.core.pages import ResultPage
from stocktake.core.permissions import Permission, Principal, require


def cluster_page(
    session: Session,
    run: AnalysisRun,
    *,
    by: Principal,
    q: str | None = None,
    page: int = 1,
    page_size: int = 50,
) -> ResultPage[AnalysisCluster]:
    """The clusters whose label holds every word of `q` (any case), largest first."""
    require(by, Permission.ANALYSIS_READ)
    query = select(AnalysisCluster).where(AnalysisCluster.run_id == run.id)
    for word in (q or "").split()[:10]:
        query = query.where(contains(AnalysisCluster.label, word))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(AnalysisCluster.number).offset((page - 1) * page_size).limit(page_size)
    ).all()
    return ResultPage(rows, total, page, page_size)

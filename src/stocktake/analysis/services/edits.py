"""The secretariat's cluster edits (rename, merge, split), which later runs keep as confirmed clusters."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from stocktake.analysis.models import (
    AnalysisCluster,
    AnalysisResult,
    AnalysisRun,
    ConfirmedCluster,
    ConfirmedClusterMember,
)
from stocktake.analysis.pipeline import (
    ActorInfo,
    Doc,
    support_of,
)
from stocktake.analysis.services.results import get_cluster
from stocktake.audit.events import AuditAction
from stocktake.audit.services import record_event
from stocktake.consultation.models import Input
from stocktake.core.db import transaction
from stocktake.core.errors import NotFound, Problem, ValidationFailed
from stocktake.core.permissions import Permission, Principal, require
from stocktake.core.translation import Text
from stocktake.process.models import Process
from stocktake.registry.models import Actor


def _confirm(
    session: Session, process: Process, label: str, input_ids: Sequence[int]
) -> ConfirmedCluster:
    """A confirmed cluster holding exactly these inputs (taken from any confirmed cluster they were in)."""
    session.execute(
        delete(ConfirmedClusterMember).where(ConfirmedClusterMember.input_id.in_(list(input_ids)))
    )
    cluster = ConfirmedCluster(process_id=process.id, label=label)
    session.add(cluster)
    session.flush()
    session.execute(
        insert(ConfirmedClusterMember),
        [{"cluster_id": cluster.id, "input_id": i} for i in input_ids],
    )
    return cluster


def _locked_cluster(session: Session, run: AnalysisRun, number: int) -> AnalysisCluster:
    """The cluster as it is now, its row locked until the edit ends: of two edits at once, the
    second sees what the first did (or that the first merged it away)."""
    cluster = session.scalar(
        select(AnalysisCluster)
        .where(AnalysisCluster.run_id == run.id, AnalysisCluster.number == number)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if cluster is None:
        raise NotFound(Text("cluster"), number)
    return cluster


def _member_ids(session: Session, run: AnalysisRun, number: int) -> list[int]:
    return list(
        session.scalars(
            select(AnalysisResult.input_id).where(
                AnalysisResult.run_id == run.id, AnalysisResult.cluster_number == number
            )
        )
    )


def _refresh(session: Session, cluster: AnalysisCluster, input_ids: Sequence[int]) -> None:
    docs = [
        Doc(
            key=i,
            actor=ActorInfo(
                a.code, a.name, a.kind, a.region, a.regional_group, a.stakeholder_category
            ),
            text="",
        )
        for i, a in session.execute(
            select(Input.id, Actor)
            .join(Actor, Input.actor_id == Actor.id)
            .where(Input.id.in_(list(input_ids)))
        )
    ]
    cluster.support = support_of(docs, list(range(len(docs)))).as_dict()
    cluster.size = len(docs)


def _label(label: str) -> str:
    label = " ".join(label.split())
    if not label:
        raise ValidationFailed("cluster", [Problem("label", Text("is empty"))])
    return label[:300]


def _cluster_event(
    session: Session, by: Principal, key: str, summary: str, changes: dict[str, Any]
) -> None:
    record_event(
        session,
        by=by,
        action=AuditAction.CLUSTER_EDITED,
        target_type="cluster",
        target_key=key,
        summary=summary,
        changes=changes,
    )


def rename_cluster(
    session: Session, run: AnalysisRun, number: int, label: str, *, by: Principal
) -> AnalysisCluster:
    require(by, Permission.CLUSTERS_EDIT)
    cluster = get_cluster(session, run, number)
    label = _label(label)
    process = session.get(Process, run.process_id)
    assert process is not None
    with transaction(session):
        cluster = _locked_cluster(session, run, number)
        old = cluster.label
        confirmed = _confirm(session, process, label, _member_ids(session, run, number))
        cluster.label, cluster.confirmed_id = label, confirmed.id
        _cluster_event(
            session, by, f"{run.id}/{number}", f"renamed to {label}", {"label": [old, label]}
        )
    return cluster


def merge_clusters(
    session: Session, run: AnalysisRun, numbers: Sequence[int], label: str, *, by: Principal
) -> AnalysisCluster:
    require(by, Permission.CLUSTERS_EDIT)
    numbers = sorted(set(numbers))
    if len(numbers) < 2:
        raise ValidationFailed(
            "merge", [Problem("clusters", Text("choose at least two clusters to merge"))]
        )
    clusters = [get_cluster(session, run, n) for n in numbers]
    label = _label(label or clusters[0].label)
    process = session.get(Process, run.process_id)
    assert process is not None
    with transaction(session):
        clusters = [_locked_cluster(session, run, n) for n in numbers]
        target = clusters[0]
        members = [i for n in numbers for i in _member_ids(session, run, n)]
        session.execute(
            update(AnalysisResult)
            .where(AnalysisResult.run_id == run.id, AnalysisResult.cluster_number.in_(numbers[1:]))
            .values(cluster_number=target.number)
        )
        for other in clusters[1:]:
            session.delete(other)
        confirmed = _confirm(session, process, label, members)
        target.label, target.confirmed_id = label, confirmed.id
        target.ideas = sum(c.ideas for c in clusters)
        _refresh(session, target, members)
        _cluster_event(
            session,
            by,
            f"{run.id}/{target.number}",
            f"merged clusters {', '.join(map(str, numbers))} as {label}",
            {"merged": numbers},
        )
    return target


def _split_parts(input_ids: Sequence[int], members: list[int]) -> tuple[list[int], list[int]]:
    """The inputs that move to the new cluster and those that stay, some of each."""
    moving = sorted(set(input_ids) & set(members))
    staying = [i for i in members if i not in moving]
    if not moving or not staying:
        raise ValidationFailed(
            "split", [Problem("inputs", Text("choose some, but not all, of the cluster's inputs"))]
        )
    return moving, staying


def split_cluster(
    session: Session,
    run: AnalysisRun,
    number: int,
    input_ids: Sequence[int],
    label: str,
    *,
    by: Principal,
) -> AnalysisCluster:
    """Move some inputs of a cluster into a new cluster with its own label."""
    require(by, Permission.CLUSTERS_EDIT)
    get_cluster(session, run, number)
    _split_parts(input_ids, _member_ids(session, run, number))
    label = _label(label)
    process = session.get(Process, run.process_id)
    assert process is not None
    with transaction(session):
        cluster = _locked_cluster(session, run, number)
        moving, staying = _split_parts(input_ids, _member_ids(session, run, number))
        new_number = (
            session.scalar(
                select(func.max(AnalysisCluster.number)).where(AnalysisCluster.run_id == run.id)
            )
            or 0
        ) + 1
        session.execute(
            update(AnalysisResult)
            .where(AnalysisResult.run_id == run.id, AnalysisResult.input_id.in_(moving))
            .values(cluster_number=new_number)
        )
        kept = _confirm(session, process, cluster.label, staying)
        made = _confirm(session, process, label, moving)
        cluster.confirmed_id = kept.id
        _refresh(session, cluster, staying)
        new = AnalysisCluster(
            run_id=run.id,
            number=new_number,
            label=label,
            representative_id=moving[0],
            size=len(moving),
            ideas=1,
            dimensions=list(cluster.dimensions),
            input_types=list(cluster.input_types),
            confirmed_id=made.id,
        )
        if cluster.representative_id in moving:
            cluster.representative_id = staying[0]
        session.add(new)
        _refresh(session, new, moving)
        _cluster_event(
            session,
            by,
            f"{run.id}/{number}",
            f"split {len(moving)} inputs into new cluster {new_number}: {label}",
            {"moved": moving},
        )
    return new

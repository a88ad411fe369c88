"""Runs of the analysis on the stored inputs: loading them, starting, executing and storing a run."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, selectinload

from stocktake.analysis.models import (
    AnalysisCluster,
    AnalysisDivergence,
    AnalysisResult,
    AnalysisRun,
    AnalysisTheme,
    ConfirmedCluster,
    RunStatus,
)
from stocktake.analysis.pipeline import (
    ActorInfo,
    Context,
    Doc,
    Params,
    Result,
    analysed_text,
    run_pipeline,
)
from stocktake.analysis.spread import connect
from stocktake.analysis.vectorstore import keep_vectors, known_vectors
from stocktake.audit.events import AuditAction
from stocktake.audit.services import record_event
from stocktake.consultation.models import FrameworkReference, Input, InputStatus, InputTag
from stocktake.core.db import transaction, utcnow
from stocktake.core.errors import Conflict, NotFound, ValidationFailed
from stocktake.core.jobs import Job, add_job
from stocktake.core.permissions import Permission, Principal, require
from stocktake.core.translation import Text
from stocktake.frameworks.services import stored_sdg_framework
from stocktake.process.models import Process
from stocktake.process.terms import TagSource
from stocktake.registry.models import Actor

ANALYSED_STATUSES = (InputStatus.SUBMITTED.value, InputStatus.PUBLISHED.value)
STALE_AFTER = dt.timedelta(minutes=15)


# ---------------------------------------------------------------- loading


def load_docs(session: Session, process: Process) -> list[Doc]:
    """Every submitted or published input of the process, as pipeline documents, oldest first."""
    actors = {
        row.id: ActorInfo(
            row.code, row.name, row.kind, row.region, row.regional_group, row.stakeholder_category
        )
        for row in session.execute(
            select(
                Actor.id,
                Actor.code,
                Actor.name,
                Actor.kind,
                Actor.region,
                Actor.regional_group,
                Actor.stakeholder_category,
            )
        )
    }
    docs: dict[int, Doc] = {}
    for row in session.execute(
        select(Input.id, Input.actor_id, Input.title, Input.text, Input.language, Input.external_id)
        .where(Input.process_id == process.id, Input.status.in_(ANALYSED_STATUSES))
        .order_by(Input.id)
    ):
        docs[row.id] = Doc(
            key=row.id,
            actor=actors[row.actor_id],
            text=row.text,
            title=row.title,
            language=row.language,
            external_id=row.external_id,
        )
    for input_id, vocabulary, key, source in session.execute(
        select(InputTag.input_id, InputTag.vocabulary, InputTag.key, InputTag.source)
        .join(Input)
        .where(Input.process_id == process.id)
    ):
        doc = docs.get(input_id)
        if doc is not None:
            target = doc.confirmed if source == TagSource.SECRETARIAT else doc.given
            target.setdefault(vocabulary, []).append(key)
    for input_id, code in session.execute(
        select(FrameworkReference.input_id, FrameworkReference.code)
        .join(Input)
        .where(Input.process_id == process.id, FrameworkReference.scheme == "sdg")
    ):
        if input_id in docs:
            docs[input_id].references.append(code)
    return list(docs.values())


def context_for(session: Session, process: Process, docs: Sequence[Doc]) -> Context:
    row_of = {doc.key: row for row, doc in enumerate(docs)}
    confirmed = []
    for cluster in session.scalars(
        select(ConfirmedCluster)
        .where(ConfirmedCluster.process_id == process.id)
        .options(selectinload(ConfirmedCluster.members))
    ):
        rows = [row_of[m.input_id] for m in cluster.members if m.input_id in row_of]
        if rows:
            confirmed.append((cluster.id, cluster.label, rows))
    framework = stored_sdg_framework(session)
    return Context(
        definition=process.read_definition(),
        framework=framework if framework.items else None,
        confirmed_clusters=confirmed,
        earlier_ideas=_earlier_ideas(session, process, row_of),
    )


def _earlier_ideas(
    session: Session, process: Process, row_of: dict[int, int]
) -> list[tuple[str, list[int]]]:
    """The ideas of the latest completed run, as (label, rows of these docs)."""
    earlier = latest_run(session, process)
    if earlier is None:
        return []
    rows: dict[int, list[int]] = {}
    for number, input_id in session.execute(
        select(AnalysisResult.cluster_number, AnalysisResult.input_id).where(
            AnalysisResult.run_id == earlier.id
        )
    ):
        if input_id in row_of:
            rows.setdefault(number, []).append(row_of[input_id])
    return [
        (cluster.label, rows.get(cluster.number, []))
        for cluster in session.scalars(
            select(AnalysisCluster).where(AnalysisCluster.run_id == earlier.id)
        )
    ]


# ---------------------------------------------------------------- runs


ANALYSIS_JOB = "analysis_run"


def start_run(
    session: Session,
    process: Process,
    *,
    by: Principal,
    params: Params | None = None,
    held_by: str | None = None,
) -> AnalysisRun:
    """Register a new run and, in the same transaction, the job that executes it (a worker takes
    it; with `held_by`, the caller's own worker executes it at once). A run still at work refuses
    it; one whose job has ended without ending it, or with no job that stopped answering long
    ago, is marked as interrupted first. (A run whose worker stopped answering is taken over by
    another worker, as its job is.)"""
    require(by, Permission.ANALYSIS_RUN)
    now = utcnow()
    with transaction(session):
        # the process's row locked: of two starts at once, the second sees the first's run
        session.refresh(process, ["slug"], with_for_update=True)
        for stale in session.scalars(
            select(AnalysisRun).where(
                AnalysisRun.process_id == process.id, AnalysisRun.status == RunStatus.RUNNING
            )
        ):
            job = session.get(Job, stale.job_id) if stale.job_id is not None else None
            if (job is not None and job.ended) or (
                job is None and now - stale.heartbeat_at > STALE_AFTER
            ):
                stale.status, stale.error, stale.finished_at = (
                    RunStatus.FAILED,
                    "interrupted: the process running it stopped before completing",
                    now,
                )
            else:
                raise Conflict(
                    Text(
                        "analysis run %(run)s is still running (stage %(stage)s)",
                        run=stale.id,
                        stage=stale.stage,
                    )
                )
        run = AnalysisRun(
            process_id=process.id,
            params=(params or Params()).as_dict(),
            started_by=by.label,
            started_at=now,
            heartbeat_at=now,
            worker=held_by or "",
        )
        session.add(run)
        session.flush()
        run.job_id = add_job(
            session, ANALYSIS_JOB, {"run_id": run.id}, by=by, queue="analysis", held_by=held_by
        ).id
        record_event(
            session,
            by=by,
            action=AuditAction.ANALYSIS_STARTED,
            target_type="analysis_run",
            target_key=run.id,
        )
    return run


def execute_run(
    session: Session,
    run: AnalysisRun,
    *,
    by: Principal,
    progress: Callable[[str, float], None] | None = None,
    scheduler: str | None = None,
) -> Result:
    """Load the inputs, run the pipeline and store every result in one transaction; on any error the
    run is marked failed with the reason and nothing of it is stored. Only a run that was started
    and has not ended is executed, by someone who may run the analysis. With `scheduler` (a Dask
    scheduler's address), the heavy stages run on that cluster's workers, with the same results."""
    require(by, Permission.ANALYSIS_RUN)
    if run.status != RunStatus.RUNNING:
        raise Conflict(
            Text(
                "analysis run %(run)s has already ended (%(status)s)",
                run=run.id,
                status=str(run.status),
            )
        )
    process = session.get(Process, run.process_id)
    assert process is not None

    def tick(stage: str, fraction: float) -> None:
        with transaction(session):
            run.stage, run.progress, run.heartbeat_at = stage, round(fraction, 3), utcnow()
        if progress:
            progress(stage, fraction)

    try:
        tick("loading", 0.02)
        docs = load_docs(session, process)
        params = Params(**run.params)
        context = replace(
            context_for(session, process, docs),
            known_vectors=known_vectors(session, params.vectors, [analysed_text(d) for d in docs]),
        )
        with connect(scheduler) if scheduler else contextlib.nullcontext() as workers:
            result = run_pipeline(
                docs,
                context,
                params,
                progress=lambda stage, f: tick(stage, 0.05 + 0.85 * f),
                workers=workers,
            )
        tick("storing", 0.92)
        with transaction(session):
            # the run's row locked: of two workers that both got this far, one stores, once
            session.refresh(run, ["status"], with_for_update=True)
            if run.status != RunStatus.RUNNING:
                raise Conflict(f"analysis run {run.id} has already ended ({run.status})")
            _store(session, run, result)
            run.status, run.stage, run.progress, run.finished_at = (
                RunStatus.COMPLETED,
                "done",
                1.0,
                utcnow(),
            )
            run.stats = _stats(result)
            record_event(
                session,
                by=by,
                action=AuditAction.ANALYSIS_COMPLETED,
                target_type="analysis_run",
                target_key=run.id,
                summary=f"{len(docs)} inputs, {len(result.clusters)} clusters",
                changes=run.stats,
            )
    except Exception as exc:
        session.rollback()
        if isinstance(exc, Conflict):
            raise
        with transaction(session):
            run.status, run.stage, run.finished_at = RunStatus.FAILED, "failed", utcnow()
            run.error = (
                str(exc)
                if not isinstance(exc, ValidationFailed)
                else "; ".join(str(p) for p in exc.problems)
            )
        raise
    return result


def run_analysis(
    session: Session,
    process: Process,
    *,
    by: Principal,
    params: Params | None = None,
    progress: Callable[[str, float], None] | None = None,
    scheduler: str | None = None,
) -> tuple[AnalysisRun, Result]:
    """Start a run and execute it here (the command line), as its job's own worker: the job is held
    by this process and its heartbeat kept fresh, so that if the command is killed a worker takes
    the run over."""
    from stocktake.core.jobs.local import worker_name
    from stocktake.core.jobs.queue import Claim, fail, finish
    from stocktake.core.jobs.runner import Policy, heartbeat_for

    name = worker_name("command")
    run = start_run(session, process, by=by, params=params, held_by=name)
    assert run.job_id is not None
    held = Claim(run.job_id, 1, name)
    with heartbeat_for(session, held, Policy()):
        try:
            result = execute_run(session, run, by=by, progress=progress, scheduler=scheduler)
        except Exception as exc:
            with transaction(session):
                fail(session, held, run.error or str(exc))
            raise
        with transaction(session):
            finish(session, held, {"run_id": run.id})
    return run, result


def _stats(result: Result) -> dict[str, Any]:
    groups = result.duplicate_groups()
    return {
        "inputs": len(result.docs),
        "duplicate_groups": len(groups),
        "inputs_in_duplicate_groups": sum(len(g) for g in groups),
        "clusters": len(result.clusters),
        "themes": len(result.themes),
        "not_analysable_by_meaning": sum(
            1 for note in result.notes.values() if not note.startswith(("one word", "long text"))
        ),
        "notes": len(result.notes),
        "vectors": result.params.vectors,
        "texts_embedded": result.meaning.embedded if result.meaning else 0,
        "vectors_reused": result.meaning.reused if result.meaning else 0,
        "divergences_surfaced": sum(1 for d in result.divergences if d.surfaced),
        "seconds": result.seconds,
    }


def _store(session: Session, run: AnalysisRun, result: Result) -> None:
    docs = result.docs
    rows = [
        {
            "run_id": run.id,
            "input_id": doc.key,
            "dimensions": result.tags["dimensions"][row],
            "input_types": result.tags["input_types"][row],
            "tag_source": _source(result, row),
            "confidence": result.tag_confidence[row],
            "goals": result.goals[row],
            "targets": result.targets[row],
            "link_confidence": result.link_confidence[row],
            "duplicate_of_id": docs[result.duplicate_root[row]].key
            if result.duplicate_root[row] != row
            else None,
            "cluster_number": result.cluster_of[row],
        }
        for row, doc in enumerate(docs)
    ]
    for start in range(0, len(rows), 10_000):
        session.execute(insert(AnalysisResult), rows[start : start + 10_000])
    session.add_all(
        AnalysisCluster(
            run_id=run.id,
            number=cluster.number,
            label=cluster.label[:300],
            representative_id=docs[cluster.representative].key,
            size=len(cluster.rows),
            ideas=cluster.ideas,
            support=cluster.support.as_dict(),
            dimensions=cluster.dimensions,
            input_types=cluster.input_types,
            confirmed_id=cluster.confirmed_key,
            theme_number=result.theme_of_cluster[cluster.number],
        )
        for cluster in result.clusters
    )
    session.add_all(
        AnalysisTheme(
            run_id=run.id,
            number=theme.number,
            label=theme.label[:300],
            representative_id=docs[theme.representative].key,
            size=len(theme.rows),
            clusters=theme.clusters,
            support=theme.support.as_dict(),
        )
        for theme in result.themes
    )
    if result.meaning is not None and result.meaning.new:
        keep_vectors(session, result.meaning.model, result.meaning.new)
    session.add_all(
        AnalysisDivergence(
            run_id=run.id,
            key=divergence.key,
            name=divergence.name,
            description=divergence.description,
            surfaced=divergence.surfaced,
            positions=[
                {
                    "key": p.key,
                    "name": p.name,
                    "inputs": [docs[r].key for r in p.rows],
                    "support": p.support.as_dict(),
                }
                for p in divergence.positions
            ],
        )
        for divergence in result.divergences
    )


def _source(result: Result, row: int) -> str:
    return TagSource.weakest([result.tag_source[v][row] for v in result.tag_source]).value


def latest_run(session: Session, process: Process, *, completed: bool = True) -> AnalysisRun | None:
    query = select(AnalysisRun).where(AnalysisRun.process_id == process.id)
    if completed:
        query = query.where(AnalysisRun.status == RunStatus.COMPLETED)
    return session.scalar(query.order_by(AnalysisRun.id.desc()).limit(1))


def current_run(session: Session, process: Process, *, by: Principal) -> AnalysisRun:
    """The latest completed run, which the analysis pages show and edit; NotFound before any."""
    require(by, Permission.ANALYSIS_READ)
    run = latest_run(session, process)
    if run is None:
        raise NotFound(Text("completed analysis run"), process.slug)
    return run


def get_run(session: Session, run_id: int, *, by: Principal) -> AnalysisRun:
    require(by, Permission.ANALYSIS_READ)
    run = session.get(AnalysisRun, run_id)
    if run is None:
        raise NotFound(Text("analysis run"), run_id)
    return run


def list_runs(
    session: Session, process: Process, *, by: Principal, limit: int = 20
) -> list[AnalysisRun]:
    require(by, Permission.ANALYSIS_READ)
    return list(
        session.scalars(
            select(AnalysisRun)
            .where(AnalysisRun.process_id == process.id)
            .order_by(AnalysisRun.id.desc())
            .limit(limit)
        )
    )

"""The analysis run as a job: a worker executes a registered run; a run whose job fails (its worker
stopped too often) is failed with the same reason."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from stocktake.analysis.models import AnalysisRun, RunStatus
from stocktake.analysis.services import execute_run
from stocktake.config import get_settings
from stocktake.core.db import transaction, utcnow
from stocktake.core.errors import Conflict
from stocktake.core.jobs import Job, JobContext, JobFailed


def run_analysis_job(context: JobContext) -> dict[str, Any]:
    run_id = context.arguments["run_id"]
    with context.sessions() as session:
        run = session.get(AnalysisRun, run_id)
        if run is None:
            raise JobFailed(f"analysis run {run_id} was deleted before it was executed")
        if run.status == RunStatus.COMPLETED:  # done by an earlier attempt, which then stopped
            return {"run_id": run.id}
        if run.status == RunStatus.FAILED:
            raise JobFailed(f"analysis run {run_id} had already ended: {run.error}")
        with transaction(session):
            run.worker = context.claim.worker
        try:
            execute_run(
                session,
                run,
                by=context.by,
                progress=context.progress,
                # the heavy stages on the Dask cluster this worker's settings name, if any
                scheduler=get_settings().analysis_scheduler,
            )
        except Conflict:
            # an earlier attempt, taken for gone, stored it first: done, once
            session.refresh(run)
            if run.status != RunStatus.COMPLETED:
                raise
    return {"run_id": run_id}


def analysis_job_failed(session: Session, job: Job, reason: str) -> None:
    run = session.get(AnalysisRun, job.arguments.get("run_id"))
    if run is not None and run.status == RunStatus.RUNNING:
        run.status, run.stage, run.error, run.finished_at = (
            RunStatus.FAILED.value,
            "failed",
            reason,
            utcnow(),
        )

"""On PostgreSQL, procrastinate carries the jobs from the queue to the workers: it hands each job to
one worker (LISTEN/NOTIFY, no polling), keeps every worker's heartbeat, and retries a job whose
worker stopped answering. The job table stays the record (state, progress, reason); procrastinate's
own job only says "run job N". Its schema is applied by a migration (migrations/versions/
*_jobs_the_job_table_and_the_queue.py)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from sqlalchemy.engine import make_url

from stocktake.core.jobs.queue import TASK
from stocktake.core.jobs.runner import Policy, Sessions, run_job

log = logging.getLogger("stocktake.jobs")


class StillHeld(Exception):
    """Another worker holds the job and answers; procrastinate tries again later (its retry)."""


def conninfo(database_url: str) -> str:
    """The libpq address of a SQLAlchemy URL (postgresql+psycopg://... → postgresql://...)."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)


def make_app(database_url: str, sessions: Sessions, policy: Policy, worker: str) -> Any:
    """A procrastinate app whose one task runs a job of the job table."""
    import procrastinate

    app = procrastinate.App(
        connector=procrastinate.PsycopgConnector(conninfo=conninfo(database_url))
    )
    retry = procrastinate.RetryStrategy(
        max_attempts=100_000,
        wait=max(1, int(policy.stalled_after / 2)),
        retry_exceptions={StillHeld},
    )

    @app.task(name=TASK, retry=retry)
    def run(job_id: int) -> None:
        outcome = run_job(sessions, job_id, worker=worker, policy=policy)
        if outcome in ("busy", "interrupted"):
            raise StillHeld(f"job {job_id} is held by another worker")

    return app


async def _retry_stalled(app: Any, policy: Policy) -> None:
    """Procrastinate's stalled jobs (their worker's heartbeat is older than `stalled_after`) go back
    to the queue, whoever's they were: the recipe of procrastinate's documentation, run in a loop."""
    while True:
        try:
            for stalled in await app.job_manager.get_stalled_jobs(
                seconds_since_heartbeat=policy.stalled_after
            ):
                log.info("procrastinate job %s stalled: retrying it", stalled.id)
                await app.job_manager.retry_job(stalled)
        except Exception as exc:  # the database away: the next round tries again
            log.warning("stalled jobs not checked: %s", exc)
        await asyncio.sleep(policy.beat_every)


async def work(
    app: Any,
    policy: Policy,
    *,
    name: str,
    queues: tuple[str, ...] = (),
    concurrency: int = 1,
    install_signal_handlers: bool = True,
) -> None:
    """Run a procrastinate worker (and the stalled-job check) until it is stopped."""
    async with app.open_async():
        sweeper = asyncio.create_task(_retry_stalled(app, policy))
        try:
            await app.run_worker_async(
                queues=list(queues) or None,
                concurrency=concurrency,
                name=name,
                update_heartbeat_interval=policy.beat_every,
                stalled_worker_timeout=policy.stalled_after,
                install_signal_handlers=install_signal_handlers,
                delete_jobs="successful",
            )
        finally:
            sweeper.cancel()

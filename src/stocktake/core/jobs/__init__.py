"""Jobs: long work (analysis runs, large imports, reports) recorded in the job table and run by
workers, in the server process or in `stocktake worker`, on this machine or others. See
docs/deploy.md, "Jobs and workers".

To start a job: `add_job(session, kind, arguments, by=...)` inside the transaction that creates
what it works on; a worker runs it. To run a worker: `run_worker(settings)` (blocking) or
`start_app_worker(settings, engine)` (threads, stopped by the returned handle's `stop()`)."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from typing import Protocol

from sqlalchemy import Engine

from stocktake.config import Settings
from stocktake.core.db import create_db_engine, session_factory
from stocktake.core.jobs.local import LocalWorker, worker_name
from stocktake.core.jobs.models import Job, JobState
from stocktake.core.jobs.queue import add_job, queue_figures
from stocktake.core.jobs.runner import (
    JobContext,
    JobFailed,
    Policy,
    Sessions,
    register,
    run_job,
    run_pending,
)

log = logging.getLogger("stocktake.jobs")

__all__ = [
    "Job",
    "JobContext",
    "JobFailed",
    "JobState",
    "Policy",
    "add_job",
    "policy_of",
    "queue_figures",
    "register",
    "run_at_once",
    "run_job",
    "run_pending",
    "run_worker",
    "start_app_worker",
    "worker_name",
]


def policy_of(settings: Settings) -> Policy:
    return Policy(
        stalled_after=settings.jobs_stalled_after, max_attempts=settings.jobs_max_attempts
    )


def run_at_once(sessions: Sessions, job_id: int, settings: Settings) -> str:
    """Run a job just queued, here and now, as a worker would (the same runner): a small upload
    the page waits a moment for. If a worker took it first, it goes on there ("busy")."""
    return run_job(sessions, job_id, worker=worker_name("server"), policy=policy_of(settings))


class Stoppable(Protocol):
    def stop(self, timeout: float | None = None) -> None: ...


def _on_postgresql(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


def run_worker(
    settings: Settings,
    *,
    concurrency: int = 1,
    queues: tuple[str, ...] = (),
    name: str | None = None,
) -> None:
    """Run a worker until it is stopped: procrastinate's on PostgreSQL, the in-process loop on
    SQLite. A database that cannot be reached is waited for; the worker does not give up."""
    engine = create_db_engine(settings.resolved_database_url, pool_size=concurrency + 2)
    sessions = session_factory(engine)
    policy, name = policy_of(settings), name or worker_name()
    try:
        if not _on_postgresql(engine):
            LocalWorker(sessions, policy, name=name, queues=queues, concurrency=concurrency).run()
            return
        from stocktake.core.jobs.postgres import make_app, work

        pause = 1.0
        while True:
            started = time.monotonic()
            try:
                app = make_app(settings.resolved_database_url, sessions, policy, name)
                asyncio.run(work(app, policy, name=name, queues=queues, concurrency=concurrency))
                return
            except (OSError, Exception) as exc:  # the database away: wait, then start again
                if isinstance(exc, KeyboardInterrupt):
                    raise
                if time.monotonic() - started > 60:
                    pause = 1.0
                log.warning(
                    "%s: the database cannot be reached (%s); waiting %ss", name, exc, pause
                )
                time.sleep(pause)
                pause = min(pause * 2, 30.0)
    finally:
        engine.dispose()


class _AppWorker:
    """procrastinate's worker in a thread of a server process, with its own event loop; started
    again, after a pause, when the database cannot be reached."""

    def __init__(self, settings: Settings, engine: Engine) -> None:
        self.policy, self.name = policy_of(settings), worker_name("server")
        self.url, self.sessions = settings.resolved_database_url, session_factory(engine)
        self.loop = asyncio.new_event_loop()
        self.stopping = False
        self.task = self.loop.create_task(self._work())
        self.thread = threading.Thread(target=self._run, name=self.name, daemon=True)
        self.thread.start()

    async def _work(self) -> None:
        from stocktake.core.jobs.postgres import make_app, work

        pause = 1.0
        while not self.stopping:
            try:
                app = make_app(self.url, self.sessions, self.policy, self.name)
                await work(app, self.policy, name=self.name, install_signal_handlers=False)
                return
            except Exception as exc:
                log.warning(
                    "%s: the database cannot be reached (%s); waiting %ss", self.name, exc, pause
                )
                await asyncio.sleep(pause)
                pause = min(pause * 2, 30.0)

    def _run(self) -> None:
        try:
            self.loop.run_until_complete(self.task)
        except asyncio.CancelledError:  # the server stops
            log.info("%s stopped", self.name)

    def stop(self, timeout: float | None = None) -> None:
        self.stopping = True
        self.loop.call_soon_threadsafe(self.task.cancel)
        self.thread.join(timeout)


def start_app_worker(settings: Settings, engine: Engine) -> Stoppable | None:
    """The worker a server process runs beside its pages: always on SQLite (there is no other), on
    PostgreSQL when `jobs_in_app` is on (the default, for a single-machine install)."""
    if not settings.jobs_in_app:
        return None
    if _on_postgresql(engine):
        return _AppWorker(settings, engine)
    worker = LocalWorker(session_factory(engine), policy_of(settings), name=worker_name("server"))
    worker.start()
    return worker

"""Running one job, the same on every backend: claim it, keep its heartbeat fresh from a thread of
its own, call its kind's function, and end it done or failed with the reason. What a job kind does
is registered by the layer that knows it (stocktake.site.jobs); this module only runs it."""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from stocktake.core.db import transaction
from stocktake.core.errors import ValidationFailed, problems_data
from stocktake.core.jobs.models import Job
from stocktake.core.jobs.queue import Claim, beat, claim, claimable_ids, fail, finish
from stocktake.core.permissions import Principal, Role

log = logging.getLogger("stocktake.jobs")
KINDS_MODULE = "stocktake.site.jobs"
"""The module that registers every job kind when imported (it stands above the domains)."""

Sessions = Callable[[], Session]


class JobFailed(Exception):
    """The job cannot be done, for a reason its requester should read (its input vanished...)."""


@dataclass(frozen=True)
class Policy:
    """How long a silent worker is trusted, and how often a job is taken over before it fails."""

    stalled_after: float = 60.0
    max_attempts: int = 3

    @property
    def beat_every(self) -> float:
        return max(0.2, self.stalled_after / 4)


@dataclass
class JobContext:
    """What a job's function is given: a way to open sessions, the job's arguments and requester,
    and `progress(stage, fraction)`, which also keeps the claim fresh."""

    sessions: Sessions
    job_id: int
    arguments: dict[str, Any]
    by: Principal
    progress: Callable[[str, float], None]
    claim: Claim
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Kind:
    run: Callable[[JobContext], dict[str, Any] | None]
    on_failed: Callable[[Session, Job, str], None] | None = None
    """Called in the transaction that fails the job, to mark what it worked on (a run) failed too."""


KINDS: dict[str, Kind] = {}


def register(
    name: str,
    run: Callable[[JobContext], dict[str, Any] | None],
    on_failed: Callable[[Session, Job, str], None] | None = None,
) -> None:
    KINDS[name] = Kind(run, on_failed)


def kind_of(name: str) -> Kind:
    if not KINDS:
        importlib.import_module(KINDS_MODULE)
    return KINDS[name]


def principal_of(job: Job) -> Principal:
    """Who asked for the job, as they were when they asked (their permission was checked then)."""
    if job.requested_by == "system" or not job.requested_role:
        return Principal.system()
    return Principal(
        role=Role(job.requested_role), user_id=job.requested_by_id, email=job.requested_by
    )


class _Heartbeat(threading.Thread):
    def __init__(self, sessions: Sessions, held: Claim, every: float) -> None:
        super().__init__(name=f"job-{held.job_id}-heartbeat", daemon=True)
        self.sessions, self.held, self.every = sessions, held, every
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.wait(self.every):
            try:
                with self.sessions() as session:
                    beat(session, self.held)
            except DBAPIError as exc:  # the database is away: the claim may go stale, never lost
                log.warning("job %s: heartbeat not recorded: %s", self.held.job_id, exc)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, ValidationFailed):
        return "; ".join(str(p) for p in exc.problems) or str(exc)
    return str(exc) or type(exc).__name__


MAX_PROBLEMS_KEPT = 1000
"""The problems of a refused input kept with its job (the first ones: a file whose every row is
wrong says so in its first thousand)."""


def _details(exc: BaseException) -> dict[str, Any] | None:
    """What a failed job keeps for its page: a refused input's problems, translatable."""
    if isinstance(exc, ValidationFailed) and exc.problems:
        return {
            "source": exc.source,
            "problems": problems_data(exc.problems[:MAX_PROBLEMS_KEPT]),
            "problem_count": len(exc.problems),
        }
    return None


def end_failed(
    sessions: Sessions, held: Claim, reason: str, result: dict[str, Any] | None = None
) -> None:
    with sessions() as session, transaction(session):
        if fail(session, held, reason, result):
            job = session.get(Job, held.job_id)
            kind = KINDS.get(job.kind) if job else None
            if job is not None and kind is not None and kind.on_failed is not None:
                kind.on_failed(session, job, reason)


@contextmanager
def holding(sessions: Sessions, held: Claim, policy: Policy) -> Iterator[None]:
    heartbeat = _Heartbeat(sessions, held, policy.beat_every)
    heartbeat.start()
    try:
        yield
    finally:
        heartbeat.stopping.set()
        heartbeat.join()


@contextmanager
def heartbeat_for(session: Session, held: Claim, policy: Policy) -> Iterator[None]:
    """Keep a claim fresh while a command works with `session`: from a thread with sessions of its
    own on the same engine (none when the session is bound to one connection, as in the tests)."""
    from sqlalchemy import Engine
    from sqlalchemy.orm import sessionmaker

    bind = session.get_bind()
    if not isinstance(bind, Engine):
        yield
        return
    with holding(sessionmaker(bind=bind), held, policy):
        yield


def run_job(
    sessions: Sessions,
    job_id: int,
    *,
    worker: str,
    policy: Policy,
    observer: Callable[[str, float], None] | None = None,
) -> str:
    """Claim and run one job. Returns what became of it: "done", "failed", "busy" (another worker
    holds it and answers), "ended" (nothing to do) or "interrupted" (the database went away; the job
    stays claimed, its heartbeat goes stale and a worker takes it over)."""
    with sessions() as session:
        held, job = claim(
            session,
            job_id,
            worker,
            stalled_after=policy.stalled_after,
            max_attempts=policy.max_attempts,
        )
        if held is None:
            if job is not None and job.state == "failed" and job.finished_at is not None:
                kind = kind_of(job.kind)
                if kind.on_failed is not None and job.reason.startswith("the worker at work"):
                    with transaction(session):
                        kind.on_failed(session, job, job.reason)
            return "busy" if job is not None and not job.ended else "ended"
        assert job is not None
        kind = kind_of(job.kind)
        by, arguments = principal_of(job), dict(job.arguments)

    def progress(stage: str, fraction: float) -> None:
        with sessions() as session:
            beat(session, held, stage=stage, fraction=fraction)
        if observer is not None:
            observer(stage, fraction)

    context = JobContext(sessions, job_id, arguments, by, progress, held)
    log.info("job %s (%s): started by %s, attempt %s", job_id, job.kind, worker, held.attempt)
    with holding(sessions, held, policy):
        try:
            result = kind.run(context)
        except OperationalError as exc:
            log.warning("job %s: the database went away (%s); it will be taken over", job_id, exc)
            return "interrupted"
        except Exception as exc:
            reason = _reason(exc)
            log.info("job %s failed: %s", job_id, reason)
            try:
                end_failed(sessions, held, reason, _details(exc))
            except OperationalError:
                return "interrupted"
            return "failed"
        with sessions() as session, transaction(session):
            finish(session, held, result)
    log.info("job %s done", job_id)
    return "done"


def run_pending(
    sessions: Sessions,
    *,
    worker: str = "here",
    policy: Policy | None = None,
    queues: tuple[str, ...] = (),
) -> int:
    """Run every job that may be claimed now, one after the other, in this thread; the number run.
    (What a worker does in a loop; the tests and `stocktake worker --once` call it directly.)"""
    policy = policy or Policy()
    ran = 0
    while True:
        with sessions() as session:
            ids = claimable_ids(session, stalled_after=policy.stalled_after, queues=queues)
        outcomes = [run_job(sessions, i, worker=worker, policy=policy) for i in ids]
        ran += sum(1 for o in outcomes if o in ("done", "failed"))
        if not any(o in ("done", "failed") for o in outcomes):
            return ran

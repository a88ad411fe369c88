"""The in-process worker: threads that claim jobs from the job table and run them. It is the
worker on SQLite (in `stocktake serve` and `stocktake worker`), and the same loop serves any backend
when asked to. A database that cannot be reached is waited for, with growing pauses; no job is
dropped, since a job leaves the queue only when a worker ends it."""

from __future__ import annotations

import logging
import socket
import threading
import uuid

from sqlalchemy.exc import DBAPIError

from stocktake.core.jobs.queue import claimable_ids
from stocktake.core.jobs.runner import Policy, Sessions, run_job

log = logging.getLogger("stocktake.jobs")


def worker_name(prefix: str = "worker") -> str:
    """A name for a worker, unique across machines and restarts (no process ids: it is a label)."""
    return f"{prefix}@{socket.gethostname()}/{uuid.uuid4().hex[:8]}"


class LocalWorker:
    def __init__(
        self,
        sessions: Sessions,
        policy: Policy,
        *,
        name: str | None = None,
        queues: tuple[str, ...] = (),
        concurrency: int = 1,
        poll: float = 1.0,
    ) -> None:
        self.sessions, self.policy, self.queues = sessions, policy, queues
        self.name = name or worker_name()
        self.poll = poll
        self.stopping = threading.Event()
        self.threads = [
            threading.Thread(target=self.loop, name=f"{self.name}-{n}", daemon=True)
            for n in range(concurrency)
        ]

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def stop(self, timeout: float | None = None) -> None:
        self.stopping.set()
        for thread in self.threads:
            if thread.is_alive():
                thread.join(timeout)

    def run(self) -> None:
        """Run in the calling thread's place until stopped (Ctrl+C, SIGTERM)."""
        self.start()
        try:
            while any(t.is_alive() for t in self.threads):
                for thread in self.threads:
                    thread.join(0.5)
        finally:
            self.stop()

    def loop(self) -> None:
        pause = self.poll
        while not self.stopping.is_set():
            try:
                worked = self.once()
                pause = self.poll
            except DBAPIError as exc:
                log.warning(
                    "%s: the database cannot be reached (%s); waiting %ss",
                    self.name,
                    exc.orig,
                    pause,
                )
                worked = False
                pause = min(pause * 2, 30.0)
            if not worked:
                self.stopping.wait(pause)

    def once(self) -> bool:
        """Claim and run the first job this worker may take; False when there was none."""
        with self.sessions() as session:
            ids = claimable_ids(
                session, stalled_after=self.policy.stalled_after, queues=self.queues
            )
        for job_id in ids:
            if self.stopping.is_set():
                return False
            outcome = run_job(self.sessions, job_id, worker=self.name, policy=self.policy)
            if outcome in ("done", "failed", "interrupted"):
                return True
        return False

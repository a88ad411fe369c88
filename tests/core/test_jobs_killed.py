"""A real `stocktake worker` killed (SIGKILL) in the middle of an analysis run, an import and a
report: the database holds all or none of each, and a second worker takes the three jobs over and
does each once. On PostgreSQL the workers are procrastinate's; on SQLite the in-process loop."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from stocktake.analysis.models import AnalysisResult, AnalysisRun
from stocktake.analysis.services import start_run
from stocktake.cli import app
from stocktake.consultation.models import Input
from stocktake.core.db import create_db_engine
from stocktake.core.jobs import Job
from stocktake.core.permissions import Principal
from stocktake.process.services import get_process
from stocktake.review.jobs import report_path
from stocktake.review.models import ReviewCycle
from tests.databases import admin, copy_of, postgresql_name, postgresql_url
from tests.databases import worker as xdist_worker

SYSTEM = Principal.system()
ROWS = 3000


@pytest.fixture
def killed_db(backend: str, tmp_path: Path) -> Iterator[tuple[str, Engine]]:
    url = copy_of("demo", backend, "killed", tmp_path)
    engine = create_db_engine(url)
    yield url, engine
    engine.dispose()


def environment(url: str, folder: Path) -> dict[str, str]:
    return {
        "STOCKTAKE_DATABASE_URL": url,
        "STOCKTAKE_DATA_DIR": str(folder),
        "STOCKTAKE_JOBS_STALLED_AFTER": "2",
        "STOCKTAKE_ANALYSIS_VECTORS": "tfidf",
    }


def queued(url: str, folder: Path, *args: str) -> int:
    """Queue a job with a command; its number."""
    result = CliRunner().invoke(app, list(args), env=environment(url, folder))
    assert result.exit_code == 0, result.output
    return int(re.findall(r"job (\d+)", result.output)[0])


def worker(url: str, folder: Path, stderr: int = subprocess.DEVNULL) -> subprocess.Popen[bytes]:
    env = {**os.environ, **environment(url, folder)}
    command = [str(Path(sys.executable).parent / "stocktake"), "worker", "--concurrency", "3"]
    return subprocess.Popen(  # noqa: S603  (our own command, no shell)
        command, env=env, stdout=subprocess.DEVNULL, stderr=stderr
    )


def states(engine: Engine, ids: list[int]) -> dict[int, str]:
    with Session(engine) as session:
        return dict(session.execute(select(Job.id, Job.state).where(Job.id.in_(ids))).all())  # type: ignore[arg-type]


def wait_for(engine: Engine, ids: list[int], wanted: set[str], limit: float = 180) -> None:
    """Until every job is in one of the `wanted` states (a wait for the workers, not a measure)."""
    deadline = time.monotonic() + limit
    while set(states(engine, ids).values()) - wanted:
        assert time.monotonic() < deadline, states(engine, ids)
        time.sleep(0.2)


def all_or_none(engine: Engine, run_id: int) -> None:
    with Session(engine) as session:
        run = session.get(AnalysisRun, run_id)
        assert run is not None
        results = session.scalar(select(func.count()).where(AnalysisResult.run_id == run_id))
        assert (run.status, results) in (("running", 0), ("completed", run.stats.get("inputs")))
        imported = session.scalar(select(func.count()).where(Input.external_id.like("K-%")))
        assert imported in (0, ROWS)


def test_a_worker_killed_mid_job_leaves_all_or_none_and_another_finishes_once(
    killed_db: tuple[str, Engine], tmp_path: Path
) -> None:
    url, engine = killed_db
    source = tmp_path / "inputs.csv"
    source.write_text(
        "external_id,submitter,title,text,status\n"
        + "".join(
            f"K-{n},KEN,Row {n},Commitment {n} on the portability of pensions {n % 97}.,published\n"
            for n in range(ROWS)
        ),
        encoding="utf-8",
    )
    with Session(engine) as session:
        run = start_run(session, get_process(session), by=SYSTEM)
        run_id, run_job_id = run.id, run.job_id
        cycle = session.scalars(select(ReviewCycle)).first()
        assert cycle is not None
        slug = cycle.slug
    imported = queued(url, tmp_path, "inputs", "import", str(source), "--queue")
    report = queued(url, tmp_path, "review", "report", slug, "--queue")
    assert run_job_id is not None
    ids = [run_job_id, imported, report]
    first = worker(url, tmp_path)
    try:
        wait_for(engine, ids, {"running", "done"})  # every job claimed by the first worker
        first.send_signal(signal.SIGKILL)
        first.wait()
    finally:
        first.kill()
    all_or_none(engine, run_id)
    second = worker(url, tmp_path)
    try:
        wait_for(engine, ids, {"done", "failed"})
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(30)
    with Session(engine) as session:
        jobs = {job.id: job for job in session.scalars(select(Job).where(Job.id.in_(ids)))}
        assert {j.state for j in jobs.values()} == {"done"}, {j.id: j.reason for j in jobs.values()}
        assert all(j.attempts >= 2 or j.reason == "" for j in jobs.values())
        analysed = session.get(AnalysisRun, run_id)
        assert analysed is not None
        assert analysed.status == "completed"
        results = select(func.count()).where(AnalysisResult.run_id == run_id)
        assert session.scalar(results) == analysed.stats["inputs"]
        assert session.scalar(select(func.count()).where(Input.external_id.like("K-%"))) == ROWS
        path = report_path(jobs[report])
        assert path is not None
        assert path.read_bytes()[:2] == b"PK"


def test_a_worker_that_cannot_reach_the_database_waits_and_then_runs_the_job(
    backend: str, tmp_path: Path
) -> None:
    """The worker starts before its database exists; it waits, and runs the job queued there."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'away.sqlite3'}"
    else:
        name = postgresql_name(f"{xdist_worker()}_away")
        with admin() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        url = postgresql_url(name)
    waiting = worker(url, tmp_path, stderr=subprocess.PIPE)
    try:
        assert waiting.stderr is not None
        for line in waiting.stderr:  # until it says it waits
            if b"cannot be reached" in line:
                break
        assert copy_of("demo", backend, "away", tmp_path) == url
        source = tmp_path / "late.csv"
        source.write_text(
            "external_id,submitter,title,text,status\nL-1,KEN,Late,A late commitment.,published\n",
            encoding="utf-8",
        )
        job = queued(url, tmp_path, "inputs", "import", str(source), "--queue")
        engine = create_db_engine(url)
        try:
            wait_for(engine, [job], {"done", "failed"})
            assert states(engine, [job]) == {job: "done"}
        finally:
            engine.dispose()
    finally:
        waiting.send_signal(signal.SIGTERM)
        waiting.wait(30)
        if waiting.stderr is not None:
            waiting.stderr.close()

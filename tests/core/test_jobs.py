"""Jobs on the job table: queued by the actions that need them, run by the same runner on every
backend, taken over when their worker stops answering, failed with the reason when their input
vanished, and never done twice to visible effect."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Connection, delete, func, select
from sqlalchemy.orm import Session

from stocktake.accounts.services import get_user, issue_token, principal_for
from stocktake.analysis.models import AnalysisResult, AnalysisRun
from stocktake.analysis.services import start_run
from stocktake.consultation.models import Input
from stocktake.core.jobs import Job, Policy, run_job, run_pending
from stocktake.core.jobs.queue import queue_figures
from stocktake.core.permissions import Principal
from stocktake.process.services import get_process
from stocktake.review.models import ReviewCycle
from stocktake.site.jobs import queue_inputs_import, queue_review_report, report_path
from stocktake.web.languages import LANGUAGE_COOKIE
from tests.conftest import _session, sign_in

SYSTEM = Principal.system()
CSV = "external_id,submitter,title,text,status\n" + "".join(
    f"J-{n},KEN,Row {n},A commitment on labour migration number {n}.,published\n" for n in range(5)
)


def sessions_of(connection: Connection) -> Callable[[], Session]:
    return lambda: _session(connection)


def test_a_run_started_from_the_api_is_a_job_that_a_worker_runs_once(
    client: TestClient, connection: Connection, session: Session
) -> None:
    user = get_user(session, "secretariat@gcm.example")
    token = issue_token(session, user, by=principal_for(user))
    client.headers["Authorization"] = f"Bearer {token}"
    started = client.post("/api/v1/analysis/runs")
    assert started.status_code == 202
    run_id, job_id = started.json()["id"], started.json()["job_id"]
    job = client.get(f"/api/v1/jobs/{job_id}").json()
    assert (job["kind"], job["state"], job["arguments"]) == (
        "analysis_run",
        "queued",
        {"run_id": run_id},
    )
    assert run_pending(sessions_of(connection)) == 1
    job = client.get(f"/api/v1/jobs/{job_id}").json()
    assert (job["state"], job["progress"], job["result"]) == ("done", 1.0, {"run_id": run_id})
    assert client.get(f"/api/v1/analysis/runs/{run_id}").json()["status"] == "completed"
    stored = session.scalar(select(func.count()).where(AnalysisResult.run_id == run_id))
    assert stored
    # the job run again (a worker that got it late) changes nothing
    session.get(Job, job_id).state = "queued"  # type: ignore[union-attr]
    session.flush()
    assert run_job(sessions_of(connection), job_id, worker="late", policy=Policy()) == "done"
    assert session.scalar(select(func.count()).where(AnalysisResult.run_id == run_id)) == stored


def test_a_job_whose_worker_stopped_answering_is_taken_over_then_failed_with_the_reason(
    connection: Connection, session: Session
) -> None:
    run = start_run(session, get_process(session), by=SYSTEM, held_by="gone@elsewhere/1")
    job = session.get(Job, run.job_id)
    assert job is not None
    assert (job.state, job.attempts) == ("running", 1)
    policy = Policy(stalled_after=60, max_attempts=2)
    # its worker answers: nobody takes it
    assert run_job(sessions_of(connection), job.id, worker="other", policy=policy) == "busy"
    job.heartbeat_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    session.flush()
    assert queue_figures(session, stalled_after=60).stalled >= 1
    assert run_job(sessions_of(connection), job.id, worker="other", policy=policy) == "done"
    session.refresh(job)
    session.refresh(run)
    assert (job.state, job.attempts, job.worker) == ("done", 2, "other")
    assert job.reason.startswith("taken over")
    assert run.status == "completed"

    second = start_run(session, get_process(session), by=SYSTEM, held_by="gone@elsewhere/2")
    again = session.get(Job, second.job_id)
    assert again is not None
    again.attempts, again.heartbeat_at = 2, dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    session.flush()
    assert run_job(sessions_of(connection), again.id, worker="other", policy=policy) == "ended"
    session.refresh(again)
    session.refresh(second)
    assert again.state == "failed"
    assert "stopped answering" in again.reason
    assert (second.status, second.error) == ("failed", again.reason)


def test_a_job_whose_input_vanished_fails_with_that_reason(
    connection: Connection, session: Session, tmp_path: Path
) -> None:
    run = start_run(session, get_process(session), by=SYSTEM)
    session.execute(delete(AnalysisRun).where(AnalysisRun.id == run.id))
    session.flush()
    missing = tmp_path / "inputs.csv"
    missing.write_text(CSV, encoding="utf-8")
    imported = queue_inputs_import(session, missing, by=SYSTEM)
    missing.unlink()
    cycle = session.scalars(select(ReviewCycle)).first()
    assert cycle is not None
    report = queue_review_report(session, cycle.slug, tmp_path / "reports", by=SYSTEM)
    session.delete(cycle)
    session.flush()
    assert run_pending(sessions_of(connection)) == 3
    session.expire_all()
    reasons = {
        job.kind: (job.state, job.reason)
        for job in session.scalars(select(Job).where(Job.id >= run.job_id))  # type: ignore[operator]
    }
    assert reasons["analysis_run"] == (
        "failed",
        f"analysis run {run.id} was deleted before it was executed",
    )
    assert reasons["inputs_import"][0] == "failed"
    assert "inputs.csv is gone" in reasons["inputs_import"][1]
    assert reasons["review_report"] == ("failed", f"the review cycle {cycle.slug} was deleted")
    assert session.get(Job, imported.id).result == {}  # type: ignore[union-attr]
    assert report_path(report) is None


def test_an_import_and_a_report_run_as_jobs(
    connection: Connection, session: Session, tmp_path: Path
) -> None:
    source = tmp_path / "inputs.csv"
    source.write_text(CSV, encoding="utf-8")
    imported = queue_inputs_import(session, source, by=SYSTEM)
    cycle = session.scalars(select(ReviewCycle)).first()
    assert cycle is not None
    report = queue_review_report(session, cycle.slug, tmp_path / "reports", by=SYSTEM)
    assert run_pending(sessions_of(connection)) == 2
    session.refresh(imported)
    session.refresh(report)
    assert imported.state == "done", imported.reason
    assert imported.result["created"] == 5
    assert session.scalar(select(func.count()).where(Input.external_id.like("J-%"))) == 5
    path = report_path(report)
    assert path is not None
    assert path.read_bytes()[:2] == b"PK"  # a Word document is a zip
    assert source.exists()  # a file given on the command line is the user's: it stays


def test_health_reports_the_queue(client: TestClient) -> None:
    queue = client.get("/health").json()["queue"]
    assert queue["ok"] is True
    assert {type(queue[k]) for k in ("waiting", "running", "stalled", "failed")} == {int}
    assert "oldest_waiting_seconds" in queue


def test_the_secretariat_follows_jobs_on_their_pages(
    client: TestClient, connection: Connection, session: Session, tmp_path: Path
) -> None:
    source = tmp_path / "inputs.csv"
    source.write_text(CSV, encoding="utf-8")
    imported = queue_inputs_import(session, source, by=SYSTEM)
    cycle = session.scalars(select(ReviewCycle)).first()
    assert cycle is not None
    report = queue_review_report(session, cycle.slug, tmp_path / "reports", by=SYSTEM)
    assert run_pending(sessions_of(connection)) == 2
    waiting = queue_inputs_import(session, source, by=SYSTEM)  # no worker takes this one
    # signed out, a job's link (from an e-mail, say) asks to sign in first, whether the job
    # exists or not; signed in, the secretariat is taken back to it
    for number in (report.id, 10**6):
        asked = client.get(f"/jobs/{number}", follow_redirects=False)
        assert asked.status_code == 303
        assert asked.headers["location"] == f"/login?next=/jobs/{number}"
    assert client.get(f"/api/v1/jobs/{report.id}").status_code == 403
    sign_in(client, "mexico@gcm.example")
    assert client.get("/jobs").status_code == 403
    client.cookies.clear()
    sign_in(client, "secretariat@gcm.example")
    client.cookies.set(LANGUAGE_COOKIE, "fr")
    listing = client.get("/jobs").text
    for text in ("<h1>Tâches</h1>", "import de contributions", "rapport d’examen", "terminée"):
        assert text in listing, text
    assert "en attente d’un worker" in listing
    done = client.get(f"/jobs/{report.id}").text
    assert 'http-equiv="refresh"' not in done
    assert f'href="/jobs/{report.id}/file"' in done
    document = client.get(f"/jobs/{report.id}/file")
    assert document.status_code == 200
    assert document.content[:2] == b"PK"
    made = client.get(f"/jobs/{imported.id}").text  # what the import made
    assert "<strong>5</strong> contributions importées depuis inputs.csv" in made
    assert 'href="/inputs"' in made
    queued = client.get(f"/jobs/{waiting.id}").text
    assert 'http-equiv="refresh"' in queued  # follows the job until it ends
    assert client.get("/jobs?state=queued").text.count('href="/jobs/') == 1  # the waiting one
    assert client.get(f"/jobs/{imported.id}/file").status_code == 404  # an import writes none


def test_a_job_s_page_speaks_the_reader_s_language(
    client: TestClient, connection: Connection, session: Session
) -> None:
    run = start_run(session, get_process(session), by=SYSTEM)
    job = session.get(Job, run.job_id)
    assert job is not None
    sign_in(client, "secretariat@gcm.example")
    client.cookies.set(LANGUAGE_COOKIE, "fr")
    waiting = client.get(f"/jobs/{job.id}").text
    assert f'href="/analysis/runs/{run.id}"' in waiting  # a waiting run is followed on its page
    assert "le système (une commande)" in waiting  # who asked: a command, in French
    assert "UTC</time>" in waiting  # asked: the day and the time
    job.state, job.stage, job.progress, job.worker = "running", "meaning", 0.4, "w@here/1"
    job.started_at = job.heartbeat_at = dt.datetime.now(dt.UTC)
    session.flush()
    running = client.get(f"/jobs/{job.id}").text
    assert "regroupement des textes de même sens" in running  # its stage in French
    assert f'href="/analysis/runs/{run.id}"' in running
    listing = client.get("/jobs").text
    assert "le système (une commande)" in listing
    day = job.created_at.astimezone(dt.UTC)
    assert f"{day:%H:%M} UTC" in listing
    client.cookies.set(LANGUAGE_COOKIE, "ar")
    assert "النظام (أمر)" in client.get(f"/jobs/{job.id}").text

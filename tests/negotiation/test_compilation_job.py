"""The compilation text as a Word document is made by a job: from the compilation page (a small
one at once, downloaded straight away; a large one by a worker, its job's page following it), from
the API and from the command line. The job records the draft, revision and round it was made
from; its document never changes after; someone else's job is as missing as a job that is not."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from fastapi.testclient import TestClient
from sqlalchemy import Connection
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from stocktake.accounts.services import issue_token
from stocktake.cli import app
from stocktake.core.jobs import Job, Policy, run_pending
from stocktake.core.permissions import Principal, Role
from stocktake.negotiation.models import Draft
from stocktake.negotiation.services import AmendmentData, issue_revision, propose_amendment
from tests.conftest import _session, csrf_of
from tests.factories.accounts import account, signed_in
from tests.negotiation.conftest import SAMPLE, eid_of

SYSTEM = Principal.system()


def sessions_of(connection: Connection) -> Callable[[], Session]:
    return lambda: _session(connection)


def _amended(session: Session, draft: Draft) -> None:
    issue_revision(session, draft, by=SYSTEM)
    data = AmendmentData(
        kind="replace", target=eid_of(draft, "1"), quoted="common", new_text="joint", sponsor="MEX"
    )
    propose_amendment(session, draft, data, by=SYSTEM)


def _text(content: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


def _numberless(text: str, job_id: int) -> str:
    """A page or an answer without the job's number (in its address and its message)."""
    return re.sub(rf"(/jobs/|job ){job_id}\b", r"\1N", text)


def _post(client: TestClient, draft: Draft) -> Any:
    return client.post(
        f"/drafts/{draft.id}/compilation/docx",
        data={"csrf": csrf_of(client, f"/drafts/{draft.id}/compilation")},
        follow_redirects=False,
    )


def test_a_small_compilation_is_made_by_its_job_at_once_and_downloaded(
    bare_client: TestClient, bare_session: Session, bare_draft: Draft
) -> None:
    _amended(bare_session, bare_draft)
    mexico = account(bare_session, Role.DELEGATION_MEMBER, actor_code="MEX")
    client = signed_in(bare_client, mexico)
    page = client.get(f"/drafts/{bare_draft.id}/compilation").text
    assert f'action="/drafts/{bare_draft.id}/compilation/docx"' in page
    sent = _post(client, bare_draft)
    assert sent.status_code == 303
    where = sent.headers["location"]
    assert re.fullmatch(r"/jobs/\d+", where)
    job_id = int(where.split("/")[2])
    ready = client.get(where).text
    assert "The compilation text is ready as a Word document (job" in ready
    assert f'href="{where}/file"' in ready
    assert f'href="/drafts/{bare_draft.id}/compilation"' in ready
    # the document's size in words a reader knows, never the job's stored keys
    assert re.search(r'<span class="muted">[\d,]+ kB</span>', ready)
    assert "<code>bytes</code>" not in ready
    where += "/file"
    job = bare_session.get(Job, job_id)
    assert job is not None
    assert (job.kind, job.state, job.requested_by) == ("compilation_docx", "done", mexico.email)
    assert job.arguments["draft_id"] == bare_draft.id
    assert (job.arguments["revision_number"], job.arguments["revision_label"]) == (0, "Zero draft")
    document = client.get(where)
    assert document.status_code == 200
    assert "Mexico A1" in _text(document.content)
    assert (
        f"compilation-{job_id}-draft-{bare_draft.id}.docx"
        in document.headers["content-disposition"]
    )
    own = client.get(f"/jobs/{job_id}").text  # whoever asked reads their job's page
    assert 'href="/jobs/' + str(job_id) + '/file"' in own
    assert "Zero draft" in own
    # another delegation: the same answer as for a job that does not exist
    client.cookies.clear()
    other = signed_in(bare_client, account(bare_session, Role.DELEGATION_MEMBER, actor_code="PHL"))
    other.get("/")  # the sign-in's flash shown
    for path in ("/jobs/{}", "/jobs/{}/file"):
        refused, missing = other.get(path.format(job_id)), other.get(path.format(999999))
        assert refused.status_code == missing.status_code == 404, path
        assert _numberless(refused.text, job_id) == _numberless(missing.text, 999999)
    token = issue_token(
        bare_session, account(bare_session, Role.DELEGATION_MEMBER, actor_code="PHL"), by=SYSTEM
    )
    mine = issue_token(bare_session, mexico, by=SYSTEM)
    own_api = other.get(f"/api/v1/jobs/{job_id}", headers={"Authorization": f"Bearer {mine}"})
    assert own_api.json()["arguments"]["draft_id"] == bare_draft.id
    assert "folder" not in own_api.json()["arguments"]  # no place on the servers' disks
    api = other.get(f"/api/v1/jobs/{job_id}", headers={"Authorization": f"Bearer {token}"})
    none = other.get("/api/v1/jobs/999999", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == none.status_code == 404
    assert _numberless(api.text, job_id) == _numberless(none.text, 999999)


def test_a_large_compilation_waits_for_a_worker_and_its_document_never_changes(
    bare_client: TestClient,
    bare_connection: Connection,
    bare_session: Session,
    bare_draft: Draft,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("stocktake.negotiation.jobs.WAITED_FOR_AMENDMENTS", 0)
    _amended(bare_session, bare_draft)
    client = signed_in(bare_client, account(bare_session, Role.SECRETARIAT))
    where = _post(client, bare_draft).headers["location"]
    assert re.fullmatch(r"/jobs/\d+", where)
    waiting = client.get(where).text
    assert "is being made as a Word document by job" in waiting
    assert 'http-equiv="refresh"' in waiting
    # asked for at once, a large one is refused with the way to ask for it
    refused = client.get(f"/drafts/{bare_draft.id}/compilation?format=docx")
    assert refused.status_code == 409
    assert "made as a Word document by a job" in refused.text
    assert run_pending(sessions_of(bare_connection)) == 1
    done = client.get(where).text
    assert f'href="{where}/file"' in done
    first = client.get(f"{where}/file").content
    assert "Mexico A1" in _text(first)
    # the working text moves on: the document of that job stays as it was made
    data = AmendmentData(
        kind="replace",
        target=eid_of(bare_draft, "2"),
        quoted="Charter",
        new_text="UN Charter",
        sponsor="PHL",
    )
    propose_amendment(bare_session, bare_draft, data, by=SYSTEM)
    assert client.get(f"{where}/file").content == first


def test_asked_twice_while_it_waits_the_compilation_is_one_job(
    bare_client: TestClient,
    bare_connection: Connection,
    bare_session: Session,
    bare_draft: Draft,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A second click (or the form sent again) while the document is being made follows the
    same job; someone else asking gets their own; once the job has ended, asking again makes the
    document afresh."""
    monkeypatch.setattr("stocktake.negotiation.jobs.WAITED_FOR_AMENDMENTS", 0)
    _amended(bare_session, bare_draft)
    client = signed_in(bare_client, account(bare_session, Role.SECRETARIAT))
    first = _post(client, bare_draft).headers["location"]
    assert _post(client, bare_draft).headers["location"] == first
    token = issue_token(bare_session, account(bare_session, Role.SECRETARIAT), by=SYSTEM)
    other = bare_client.post(
        f"/api/v1/drafts/{bare_draft.id}/compilation/docx",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert other.status_code == 202
    assert f"/jobs/{other.json()['job_id']}" != first
    assert bare_session.query(Job).count() == 2
    assert run_pending(sessions_of(bare_connection)) == 2
    again = _post(client, bare_draft).headers["location"]
    assert again != first
    assert bare_session.query(Job).count() == 3


def test_the_api_makes_the_compilation_document_by_a_job(
    bare_client: TestClient,
    bare_connection: Connection,
    bare_session: Session,
    bare_draft: Draft,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _amended(bare_session, bare_draft)
    token = issue_token(bare_session, account(bare_session, Role.SECRETARIAT), by=SYSTEM)
    headers = {"Authorization": f"Bearer {token}"}
    base = f"/api/v1/drafts/{bare_draft.id}/compilation"
    small = bare_client.post(f"{base}/docx", headers=headers)
    assert small.status_code == 201
    assert (small.json()["state"], small.json()["revision_number"]) == ("done", 0)
    document = bare_client.get(small.json()["file"], headers=headers)
    assert "Mexico A1" in _text(document.content)
    monkeypatch.setattr("stocktake.negotiation.jobs.WAITED_FOR_AMENDMENTS", 0)
    queued = bare_client.post(f"{base}/docx", headers=headers)
    assert queued.status_code == 202
    assert (queued.json()["state"], queued.json()["file"]) == ("queued", None)
    assert bare_client.get(f"{base}/export?format=docx", headers=headers).status_code == 409
    assert bare_client.get(f"{base}/export?format=md", headers=headers).status_code == 200
    assert run_pending(sessions_of(bare_connection)) == 1
    job_id = queued.json()["job_id"]
    assert bare_client.get(f"/api/v1/jobs/{job_id}", headers=headers).json()["state"] == "done"
    assert bare_client.get(f"/api/v1/jobs/{job_id}/file", headers=headers).content[:2] == b"PK"


def test_a_compilation_job_whose_draft_was_deleted_fails_with_that_reason(
    bare_client: TestClient,
    bare_connection: Connection,
    bare_session: Session,
    bare_draft: Draft,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("stocktake.negotiation.jobs.WAITED_FOR_AMENDMENTS", -1)
    client = signed_in(bare_client, account(bare_session, Role.SECRETARIAT))
    where = _post(client, bare_draft).headers["location"]
    draft_id = bare_draft.id
    bare_session.delete(bare_draft)
    bare_session.flush()
    assert run_pending(sessions_of(bare_connection)) == 1
    job = bare_session.get(Job, int(where.rsplit("/", 1)[1]))
    assert job is not None
    bare_session.refresh(job)
    assert (job.state, job.reason) == ("failed", f"the draft {draft_id} was deleted")
    assert client.get(f"{where}/file").status_code == 404


def test_the_command_line_queues_the_compilation_and_a_worker_makes_it(
    cli_db: str, tmp_path: Path
) -> None:
    runner = CliRunner()
    env = {"STOCKTAKE_DATABASE_URL": cli_db, "STOCKTAKE_JOBS_DIR": str(tmp_path / "jobs")}
    source = tmp_path / "compact.md"
    source.write_text(SAMPLE, encoding="utf-8")
    imported = runner.invoke(app, ["drafts", "import", str(source)], env=env)
    draft = imported.output.split()[-1]
    result = runner.invoke(app, ["drafts", "compile", draft, "--format", "md", "--queue"], env=env)
    assert result.exit_code != 0
    assert "--format docx" in result.output
    result = runner.invoke(
        app, ["drafts", "compile", draft, "--format", "docx", "--queue"], env=env
    )
    assert result.exit_code == 0, result.output
    job_id = re.search(r"job (\d+)", result.output)
    assert job_id, result.output
    ran = runner.invoke(app, ["worker", "--once", "--queue", "reports"], env=env)
    assert ran.exit_code == 0, ran.output
    assert "Jobs run: 1" in ran.output
    made = list((tmp_path / "jobs" / "made").glob(f"compilation-{job_id.group(1)}-*.docx"))
    assert len(made) == 1
    assert made[0].read_bytes()[:2] == b"PK"


def test_a_compilation_job_taken_over_keeps_the_document_its_first_attempt_wrote(
    bare_client: TestClient,
    bare_connection: Connection,
    bare_session: Session,
    bare_draft: Draft,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("stocktake.negotiation.jobs.WAITED_FOR_AMENDMENTS", -1)
    _amended(bare_session, bare_draft)
    client = signed_in(bare_client, account(bare_session, Role.SECRETARIAT))
    where = _post(client, bare_draft).headers["location"]
    job = bare_session.get(Job, int(where.rsplit("/", 1)[1]))
    assert job is not None
    # its first worker wrote the document, then stopped answering before it ended the job
    written = Path(job.arguments["folder"]) / f"compilation-{job.id}-draft-{bare_draft.id}.docx"
    written.parent.mkdir(parents=True, exist_ok=True)
    written.write_bytes(b"PK as the first attempt wrote it")
    job.state, job.worker, job.attempts = "running", "gone@elsewhere/1", 1
    job.heartbeat_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    bare_session.flush()
    assert run_pending(sessions_of(bare_connection), policy=Policy(stalled_after=60)) == 1
    bare_session.refresh(job)
    assert (job.state, job.attempts) == ("done", 2)
    assert client.get(f"{where}/file").content == b"PK as the first attempt wrote it"

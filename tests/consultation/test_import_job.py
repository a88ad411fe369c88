"""An import uploaded on the inputs import page or to the API is a job: the file is kept in the
jobs' folder until the job has read it; a small file is imported at once and the page shows what
its job did; a large one waits for a worker, its job's page following it; a file that is not one of
inputs is refused before anything is queued; a file gone fails its job with that reason."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session

from stocktake.accounts.services import get_user, issue_token, principal_for
from stocktake.consultation.models import Input
from stocktake.core.jobs import Job, run_pending
from stocktake.core.jobs.files import jobs_folder
from stocktake.web.languages import LANGUAGE_COOKIE
from tests.conftest import _session, csrf_of, sign_in

CSV = "external_id,submitter,title,text,status\n" + "".join(
    f"UP-{n},KEN,Row {n},An upload on consular services number {n}.,published\n" for n in range(3)
)


def sessions_of(connection: Connection) -> Callable[[], Session]:
    return lambda: _session(connection)


def uploads(client: TestClient) -> list[str]:
    folder = jobs_folder(client.app.state.settings) / "uploads"
    return sorted(p.name for p in folder.glob("*")) if folder.exists() else []  # type: ignore[attr-defined]


def imported(session: Session) -> int:
    return session.scalar(select(func.count()).where(Input.external_id.like("UP-%"))) or 0


def flash_of(html: str) -> str:
    start = html.index('class="flash')
    return html[start : html.index("</div>", start)]


def post(client: TestClient, name: str, content: bytes) -> Any:
    return client.post(
        "/inputs/import",
        data={"csrf": csrf_of(client, "/inputs/import")},
        files={"file": (name, content, "text/csv")},
        follow_redirects=False,
    )


def test_a_small_upload_is_imported_by_its_job_at_once(
    client: TestClient, session: Session
) -> None:
    sign_in(client, "secretariat@gcm.example")
    before = uploads(client)
    sent = post(client, "small.csv", CSV.encode())
    assert sent.status_code == 303
    where = sent.headers["location"]
    assert re.fullmatch(r"/jobs/\d+", where)
    job = session.get(Job, int(where.rsplit("/", 1)[1]))
    assert job is not None
    assert (job.kind, job.state, job.requested_by) == (
        "inputs_import",
        "done",
        "secretariat@gcm.example",
    )
    assert (job.result["created"], job.result["unchanged"]) == (3, 0)
    assert imported(session) == 3
    assert uploads(client) == before  # read by its job, then removed
    page = client.get(where).text
    assert "small.csv is imported (job" in flash_of(page)
    assert "<strong>3</strong> inputs imported from small.csv" in page
    assert 'http-equiv="refresh"' not in page
    assert 'href="/inputs"' in page
    # the same file again: nothing new, and the page says so
    again = client.get(post(client, "small.csv", CSV.encode()).headers["location"]).text
    assert (
        "<strong>0</strong> inputs imported from small.csv; already there and left as they were: 3."
        in again
    )


def test_a_large_upload_waits_for_a_worker_and_its_page_follows_it(
    client: TestClient, connection: Connection, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("stocktake.consultation.jobs.WAITED_FOR_ROWS", 2)
    sign_in(client, "secretariat@gcm.example")
    client.cookies.set(LANGUAGE_COOKIE, "fr")
    sent = post(client, "large.csv", CSV.encode())
    where = sent.headers["location"]
    waiting = client.get(where).text
    assert "L’import de large.csv est en file d’attente : tâche" in flash_of(waiting)
    assert 'http-equiv="refresh"' in waiting
    assert "en attente d’un worker" in waiting
    assert imported(session) == 0
    assert len(uploads(client)) >= 1  # kept until its job reads it
    assert run_pending(sessions_of(connection)) == 1
    done = client.get(where).text
    assert 'http-equiv="refresh"' not in done
    assert "<strong>3</strong> contributions importées depuis large.csv" in done
    assert imported(session) == 3


def test_rows_refused_by_the_job_are_shown_on_its_page_and_nothing_is_stored(
    client: TestClient, connection: Connection, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("stocktake.consultation.jobs.WAITED_FOR_ROWS", 1)
    sign_in(client, "secretariat@gcm.example")
    bad = b"external_id,submitter,text\nUP-1,KEN,A good row\nUP-2,Narnia,Bad submitter\n"
    where = post(client, "bad.csv", bad).headers["location"]
    before = uploads(client)
    assert run_pending(sessions_of(connection)) == 1
    job = session.get(Job, int(where.rsplit("/", 1)[1]))
    assert job is not None
    session.refresh(job)
    assert job.state == "failed"
    assert "'Narnia' is not in the registry" in job.reason
    assert job.result["problems"][0]["where"] == "row 3, field submitter"
    assert len(uploads(client)) == len(before) - 1  # refused whole: uploaded again, corrected
    client.cookies.set(LANGUAGE_COOKIE, "fr")
    page = client.get(where).text
    assert (
        "<td>ligne 3, champ submitter</td><td>&#39;Narnia&#39; ne figure pas dans le registre"
        in page
    )
    assert "Why it failed" not in page
    assert "Pourquoi" not in page
    assert imported(session) == 0


def test_a_file_that_is_not_one_of_inputs_is_refused_before_anything_is_queued(
    client: TestClient, session: Session
) -> None:
    sign_in(client, "secretariat@gcm.example")
    jobs = session.scalar(select(func.count()).select_from(Job))
    before = uploads(client)
    for name, content, said in (
        ("notes.txt", b"submitter,text\nKEN,A row\n", "notes.txt"),
        ("odd.csv", b"text,colour\nA row,blue\n", "required column &#39;submitter&#39;"),
        ("nul.csv", b"submitter,text\nKEN,A \x00 row\n", "nul.csv"),
    ):
        refused = post(client, name, content)
        assert refused.status_code == 422, name
        assert said in refused.text, name
    assert session.scalar(select(func.count()).select_from(Job)) == jobs
    assert uploads(client) == before


def test_an_upload_whose_file_vanished_fails_its_job_with_that_reason(
    client: TestClient, connection: Connection, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("stocktake.consultation.jobs.WAITED_FOR_ROWS", 0)
    sign_in(client, "secretariat@gcm.example")
    where = post(client, "gone.csv", CSV.encode()).headers["location"]
    job = session.get(Job, int(where.rsplit("/", 1)[1]))
    assert job is not None
    Path(job.arguments["path"]).unlink()
    assert run_pending(sessions_of(connection)) == 1
    session.refresh(job)
    assert job.state == "failed"
    assert "gone.csv is gone" in job.reason
    assert "nothing was imported" in client.get(where).text
    assert imported(session) == 0


def test_the_api_imports_through_a_job(
    client: TestClient, connection: Connection, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = get_user(session, "secretariat@gcm.example")
    headers = {"Authorization": f"Bearer {issue_token(session, user, by=principal_for(user))}"}
    small = client.post(
        "/api/v1/inputs/import", files={"file": ("a.csv", CSV.encode())}, headers=headers
    )
    assert small.status_code == 201
    body = small.json()
    assert (body["created"], body["state"]) == (3, "done")
    assert client.get(f"/api/v1/jobs/{body['job_id']}", headers=headers).json()["state"] == "done"
    bad = b"external_id,submitter,text\nUP-9,Narnia,Bad submitter\n"
    refused = client.post("/api/v1/inputs/import", files={"file": ("b.csv", bad)}, headers=headers)
    assert refused.status_code == 422
    assert refused.json()["problems"][0]["where"] == "row 2, field submitter"
    monkeypatch.setattr("stocktake.consultation.jobs.WAITED_FOR_ROWS", 0)
    large = CSV.replace("UP-", "UP-L").encode()
    queued = client.post("/api/v1/inputs/import", files={"file": ("c.csv", large)}, headers=headers)
    assert queued.status_code == 202
    assert (queued.json()["state"], queued.json()["created"]) == ("queued", 0)
    assert run_pending(sessions_of(connection)) == 1
    job = client.get(f"/api/v1/jobs/{queued.json()['job_id']}", headers=headers).json()
    assert (job["state"], job["result"]["created"]) == ("done", 3)
    assert imported(session) == 6

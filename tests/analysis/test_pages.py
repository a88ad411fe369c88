from __future__ import annotations

import html

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stocktake.analysis.labels import label_of
from stocktake.analysis.models import AnalysisRun
from stocktake.analysis.services import clusters_of, latest_run, review_queue
from stocktake.core.jobs import run_pending
from stocktake.process.services import get_process
from tests.conftest import csrf_of, sign_in


def test_starting_a_run_from_the_page_runs_it_and_shows_it(
    client: TestClient, session: Session
) -> None:
    sign_in(client, "secretariat@gcm.example")
    response = client.post(
        "/analysis/runs", data={"csrf": csrf_of(client, "/analysis")}, follow_redirects=False
    )
    assert response.status_code == 303
    run_id = int(response.headers["location"].rsplit("/", 1)[1])
    waiting = client.get(f"/analysis/runs/{run_id}").text
    assert "Waiting for a worker (job " in waiting
    assert '<meta http-equiv="refresh" content="2">' in waiting
    assert run_pending(client.app.state.sessions) == 1  # what a worker does
    session.expire_all()
    run = session.get(AnalysisRun, run_id)
    assert run is not None
    assert run.status == "completed"
    page = client.get(f"/analysis/runs/{run_id}")
    assert "completed" in page.text
    assert "Time per stage" in page.text
    assert '<a href="/analysis/clusters">' in page.text
    assert '<a href="/summary">' in page.text
    before = session.scalar(
        select(func.max(AnalysisRun.id)).where(
            AnalysisRun.id < run_id, AnalysisRun.status == "completed"
        )
    )
    earlier = client.get(f"/analysis/runs/{before}").text
    assert f'<a href="/analysis/runs/{run_id}">run {run_id}</a>) is the one' in earlier
    dashboard = client.get("/analysis").text
    assert f"Latest run: {run_id}" in dashboard
    assert "How robust follow-up and review should be" in dashboard


def test_clusters_are_renamed_merged_and_split_from_the_pages(
    client: TestClient, session: Session
) -> None:
    sign_in(client, "secretariat@gcm.example")
    run = latest_run(session, get_process(session))
    assert run is not None
    clusters = clusters_of(session, run)
    csrf = csrf_of(client, "/analysis/clusters")
    client.post(
        f"/analysis/clusters/{clusters[0].number}/rename",
        data={"csrf": csrf, "label": "Renamed here"},
    )
    assert "Renamed here" in client.get("/analysis/clusters").text
    merged = client.post(
        "/analysis/clusters/merge",
        data={
            "csrf": csrf,
            "numbers": [clusters[1].number, clusters[2].number],
            "label": "Merged here",
        },
    )
    assert "<h1>Merged here</h1>" in merged.text
    refused = client.post(
        "/analysis/clusters/merge", data={"csrf": csrf, "numbers": [clusters[3].number]}
    )
    assert refused.status_code == 422
    assert "choose at least two clusters" in refused.text


def test_the_review_queue_confirms_and_returns(client: TestClient, session: Session) -> None:
    sign_in(client, "secretariat@gcm.example")
    run = latest_run(session, get_process(session))
    assert run is not None
    items, total = review_queue(session, run, limit=1)
    page = client.get("/analysis/review")
    assert f"{total:,} input" in page.text
    response = client.post(
        f"/inputs/{items[0].input.id}/tags",
        data={
            "csrf": csrf_of(client, "/analysis/review"),
            "dimensions": ["human"],
            "input_types": ["partnership"],
            "next": "/analysis/review?page=1",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/analysis/review?page=1"
    assert review_queue(session, run, limit=1)[1] == total - 1


def test_renaming_a_cut_short_label_starts_from_the_whole_clause(
    client: TestClient, session: Session
) -> None:
    sign_in(client, "secretariat@gcm.example")
    run = latest_run(session, get_process(session))
    assert run is not None
    cluster = clusters_of(session, run)[0]
    whole = label_of(cluster.representative.text, cluster.representative.title or "", max_words=60)
    cluster.label = " ".join(whole.split()[:2]) + "…"
    session.flush()
    page = client.get(f"/analysis/clusters/{cluster.number}").text
    value = page.split('id="label" name="label" value="', 1)[1].split('"', 1)[0]
    assert "…" not in value
    assert value == html.escape(whole.removesuffix("…"), quote=True)

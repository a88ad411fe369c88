"""The clusters page is paged and searchable by label."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from stocktake.analysis.services import clusters_of, latest_run
from stocktake.process.services import get_process
from tests.conftest import sign_in


def test_the_clusters_page_is_paged_and_searched(client: TestClient, session: Session) -> None:
    run = latest_run(session, get_process(session))
    assert run is not None
    clusters = clusters_of(session, run)
    sign_in(client, "secretariat@gcm.example")
    first = client.get("/analysis/clusters")
    assert f"{len(clusters):,} clusters" in first.text
    assert first.text.count('name="numbers"') == min(50, len(clusters))
    word = clusters[0].label.split()[0]
    found = client.get("/analysis/clusters", params={"q": word.upper()})
    assert clusters[0].label in found.text
    none = client.get("/analysis/clusters", params={"q": "zzqqxx"})
    assert "0 clusters" in none.text
    assert client.get("/analysis/clusters", params={"page": "x"}).status_code == 200

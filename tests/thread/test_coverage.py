"""Coverage of a draft and of the adopted text: the shares of clusters, actors and inputs it
reflects, by region, group and category, the gaps, as figures and a chart."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from stocktake.analysis.models import AnalysisResult
from stocktake.analysis.services import latest_run
from stocktake.cli import app
from stocktake.consultation.models import Input
from stocktake.core.errors import ValidationFailed
from stocktake.core.permissions import Principal
from stocktake.negotiation.models import LinkState, ThreadLink
from stocktake.negotiation.services import draft_from_summary, revision_nodes
from stocktake.process.services import get_process
from stocktake.site.thread import coverage
from stocktake.summary.models import Summary
from tests.thread.test_thread import adopt

SYSTEM = Principal.system()


def test_the_coverage_of_a_zero_draft_is_what_its_links_carry(session: Session) -> None:
    process = get_process(session)
    summary = session.scalar(select(Summary.id).order_by(Summary.id))
    assert summary is not None
    draft = draft_from_summary(session, process, summary, by=SYSTEM)
    result = coverage(session, process, draft.id, by=SYSTEM)
    carried = {
        i
        for link in session.scalars(select(ThreadLink).where(ThreadLink.draft_id == draft.id))
        for i in link.input_ids
    }
    inputs = {
        record.id: record.actor_id
        for record in session.scalars(
            select(Input).where(Input.status.in_(("submitted", "published")))
        )
    }
    assert result.inputs.total == len(inputs)
    assert result.inputs.reflected == len(carried & set(inputs))
    assert result.actors.total == len(set(inputs.values()))
    assert result.actors.reflected == len({inputs[i] for i in carried if i in inputs})
    run = latest_run(session, process)
    assert run is not None
    members: dict[int, set[int]] = {}
    for input_id, number in session.execute(
        select(AnalysisResult.input_id, AnalysisResult.cluster_number).where(
            AnalysisResult.run_id == run.id, AnalysisResult.cluster_number >= 0
        )
    ):
        members.setdefault(number, set()).add(input_id)
    assert result.clusters.total == len(members)
    assert result.clusters.reflected == sum(1 for ids in members.values() if ids & carried)
    assert 0 < result.clusters.percent <= 100
    assert sum(s.total for s in result.regions) == result.actors.total
    assert sum(s.reflected for s in result.regions) == result.actors.reflected
    assert [s.percent for s in result.regions] == sorted(s.percent for s in result.regions)
    gaps = [share.percent for _, share in result.gaps]
    assert gaps == sorted(gaps)
    assert all(p < result.actors.percent for p in gaps)
    with pytest.raises(ValidationFailed, match="no final revision"):
        coverage(session, process, draft.id, adopted=True, by=SYSTEM)


def test_the_adopted_text_reflects_no_more_than_what_it_kept(session: Session) -> None:
    process = get_process(session)
    adopted = adopt(session)
    working = coverage(session, process, adopted.draft.id, by=SYSTEM)
    final = coverage(session, process, adopted.draft.id, adopted=True, by=SYSTEM)
    assert "(adopted)" in final.title
    kept = {n.eid for n in revision_nodes(adopted.draft.revisions[-1])}
    assert adopted.removed not in kept
    carried = {
        i
        for link in session.scalars(
            select(ThreadLink).where(
                ThreadLink.draft_id == adopted.draft.id, ThreadLink.state == LinkState.CONFIRMED
            )
        )
        if link.eid in kept
        for i in link.input_ids
    }
    considered = set(
        session.scalars(select(Input.id).where(Input.status.in_(("submitted", "published"))))
    )
    assert final.inputs.reflected == len(carried & considered)
    assert final.inputs.reflected <= working.inputs.reflected


def test_the_page_api_and_command(session: Session, client: TestClient, cli_db: str) -> None:
    adopted = adopt(session)
    page = client.get(f"/drafts/{adopted.draft.id}/coverage?adopted=true")
    assert page.status_code == 200
    assert '<svg class="chart"' in page.text
    assert "Gaps: the least reflected" in page.text
    data = client.get(f"/api/v1/drafts/{adopted.draft.id}/coverage").json()
    assert set(data) >= {"clusters", "actors", "inputs", "regions", "gaps"}
    assert data["clusters"]["total"] > 0
    assert client.get("/api/v1/drafts/999999/coverage").status_code == 404
    result = CliRunner().invoke(
        app, ["thread", "coverage", "1"], env={"STOCKTAKE_DATABASE_URL": cli_db}
    )
    assert result.exit_code == 0, result.output
    assert "clusters:" in result.output
    assert "actors:" in result.output

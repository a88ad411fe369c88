""" "Where did our inputs go?" for each demo delegation, checked against the data: each input's
cluster in the latest run, its citations in the summary, the paragraphs whose links carry it, and
the one outcome that follows; as a page, an export (HTML, Word, CSV), the API and a command."""

from __future__ import annotations

import csv
import io

import pytest
from docx import Document
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from stocktake.analysis.models import AnalysisCluster, AnalysisResult
from stocktake.analysis.services import latest_run
from stocktake.cli import app
from stocktake.consultation.models import Input
from stocktake.core.permissions import Principal
from stocktake.negotiation.models import LinkState, ThreadLink
from stocktake.process.services import get_process
from stocktake.registry.models import Actor
from stocktake.site.thread import Outcome, inputs_report
from stocktake.summary.models import Summary
from tests.thread.test_thread import adopt

SYSTEM = Principal.system()
DELEGATIONS = ("MEX", "PHL")


def expected(session: Session, code: str, *, published_only: bool = False) -> dict[int, str]:
    """Each input of the actor and its outcome, from the tables themselves."""
    actor = session.scalar(select(Actor).where(Actor.code == code))
    assert actor is not None
    statuses = ("published",) if published_only else ("submitted", "published", "withdrawn")
    records = list(
        session.scalars(select(Input).where(Input.actor_id == actor.id, Input.status.in_(statuses)))
    )
    run = latest_run(session, get_process(session))
    assert run is not None
    numbers = set(
        session.scalars(select(AnalysisCluster.number).where(AnalysisCluster.run_id == run.id))
    )
    clustered = {
        input_id
        for input_id, number in session.execute(
            select(AnalysisResult.input_id, AnalysisResult.cluster_number).where(
                AnalysisResult.run_id == run.id
            )
        )
        if number in numbers
    }
    summary = session.scalar(select(Summary).order_by(Summary.id.desc()))
    assert summary is not None
    cited: set[int] = set()
    if not published_only:
        cited = {i for ids in (summary.current.sources or {}).values() for i in ids}
        cited |= {r.id for r in records if f"(/inputs/{r.id})" in summary.current.markdown}
    links = session.scalars(select(ThreadLink).where(ThreadLink.state == LinkState.CONFIRMED))
    carried: dict[int, set[str]] = {}
    for link in links:
        for input_id in link.input_ids:
            carried.setdefault(input_id, set()).add(link.eid)
    outcome = {}
    for record in records:
        if record.status == "withdrawn":
            outcome[record.id] = Outcome.WITHDRAWN
        elif record.id in carried:
            outcome[record.id] = Outcome.REFLECTED
        elif record.id in cited:
            outcome[record.id] = Outcome.CITED
        elif record.id in clustered:
            outcome[record.id] = Outcome.GROUPED
        else:
            outcome[record.id] = Outcome.NOT_TAKEN_UP
    return outcome


@pytest.mark.parametrize("code", DELEGATIONS)
def test_each_delegations_report_matches_the_data_before_and_after_a_linked_draft(
    session: Session, code: str
) -> None:
    process = get_process(session)
    before = inputs_report(session, process, code, by=SYSTEM)
    assert {f.record.id: f.outcome for f in before.fates} == expected(session, code)
    assert before.fates
    assert not any(f.reflections for f in before.fates)
    adopted = adopt(session)
    after = inputs_report(session, process, code, by=SYSTEM)
    wanted = expected(session, code)
    got = {f.record.id: f.outcome for f in after.fates}
    # what the final text holds is "in the adopted text", the rest as the data say
    for fate in after.fates:
        if fate.outcome == Outcome.ADOPTED:
            assert wanted[fate.record.id] == Outcome.REFLECTED
            assert any(r.adopted for r in fate.reflections)
            got[fate.record.id] = Outcome.REFLECTED
    assert got == wanted
    for fate in after.fates:
        eids = {r.eid for r in fate.reflections}
        links = session.scalars(
            select(ThreadLink).where(
                ThreadLink.draft_id == adopted.draft.id, ThreadLink.state == "confirmed"
            )
        )
        assert eids == {link.eid for link in links if fate.record.id in link.input_ids}
        for reflection in fate.reflections:
            if reflection.eid == adopted.removed:
                assert reflection.removed_in == "Final"
                assert not reflection.adopted
    counts = after.counts()
    assert sum(counts.values()) == len(after.fates)


def test_mexicos_report_reaches_the_adopted_text(session: Session) -> None:
    adopt(session)
    report = inputs_report(session, get_process(session), "MEX", by=SYSTEM)
    assert report.counts()[Outcome.ADOPTED] + report.counts()[Outcome.REFLECTED] > 0


def test_the_public_report_holds_published_inputs_and_the_published_summary_only(
    session: Session,
) -> None:
    process = get_process(session)
    report = inputs_report(session, process, "MEX", by=Principal.public())
    assert {f.record.status for f in report.fates} <= {"published"}
    assert {f.record.id: f.outcome for f in report.fates} == expected(
        session, "MEX", published_only=True
    )
    assert report.summary is None  # the demo's summary is not published


def test_the_page_exports_api_and_command(
    session: Session, client: TestClient, cli_db: str
) -> None:
    adopt(session)
    page = client.get("/actors/MEX/inputs")
    assert page.status_code == 200
    assert "Where did the inputs of" in page.text
    assert '<svg class="chart"' in page.text
    rows = list(csv.reader(io.StringIO(client.get("/actors/MEX/inputs/export?format=csv").text)))
    assert rows[0][:5] == ["input", "title", "submitted", "status", "outcome"]
    public = inputs_report(session, get_process(session), "MEX", by=Principal.public())
    assert {int(r[0]): r[4] for r in rows[1:]} == {f.record.id: f.outcome for f in public.fates}
    word = client.get("/actors/MEX/inputs/export?format=docx")
    assert word.headers["content-disposition"] == 'attachment; filename="inputs-MEX.docx"'
    document = Document(io.BytesIO(word.content))
    assert len(document.tables[0].rows) == len(public.fates) + 1
    # across an A4 page, the title column widest, so that words stay whole
    page = document.sections[0]
    assert page.page_width > page.page_height
    widths = [column.width for column in document.tables[0].columns]
    assert widths[1] == max(widths)
    html = client.get("/actors/MEX/inputs/export?format=html")
    assert html.text.startswith("<!doctype html>")
    assert "Where did the inputs of" in html.text
    bad = client.get("/actors/MEX/inputs/export?format=pdf")
    assert bad.status_code == 422
    assert "format" in bad.text
    assert client.get("/actors/NOBODY/inputs").status_code == 404
    data = client.get("/api/v1/actors/MEX/inputs-report").json()
    assert data["actor"] == "MEX"
    assert {i["input"]["id"]: i["outcome"] for i in data["inputs"]} == {
        f.record.id: f.outcome for f in public.fates
    }
    result = CliRunner().invoke(
        app, ["thread", "inputs", "PHL", "--format", "csv"], env={"STOCKTAKE_DATABASE_URL": cli_db}
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].startswith("input,title,submitted")
    refused = CliRunner().invoke(
        app, ["thread", "inputs", "PHL", "--format", "pdf"], env={"STOCKTAKE_DATABASE_URL": cli_db}
    )
    assert refused.exit_code != 0
    assert "pdf" in refused.output

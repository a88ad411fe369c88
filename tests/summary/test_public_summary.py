"""What the public reads of a summary: only what it may see, quoted as text, no staff identities."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from stocktake.analysis.models import AnalysisCluster, AnalysisResult
from stocktake.analysis.services import latest_run
from stocktake.consultation.models import Input
from stocktake.core.permissions import Principal
from stocktake.process.services import get_process
from stocktake.summary.builder import AnnexItem, Source, render_markdown
from stocktake.summary.models import Summary
from stocktake.summary.render import to_html
from stocktake.summary.services import (
    generate_summary,
    publish_summary,
    save_version,
    summary_input,
)
from tests.conftest import csrf_of, sign_in

SYSTEM = Principal.system()
SECRET = "zqxunpublishedwords"
PAYLOAD = (
    "[click here](https://evil.example/steal) ![tracker](https://evil.example/pixel.png) "
    "<img src=https://evil.example/x.png> <https://evil.example/auto> *loud* | pipe"
)


def _published_representative(session: Session, run_id: int) -> int:
    """The representative input of a cluster that becomes a statement, and is published."""
    for cluster in session.scalars(select(AnalysisCluster).where(AnalysisCluster.run_id == run_id)):
        if cluster.support.get("actors", 0) < 2:
            continue
        record = session.get(Input, cluster.representative_id)
        if record is not None and record.status == "published":
            return record.id
    raise AssertionError("no published representative")


def _fresh_summary(client: TestClient, session: Session) -> Summary:
    """A summary drafted through the page, as the secretariat does."""
    sign_in(client, "secretariat@gcm.example")
    response = client.post("/summary", data={"csrf": csrf_of(client, "/summary")})
    assert response.status_code == 200
    assert "A new summary was drafted from analysis run" in response.text
    summary = session.scalar(select(Summary).order_by(Summary.id.desc()))
    assert summary is not None
    return summary


def _publish_and_leave(client: TestClient, summary: Summary) -> None:
    response = client.post(
        f"/summary/{summary.id}/publish",
        data={"csrf": csrf_of(client, "/"), "version": 1, "confirm": "true"},
    )
    assert "Version 1 is published" in response.text
    client.post("/logout", data={"csrf": csrf_of(client, "/")})


def test_input_text_is_quoted_as_text_without_links_or_images(
    client: TestClient, session: Session
) -> None:
    run = latest_run(session, get_process(session))
    assert run is not None
    representative = _published_representative(session, run.id)
    session.execute(update(Input).where(Input.id == representative).values(text=PAYLOAD))
    session.flush()
    summary = _fresh_summary(client, session)
    assert PAYLOAD not in summary.current.markdown  # escaped, not pasted
    _publish_and_leave(client, summary)
    page = client.get(f"/summary/{summary.id}")
    assert page.status_code == 200
    assert "click here" in page.text
    assert "evil.example" in page.text  # shown as text ...
    assert not re.search(r"<a [^>]*href=\"https://evil", page.text)  # ... never a link
    assert "<img" not in page.text
    assert "<em>loud</em>" not in page.text
    exported = client.get(f"/summary/{summary.id}/export", params={"format": "html"})
    assert "<img" not in exported.text
    assert not re.search(r"<a [^>]*href=\"https://evil", exported.text)


def test_the_published_summary_never_shows_an_unpublished_input(
    client: TestClient, session: Session
) -> None:
    unpublished = list(session.scalars(select(Input.id).where(Input.status == "submitted")))
    assert unpublished
    session.execute(
        update(Input).where(Input.status == "submitted").values(text=Input.text + f" {SECRET}")
    )
    session.flush()
    summary = _fresh_summary(client, session)
    markdown = summary.current.markdown
    assert SECRET not in markdown
    linked = {int(i) for i in re.findall(r"\]\(/inputs/(\d+)\)", markdown)}
    assert linked
    assert not linked & set(unpublished)
    assert "not yet published" in markdown
    _publish_and_leave(client, summary)
    page = client.get(f"/summary/{summary.id}")
    assert SECRET not in page.text
    for input_id in re.findall(r'href="/inputs/(\d+)"', page.text):
        assert client.get(f"/inputs/{input_id}").status_code == 200
    api = client.get(f"/api/v1/summaries/{summary.id}").json()
    assert SECRET not in api["markdown"]


def test_an_input_withdrawn_after_publication_is_named_not_linked(
    client: TestClient, session: Session
) -> None:
    process = get_process(session)
    run = latest_run(session, process)
    assert run is not None
    summary = generate_summary(session, process, run, by=SYSTEM)
    first = int(re.findall(r"\]\(/inputs/(\d+)\)", summary.current.markdown)[0])
    publish_summary(session, summary, 1, by=SYSTEM, despite_warnings=True)
    session.execute(update(Input).where(Input.id == first).values(status="withdrawn"))
    session.flush()
    page = client.get(f"/summary/{summary.id}")
    assert f'href="/inputs/{first}"' not in page.text
    sign_in(client, "secretariat@gcm.example")
    assert f'href="/inputs/{first}"' in client.get(f"/summary/{summary.id}").text


def test_cluster_pages_of_a_published_summary_show_the_public_its_published_inputs(
    client: TestClient, session: Session
) -> None:
    process = get_process(session)
    run = latest_run(session, process)
    assert run is not None
    summary = generate_summary(session, process, run, by=SYSTEM)
    number = session.scalar(
        select(AnalysisResult.cluster_number)
        .join(Input, Input.id == AnalysisResult.input_id)
        .where(AnalysisResult.run_id == run.id, Input.status == "submitted")
        .limit(1)
    )
    assert number is not None
    assert client.get(f"/summary/{summary.id}/clusters/{number}").status_code == 404
    publish_summary(session, summary, 1, by=SYSTEM, despite_warnings=True)
    page = client.get(f"/summary/{summary.id}/clusters/{number}")
    assert page.status_code == 200
    assert "not yet published: counted, not listed" in page.text
    for input_id in re.findall(r'href="/inputs/(\d+)"', page.text):
        assert client.get(f"/inputs/{input_id}").status_code == 200
    assert client.get(f"/summary/{summary.id}/clusters/99999").status_code == 404


def test_staff_identities_are_shown_to_staff_only(client: TestClient, session: Session) -> None:
    summary = session.scalar(select(Summary).order_by(Summary.id))
    assert summary is not None
    sign_in(client, "secretariat@gcm.example")
    client.post(
        f"/summary/{summary.id}/edit",
        data={
            "csrf": csrf_of(client, f"/summary/{summary.id}/edit"),
            "markdown": "# Chair's summary\n\nIssued text.\n",
            "note": "issued",
        },
    )
    client.post(f"/summary/{summary.id}/publish", data={"csrf": csrf_of(client, "/"), "version": 2})
    assert "secretariat@gcm.example" in client.get("/summary").text.split("</header>")[1]
    client.post("/logout", data={"csrf": csrf_of(client, "/")})
    for text in (
        client.get("/summary").text,
        client.get(f"/summary/{summary.id}").text,
        client.get("/api/v1/summaries").text,
    ):
        assert "secretariat@gcm.example" not in text
        assert "system" not in text.lower().replace("systems", "")
    assert client.get("/api/v1/summaries").json()[0]["versions"][0]["saved_by"] is None


def test_publishing_warns_while_the_text_holds_draft_markers(
    client: TestClient, session: Session
) -> None:
    summary = session.scalar(select(Summary).order_by(Summary.id))
    assert summary is not None
    sign_in(client, "secretariat@gcm.example")
    response = client.post(
        f"/summary/{summary.id}/publish", data={"csrf": csrf_of(client, "/"), "version": 1}
    )
    assert "Version 1 was not published" in response.text
    assert "draft marker" in response.text
    assert 'name="confirm"' in response.text
    session.refresh(summary)
    assert summary.published_version is None
    clean = save_version(session, summary, "# Chair's summary\n\nFinal text.\n", by=SYSTEM)
    response = client.post(
        f"/summary/{summary.id}/publish",
        data={"csrf": csrf_of(client, "/"), "version": clean.number},
    )
    assert f"Version {clean.number} is published" in response.text
    token = client.post(
        "/api/v1/tokens", json={"email": "secretariat@gcm.example", "password": "stocktake-demo"}
    ).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    refused = client.post(
        f"/api/v1/summaries/{summary.id}/publish", json={"version": 1}, headers=headers
    )
    assert refused.status_code == 409
    assert "draft marker" in refused.json()["detail"]
    confirmed = client.post(
        f"/api/v1/summaries/{summary.id}/publish",
        json={"version": 1, "confirm": True},
        headers=headers,
    )
    assert confirmed.status_code == 200
    assert confirmed.json()["published_version"] == 1


def test_the_annex_quotes_published_text_as_text_and_counts_the_rest(session: Session) -> None:
    process = get_process(session)
    run = latest_run(session, process)
    assert run is not None
    data = summary_input(session, process, run, None)
    data.statements = []
    data.divergences = []
    data.annex = [
        AnnexItem(Source("C-1", "/inputs/1"), "Mexico | [x](https://evil.example)", PAYLOAD),
        AnnexItem(Source("C-2", "/inputs/2", published=False), "Kenya", SECRET),
    ]
    html = to_html(render_markdown(data))
    assert SECRET not in html
    assert "<img" not in html
    assert 'href="https://evil' not in html
    assert 'href="/inputs/1"' in html
    assert 'href="/inputs/2"' not in html
    assert "1 input not yet published" in html
    assert html.count("<td>") == 3  # one row of three cells: the pipes stayed text

from __future__ import annotations

import io
import json
import re

import pytest
from docx import Document
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stocktake.accounts.models import User
from stocktake.accounts.services import issue_token, principal_for
from stocktake.consultation.models import Input
from stocktake.core.permissions import Role
from tests.conftest import csrf_of
from tests.factories.accounts import account, signed_in
from tests.factories.registry import organisation


def count(session: Session) -> int:
    return session.scalar(select(func.count(Input.id))) or 0


def bearer(session: Session, user: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(session, user, by=principal_for(user))}"}


def docx_bytes(*paragraphs: str) -> bytes:
    document = Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_stakeholder_submits_a_written_contribution_from_a_docx(
    bare_client: TestClient, bare_session: Session
) -> None:
    signed_in(
        bare_client,
        account(
            bare_session,
            Role.STAKEHOLDER,
            actor_code=organisation(bare_session, code="CSO-KEN-001").code,
        ),
    )
    response = bare_client.post(
        "/inputs/new",
        data={
            "csrf": csrf_of(bare_client, "/inputs/new"),
            "title": "Our contribution",
            "dimensions": ["human", "local"],
        },
        files={
            "attachment": (
                "contribution.docx",
                docx_bytes("Cities need funding for reception.", "Second paragraph."),
                "application/octet-stream",
            )
        },
    )
    assert response.status_code == 200
    assert re.search(r"<h1[^>]*>Our contribution</h1>", response.text)
    assert "Cities need funding for reception." in response.text
    record = bare_session.scalar(select(Input).where(Input.title == "Our contribution"))
    assert record is not None
    assert (record.kind, record.attachment_name, record.actor.code) == (
        "contribution",
        "contribution.docx",
        "CSO-KEN-001",
    )
    assert record.tag_keys("dimensions") == ["human", "local"]


def test_a_corrupt_attachment_or_an_empty_text_is_refused_and_nothing_stored(
    bare_client: TestClient, bare_session: Session
) -> None:
    signed_in(
        bare_client,
        account(
            bare_session,
            Role.STAKEHOLDER,
            actor_code=organisation(bare_session, code="CSO-KEN-001").code,
        ),
    )
    before = count(bare_session)
    corrupt = bare_client.post(
        "/inputs/new",
        data={"csrf": csrf_of(bare_client, "/inputs/new"), "title": "Broken"},
        files={"attachment": ("broken.docx", b"PK\x03\x04 garbage", "application/octet-stream")},
    )
    assert corrupt.status_code == 422
    assert "not a readable DOCX file" in corrupt.text
    empty = bare_client.post(
        "/inputs/new", data={"csrf": csrf_of(bare_client, "/inputs/new"), "text": "   "}
    )
    assert empty.status_code == 422
    assert "text: is empty" in empty.text
    assert count(bare_session) == before


def test_markup_in_a_text_is_shown_as_text(bare_client: TestClient, bare_session: Session) -> None:
    signed_in(bare_client, account(bare_session, Role.DELEGATION_MEMBER, actor_code="MEX"))
    response = bare_client.post(
        "/inputs/new",
        data={
            "csrf": csrf_of(bare_client, "/inputs/new"),
            "title": "<img src=x onerror=alert(1)>",
            "text": "<script>alert('x')</script> migrants",
        },
    )
    assert response.status_code == 200
    assert "<script>alert" not in response.text
    assert "<img src=x" not in response.text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; migrants" in response.text


def test_the_import_page_reports_every_bad_row_and_stores_nothing(
    bare_client: TestClient, bare_session: Session
) -> None:
    signed_in(bare_client, account(bare_session, Role.SECRETARIAT))
    before = count(bare_session)
    bad = b"submitter,text\nKEN,Good row\nNarnia,Bad submitter\nKEN,\n"
    response = bare_client.post(
        "/inputs/import",
        data={"csrf": csrf_of(bare_client, "/inputs/import")},
        files={"file": ("bad.csv", bad, "text/csv")},
    )
    # the rows are checked by the import's job, whose page shows every problem
    assert response.status_code == 200
    assert re.search(r"/jobs/\d+$", str(response.url))
    assert "bad.csv was refused; nothing was stored." in response.text
    assert (
        "<td>row 3, field submitter</td><td>&#39;Narnia&#39; is not in the registry</td>"
        in response.text
    )
    assert "<td>row 4, field text</td><td>is empty</td>" in response.text
    assert count(bare_session) == before
    good = b"submitter,text\nKEN,Good row about consular services\n"
    response = bare_client.post(
        "/inputs/import",
        data={"csrf": csrf_of(bare_client, "/inputs/import")},
        files={"file": ("good.csv", good, "text/csv")},
    )
    assert "<strong>1</strong> input imported from good.csv" in response.text
    assert count(bare_session) == before + 1


def test_uploads_over_the_limit_are_refused(
    bare_client: TestClient, bare_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the app is shared by the whole suite: the limit is put back after the test
    monkeypatch.setattr(bare_client.app.state.settings, "max_upload_bytes", 2048)  # type: ignore[attr-defined]
    token = bearer(bare_session, account(bare_session, Role.SECRETARIAT))
    big = b"submitter,text\n" + b"KEN,too long\n" * 400
    response = bare_client.post(
        "/api/v1/inputs/import", files={"file": ("big.csv", big, "text/csv")}, headers=token
    )
    assert response.status_code == 422
    assert "larger than the limit of 2,048 bytes" in response.json()["problems"][0]["message"]


def test_exports_download_in_three_formats(client: TestClient) -> None:
    csv_response = client.get("/inputs/export", params={"format": "csv", "language": "ar"})
    assert csv_response.headers["content-type"] == "text/csv; charset=utf-8"
    lines = csv_response.content.decode().splitlines()
    assert lines[0].startswith("id,external_id,submitter,")
    assert all(",ar,published," in line for line in lines[1:])
    xlsx = client.get("/inputs/export", params={"format": "xlsx", "dimension": "regional"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row > 10
    data = client.get("/api/v1/inputs/export", params={"format": "json", "q": "汇款"}).json()
    assert data["inputs"]
    assert all("汇款" in item["text"] for item in data["inputs"])
    assert all(item["status"] == "published" for item in data["inputs"])


def test_the_api_round_trip_for_a_ministry_system(
    bare_client: TestClient, bare_session: Session
) -> None:
    token = bearer(bare_session, account(bare_session, Role.DELEGATION_MEMBER, actor_code="PHL"))
    created = bare_client.post(
        "/api/v1/inputs",
        json={
            "text": "Protect seafarers' wages.",
            "dimensions": ["national"],
            "references": ["ILO-C189"],
            "external_id": "PH-1",
        },
        headers=token,
    )
    assert created.status_code == 201
    body = created.json()
    assert (body["submitter"], body["status"], body["language"], body["channel"]) == (
        "PHL",
        "submitted",
        "en",
        "api",
    )
    changed = bare_client.patch(
        f"/api/v1/inputs/{body['id']}", json={"title": "Seafarers"}, headers=token
    )
    assert changed.json()["title"] == "Seafarers"
    assert bare_client.get(f"/api/v1/inputs/{body['id']}").status_code == 404  # not yet published
    other = bare_client.post(
        "/api/v1/inputs", json={"text": "As Mexico", "submitter": "MEX"}, headers=token
    )
    assert other.status_code == 422
    assert other.json()["problems"][0] == {
        "where": "submitter",
        "message": "you may submit only for your own actor, not for MEX",
    }
    listed = bare_client.get(
        "/api/v1/inputs", params={"submitter": "PHL", "status": "submitted"}, headers=token
    ).json()
    assert body["id"] in {item["id"] for item in listed["items"]}
    withdrawn = bare_client.post(
        f"/api/v1/inputs/{body['id']}/withdraw", json={"reason": "Superseded"}, headers=token
    )
    assert withdrawn.json()["status"] == "withdrawn"
    malformed = bare_client.post("/api/v1/inputs", json={"text": ""}, headers=token)
    assert malformed.status_code == 422
    assert malformed.json()["problems"][0]["where"] == "body.text"


def test_the_list_page_filters_and_searches(client: TestClient) -> None:
    html = client.get("/inputs", params={"q": "汇款", "language": "zh"}).text
    assert "汇款" in html
    assert 'lang="zh"' in html
    arabic = client.get("/inputs", params={"language": "ar"}).text
    assert 'dir="rtl"' in arabic
    assert "0 inputs" in client.get("/inputs", params={"q": "zzqxj"}).text
    data = json.loads(
        client.get(
            "/api/v1/inputs", params={"dimension": "global", "input_type": "follow_up_review"}
        ).text
    )
    assert data["total"] > 0
    assert all("global" in item["dimensions"] for item in data["items"])


def test_a_corrupt_pdf_or_an_unknown_attachment_type_is_named(
    bare_client: TestClient, bare_session: Session
) -> None:
    signed_in(bare_client, account(bare_session, Role.DELEGATION_MEMBER, actor_code="MEX"))
    pdf = bare_client.post(
        "/inputs/new",
        data={"csrf": csrf_of(bare_client, "/inputs/new"), "text": "See attachment"},
        files={"attachment": ("paper.pdf", b"%PDF-1.4 not really a pdf", "application/pdf")},
    )
    assert pdf.status_code == 422
    assert "not a readable PDF file" in pdf.text
    odt = bare_client.post(
        "/inputs/new",
        data={"csrf": csrf_of(bare_client, "/inputs/new"), "text": "See attachment"},
        files={"attachment": ("paper.odt", b"anything", "application/octet-stream")},
    )
    assert odt.status_code == 422
    assert "only DOCX, PDF or plain-text files are read" in odt.text


def close_for_inputs(session: Session) -> None:
    """Reload the GCM definition with every phase closed for inputs (rolled back after the test)."""
    from stocktake.process.definition import default_definition_path
    from tests.factories.process import process_from

    process_from(
        session,
        default_definition_path(),
        replace={"open_for_inputs = true": "open_for_inputs = false"},
    )


def test_a_process_closed_for_inputs_says_so_on_the_form_the_api_and_the_import(
    bare_client: TestClient, bare_session: Session
) -> None:
    close_for_inputs(bare_session)
    before = count(bare_session)
    philippines = account(bare_session, Role.DELEGATION_MEMBER, actor_code="PHL")
    signed_in(bare_client, philippines)
    form = bare_client.get("/inputs/new")
    assert "the process accepts no inputs on" in form.text
    posted = bare_client.post(
        "/inputs/new", data={"csrf": csrf_of(bare_client, "/inputs/new"), "text": "Protect wages."}
    )
    assert posted.status_code == 422
    assert "is not open for inputs" in posted.text
    token = bearer(bare_session, philippines)
    refused = bare_client.post("/api/v1/inputs", json={"text": "Protect wages."}, headers=token)
    assert refused.status_code == 422
    assert refused.json()["problems"][0]["where"] == "date"
    assert refused.json()["problems"][0]["message"].startswith("the process accepts no inputs on")
    rows = "text,submitter,submitted_at\nProtect wages.,PHL,2017-06-01\n"
    imported = bare_client.post(
        "/api/v1/inputs/import",
        files={"file": ("late.csv", rows.encode(), "text/csv")},
        headers=bearer(bare_session, account(bare_session, Role.SECRETARIAT)),
    )
    assert imported.status_code == 422
    assert imported.json()["problems"][0]["message"] == (
        "the process accepts no inputs on 1 June 2017: the Consultation phase is not open for inputs"
    )
    assert count(bare_session) == before

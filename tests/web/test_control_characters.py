"""Control characters and mislabelled encodings: refused where they come in, naming the field, and
never a server error where they go out (a workbook, a DOCX and Akoma Ntoso are XML, which holds no
control character but tab and line breaks)."""

from __future__ import annotations

import io

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stocktake.accounts.services import issue_token, principal_for
from stocktake.consultation.files import extract_text
from stocktake.consultation.models import Input
from stocktake.consultation.services import publish_input
from stocktake.core.errors import ValidationFailed
from stocktake.core.permissions import Principal, Role
from stocktake.core.untrusted import xml_safe
from stocktake.negotiation.models import Draft
from stocktake.process.services import get_process
from tests.conftest import csrf_of
from tests.factories.accounts import account, signed_in
from tests.factories.consultation import submitted

CONTROL = ["\x01", "\x0b", "\x1b", "\x7f\x08", "\ufffe"]


def _token(session: Session, role: Role, actor: str | None = None) -> dict[str, str]:
    user = account(session, role, actor_code=actor)
    return {"Authorization": f"Bearer {issue_token(session, user, by=principal_for(user))}"}


@pytest.mark.parametrize("character", CONTROL)
def test_a_control_character_in_a_json_field_is_refused_naming_it(
    bare_client: TestClient, bare_session: Session, character: str
) -> None:
    headers = _token(bare_session, Role.DELEGATION_MEMBER, "MEX")
    before = bare_session.scalar(select(func.count()).select_from(Input))
    response = bare_client.post(
        "/api/v1/inputs",
        json={"submitter": "MEX", "title": f"ctl{character}title", "text": "A card."},
        headers=headers,
    )
    assert response.status_code == 422, response.text
    assert "body.title" in response.text
    assert bare_session.scalar(select(func.count()).select_from(Input)) == before


@pytest.mark.parametrize("value", ["t\x00nul", "t\x01ctl"])
def test_a_multipart_form_field_is_checked_too(
    bare_client: TestClient, bare_session: Session, value: str
) -> None:
    signed_in(bare_client, account(bare_session, Role.DELEGATION_MEMBER, actor_code="MEX"))
    before = bare_session.scalar(select(func.count()).select_from(Input))
    response = bare_client.post(
        "/inputs/new",
        data={"csrf": csrf_of(bare_client, "/inputs/new"), "title": value, "text": "A card."},
        files={"attachment": ("", b"", "application/octet-stream")},  # sent as multipart
        follow_redirects=False,
    )
    assert response.status_code == 422
    assert "form.title" in response.text
    assert bare_session.scalar(select(func.count()).select_from(Input)) == before


def test_a_csv_or_json_import_with_a_control_character_names_its_place(
    bare_client: TestClient, bare_session: Session
) -> None:
    headers = _token(bare_session, Role.SECRETARIAT)
    csv_file = b"submitter,text\nKEN,fine\nKEN,bell\x07here\n"
    answer = bare_client.post(
        "/api/v1/inputs/import", files={"file": ("c.csv", csv_file, "text/csv")}, headers=headers
    )
    assert answer.status_code == 422
    assert "line 3" in answer.text
    assert "U+0007" in answer.text
    json_file = b'[{"submitter": "KEN", "text": "escape \\u001b here"}]'
    answer = bare_client.post(
        "/api/v1/inputs/import",
        files={"file": ("c.json", json_file, "application/json")},
        headers=headers,
    )
    assert answer.status_code == 422
    assert "U+001B" in answer.text


def test_text_stored_before_the_refusal_still_exports(
    bare_client: TestClient, bare_session: Session
) -> None:
    """An input that came in before control characters were refused: the public workbook leaves
    the character out instead of failing for everyone."""
    record = submitted(
        bare_session, get_process(bare_session), "A card about fees.", submitter="MEX"
    )
    record.title = "ctl\x01title"
    bare_session.flush()
    publish_input(bare_session, record, by=Principal.system())
    response = bare_client.get("/api/v1/inputs/export", params={"format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    titles = [
        row[list(next(sheet.iter_rows(max_row=1, values_only=True))).index("title")]
        for row in sheet.iter_rows(min_row=2, values_only=True)
    ]
    assert "ctltitle" in titles


def test_an_attachment_keeps_no_control_character() -> None:
    assert extract_text(b"page one\x0cpage two\x01", "notes.txt") == "page one\npage two"
    assert xml_safe("a\tb\nc\r\x02\ud800\uffff") == "a\tb\nc\r"


@pytest.mark.parametrize("encoding", ["UTF-16", "UTF-32", "idna", "hex", "base64", "zlib", "rot13"])
def test_a_draft_whose_declared_encoding_is_wrong_or_no_text_encoding_is_refused(
    bare_client: TestClient, bare_session: Session, encoding: str
) -> None:
    headers = _token(bare_session, Role.SECRETARIAT)
    document = f'<?xml version="1.0" encoding="{encoding}"?><akomaNtoso/>'.encode()
    before = bare_session.scalar(select(func.count()).select_from(Draft))
    answer = bare_client.post(
        "/api/v1/drafts",
        files={"file": ("min.xml", document, "application/xml")},
        headers=headers,
    )
    assert answer.status_code == 422, answer.text
    assert encoding in answer.text
    assert bare_session.scalar(select(func.count()).select_from(Draft)) == before


def test_the_refusal_names_the_character() -> None:
    from stocktake.core.untrusted import parse_json

    with pytest.raises(ValidationFailed, match=r"U\+0001"):
        parse_json(b'{"a": "x\\u0001"}', "f.json")


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_a_json_number_that_is_not_finite_is_refused(number: str) -> None:
    from stocktake.core.untrusted import parse_json

    with pytest.raises(ValidationFailed, match="not a finite number"):
        parse_json(f'[{{"external_id": {number}}}]'.encode(), "f.json")


def test_a_summary_or_draft_stored_with_a_control_character_still_exports() -> None:
    """Words saved before control characters were refused: the Word summary and the Akoma Ntoso
    text leave the character out instead of failing."""
    import datetime as dt

    from docx import Document
    from lxml import etree

    from stocktake.negotiation.formats.akn import to_akn
    from stocktake.negotiation.text import Node
    from stocktake.summary.render import to_docx

    document = Document(io.BytesIO(to_docx("# Summary\n\nA bell\x07 in the text.\n")))
    assert "A bell in the text." in [p.text for p in document.paragraphs]
    akn = to_akn(
        title="A draft\x01",
        nodes=[Node(eid="para_1", kind="paragraph", text="Words\x0b here.", number="1")],
        process="gcm",
        draft_id=1,
        revision="Rev.1",
        language="en",
        date=dt.date(2018, 3, 5),
    )
    assert b"Words here." in akn
    etree.fromstring(akn)

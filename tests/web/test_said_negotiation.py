"""What the negotiation says is wrong, in the reader's language: an amendment whose quoted words
are not in the paragraph, a decision the amendment's state forbids, a file that is no draft, a
language version that does not follow the text, on a page, in an API answer and on the command
line; in English as it always read."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from stocktake.accounts.services import get_user, issue_token, principal_for
from stocktake.cli import app
from stocktake.core.errors import ValidationFailed
from stocktake.core.translation import shown
from stocktake.demo.negotiation import DEMO_SOURCE
from stocktake.negotiation.formats.parsed import ParsedElement
from stocktake.negotiation.models import AmendmentStatus, Draft, ElementKind
from stocktake.negotiation.services import (
    decide_amendment,
    edit_element,
    list_amendments,
    propose_amendment,
    working_nodes,
)
from stocktake.negotiation.services.amendments import AmendmentData, check_anchor
from stocktake.negotiation.services.languages import misalignment
from stocktake.negotiation.text import Node
from stocktake.web.languages import LANGUAGE_COOKIE
from tests.conftest import csrf_of
from tests.negotiation.conftest import SYSTEM


def _demo(session: Session) -> Draft:
    draft = session.scalar(select(Draft).where(Draft.source == DEMO_SOURCE))
    assert draft is not None
    return draft


def _bearer(session: Session, email: str) -> dict[str, str]:
    user = get_user(session, email)
    return {"Authorization": f"Bearer {issue_token(session, user, by=principal_for(user))}"}


def _paragraph(draft: Draft) -> Node:
    return next(n for n in working_nodes(draft) if n.kind == "paragraph")


def test_a_delegation_is_told_in_french_that_the_words_are_not_in_the_paragraph(
    session: Session, signed_in: Callable[[str], TestClient]
) -> None:
    draft = _demo(session)
    target = _paragraph(draft)
    client = signed_in("mexico@gcm.example")
    client.cookies.set(LANGUAGE_COOKIE, "fr")
    refused = client.post(
        f"/drafts/{draft.id}/amendments",
        data={
            "csrf": csrf_of(client, f"/drafts/{draft.id}/amendments/new"),
            "kind": "replace",
            "target": target.eid,
            "quoted": "mots introuvables",
            "new_text": "x",
            "sponsor": "MEX",
        },
    )
    assert refused.status_code == 422
    page = html.unescape(refused.text)
    assert (
        f"Mots exacts modifiés : les mots 'mots introuvables' ne figurent pas dans le paragraphe "
        f"(paragraphe {target.number})" in page
    )
    assert "quoted :" not in page  # the field by its label, not its key
    assert "are not in the paragraph" not in page


def test_a_file_that_is_no_draft_is_refused_in_the_secretariats_language(
    session: Session, signed_in: Callable[[str], TestClient]
) -> None:
    client = signed_in("secretariat@gcm.example")
    client.cookies.set(LANGUAGE_COOKIE, "ru")
    csrf = csrf_of(client, "/drafts")
    sent = client.post(
        "/drafts", data={"csrf": csrf}, files={"file": ("compact.docx", b"plain words")}
    )
    assert sent.status_code == 422
    assert "не файл DOCX (не zip-архив)" in sent.text
    client.cookies.set(LANGUAGE_COOKIE, "zh")
    sent = client.post(
        "/drafts", data={"csrf": csrf}, files={"file": ("compact.xml", b"<html><p>x</p></html>")}
    )
    assert sent.status_code == 422
    assert "不是 Akoma Ntoso 文档" in sent.text
    client.cookies.set(LANGUAGE_COOKIE, "en")
    sent = client.post("/drafts", data={"csrf": csrf}, files={"file": ("compact.xml", b"<a/>")})
    assert "not an Akoma Ntoso document" in sent.text


def test_a_decision_the_state_forbids_comes_back_in_french(
    session: Session, signed_in: Callable[[str], TestClient]
) -> None:
    draft = _demo(session)
    amendment = next(a for a in list_amendments(session, draft) if a.pending)
    decide_amendment(session, draft, amendment, AmendmentStatus.REJECTED, by=SYSTEM)
    client = signed_in("secretariat@gcm.example")
    client.cookies.set(LANGUAGE_COOKIE, "fr")
    page = f"/drafts/{draft.id}/amendments/{amendment.number}"
    back = client.post(
        f"{page}/status",
        data={"csrf": csrf_of(client, page), "status": "accepted"},
        headers={"referer": f"http://testserver{page}"},
    )
    assert back.status_code == 200
    assert (
        f"Non effectué : statut de l'amendement {amendment.label} : rejeté ; "
        "il ne peut pas passer à accepté" in html.unescape(back.text)
    )


def test_an_amendment_in_conflict_says_why_in_the_readers_language(
    session: Session, signed_in: Callable[[str], TestClient]
) -> None:
    draft = _demo(session)
    target = _paragraph(draft)
    data = AmendmentData(
        kind="delete", target=target.eid, sponsor="MEX", quoted=target.text.split()[0]
    )
    amendment = propose_amendment(session, draft, data, by=SYSTEM)
    edit_element(session, draft, target.eid, "Other words altogether.", by=SYSTEM)
    assert amendment.in_conflict
    quoted = target.text.split()[0]
    assert amendment.conflict_reason == (
        f"the words {quoted!r} are no longer in {target.number}"
    )  # kept in English, as recorded
    client = signed_in("secretariat@gcm.example")
    client.cookies.set(LANGUAGE_COOKIE, "es")
    page = client.get(f"/drafts/{draft.id}/amendments/{amendment.number}")
    assert (
        f"En conflicto con el texto:</strong> las palabras {quoted!r} ya no figuran en "
        f"{target.number}" in html.unescape(page.text)
    )
    decided = client.post(
        f"/drafts/{draft.id}/amendments/{amendment.number}/status",
        data={"csrf": csrf_of(client, page.url.path), "status": "accepted"},
        headers={"referer": str(page.url)},
    )
    assert (
        f"la enmienda {amendment.label} está en conflicto con el texto (las palabras {quoted!r} "
        f"ya no figuran en {target.number}); su patrocinador debe primero volver a anclarla"
        in html.unescape(decided.text)
    )


def test_the_api_answers_in_the_language_asked(session: Session, client: TestClient) -> None:
    draft = _demo(session)
    amendment = next(a for a in list_amendments(session, draft) if a.pending)
    decide_amendment(session, draft, amendment, AmendmentStatus.REJECTED, by=SYSTEM)
    secretariat = _bearer(session, "secretariat@gcm.example")
    status = f"/api/v1/drafts/{draft.id}/amendments/{amendment.number}/status"
    answer = client.put(
        status, json={"status": "accepted"}, headers={**secretariat, "Accept-Language": "es"}
    )
    assert answer.status_code == 409
    assert answer.json()["detail"] == (
        f"la enmienda {amendment.label} está rechazada; no puede pasar a aceptada"
    )
    answer = client.put(status, json={"status": "accepted"}, headers=secretariat)
    assert answer.json()["detail"] == f"{amendment.label} is rejected; it cannot become accepted"
    proposed = client.post(
        f"/api/v1/drafts/{draft.id}/amendments",
        json={"kind": "replace", "target": "para_999", "quoted": "x", "new_text": "y"},
        headers={**_bearer(session, "philippines@gcm.example"), "Accept-Language": "zh"},
    )
    assert proposed.status_code == 422
    assert proposed.json()["problems"] == [
        {"where": "target", "message": "当前案文中没有要素 'para_999'"}
    ]
    missing = client.get(
        f"/api/v1/drafts/{draft.id}/amendments/999",
        headers={**secretariat, "Accept-Language": "fr"},
    )
    assert missing.json()["detail"] == "amendement 'A999' : introuvable"


def _run(url: str, language: str, *args: str) -> str:
    result = CliRunner().invoke(
        app, list(args), env={"STOCKTAKE_DATABASE_URL": url, "STOCKTAKE_LANGUAGE": language}
    )
    assert result.exit_code == 1, result.output
    return result.output


def test_a_command_says_what_is_wrong_in_its_language(cli_db: str, tmp_path: Path) -> None:
    amend = ("drafts", "amend", "1", "--sponsor", "MEX", "--kind", "replace", "--target")
    words = ("--quoted", "words nowhere", "--new-text", "x")
    said = _run(cli_db, "fr", *amend, "para_6", *words)
    assert "les mots 'words nowhere' ne figurent pas dans le paragraphe" in said
    said = _run(cli_db, "en", *amend, "para_6", *words)
    assert "the words 'words nowhere' are not in the paragraph" in said
    page = tmp_path / "page.xml"
    page.write_text("<html><p>Words</p></html>")
    said = _run(cli_db, "ru", "drafts", "import", str(page))
    assert "page.xml: отклонено" in said
    assert "не документ Akoma Ntoso" in said


def test_words_run_together_name_the_element_in_the_readers_language() -> None:
    target = Node("pp_2", ElementKind.PREAMBLE, "Recalling the Charter", number="PP2")
    # "he" is part of "the": "our" in its place would make "tour"
    data = AmendmentData(kind="replace", target="pp_2", quoted="he", new_text="our")
    problems = check_anchor({"pp_2": target}, data, ["pp_2"])
    assert [p.where for p in problems] == ["new_text"]
    message = problems[0].message
    english = "preambular paragraph PP2: 't' and 'our' would run together as 'tour'"
    assert message == f"{english}; quote whole words"
    assert shown(message, "fr") == (
        "alinéa du préambule PP2 : 't' et 'our' seraient soudés en 'tour' ; citez des mots entiers"
    )
    assert shown(message, "zh") == "序言段落 PP2：'t' 与 'our' 会连成 'tour'；请引用完整的词"


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "Rev.1 has paragraph 1 (para_1) here, the version a point: “(a) Ensure”"),
        ("es", "Rev.1 tiene aquí párrafo 1 (para_1); la versión, un elemento de tipo apartado"),
        ("ar", "في Rev.1 يرد هنا الفقرة 1 (para_1)، وفي النسخة فقرة فرعية"),
    ],
)
def test_a_language_version_out_of_line_names_the_paragraph(language: str, said: str) -> None:
    nodes = [Node("para_1", ElementKind.PARAGRAPH, "Ensure the rights", number="1")]
    problem = misalignment(nodes, [ParsedElement(ElementKind.POINT, "(a) Ensure")], "Rev.1")
    assert problem is not None
    assert problem.where == "element 1"
    assert said in shown(problem.message, language)
    refused = ValidationFailed("French version of Rev.1", [problem])
    assert "element 1: Rev.1 has paragraph 1 (para_1) here" in str(refused)

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from stocktake.accounts.models import User
from stocktake.accounts.services import get_user, issue_token, principal_for
from stocktake.core.permissions import Role
from stocktake.demo.negotiation import DEMO_SOURCE
from stocktake.negotiation.models import CompilationReaders, Draft
from stocktake.negotiation.services import (
    issue_revision,
    publish_revision,
    set_compilation_readers,
    working_nodes,
)
from stocktake.process.services import get_process
from stocktake.summary.models import Summary
from tests.conftest import csrf_of
from tests.factories.accounts import account, signed_in
from tests.factories.registry import organisation
from tests.negotiation.conftest import SYSTEM


def demo(session: Session) -> Draft:
    draft = session.scalar(select(Draft).where(Draft.source == DEMO_SOURCE))
    assert draft is not None
    return draft


def token(session: Session, email: str) -> dict[str, str]:
    return bearer(session, get_user(session, email))


def bearer(session: Session, user: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(session, user, by=principal_for(user))}"}


def test_a_delegation_reads_the_compilation_text_and_proposes_from_the_form(
    session: Session, signed_in: Callable[[str], TestClient]
) -> None:
    draft = demo(session)
    client = signed_in("mexico@gcm.example")
    page = client.get(f"/drafts/{draft.id}/compilation")
    assert page.status_code == 200
    assert "open brackets" in page.text
    assert "GRULAC A3" in page.text
    assert "Alt 1" in page.text
    target = next(n for n in working_nodes(draft) if n.kind == "paragraph")
    form = {
        "csrf": csrf_of(client, f"/drafts/{draft.id}/amendments/new"),
        "kind": "replace",
        "target": target.eid,
        "quoted": "words that are not there",
        "new_text": "x",
        "sponsor": "MEX",
    }
    refused = client.post(f"/drafts/{draft.id}/amendments", data=form)
    assert refused.status_code == 422
    assert "are not in the paragraph" in refused.text
    form["quoted"] = target.text.split()[0]
    made = client.post(f"/drafts/{draft.id}/amendments", data=form, follow_redirects=False)
    assert made.status_code == 303
    detail = client.get(made.headers["location"])
    assert "Amendment A8" in detail.text
    assert "MEX" in detail.text


def test_the_public_reads_the_published_revision_only(client: TestClient, session: Session) -> None:
    draft = demo(session)
    page = client.get(f"/drafts/{draft.id}")
    assert page.status_code == 200
    assert "Zero draft" in page.text
    assert client.get(f"/drafts/{draft.id}/export?format=md&revision=1").status_code == 404
    assert client.get(f"/api/v1/drafts/{draft.id}/revisions/1").status_code == 404
    listed = client.get("/api/v1/drafts").json()
    assert [r["label"] for r in listed[0]["revisions"]] == ["Zero draft"]


def test_the_public_never_sees_the_name_of_an_unpublished_revision(
    client: TestClient, session: Session
) -> None:
    draft = demo(session)
    issued = issue_revision(session, draft, by=SYSTEM)
    published = next(r.label for r in draft.revisions if r.number == draft.published_revision)
    assert issued.number != draft.published_revision
    for path in (
        "/drafts",
        f"/drafts/{draft.id}",
        f"/drafts/{draft.id}/revisions",
        "/news",
        "/news.atom",
        "/api/v1/drafts",
        f"/api/v1/drafts/{draft.id}",
        "/api/v1/news",
    ):
        page = client.get(path)
        assert page.status_code == 200, path
        assert issued.label not in page.text, path
    listing = client.get("/drafts").text
    row = listing.split(f'href="/drafts/{draft.id}"', 1)[1].split("</tr>", 1)[0]
    assert "Zero draft" in row or published in row
    assert client.get(f"/drafts/{draft.id}?revision={issued.number}").status_code == 404


def test_who_reads_compilation_texts_is_a_setting_of_the_process(
    bare_client: TestClient, bare_session: Session, bare_draft: Draft
) -> None:
    zero = issue_revision(bare_session, bare_draft, by=SYSTEM)
    publish_revision(bare_session, bare_draft, zero.number, by=SYSTEM)  # which all may read
    stakeholder = account(
        bare_session, Role.STAKEHOLDER, actor_code=organisation(bare_session).code
    )
    signed_in(bare_client, stakeholder)
    assert bare_client.get(f"/drafts/{bare_draft.id}/compilation").status_code == 403
    set_compilation_readers(
        bare_session, get_process(bare_session), CompilationReaders.SIGNED_IN, by=SYSTEM
    )
    assert bare_client.get(f"/drafts/{bare_draft.id}/compilation").status_code == 200
    assert (
        bare_client.get(f"/drafts/{bare_draft.id}/amendments/new").status_code == 403
    )  # never amends
    set_compilation_readers(
        bare_session, get_process(bare_session), CompilationReaders.SECRETARIAT, by=SYSTEM
    )
    mexico = signed_in(bare_client, account(bare_session, Role.DELEGATION_MEMBER, actor_code="MEX"))
    assert mexico.get(f"/drafts/{bare_draft.id}/compilation").status_code == 403


def test_the_second_of_two_editors_gets_409_and_nothing_is_lost(
    bare_client: TestClient, bare_session: Session, bare_draft: Draft
) -> None:
    headers = bearer(bare_session, account(bare_session, Role.SECRETARIAT))
    text = bare_client.get(f"/api/v1/drafts/{bare_draft.id}", headers=headers).json()
    element = next(e for e in text["elements"] if e["kind"] == "paragraph")
    url = f"/api/v1/drafts/{bare_draft.id}/elements/{element['eid']}"
    first = bare_client.patch(
        url, json={"text": "First.", "version": element["version"]}, headers=headers
    )
    assert first.status_code == 200
    second = bare_client.patch(
        url, json={"text": "Second.", "version": element["version"]}, headers=headers
    )
    assert second.status_code == 409
    assert "changed by someone else" in second.json()["detail"]
    after = bare_client.get(f"/api/v1/drafts/{bare_draft.id}", headers=headers).json()
    assert next(e for e in after["elements"] if e["eid"] == element["eid"])["text"] == "First."


def test_amend_decide_issue_and_compare_through_the_api(
    client: TestClient, session: Session
) -> None:
    draft = demo(session)
    secretariat = token(session, "secretariat@gcm.example")
    philippines = token(session, "philippines@gcm.example")
    target = next(n for n in working_nodes(draft) if n.kind == "paragraph")
    made = client.post(
        f"/api/v1/drafts/{draft.id}/amendments",
        json={
            "kind": "insert",
            "target": target.eid,
            "quoted": target.text.split()[0],
            "placement": "before",
            "new_text": "Indeed,",
        },
        headers=philippines,
    )
    assert made.status_code == 201, made.text
    amendment = made.json()
    assert amendment["sponsor"] == "PHL"
    denied = client.put(
        f"/api/v1/drafts/{draft.id}/amendments/{amendment['number']}/status",
        json={"status": "accepted"},
        headers=philippines,
    )
    assert denied.status_code == 403
    accepted = client.put(
        f"/api/v1/drafts/{draft.id}/amendments/{amendment['number']}/status",
        json={"status": "accepted", "version": amendment["version"]},
        headers=secretariat,
    )
    assert accepted.status_code == 200
    issued = client.post(f"/api/v1/drafts/{draft.id}/revisions", json={}, headers=secretariat)
    assert issued.status_code == 201
    assert issued.json()["label"] == "Rev.2"
    compared = client.get(f"/api/v1/drafts/{draft.id}/compare?a=1&b=2", headers=secretariat)
    assert compared.json()["counts"]["changed"] == 1
    changed = next(e for e in compared.json()["elements"] if e["change"] == "changed")
    assert ["insert", "Indeed,"] in changed["words"]
    compilation = client.get(f"/api/v1/drafts/{draft.id}/compilation", headers=secretariat).json()
    assert compilation["open_brackets"] >= 2


def test_the_secretariats_pages(session: Session, signed_in: Callable[[str], TestClient]) -> None:
    draft = demo(session)
    client = signed_in("secretariat@gcm.example")
    revisions = client.get(f"/drafts/{draft.id}/revisions")
    assert revisions.status_code == 200
    assert "<svg" in revisions.text
    assert "Third round of intergovernmental negotiations" in revisions.text
    compare = client.get(f"/drafts/{draft.id}/compare?view=side")
    assert '<table class="side" tabindex="0">' in compare.text
    eid = next(n.eid for n in working_nodes(draft) if n.kind == "paragraph")
    element = client.get(f"/drafts/{draft.id}/elements/{eid}")
    assert "Lineage" in element.text
    assert "Zero draft" in element.text
    for fmt in ("docx", "html", "md"):
        assert client.get(f"/drafts/{draft.id}/compilation?format={fmt}").status_code == 200
        assert client.get(f"/drafts/{draft.id}/compare?format={fmt}").status_code == 200
    assert client.get(f"/drafts/{draft.id}/compilation?format=pdf").status_code == 422
    assert client.get(f"/drafts/{draft.id}/amendments/999").status_code == 404


def test_the_secretariat_starts_a_zero_draft_from_the_summary(
    session: Session, signed_in: Callable[[str], TestClient]
) -> None:
    client = signed_in("secretariat@gcm.example")
    page = client.get("/drafts")
    assert "Start a zero draft from a Chair" in page.text
    summary = session.scalar(select(Summary.id).order_by(Summary.id))
    made = client.post(
        "/drafts/from-summary",
        data={"csrf": csrf_of(client, "/drafts"), "summary": str(summary)},
        follow_redirects=False,
    )
    assert made.status_code == 303
    text = client.get(made.headers["location"]).text
    assert "Objective 1:</span> " in text
    assert "We commit to " in text
    # the summary's statements start with a verb in capitals; in the commitment it reads on
    assert not re.search(r"We commit to [A-Z][a-z]", text)

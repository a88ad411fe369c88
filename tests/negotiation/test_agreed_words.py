"""An amendment accepted as modified: the agreed words take the place of the proposed words,
never of the quoted words that anchor them, for every kind, in the next revision; the decision's
form says where they go and shows the paragraph as it will read."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from stocktake.negotiation.models import Amendment, AmendmentStatus, Draft
from stocktake.negotiation.services import (
    AmendmentData,
    decide_amendment,
    issue_revision,
    propose_amendment,
    working_nodes,
)
from tests.conftest import csrf_of
from tests.negotiation.conftest import SYSTEM, eid_of
from tests.negotiation.test_web import demo

ONE = "This compact sets out a common understanding of safe and orderly migration."


def _agreed(session: Session, draft: Draft, data: AmendmentData, words: str) -> list[str]:
    """The texts of the next revision after the amendment is accepted with the agreed words, in
    their order, each after its number."""
    amendment = propose_amendment(session, draft, data, by=SYSTEM)
    decide_amendment(
        session,
        draft,
        amendment,
        AmendmentStatus.ACCEPTED_AS_MODIFIED,
        modified_text=words,
        by=SYSTEM,
    )
    revision = issue_revision(session, draft, by=SYSTEM)
    return [f"{e['number']} {e['text']}" for e in revision.elements if e["kind"] == "paragraph"]


@pytest.mark.parametrize(
    ("placement", "expected"),
    [
        ("after", ONE[:-1] + " in accordance with national laws and priorities."),
        ("before", ONE.replace("safe", "in accordance with national laws and priorities safe")),
    ],
)
def test_inserted_words_as_agreed_go_beside_the_quoted_words_which_stay(
    bare_session: Session, bare_draft: Draft, placement: str, expected: str
) -> None:
    data = AmendmentData(
        kind="insert",
        target=eid_of(bare_draft, "1"),
        sponsor="EU",
        quoted="safe and orderly migration",
        placement=placement,
        new_text="in accordance with national priorities",
    )
    texts = _agreed(
        bare_session, bare_draft, data, "in accordance with national laws and priorities"
    )
    assert texts[0] == f"1 {expected}"


def test_words_to_delete_give_way_to_the_agreed_words(
    bare_session: Session, bare_draft: Draft
) -> None:
    data = AmendmentData(
        kind="delete", target=eid_of(bare_draft, "1"), sponsor="EU", quoted="common"
    )
    texts = _agreed(bare_session, bare_draft, data, "shared")
    assert texts[0] == "1 " + ONE.replace("common", "shared")


def test_replaced_words_give_way_to_the_agreed_words_not_the_proposed(
    bare_session: Session, bare_draft: Draft
) -> None:
    data = AmendmentData(
        kind="replace",
        target=eid_of(bare_draft, "1"),
        sponsor="EU",
        quoted="common",
        new_text="joint",
    )
    texts = _agreed(bare_session, bare_draft, data, "mutual")
    assert texts[0] == "1 " + ONE.replace("common", "mutual")


def test_an_alternative_as_agreed_is_the_whole_text(
    bare_session: Session, bare_draft: Draft
) -> None:
    data = AmendmentData(
        kind="alternative", target=eid_of(bare_draft, "1"), sponsor="EU", new_text="Proposed."
    )
    texts = _agreed(bare_session, bare_draft, data, "This compact is agreed.")
    assert texts[0] == "1 This compact is agreed."


def test_a_new_paragraph_as_agreed_reads_the_agreed_words(
    bare_session: Session, bare_draft: Draft
) -> None:
    data = AmendmentData(
        kind="add_paragraph",
        target=eid_of(bare_draft, "3"),
        sponsor="EU",
        new_text="We commit to what was proposed.",
    )
    texts = _agreed(bare_session, bare_draft, data, "We commit to what was agreed.")
    assert texts[2:4] == [
        "3 We commit to collect data and to share data with partners.",
        "4 We commit to what was agreed.",
    ]


def test_a_paragraph_to_delete_is_kept_with_the_agreed_words(
    bare_session: Session, bare_draft: Draft
) -> None:
    data = AmendmentData(kind="delete_paragraph", target=eid_of(bare_draft, "4"), sponsor="EU")
    texts = _agreed(bare_session, bare_draft, data, "We commit to accurate information.")
    assert texts[-1] == "4 We commit to accurate information."


def test_a_paragraph_to_move_moves_with_the_agreed_words(
    bare_session: Session, bare_draft: Draft
) -> None:
    data = AmendmentData(
        kind="move_paragraph",
        target=eid_of(bare_draft, "3"),
        sponsor="EU",
        destination=eid_of(bare_draft, "4"),
    )
    texts = _agreed(bare_session, bare_draft, data, "We commit to share data.")
    assert texts[2:] == [
        "3 We commit to provide accurate information at all stages of migration.",
        "4 We commit to share data.",
    ]


def _insert(session: Session) -> tuple[Draft, Amendment]:
    draft = demo(session)
    amendment = session.scalar(
        select(Amendment).where(
            Amendment.draft_id == draft.id,
            Amendment.kind == "insert",
            Amendment.quoted == "regular migration",
        )
    )
    assert amendment is not None
    return draft, amendment


def test_the_decision_form_says_where_the_agreed_words_go_and_shows_the_paragraph(
    session: Session, signed_in: Callable[[str], TestClient]
) -> None:
    draft, amendment = _insert(session)
    client = signed_in("secretariat@gcm.example")
    path = f"/drafts/{draft.id}/amendments/{amendment.number}"
    page = client.get(path)
    words = re.sub(r"<bdi[^>]*>|</bdi>", "", page.text)
    assert "The agreed words are inserted after “regular migration”." in words
    assert "as it will read if accepted" in page.text
    assert "regular migration in accordance with national priorities in a manner" in page.text
    form = {
        "csrf": csrf_of(client, path),
        "status": "accepted_as_modified",
        "modified_text": "in accordance with national laws and priorities",
        "version": str(amendment.version),
        "preview": "1",
    }
    shown = client.post(f"{path}/status", data=form)
    assert shown.status_code == 200
    assert "as it will read with the agreed words" in shown.text
    assert "regular migration in accordance with national laws and priorities in a" in shown.text
    session.refresh(amendment)
    assert amendment.status == AmendmentStatus.PROPOSED  # a preview decides nothing
    del form["preview"]
    decided = client.post(f"{path}/status", data=form, follow_redirects=False)
    assert decided.status_code == 303
    session.expire_all()
    revision = issue_revision(session, draft, by=SYSTEM)
    text = next(e["text"] for e in revision.elements if e["eid"] == amendment.target_eid)
    assert "for regular migration in accordance with national laws and priorities in a" in text


def test_agreed_words_missing_are_asked_for_by_the_label_of_their_field(
    session: Session, signed_in: Callable[[str], TestClient]
) -> None:
    draft, amendment = _insert(session)
    client = signed_in("secretariat@gcm.example")
    path = f"/drafts/{draft.id}/amendments/{amendment.number}"
    form = {"csrf": csrf_of(client, path), "status": "accepted_as_modified", "modified_text": ""}
    refused = client.post(f"{path}/status", data=form)
    assert refused.status_code == 422
    assert "Agreed words: give the agreed words" in refused.text
    assert "modified_text" not in re.sub(r'(id|name|for)="modified_text"', "", refused.text)


def test_the_amendment_form_names_its_fields_by_their_labels(
    session: Session, signed_in: Callable[[str], TestClient]
) -> None:
    draft = demo(session)
    client = signed_in("mexico@gcm.example")
    target = next(n for n in working_nodes(draft) if n.kind == "paragraph")
    form = {
        "csrf": csrf_of(client, f"/drafts/{draft.id}/amendments/new"),
        "kind": "replace",
        "target": target.eid,
        "quoted": "",
        "new_text": "x",
        "sponsor": "MEX",
    }
    refused = client.post(f"/drafts/{draft.id}/amendments", data=form)
    assert refused.status_code == 422
    assert "Exact words amended: quote the words to amend" in refused.text
    assert "quoted:" not in refused.text


def test_saving_a_heading_says_the_heading_is_saved(
    session: Session, signed_in: Callable[[str], TestClient]
) -> None:
    draft = demo(session)
    client = signed_in("secretariat@gcm.example")
    heading = next(n for n in working_nodes(draft) if n.kind == "heading")
    path = f"/drafts/{draft.id}/elements/{heading.eid}"
    form = {"csrf": csrf_of(client, path), "text": heading.text + " and partnerships"}
    saved = client.post(path, data=form)
    assert saved.status_code == 200
    assert "The heading is saved in the working text." in saved.text
    assert "The paragraph is saved" not in saved.text

"""The room's tools: a deadline for tabling per round, merged amendments, supporters and objectors
in the compilation, the amendment list in two columns and the list of decisions per round."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from docx import Document
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stocktake.accounts.services import issue_token, principal_for
from stocktake.audit.events import AuditAction
from stocktake.audit.models import AuditEvent
from stocktake.core.errors import Conflict, PermissionDenied, ValidationFailed
from stocktake.core.permissions import Principal, Role
from stocktake.negotiation.exports import compilation_of, export_compilation
from stocktake.negotiation.models import (
    Amendment,
    AmendmentStatus,
    Draft,
    NegotiationRound,
    PositionRole,
)
from stocktake.negotiation.services import (
    AmendmentData,
    PaperDetails,
    confirm_co_sponsorship,
    decide_amendment,
    issue_revision,
    propose_amendment,
    record_round,
    set_paper_details,
    take_position,
    withdraw_amendment,
)
from stocktake.negotiation.services.merging import identical_groups, merge_amendments
from stocktake.negotiation.services.room import decisions_of, set_tabling_deadline
from stocktake.negotiation.views.room import amendment_numbers
from stocktake.process.services import get_process
from tests.conftest import csrf_of
from tests.factories.accounts import account, signed_in
from tests.negotiation.conftest import SYSTEM, eid_of

NOW = dt.datetime.now(dt.UTC)


def _delegate(session: Session, code: str) -> Principal:
    return principal_for(account(session, Role.DELEGATION_MEMBER, actor_code=code))


def _headers(session: Session, role: Role, code: str | None) -> dict[str, str]:
    user = account(session, role, actor_code=code)
    return {"Authorization": f"Bearer {issue_token(session, user, by=SYSTEM)}"}


def _round(
    session: Session, draft: Draft, *, deadline: dt.datetime | None = None, refuse: bool = False
) -> NegotiationRound:
    """The zero draft issued and a round on it, this week, with a deadline for tabling."""
    issue_revision(session, draft, by=SYSTEM)
    today = NOW.date()
    item = record_round(
        session,
        draft,
        name="First round",
        start=today,
        end=today + dt.timedelta(days=3),
        revision=0,
        by=SYSTEM,
    )
    if deadline is not None:
        set_tabling_deadline(session, draft, item, deadline, refuse_late=refuse, by=SYSTEM)
    return item


def _replace(draft: Draft, words: str = "joint", sponsor: str = "") -> AmendmentData:
    return AmendmentData(
        kind="replace", target=eid_of(draft, "1"), quoted="common", new_text=words, sponsor=sponsor
    )


def _count(session: Session, model: type, *where: object) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


# --- the deadline for tabling -----------------------------------------------------------------


def test_an_amendment_after_the_deadline_is_marked_late_everywhere(
    bare_client: TestClient, bare_session: Session, bare_draft: Draft
) -> None:
    item = _round(bare_session, bare_draft, deadline=NOW - dt.timedelta(hours=1))
    on_time = propose_amendment(
        bare_session, bare_draft, _replace(bare_draft), by=_delegate(bare_session, "PHL")
    )
    assert on_time.late
    assert on_time.round_id == item.id
    set_tabling_deadline(bare_session, bare_draft, item, NOW + dt.timedelta(days=1), by=SYSTEM)
    data = AmendmentData(kind="delete", target=eid_of(bare_draft, "2"), quoted="purposes and ")
    early = propose_amendment(bare_session, bare_draft, data, by=_delegate(bare_session, "MEX"))
    assert not early.late
    mexico = signed_in(bare_client, account(bare_session, Role.DELEGATION_MEMBER, actor_code="MEX"))
    compilation = mexico.get(f"/drafts/{bare_draft.id}/compilation").text
    assert "Philippines; late A1" in compilation
    assert "Mexico A2" in compilation
    listed = mexico.get(f"/drafts/{bare_draft.id}/amendments").text
    assert listed.count('class="badge late"') == 1
    page = mexico.get(f"/drafts/{bare_draft.id}/amendments/1").text
    assert "First round, after its deadline" in page
    element = mexico.get(f"/drafts/{bare_draft.id}/elements/{eid_of(bare_draft, '1')}").text
    assert '<span class="badge late">late</span>' in element
    api = bare_client.get(
        f"/api/v1/drafts/{bare_draft.id}/amendments",
        headers=_headers(bare_session, Role.DELEGATION_MEMBER, "MEX"),
    ).json()
    assert [a["late"] for a in api] == [True, False]


def test_a_round_that_refuses_late_amendments_names_its_deadline(
    bare_client: TestClient, bare_session: Session, bare_draft: Draft
) -> None:
    deadline = dt.datetime(2018, 3, 1, 18, 0, tzinfo=dt.UTC)
    _round(bare_session, bare_draft, deadline=deadline, refuse=True)
    with pytest.raises(ValidationFailed) as refused:
        propose_amendment(
            bare_session, bare_draft, _replace(bare_draft), by=_delegate(bare_session, "MEX")
        )
    assert "First round was 1 March 2018, 18:00 UTC" in str(refused.value.problems[0])
    mexico = signed_in(bare_client, account(bare_session, Role.DELEGATION_MEMBER, actor_code="MEX"))
    form_page = f"/drafts/{bare_draft.id}/amendments/new"
    form = {
        "csrf": csrf_of(mexico, form_page),
        "kind": "replace",
        "target": eid_of(bare_draft, "1"),
        "quoted": "common",
        "new_text": "joint",
    }
    page = mexico.post(f"/drafts/{bare_draft.id}/amendments", data=form)
    assert page.status_code == 422
    assert "1 March 2018, 18:00 UTC" in page.text
    api = bare_client.post(
        f"/api/v1/drafts/{bare_draft.id}/amendments",
        json={
            "kind": "replace",
            "target": eid_of(bare_draft, "1"),
            "quoted": "common",
            "new_text": "joint",
        },
        headers=_headers(bare_session, Role.DELEGATION_MEMBER, "MEX"),
    )
    assert api.status_code == 422
    assert "1 March 2018, 18:00 UTC" in api.text
    assert _count(bare_session, Amendment, Amendment.draft_id == bare_draft.id) == 0
    # the secretariat may still read one into the record: it is marked late
    recorded = propose_amendment(
        bare_session, bare_draft, _replace(bare_draft, sponsor="MEX"), by=SYSTEM
    )
    assert recorded.late


def test_the_secretariat_sets_a_deadline_on_the_page_and_the_api(
    bare_client: TestClient, bare_session: Session, bare_draft: Draft
) -> None:
    item = _round(bare_session, bare_draft)
    secretariat = signed_in(bare_client, account(bare_session, Role.SECRETARIAT))
    page = f"/drafts/{bare_draft.id}/revisions"
    assert "Deadlines for tabling amendments" in secretariat.get(page).text
    form = {
        "csrf": csrf_of(secretariat, page),
        "deadline": "2018-03-01T18:00",
        "refuse_late": "true",
    }
    done = secretariat.post(
        f"/drafts/{bare_draft.id}/rounds/{item.id}/deadline", data=form, follow_redirects=False
    )
    assert done.status_code == 303
    shown = secretariat.get(done.headers["location"]).text
    assert "tabled by 1 March 2018, 18:00 UTC; later ones are refused" in shown
    bad = secretariat.post(
        f"/drafts/{bare_draft.id}/rounds/{item.id}/deadline", data={**form, "deadline": "next week"}
    )
    assert bad.status_code == 422
    assert "2018-03-01T18:00" in bad.text
    api = f"/api/v1/drafts/{bare_draft.id}/rounds/{item.id}/deadline"
    mexico = _headers(bare_session, Role.DELEGATION_MEMBER, "MEX")
    assert bare_client.put(api, json={"deadline": None}, headers=mexico).status_code == 403
    cleared = bare_client.put(
        api, json={"deadline": None}, headers=_headers(bare_session, Role.SECRETARIAT, None)
    )
    assert cleared.status_code == 200, cleared.text
    assert cleared.json()["tabling_deadline"] is None
    assert (
        _count(bare_session, AuditEvent, AuditEvent.action == AuditAction.ROUND_DEADLINE_SET.value)
        == 2
    )
    with pytest.raises(ValidationFailed, match="refuse_late"):
        set_tabling_deadline(bare_session, bare_draft, item, None, refuse_late=True, by=SYSTEM)
    with pytest.raises(PermissionDenied):
        set_tabling_deadline(bare_session, bare_draft, item, NOW, by=_delegate(bare_session, "MEX"))


def test_a_round_recorded_later_takes_the_amendments_tabled_on_its_revision(
    bare_session: Session, bare_draft: Draft
) -> None:
    issue_revision(bare_session, bare_draft, by=SYSTEM)
    amendment = propose_amendment(
        bare_session, bare_draft, _replace(bare_draft), by=_delegate(bare_session, "MEX")
    )
    assert amendment.round_id is None
    item = record_round(
        bare_session, bare_draft, name="Informals", start=NOW.date(), revision=0, by=SYSTEM
    )
    bare_session.refresh(amendment)
    assert amendment.round_id == item.id


# --- merging ----------------------------------------------------------------------------------


def test_identical_amendments_are_suggested_and_merged_with_all_sponsors(
    bare_client: TestClient, bare_session: Session, bare_draft: Draft
) -> None:
    first = propose_amendment(
        bare_session, bare_draft, _replace(bare_draft), by=_delegate(bare_session, "MEX")
    )
    second = propose_amendment(
        bare_session, bare_draft, _replace(bare_draft, " Joint "), by=_delegate(bare_session, "PHL")
    )
    take_position(
        bare_session, bare_draft, second, PositionRole.SUPPORTER, by=_delegate(bare_session, "CAN")
    )
    assert [[a.label for a in g] for g in identical_groups(bare_session, bare_draft)] == [
        ["A1", "A2"]
    ]
    secretariat = signed_in(bare_client, account(bare_session, Role.SECRETARIAT))
    page = f"/drafts/{bare_draft.id}/amendments"
    assert "Merge A1, A2" in secretariat.get(page).text
    form = {"csrf": csrf_of(secretariat, page), "amendments": "A1, A2"}
    done = secretariat.post(
        f"/drafts/{bare_draft.id}/amendments/merge", data=form, follow_redirects=False
    )
    assert done.status_code == 303
    assert done.headers["location"].endswith("/amendments/1")
    shown = secretariat.get(done.headers["location"]).text
    assert "Merged into A1, now sponsored by MEX, PHL." in shown
    assert f'href="/drafts/{bare_draft.id}/amendments/2">A2</a>' in shown
    bare_session.refresh(first)
    bare_session.refresh(second)
    assert first.sponsors == ["MEX", "PHL"]
    assert first.co_sponsors == [("PHL", True)]
    assert first.actors(PositionRole.SUPPORTER) == ["CAN"]
    assert (second.status, second.merged_into) == (AmendmentStatus.MERGED, 1)
    assert second.decided_at is not None
    merged_page = secretariat.get(f"/drafts/{bare_draft.id}/amendments/2").text
    assert "Merged into <a" in merged_page
    assert ">Decide</button>" not in merged_page  # merged for good: no decision follows
    assert ">Decide</button>" in secretariat.get(f"/drafts/{bare_draft.id}/amendments/1").text
    compilation = secretariat.get(f"/drafts/{bare_draft.id}/compilation").text
    assert "Mexico, Philippines; supported by Canada A1" in compilation
    # A2 is gone from the compilation (attribute values, such as the form's token, aside)
    assert not re.search(r"\bA2\b", re.sub(r'="[^"]*"', "", compilation))
    event = bare_session.scalar(
        select(AuditEvent).where(AuditEvent.action == AuditAction.AMENDMENTS_MERGED.value)
    )
    assert event is not None
    assert event.summary == "A1, A2 merged into A1 (identical)"


def test_a_compromise_text_becomes_a_new_amendment_and_the_originals_point_to_it(
    bare_client: TestClient, bare_session: Session, bare_draft: Draft
) -> None:
    propose_amendment(
        bare_session, bare_draft, _replace(bare_draft, "joint"), by=_delegate(bare_session, "MEX")
    )
    propose_amendment(
        bare_session, bare_draft, _replace(bare_draft, "mutual"), by=_delegate(bare_session, "PHL")
    )
    api = f"/api/v1/drafts/{bare_draft.id}/amendments/merge"
    secretariat = _headers(bare_session, Role.SECRETARIAT, None)
    different = bare_client.post(api, json={"amendments": [1, 2]}, headers=secretariat)
    assert different.status_code == 422
    assert "A2" in different.text
    assert "compromise text" in different.text
    delegation = _headers(bare_session, Role.DELEGATION_MEMBER, "MEX")
    body = {"amendments": [1, 2], "new_text": "shared"}
    assert bare_client.post(api, json=body, headers=delegation).status_code == 403
    done = bare_client.post(api, json=body, headers=secretariat)
    assert done.status_code == 200, done.text
    merged = done.json()
    assert (merged["label"], merged["new_text"], merged["quoted"]) == ("A3", "shared", "common")
    assert (merged["sponsor"], merged["co_sponsors"]) == ("MEX", ["PHL"])
    originals = bare_client.get(
        f"/api/v1/drafts/{bare_draft.id}/amendments", headers=secretariat
    ).json()
    assert [(a["status"], a["merged_into"]) for a in originals[:2]] == [("merged", 3)] * 2
    assert (
        "[~~common~~ **shared**]^(Mexico, Philippines A3)"
        in export_compilation(
            compilation_of(bare_session, get_process(bare_session), bare_draft, by=SYSTEM),
            bare_draft,
            "md",
        ).content.decode()
    )


def test_merging_refuses_decided_amendments_other_paragraphs_and_one_alone(
    bare_session: Session, bare_draft: Draft
) -> None:
    first = propose_amendment(
        bare_session, bare_draft, _replace(bare_draft), by=_delegate(bare_session, "MEX")
    )
    other = AmendmentData(kind="delete", target=eid_of(bare_draft, "2"), quoted="purposes and ")
    propose_amendment(bare_session, bare_draft, other, by=_delegate(bare_session, "PHL"))
    third = propose_amendment(
        bare_session, bare_draft, _replace(bare_draft), by=_delegate(bare_session, "PHL")
    )
    with pytest.raises(ValidationFailed, match="two or more"):
        merge_amendments(bare_session, bare_draft, [1, 1], by=SYSTEM)
    with pytest.raises(ValidationFailed) as elsewhere:
        merge_amendments(bare_session, bare_draft, [1, 2], new_text="x", by=SYSTEM)
    assert "A2: amends" in str(elsewhere.value.problems[0])
    with pytest.raises(ValidationFailed, match="quoted"):
        merge_amendments(
            bare_session, bare_draft, [1, 3], new_text="x", quoted="absent words", by=SYSTEM
        )
    decide_amendment(bare_session, bare_draft, third, AmendmentStatus.REJECTED, by=SYSTEM)
    with pytest.raises(Conflict, match="A3 is rejected; only pending amendments are merged"):
        merge_amendments(bare_session, bare_draft, [1, 3], by=SYSTEM)
    with pytest.raises(PermissionDenied):
        merge_amendments(bare_session, bare_draft, [1, 3], by=_delegate(bare_session, "MEX"))
    bare_session.refresh(first)
    assert first.status == AmendmentStatus.PROPOSED
    assert _count(bare_session, Amendment, Amendment.draft_id == bare_draft.id) == 3


# --- supporters and objectors, the lists ------------------------------------------------------


def _positions(session: Session, draft: Draft) -> Amendment:
    data = AmendmentData(
        kind="replace",
        target=eid_of(draft, "1"),
        quoted="common",
        new_text="joint",
        sponsor="MEX",
        co_sponsors=["PHL"],
    )
    amendment = propose_amendment(session, draft, data, by=SYSTEM)
    confirm_co_sponsorship(session, draft, amendment, by=_delegate(session, "PHL"))
    take_position(session, draft, amendment, PositionRole.SUPPORTER, by=_delegate(session, "CAN"))
    take_position(session, draft, amendment, PositionRole.OBJECTOR, by=_delegate(session, "USA"))
    return amendment


def test_supporters_and_objectors_show_in_the_compilation_page_and_docx(
    bare_client: TestClient, bare_session: Session, bare_draft: Draft
) -> None:
    _positions(bare_session, bare_draft)
    line = "Mexico, Philippines; supported by Canada; opposed by United States of America"
    mexico = signed_in(bare_client, account(bare_session, Role.DELEGATION_MEMBER, actor_code="MEX"))
    assert f"{line} A1" in mexico.get(f"/drafts/{bare_draft.id}/compilation").text
    docx = mexico.get(f"/drafts/{bare_draft.id}/compilation?format=docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert f"{line} A1" in text


def test_the_amendment_list_in_two_columns_as_page_and_docx(
    bare_client: TestClient, bare_session: Session, bare_draft: Draft
) -> None:
    _positions(bare_session, bare_draft)
    add = AmendmentData(
        kind="add_paragraph", target=eid_of(bare_draft, "2"), new_text="We act together."
    )
    propose_amendment(bare_session, bare_draft, add, by=_delegate(bare_session, "CAN"))
    set_paper_details(bare_session, bare_draft, PaperDetails(symbol="A/CONF.231/L.1"), by=SYSTEM)
    mexico = signed_in(bare_client, account(bare_session, Role.DELEGATION_MEMBER, actor_code="MEX"))
    page = mexico.get(f"/drafts/{bare_draft.id}/amendment-list")
    assert page.status_code == 200
    assert '<th scope="col">Proposed amendment</th>' in page.text
    assert "Replace “common” with “joint”" in page.text
    assert (
        "Mexico, Philippines; supported by Canada; opposed by United States of America" in page.text
    )
    docx = mexico.get(f"/drafts/{bare_draft.id}/amendment-list?format=docx")
    assert docx.status_code == 200
    document = Document(io.BytesIO(docx.content))
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Text", "Proposed amendment"]
    left, right = (c.text for c in table.rows[1].cells)
    assert left.startswith("1\tThis compact sets out a common understanding")
    assert right == (
        "A1\tReplace “common” with “joint” (Mexico, Philippines; supported by Canada; opposed by United States of America)"
    )
    assert (
        table.rows[2].cells[1].text
        == "A2\tAdd after it a new paragraph: “We act together.” (Canada)"
    )
    section = document.sections[0]
    assert round(section.page_width.mm) == 210  # A4
    # not the draft itself: the list bears no symbol of its own
    assert "A/CONF.231/L.1" not in section.first_page_header.paragraphs[0].text
    assert mexico.get(f"/drafts/{bare_draft.id}/amendment-list?format=pdf").status_code == 422


def test_the_decisions_of_a_round_with_their_dates_as_page_docx_and_api(
    bare_client: TestClient, bare_session: Session, bare_draft: Draft
) -> None:
    item = _round(bare_session, bare_draft)
    mexico = _delegate(bare_session, "MEX")
    made = [
        propose_amendment(bare_session, bare_draft, data, by=mexico)
        for data in (
            _replace(bare_draft),
            AmendmentData(kind="delete", target=eid_of(bare_draft, "2"), quoted="purposes and "),
            AmendmentData(
                kind="insert", target=eid_of(bare_draft, "3"), quoted="data", new_text="reliable"
            ),
            AmendmentData(kind="delete_paragraph", target=eid_of(bare_draft, "4")),
            AmendmentData(kind="alternative", target=eid_of(bare_draft, "4"), new_text="Other."),
            AmendmentData(kind="alternative", target=eid_of(bare_draft, "4"), new_text="Other."),
        )
    ]
    decide_amendment(bare_session, bare_draft, made[0], AmendmentStatus.ACCEPTED, by=SYSTEM)
    decide_amendment(
        bare_session,
        bare_draft,
        made[1],
        AmendmentStatus.ACCEPTED_AS_MODIFIED,
        modified_text="principles and",
        by=SYSTEM,
    )
    decide_amendment(bare_session, bare_draft, made[2], AmendmentStatus.REJECTED, by=SYSTEM)
    withdraw_amendment(bare_session, bare_draft, made[3], by=mexico)
    merge_amendments(bare_session, bare_draft, [5, 6], by=SYSTEM)
    decisions = decisions_of(bare_session, bare_draft, item)
    assert [(d.label, d.decision) for d in decisions.rows] == [
        ("A1", "accepted"),
        ("A2", "accepted as modified"),
        ("A3", "rejected"),
        ("A4", "withdrawn"),
        ("A6", "merged into A5"),
    ]
    assert all(d.decided_at is not None for d in decisions.rows)
    assert decisions.pending == 1
    client = signed_in(bare_client, account(bare_session, Role.DELEGATION_MEMBER, actor_code="MEX"))
    page = client.get(f"/drafts/{bare_draft.id}/decisions?round={item.id}")
    assert page.status_code == 200
    assert "Decisions: First round" in page.text
    assert "merged into A5" in page.text
    assert NOW.strftime("%Y-%m-%d") in page.text
    assert "1 amendment not decided yet." in page.text
    docx = client.get(f"/drafts/{bare_draft.id}/decisions?round={item.id}&format=docx")
    table = Document(io.BytesIO(docx.content)).tables[0]
    assert [c.text for c in table.rows[0].cells] == [
        "Amendment",
        "Paragraph",
        "Sponsors",
        "Decision",
        "Date",
    ]
    assert [c.text for c in table.rows[2].cells][:4] == [
        "A2",
        "2",
        "Mexico",  # as the papers name it, never its code
        'accepted as modified: "principles and"',
    ]
    assert table.rows[1].cells[4].text == f"{NOW.day} {NOW:%B %Y}"
    api = bare_client.get(
        f"/api/v1/drafts/{bare_draft.id}/decisions",
        params={"round": item.id},
        headers=_headers(bare_session, Role.DELEGATION_MEMBER, "MEX"),
    )
    assert api.status_code == 200
    assert [d["decision"] for d in api.json()["decisions"]][-1] == "merged into A5"
    # the API keeps the codes a program matches on, and gives the names beside them
    assert [(d["sponsors"], d["sponsor_names"]) for d in api.json()["decisions"]][1] == (
        "MEX",
        "Mexico",
    )
    assert client.get(f"/drafts/{bare_draft.id}/decisions?round=999999").status_code == 404


def test_the_withdraw_button_is_styled_as_a_destructive_action(
    bare_client: TestClient, bare_session: Session, bare_draft: Draft
) -> None:
    propose_amendment(
        bare_session, bare_draft, _replace(bare_draft), by=_delegate(bare_session, "MEX")
    )
    mexico = signed_in(bare_client, account(bare_session, Role.DELEGATION_MEMBER, actor_code="MEX"))
    page = mexico.get(f"/drafts/{bare_draft.id}/amendments/1").text
    assert '<button type="submit" class="danger">Withdraw A1</button>' in page


@given(
    numbers=st.lists(st.integers(min_value=1, max_value=999_999), min_size=1, max_size=20),
    separator=st.sampled_from([", ", ",", " ", "; ", " ,  "]),
    prefix=st.sampled_from(["A", "a", ""]),
)
def test_amendments_named_in_a_form_read_back_as_their_numbers(
    numbers: list[int], separator: str, prefix: str
) -> None:
    written = separator.join(f"{prefix}{n}" for n in numbers)
    assert amendment_numbers(f" {written} ") == numbers


@given(word=st.text(min_size=1, max_size=12).filter(lambda w: not w.strip().isdigit()))
def test_a_name_not_like_an_amendment_is_refused_and_named(word: str) -> None:
    name = word.strip().removeprefix("A").removeprefix("a")
    if not name or re.fullmatch(r"[\s,;]*", word) or re.search(r"[\s,;]", word.strip()):
        return  # blank or several names: nothing single to refuse
    if name.isdigit() and name.isascii() and len(name) <= 6:
        return
    with pytest.raises(ValidationFailed) as refused:
        amendment_numbers(word)
    assert "is not like A3" in str(refused.value.problems[0])

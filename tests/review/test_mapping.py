"""Voluntary reports, practices, capacity needs and offers: who may submit, review before
publication, search, matching."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from stocktake.accounts.services import issue_token, principal_for
from stocktake.core.errors import Conflict, PermissionDenied, ValidationFailed
from stocktake.core.permissions import Principal, Role
from stocktake.process.services import get_process
from stocktake.review.services.mapping import (
    PracticeData,
    PracticeSearch,
    capacity_matches,
    list_capacity,
    list_reports,
    publish,
    search_practices,
    submit_capacity,
    submit_practice,
    submit_voluntary_report,
)
from tests.conftest import csrf_of, sign_in
from tests.factories.accounts import account, member_of, signed_in
from tests.factories.registry import organisation
from tests.factories.review import cycle, frame

TEXT = (
    "Labour inspectors visited every registered recruitment agency and published the results. " * 2
)
SYSTEM = Principal.system()


def _kenyan_network(session: Session) -> Principal:
    """A civil society organisation based in Kenya, CSO-KEN-001, as its stakeholder user."""
    organisation(session, code="CSO-KEN-001", country="KEN")
    return member_of(session, "CSO-KEN-001", Role.STAKEHOLDER)


def test_a_state_reports_for_itself_once_per_objective_and_cycle(bare_session: Session) -> None:
    frame(bare_session)
    process, forum = get_process(bare_session), cycle(bare_session, slug="imrf-2026-review")
    mexico = member_of(bare_session, "MEX")
    stakeholder = _kenyan_network(bare_session)
    report = submit_voluntary_report(
        bare_session, process, forum, actor="MEX", objective=8, text=TEXT, by=mexico
    )
    assert report not in list_reports(bare_session, forum, by=Principal.public())
    assert report in list_reports(bare_session, forum, by=mexico)
    with pytest.raises(Conflict):
        submit_voluntary_report(
            bare_session, process, forum, actor="MEX", objective=8, text=TEXT, by=mexico
        )
    with pytest.raises(PermissionDenied, match="only for itself"):
        submit_voluntary_report(
            bare_session, process, forum, actor="PHL", objective=8, text=TEXT, by=mexico
        )
    with pytest.raises(PermissionDenied, match="made by states"):
        submit_voluntary_report(
            bare_session,
            process,
            forum,
            actor="CSO-KEN-001",
            objective=8,
            text=TEXT,
            by=stakeholder,
        )
    with pytest.raises(ValidationFailed, match=r"actor: name the State or organisation it is for"):
        # the secretariat left the form's State empty: named, never "no actor ''"
        submit_voluntary_report(
            bare_session, process, forum, actor=" ", objective=8, text=TEXT, by=SYSTEM
        )
    with pytest.raises(ValidationFailed, match="objective 40 does not exist"):
        submit_voluntary_report(
            bare_session, process, forum, actor="MEX", objective=40, text=TEXT, by=mexico
        )
    publish(bare_session, report, by=SYSTEM)
    assert report in list_reports(bare_session, forum, by=Principal.public())
    with pytest.raises(PermissionDenied):
        publish(bare_session, report, by=mexico)


def test_practices_are_reviewed_before_publication_and_searched(bare_session: Session) -> None:
    frame(bare_session)
    process = get_process(bare_session)
    stakeholder = _kenyan_network(bare_session)
    data = PracticeData(
        actor="CSO-KEN-001",
        title="Mobile legal clinics",
        description="Paralegals travel to markets and bus stations on fixed days. " * 3,
        objectives=[15, 16],
        criteria=["human_rights", "whole_of_society"],
        place="Nairobi",
    )
    practice = submit_practice(bare_session, process, data, by=stakeholder)
    assert practice.country_iso3 == "KEN"
    public = Principal.public()
    assert practice not in search_practices(bare_session, process, by=public)
    publish(bare_session, practice, by=SYSTEM)
    for search in (
        PracticeSearch(text="bus stations"),
        PracticeSearch(objective=16),
        PracticeSearch(country="ken"),
        PracticeSearch(actor="CSO-KEN-001"),
        PracticeSearch(criterion="whole_of_society"),
    ):
        assert practice in search_practices(bare_session, process, search, by=public), search
    assert practice not in search_practices(
        bare_session, process, PracticeSearch(objective=1), by=public
    )
    with pytest.raises(ValidationFailed) as caught:
        submit_practice(
            bare_session,
            process,
            PracticeData(
                actor="MEX", title="", description="Short", objectives=[], criteria=["fast"]
            ),
            by=SYSTEM,
        )
    assert {p.where for p in caught.value.problems} == {
        "title",
        "description",
        "objectives",
        "criteria",
    }


def test_needs_and_offers_match_by_objective_and_kind(bare_session: Session) -> None:
    frame(bare_session)
    process = get_process(bare_session)

    def item(direction: str, actor: str, objective: int, kind: str):  # type: ignore[no-untyped-def]
        found = submit_capacity(
            bare_session,
            process,
            direction=direction,
            actor=actor,
            objective=objective,
            kind=kind,
            description="Support for the national coordination mechanism on migration data.",
            by=SYSTEM,
        )
        publish(bare_session, found, by=SYSTEM)
        return found

    need = item("need", "KEN", 1, "data_and_research")
    offer = item("offer", "BRA", 1, "data_and_research")
    item("offer", "KEN", 1, "data_and_research")  # its own offer does not match
    item("offer", "FRA", 1, "financial")  # another kind does not
    item("offer", "FRA", 2, "data_and_research")  # another objective does not
    matches = [
        (m.need.id, m.offer.id)
        for m in capacity_matches(list_capacity(bare_session, process, by=SYSTEM))
    ]
    assert [m for m in matches if m[0] == need.id] == [(need.id, offer.id)]
    with pytest.raises(ValidationFailed, match="kind"):
        submit_capacity(
            bare_session,
            process,
            direction="need",
            actor="KEN",
            objective=1,
            kind="luck",
            description="x" * 60,
            by=SYSTEM,
        )


def test_the_demo_shows_a_match_and_pages_for_members(client: TestClient) -> None:
    page = client.get("/review/capacity")
    assert page.status_code == 200
    assert "Philippines" in page.text
    sign_in(client, "mexico@gcm.example")
    response = client.post(
        "/review/practices",
        data={
            "csrf": csrf_of(client, "/review/practices"),
            "title": "T",
            "description": "too short",
            "objectives": ["6"],
        },
    )
    assert response.status_code == 422
    assert "description: has 9 characters" in response.text


def test_practice_criteria_are_chosen_by_their_displayed_names(
    bare_client: TestClient, bare_session: Session
) -> None:
    frame(bare_session)
    organisation(bare_session, code="CSO-KEN-001", country="KEN")
    member = account(bare_session, Role.STAKEHOLDER, actor_code="CSO-KEN-001")
    token = issue_token(bare_session, member, by=principal_for(member))
    headers = {"Authorization": f"Bearer {token}"}
    body = {
        "title": "Mobile legal clinics",
        "description": "Paralegals travel to markets and bus stations on fixed days. " * 3,
        "objectives": [15],
        "criteria": ["people-centred", "Whole-of-society", "human_rights"],
    }
    created = bare_client.post("/api/v1/review/practices", json=body, headers=headers)
    assert created.status_code == 201, created.text
    assert created.json()["criteria"] == ["people_centred", "whole_of_society", "human_rights"]
    refused = bare_client.post(
        "/api/v1/review/practices", json={**body, "criteria": ["fast"]}, headers=headers
    )
    assert refused.status_code == 422
    assert "'fast' is not one of People-centred (people_centred);" in refused.text
    signed_in(bare_client, member)
    page = bare_client.get("/review/practices")
    assert "People-centred</label>" in page.text
    posted = bare_client.post(
        "/review/practices",
        data={
            "csrf": csrf_of(bare_client, "/review/practices"),
            "title": "Clinics at bus stations",
            "description": body["description"],
            "objectives": ["15"],
            "criteria": ["people_centred", "rule-of-thumb"],
        },
    )
    assert posted.status_code == 422
    assert "rule-of-thumb&#39; is not one of People-centred" in posted.text, posted.text[-4000:]

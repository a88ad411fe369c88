"""Every substring search takes `%`, `_` and `\\` literally, on each database: a search for "%"
finds what holds a percent sign, not everything."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from stocktake.audit.services import AuditFilter, list_events
from stocktake.consultation.services.queries import InputFilter, list_inputs
from stocktake.core.permissions import Principal
from stocktake.meetings.services import register_participant
from stocktake.meetings.services.registrations import RegistrationFilter, registration_page
from stocktake.process.services import get_process
from stocktake.registry.services import ActorFilter, list_actors
from stocktake.review.services.mapping import (
    PracticeData,
    PracticeSearch,
    publish,
    search_practices,
    submit_practice,
)
from tests.factories.consultation import submitted
from tests.factories.meetings import meeting
from tests.factories.registry import organisation, state
from tests.factories.review import frame

SYSTEM = Principal.system()
WILD = ("%", "_", "\\", "%%", "a_b", "100%")


def test_the_actors_search_takes_wildcards_literally(
    bare_session: Session, bare_client: TestClient
) -> None:
    assert list_actors(bare_session, ActorFilter(), by=SYSTEM).total > 200
    for q in WILD:
        assert list_actors(bare_session, ActorFilter(q=q), by=SYSTEM).total == 0, q
        assert bare_client.get("/api/v1/actors", params={"q": q}).json()["total"] == 0, q
    organisation(bare_session, code="TEST-100", name="Fund 100%% for a_b \\ work")
    for q in WILD:
        found = list_actors(bare_session, ActorFilter(q=q), by=SYSTEM)
        assert [a.code for a in found.items] == ["TEST-100"], q
    assert list_actors(bare_session, ActorFilter(q="fund 100%"), by=SYSTEM).total == 1
    assert list_actors(bare_session, ActorFilter(q="a%b"), by=SYSTEM).total == 0


def test_the_practices_search_takes_wildcards_literally(bare_session: Session) -> None:
    frame(bare_session)
    process = get_process(bare_session)
    organisation(bare_session, code="CSO-KEN-001", country="KEN")
    plain = PracticeData(
        actor="CSO-KEN-001",
        title="Mobile legal clinics",
        description="Paralegals travel to markets and bus stations on fixed days. " * 3,
        objectives=[15],
        criteria=["human_rights"],
    )
    publish(bare_session, submit_practice(bare_session, process, plain, by=SYSTEM), by=SYSTEM)
    odd = PracticeData(
        actor="CSO-KEN-001",
        title="Clinics reaching 100% of a_b markets",
        description="Paralegals travel to markets and bus stations on fixed days. " * 3,
        objectives=[15],
        criteria=["human_rights"],
    )
    publish(bare_session, submit_practice(bare_session, process, odd, by=SYSTEM), by=SYSTEM)
    for q in ("%", "_", "100%", "a_b"):
        found = search_practices(bare_session, process, PracticeSearch(text=q), by=SYSTEM)
        assert [p.title for p in found] == [odd.title], q
    assert search_practices(bare_session, process, PracticeSearch(text="\\"), by=SYSTEM) == []


def test_the_other_searches_take_wildcards_literally(bare_session: Session) -> None:
    process = get_process(bare_session)
    session_ = meeting(
        bare_session, process, meeting_type="regional_consultation", start=dt.date(2026, 3, 1)
    )
    register_participant(bare_session, session_, state(bare_session, "MEX"), name="Ana", by=SYSTEM)
    submitted(bare_session, process, "An input about recruitment fees " * 3, submitter="MEX")
    for q in WILD:
        registrations = registration_page(
            bare_session, session_, RegistrationFilter(q=q), by=SYSTEM
        )
        assert registrations.total == 0, q
        inputs = list_inputs(bare_session, process, InputFilter(q=q), by=SYSTEM)
        assert inputs.total == 0, q
        events = list_events(bare_session, by=SYSTEM, filters=AuditFilter(text=q))
        assert events.total == 0, q
        events = list_events(bare_session, by=SYSTEM, filters=AuditFilter(user=q))
        assert events.total == 0, q
    assert registration_page(bare_session, session_, RegistrationFilter(q="an"), by=SYSTEM).total

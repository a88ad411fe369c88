from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stocktake.accounts.services import principal_for
from stocktake.audit.models import AuditEvent
from stocktake.audit.services import AuditFilter, list_events
from stocktake.core.errors import Conflict, PermissionDenied
from stocktake.core.permissions import Principal, Role
from stocktake.meetings.models import Meeting
from stocktake.meetings.services import register_participant
from stocktake.registry.services import get_actor
from tests.factories.accounts import account, signed_in, user
from tests.factories.meetings import meeting
from tests.factories.process import gcm
from tests.factories.registry import organisation

MEXICO = "mexico@test.example"
SECRETARIAT = "secretariat@test.example"


def imrf(session: Session) -> Meeting:
    return meeting(
        session,
        gcm(session),
        meeting_type="review_forum",
        start=dt.date(2022, 5, 17),
        days=4,
        slug="imrf-2022",
    )


def count(session: Session) -> int:
    return session.scalar(select(func.count(AuditEvent.id))) or 0


def test_a_write_records_who_when_what_and_the_change(bare_session: Session) -> None:
    mexico = user(bare_session, Role.DELEGATION_MEMBER, actor_code="MEX", email=MEXICO)
    forum = imrf(bare_session)
    before = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=5)
    register_participant(
        bare_session,
        forum,
        get_actor(bare_session, "MEX"),
        name="Audit Person",
        by=mexico,
    )
    event = bare_session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event is not None
    assert event.action == "meetings:participant:register"
    assert (event.user_id, event.user_label, event.acting_for_id) == (
        mexico.user_id,
        MEXICO,
        mexico.actor_id,
    )
    assert event.changes == {"meeting": "imrf-2022", "actor": "MEX", "name": "Audit Person"}
    assert event.created_at >= before
    assert event.created_at.tzinfo is not None


def test_a_refused_write_records_nothing(bare_session: Session) -> None:
    mexico = user(bare_session, Role.DELEGATION_MEMBER, actor_code="MEX")
    forum = imrf(bare_session)
    register_participant(
        bare_session, forum, get_actor(bare_session, "MEX"), name="Once", by=mexico
    )
    before = count(bare_session)
    with pytest.raises(Conflict):
        register_participant(
            bare_session, forum, get_actor(bare_session, "MEX"), name="Once", by=mexico
        )
    with pytest.raises(PermissionDenied):
        register_participant(
            bare_session, forum, get_actor(bare_session, "PHL"), name="Other", by=mexico
        )
    assert count(bare_session) == before


def test_the_secretariat_reads_the_log_filtered_and_nobody_else_does(bare_session: Session) -> None:
    secretariat = user(bare_session, Role.SECRETARIAT, email=SECRETARIAT)
    mexico = user(bare_session, Role.DELEGATION_MEMBER, actor_code="MEX", email=MEXICO)
    stakeholder = user(bare_session, Role.STAKEHOLDER, actor_code=organisation(bare_session).code)
    user(bare_session, Role.DELEGATION_MEMBER, actor_code="PHL")
    page = list_events(
        bare_session, by=secretariat, filters=AuditFilter(action="accounts:user:create")
    )
    assert page.total == 4
    assert {e.target_key for e in page.items} >= {MEXICO, SECRETARIAT}
    today = dt.datetime.now(dt.UTC).date()
    assert (
        list_events(
            bare_session, by=secretariat, filters=AuditFilter(since=today + dt.timedelta(days=2))
        ).total
        == 0
    )
    assert (
        list_events(
            bare_session, by=secretariat, filters=AuditFilter(user="system", until=today)
        ).total
        >= 4
    )
    for who in (mexico, stakeholder):
        with pytest.raises(PermissionDenied):
            list_events(bare_session, by=who, filters=AuditFilter())
    with pytest.raises(PermissionDenied):
        list_events(bare_session, by=Principal.public(), filters=AuditFilter())


def test_the_log_is_searched_by_words_of_its_summary_or_target(
    bare_session: Session, bare_client: TestClient
) -> None:
    secretariat_user = account(bare_session, Role.SECRETARIAT)
    secretariat = principal_for(secretariat_user)
    every = list_events(bare_session, by=secretariat, filters=AuditFilter()).total
    assert every > 0
    sample = bare_session.scalars(select(AuditEvent).where(AuditEvent.summary != "")).first()
    assert sample is not None
    word = sample.summary.split()[0]
    found = list_events(bare_session, by=secretariat, filters=AuditFilter(text=word.upper()))
    assert 0 < found.total <= every
    assert all(word.lower() in (e.summary + e.target_key).lower() for e in found.items)
    none = list_events(bare_session, by=secretariat, filters=AuditFilter(text="%_no such words_%"))
    assert none.total == 0

    signed_in(bare_client, secretariat_user)
    page = bare_client.get("/audit", params={"q": "%_no such words_%"})
    assert page.status_code == 200
    assert "No events match." in page.text
    assert 'name="q"' in page.text

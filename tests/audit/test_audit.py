from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stocktake.accounts.services import get_user, principal_for
from stocktake.audit.models import AuditEvent
from stocktake.audit.services import AuditFilter, list_events
from stocktake.core.errors import Conflict, PermissionDenied
from stocktake.core.permissions import Principal
from stocktake.meetings.services import get_meeting, register_participant
from stocktake.registry.services import get_actor


def count(session: Session) -> int:
    return session.scalar(select(func.count(AuditEvent.id))) or 0


def test_a_write_records_who_when_what_and_the_change(session: Session) -> None:
    mexico = principal_for(get_user(session, "mexico@gcm.example"))
    before = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=5)
    register_participant(
        session,
        get_meeting(session, "imrf-2022"),
        get_actor(session, "MEX"),
        name="Audit Person",
        by=mexico,
    )
    event = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event is not None
    assert event.action == "meetings:participant:register"
    assert (event.user_id, event.user_label, event.acting_for_id) == (
        mexico.user_id,
        "mexico@gcm.example",
        mexico.actor_id,
    )
    assert event.changes == {"meeting": "imrf-2022", "actor": "MEX", "name": "Audit Person"}
    assert event.created_at >= before
    assert event.created_at.tzinfo is not None


def test_a_refused_write_records_nothing(session: Session) -> None:
    mexico = principal_for(get_user(session, "mexico@gcm.example"))
    meeting = get_meeting(session, "imrf-2022")
    register_participant(session, meeting, get_actor(session, "MEX"), name="Once", by=mexico)
    before = count(session)
    with pytest.raises(Conflict):
        register_participant(session, meeting, get_actor(session, "MEX"), name="Once", by=mexico)
    with pytest.raises(PermissionDenied):
        register_participant(session, meeting, get_actor(session, "PHL"), name="Other", by=mexico)
    assert count(session) == before


def test_the_secretariat_reads_the_log_filtered_and_nobody_else_does(session: Session) -> None:
    secretariat = principal_for(get_user(session, "secretariat@gcm.example"))
    page = list_events(session, by=secretariat, filters=AuditFilter(action="accounts:user:create"))
    assert page.total == 4
    assert {e.target_key for e in page.events} >= {"mexico@gcm.example", "secretariat@gcm.example"}
    today = dt.datetime.now(dt.UTC).date()
    assert (
        list_events(
            session, by=secretariat, filters=AuditFilter(since=today + dt.timedelta(days=2))
        ).total
        == 0
    )
    assert (
        list_events(session, by=secretariat, filters=AuditFilter(user="system", until=today)).total
        >= 4
    )
    for who in ("mexico@gcm.example", "stakeholder@gcm.example"):
        with pytest.raises(PermissionDenied):
            list_events(session, by=principal_for(get_user(session, who)), filters=AuditFilter())
    with pytest.raises(PermissionDenied):
        list_events(session, by=Principal.public(), filters=AuditFilter())


def test_the_log_is_searched_by_words_of_its_summary_or_target(
    session: Session, signed_in: Callable[[str], TestClient]
) -> None:
    secretariat = principal_for(get_user(session, "secretariat@gcm.example"))
    every = list_events(session, by=secretariat, filters=AuditFilter()).total
    assert every > 0
    sample = session.scalars(select(AuditEvent).where(AuditEvent.summary != "")).first()
    assert sample is not None
    word = sample.summary.split()[0]
    found = list_events(session, by=secretariat, filters=AuditFilter(text=word.upper()))
    assert 0 < found.total <= every
    assert all(word.lower() in (e.summary + e.target_key).lower() for e in found.events)
    none = list_events(session, by=secretariat, filters=AuditFilter(text="%_no such words_%"))
    assert none.total == 0

    client = signed_in("secretariat@gcm.example")
    page = client.get("/audit", params={"q": "%_no such words_%"})
    assert page.status_code == 200
    assert "No events match." in page.text
    assert 'name="q"' in page.text

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from stocktake.accounts.services import get_user, principal_for
from stocktake.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from stocktake.core.permissions import Principal
from stocktake.meetings.models import Participant
from stocktake.meetings.services import (
    MeetingData,
    create_meeting,
    get_meeting,
    list_registrations,
    participation_figures,
    record_attendance,
    register_participant,
)
from stocktake.process.services import get_process
from stocktake.registry.services import get_actor


def as_user(session: Session, email: str) -> Principal:
    return principal_for(get_user(session, email))


def test_puerto_vallarta_reproduces_the_published_figures(session: Session) -> None:
    figures = participation_figures(session, get_meeting(session, "puerto-vallarta-2017"))
    assert (figures.delegations, figures.participants, figures.stakeholders) == (136, 897, 115)
    assert (
        figures.headline() == "136 delegations, 897 participants, 115 non-governmental stakeholders"
    )
    assert figures.registered > figures.participants  # no-shows are registered but not counted


def test_breakdowns_add_up_to_the_totals(session: Session) -> None:
    for slug in ("puerto-vallarta-2017", "regional-eca-2017", "imrf-2022"):
        figures = participation_figures(session, get_meeting(session, slug))
        for breakdown in (figures.by_kind, figures.by_region, figures.by_regional_group):
            assert sum(t.participants for t in breakdown.values()) == figures.participants
        assert figures.by_kind["member_state"].actors == figures.delegations
        assert sum(t.actors for t in figures.by_category.values()) == figures.stakeholders


def test_a_regional_consultation_draws_states_of_its_region(session: Session) -> None:
    figures = participation_figures(session, get_meeting(session, "regional-eca-2017"))
    state_regions = {k for k, t in figures.by_region.items() if t.actors}
    assert "Africa" in state_regions
    assert figures.by_kind["member_state"].actors == 44


def test_a_delegation_registers_only_its_own_participants(session: Session) -> None:
    meeting = get_meeting(session, "imrf-2022")
    mexico = as_user(session, "mexico@gcm.example")
    participant = register_participant(
        session,
        meeting,
        get_actor(session, "MEX"),
        name="Test Delegate",
        function="Adviser",
        by=mexico,
    )
    assert participant.attended is False
    with pytest.raises(PermissionDenied):
        register_participant(
            session, meeting, get_actor(session, "PHL"), name="Intruder", by=mexico
        )
    with pytest.raises(PermissionDenied):
        register_participant(
            session, meeting, get_actor(session, "MEX"), name="Anon", by=Principal.public()
        )
    with pytest.raises(Conflict):
        register_participant(
            session, meeting, get_actor(session, "MEX"), name="test delegate", by=mexico
        )
    with pytest.raises(ValidationFailed, match="name: is empty"):
        register_participant(session, meeting, get_actor(session, "MEX"), name="  ", by=mexico)
    own = list_registrations(session, meeting, by=mexico)
    assert own
    assert {p.actor.code for p in own} == {"MEX"}
    everyone = list_registrations(session, meeting, by=as_user(session, "secretariat@gcm.example"))
    assert len({p.actor_id for p in everyone}) > 100


def test_recording_attendance_changes_the_figures(session: Session) -> None:
    meeting = get_meeting(session, "puerto-vallarta-2017")
    secretariat = as_user(session, "secretariat@gcm.example")
    no_show = session.scalars(
        select(Participant).where(
            Participant.meeting_id == meeting.id, Participant.attended.is_(False)
        )
    ).first()
    assert no_show is not None
    record_attendance(session, meeting, no_show.id, attended=True, by=secretariat)
    assert participation_figures(session, meeting).participants == 898
    with pytest.raises(PermissionDenied):
        record_attendance(
            session, meeting, no_show.id, attended=False, by=as_user(session, "mexico@gcm.example")
        )
    with pytest.raises(NotFound):
        record_attendance(session, meeting, 10**9, attended=True, by=secretariat)


def test_a_new_meeting_falls_in_the_phase_of_its_dates(session: Session) -> None:
    process = get_process(session)
    meeting = create_meeting(
        session,
        process,
        MeetingData(
            slug="regional-review-2024",
            title="Regional review",
            meeting_type="review_forum",
            start_date=dt.date(2024, 3, 1),
            end_date=dt.date(2024, 3, 2),
        ),
        by=Principal.system(),
    )
    assert meeting.phase_key == "follow_up_review"
    with pytest.raises(ValidationFailed) as caught:
        create_meeting(
            session,
            process,
            MeetingData(
                slug="regional-review-2024",
                title="Again",
                meeting_type="picnic",
                start_date=dt.date(2024, 3, 2),
                end_date=dt.date(2024, 3, 1),
            ),
            by=Principal.system(),
        )
    assert {p.where for p in caught.value.problems} == {"meeting_type", "end_date", "slug"}


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(flips=st.lists(st.booleans(), min_size=1, max_size=12))
def test_figures_follow_any_sequence_of_attendance_changes(
    session: Session, flips: list[bool]
) -> None:
    meeting = get_meeting(session, "thematic-5-vienna-2017")
    secretariat = Principal.system()
    rows = session.scalars(
        select(Participant)
        .where(Participant.meeting_id == meeting.id)
        .order_by(Participant.id)
        .limit(12)
    ).all()
    original = {p.id: p.attended for p in rows}
    for participant, attended in zip(rows, flips, strict=False):
        record_attendance(session, meeting, participant.id, attended=attended, by=secretariat)
    expected = len(
        session.scalars(
            select(Participant.id).where(
                Participant.meeting_id == meeting.id, Participant.attended.is_(True)
            )
        ).all()
    )
    assert participation_figures(session, meeting).participants == expected
    for participant in rows:
        record_attendance(
            session, meeting, participant.id, attended=original[participant.id], by=secretariat
        )

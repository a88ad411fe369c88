from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from stocktake.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from stocktake.core.permissions import Principal, Role
from stocktake.meetings.models import Meeting, Participant
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
from tests.factories.accounts import user
from tests.factories.meetings import meeting as new_meeting
from tests.factories.process import gcm

SYSTEM = Principal.system()


def forum(session: Session) -> Meeting:
    """A review forum of the follow-up phase, with no registrations yet."""
    return new_meeting(
        session, gcm(session), meeting_type="review_forum", start=dt.date(2022, 5, 17), days=4
    )


def registered(session: Session, meeting: Meeting, count: int) -> list[Participant]:
    """`count` people registered for Mexico by the secretariat, none of them attended yet."""
    mexico = get_actor(session, "MEX")
    return [
        register_participant(session, meeting, mexico, name=f"Delegate {number}", by=SYSTEM)
        for number in range(1, count + 1)
    ]


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


def test_a_delegation_registers_only_its_own_participants(bare_session: Session) -> None:
    meeting = forum(bare_session)
    others = ("PHL", "KEN", "FRA")
    for code in others:
        register_participant(
            bare_session, meeting, get_actor(bare_session, code), name="Other", by=SYSTEM
        )
    mexico = user(bare_session, Role.DELEGATION_MEMBER, actor_code="MEX")
    participant = register_participant(
        bare_session,
        meeting,
        get_actor(bare_session, "MEX"),
        name="Test Delegate",
        function="Adviser",
        by=mexico,
    )
    assert participant.attended is False
    with pytest.raises(PermissionDenied):
        register_participant(
            bare_session, meeting, get_actor(bare_session, "PHL"), name="Intruder", by=mexico
        )
    with pytest.raises(PermissionDenied):
        register_participant(
            bare_session,
            meeting,
            get_actor(bare_session, "MEX"),
            name="Anon",
            by=Principal.public(),
        )
    with pytest.raises(Conflict):
        register_participant(
            bare_session, meeting, get_actor(bare_session, "MEX"), name="test delegate", by=mexico
        )
    with pytest.raises(ValidationFailed, match="name: is empty"):
        register_participant(
            bare_session, meeting, get_actor(bare_session, "MEX"), name="  ", by=mexico
        )
    own = list_registrations(bare_session, meeting, by=mexico)
    assert own
    assert {p.actor.code for p in own} == {"MEX"}
    everyone = list_registrations(bare_session, meeting, by=user(bare_session, Role.SECRETARIAT))
    assert {p.actor.code for p in everyone} == {"MEX", *others}


def test_recording_attendance_changes_the_figures(bare_session: Session) -> None:
    meeting = forum(bare_session)
    secretariat = user(bare_session, Role.SECRETARIAT)
    attended, _ = registered(bare_session, meeting, 2)
    record_attendance(bare_session, meeting, attended.id, attended=True, by=secretariat)
    assert participation_figures(bare_session, meeting).participants == 1
    no_show = bare_session.scalars(
        select(Participant).where(
            Participant.meeting_id == meeting.id, Participant.attended.is_(False)
        )
    ).first()
    assert no_show is not None
    record_attendance(bare_session, meeting, no_show.id, attended=True, by=secretariat)
    assert participation_figures(bare_session, meeting).participants == 2
    with pytest.raises(PermissionDenied):
        record_attendance(
            bare_session,
            meeting,
            no_show.id,
            attended=False,
            by=user(bare_session, Role.DELEGATION_MEMBER, actor_code="MEX"),
        )
    with pytest.raises(NotFound):
        record_attendance(bare_session, meeting, 10**9, attended=True, by=secretariat)


def test_a_new_meeting_falls_in_the_phase_of_its_dates(bare_session: Session) -> None:
    process = get_process(bare_session)
    meeting = create_meeting(
        bare_session,
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
            bare_session,
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
    bare_session: Session, flips: list[bool]
) -> None:
    meeting = forum(bare_session)
    registered(bare_session, meeting, 12)
    secretariat = Principal.system()
    rows = bare_session.scalars(
        select(Participant)
        .where(Participant.meeting_id == meeting.id)
        .order_by(Participant.id)
        .limit(12)
    ).all()
    original = {p.id: p.attended for p in rows}
    for participant, attended in zip(rows, flips, strict=False):
        record_attendance(bare_session, meeting, participant.id, attended=attended, by=secretariat)
    expected = len(
        bare_session.scalars(
            select(Participant.id).where(
                Participant.meeting_id == meeting.id, Participant.attended.is_(True)
            )
        ).all()
    )
    assert participation_figures(bare_session, meeting).participants == expected
    for participant in rows:
        record_attendance(
            bare_session, meeting, participant.id, attended=original[participant.id], by=secretariat
        )

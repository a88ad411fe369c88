from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stocktake.audit.models import AuditEvent
from stocktake.core.errors import PermissionDenied, ValidationFailed
from stocktake.core.permissions import Principal, Role
from stocktake.process.definition import (
    default_definition_path,
    load_definition_file,
    parse_definition,
)
from stocktake.process.models import Process
from stocktake.process.services import get_process, load_process
from tests.factories.meetings import meeting

GCM = default_definition_path().read_text(encoding="utf-8")


def events(session: Session) -> int:
    return session.scalar(select(func.count(AuditEvent.id))) or 0


def test_loading_the_same_definition_again_changes_nothing(bare_session: Session) -> None:
    before = events(bare_session)
    process = load_process(
        bare_session, load_definition_file(default_definition_path()), by=Principal.system()
    )
    assert process.slug == "gcm"
    assert events(bare_session) == before
    assert bare_session.scalar(select(func.count(Process.id))) == 1


def test_another_process_is_configured_not_coded(bare_session: Session) -> None:
    text = GCM.replace('slug = "gcm"', 'slug = "plastics"').replace(
        'short_name = "GCM"', 'short_name = "INC plastics"'
    )
    process = load_process(
        bare_session, parse_definition(text), by=Principal.system(), source="plastics.toml"
    )
    assert get_process(bare_session, "plastics").short_name == "INC plastics"
    assert get_process(bare_session).slug == "gcm"  # the first loaded stays the default
    assert len(process.vocabulary("dimensions")) == 6
    event = bare_session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event is not None
    assert event.action == "process:process:load"
    assert event.target_key == "plastics"


def test_an_update_renames_terms_in_place(bare_session: Session) -> None:
    text = GCM.replace('name = "Regional consultation"', 'name = "Regional review"')
    process = load_process(bare_session, parse_definition(text), by=Principal.system())
    assert process.term_name("meeting_types", "regional_consultation") == "Regional review"


def test_removing_a_meeting_type_still_in_use_is_refused_and_nothing_changes(
    bare_session: Session,
) -> None:
    meeting(
        bare_session,
        get_process(bare_session),
        meeting_type="conference",
        start=dt.date(2018, 12, 10),
    )
    text = GCM.replace(
        '[[meeting_types]]\nkey = "conference"\nname = "Intergovernmental conference"\n'
        '[meeting_types.names]\nfr = "Conférence intergouvernementale"\n'
        'es = "Conferencia intergubernamental"\nar = "مؤتمر حكومي دولي"\n'
        'ru = "Межправительственная конференция"\nzh = "政府间会议"\n',
        "",
    )
    with pytest.raises(ValidationFailed, match="meeting type 'conference' is used by meeting"):
        load_process(bare_session, parse_definition(text), by=Principal.system())
    assert (
        get_process(bare_session).term_name("meeting_types", "conference")
        == "Intergovernmental conference"
    )


def test_only_the_secretariat_loads_a_process(bare_session: Session) -> None:
    for role in (Role.PUBLIC, Role.DELEGATION_MEMBER, Role.STAKEHOLDER):
        with pytest.raises(PermissionDenied):
            load_process(bare_session, parse_definition(GCM), by=Principal(role=role, user_id=1))

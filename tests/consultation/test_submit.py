from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stocktake.audit.models import AuditEvent
from stocktake.consultation.language import detect_language
from stocktake.consultation.models import Input
from stocktake.consultation.services import InputData, get_input, submit_input, update_input
from stocktake.consultation.services.queries import InputFilter, list_inputs
from stocktake.core.errors import NotFound, PermissionDenied, ValidationFailed
from stocktake.core.permissions import Principal, Role
from stocktake.process.services import get_process
from tests.factories.accounts import user
from tests.factories.meetings import meeting


def count(session: Session) -> int:
    return session.scalar(select(func.count(Input.id))) or 0


def test_a_delegation_submits_a_card_as_itself(bare_session: Session) -> None:
    meeting(
        bare_session,
        get_process(bare_session),
        meeting_type="thematic_session",
        start=dt.date(2017, 5, 8),
        days=2,
        slug="thematic-1-geneva-2017",
    )
    mexico = user(bare_session, Role.DELEGATION_MEMBER, actor_code="MEX")
    record = submit_input(
        bare_session,
        get_process(bare_session),
        InputData(
            text="Garantizar el acceso de todos los migrantes a la atención de salud.",
            dimensions=["Human", "national"],
            input_types=["actionable_commitment"],
            references=["SDG 3.8", "10.7.2", "icrmw"],
            meeting="thematic-1-geneva-2017",
        ),
        by=mexico,
    )
    assert record.actor.code == "MEX"
    assert record.language == "es"
    assert record.tag_keys("dimensions") == ["human", "national"]
    assert sorted((r.scheme, r.code) for r in record.references) == [
        ("hr", "ICRMW"),
        ("sdg", "10.7.2"),
        ("sdg", "3.8"),
    ]
    assert record.status == "submitted"
    assert record.submitted_at is not None
    event = bare_session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event is not None
    assert (event.action, event.target_key) == ("consultation:input:submit", str(record.id))


def test_every_problem_is_named_and_nothing_is_stored(bare_session: Session) -> None:
    mexico = user(bare_session, Role.DELEGATION_MEMBER, actor_code="MEX")
    before = count(bare_session)
    with pytest.raises(ValidationFailed) as caught:
        submit_input(
            bare_session,
            get_process(bare_session),
            InputData(
                text="x" * 60_000,
                submitter="PHL",
                dimensions=["interplanetary"],
                input_types=["wish"],
                references=["SDG 18.1", "Magna Carta"],
                meeting="atlantis",
                language="xx",
                kind="poem",
            ),
            by=mexico,
        )
    where = {p.where for p in caught.value.problems}
    assert where == {
        "text",
        "kind",
        "submitter",
        "dimensions",
        "input_types",
        "references",
        "meeting",
        "language",
    }
    messages = " | ".join(str(p) for p in caught.value.problems)
    assert "you may submit only for your own actor, not for PHL" in messages
    assert "is 60,000 characters long; the limit is 50,000" in messages
    assert "unknown dimension 'interplanetary'" in messages
    assert "'SDG 18.1' is neither" in messages
    assert count(bare_session) == before


def test_speaking_for_a_group_needs_membership(bare_session: Session) -> None:
    process = get_process(bare_session)
    mexico = user(bare_session, Role.DELEGATION_MEMBER, actor_code="MEX")
    record = submit_input(
        bare_session,
        process,
        InputData(text="On behalf of the group.", on_behalf_of="RG-GRULAC"),
        by=mexico,
    )
    assert record.on_behalf_of is not None
    with pytest.raises(ValidationFailed, match="MEX is not a member of EU"):
        submit_input(
            bare_session, process, InputData(text="Not ours.", on_behalf_of="EU"), by=mexico
        )
    with pytest.raises(ValidationFailed, match="is not a group of states"):
        submit_input(
            bare_session, process, InputData(text="Not a group.", on_behalf_of="IOM"), by=mexico
        )


def test_the_public_cannot_submit_and_the_secretariat_submits_for_anyone(
    bare_session: Session,
) -> None:
    process = get_process(bare_session)
    with pytest.raises(PermissionDenied):
        submit_input(
            bare_session,
            process,
            InputData(text="Anonymous", submitter="MEX"),
            by=Principal.public(),
        )
    record = submit_input(
        bare_session,
        process,
        InputData(text="Paper card typed in", submitter="Kenya"),
        by=Principal.system(),
    )
    assert record.actor.code == "KEN"


def test_drafts_are_seen_only_by_their_actor_and_the_secretariat(bare_session: Session) -> None:
    process = get_process(bare_session)
    mexico = user(bare_session, Role.DELEGATION_MEMBER, actor_code="MEX")
    draft = submit_input(
        bare_session,
        process,
        InputData(text="A private draft about remittances", status="draft"),
        by=mexico,
    )
    assert draft.submitted_at is None
    assert get_input(bare_session, draft.id, by=mexico).id == draft.id
    assert get_input(bare_session, draft.id, by=user(bare_session, Role.SECRETARIAT)).id == draft.id
    for other in (Principal.public(), user(bare_session, Role.DELEGATION_MEMBER, actor_code="PHL")):
        with pytest.raises(NotFound):
            get_input(bare_session, draft.id, by=other)
    public = list_inputs(
        bare_session, process, InputFilter(q="private draft"), by=Principal.public()
    )
    assert public.total == 0
    assert list_inputs(bare_session, process, InputFilter(q="private draft"), by=mexico).total == 1


def test_the_submitter_edits_until_publication(bare_session: Session) -> None:
    process = get_process(bare_session)
    mexico = user(bare_session, Role.DELEGATION_MEMBER, actor_code="MEX")
    record = submit_input(bare_session, process, InputData(text="First wording"), by=mexico)
    update_input(
        bare_session,
        record,
        {"text": "Deuxième version du texte, en français cette fois.", "dimensions": ["global"]},
        by=mexico,
    )
    assert record.language == "fr"
    assert record.tag_keys("dimensions") == ["global"]
    with pytest.raises(PermissionDenied):
        update_input(
            bare_session,
            record,
            {"title": "Hijack"},
            by=user(bare_session, Role.DELEGATION_MEMBER, actor_code="PHL"),
        )
    from stocktake.consultation.services import publish_input

    publish_input(bare_session, record, by=Principal.system())
    with pytest.raises(ValidationFailed, match="can no longer be changed"):
        update_input(bare_session, record, {"title": "Too late"}, by=mexico)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Strengthen regular pathways for migrant workers and their families.", "en"),
        ("Renforcer les voies de migration régulière pour les travailleurs migrants.", "fr"),
        ("Fortalecer las vías de migración regular para los trabajadores migrantes.", "es"),
        ("تعزيز مسارات الهجرة النظامية للعمال المهاجرين وأسرهم", "ar"),
        ("Укреплять законные пути миграции для трудящихся-мигрантов и их семей.", "ru"),
        ("加强移徙工人及其家庭的正常移民途径。", "zh"),
        ("12345 !!!", "und"),
    ],
)
def test_language_is_detected_offline(text: str, language: str) -> None:
    assert detect_language(text) == language


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=3, max_size=300
    ).filter(lambda s: s.strip())
)
def test_any_text_in_any_script_is_stored_exactly_and_found(
    bare_session: Session, text: str
) -> None:
    process = get_process(bare_session)
    record = submit_input(
        bare_session, process, InputData(text=text, submitter="KEN"), by=Principal.system()
    )
    bare_session.expire_all()
    stored = get_input(bare_session, record.id, by=Principal.system())
    assert stored.text == text.strip()
    word = max(text.split(), key=len)
    found = list_inputs(
        bare_session,
        process,
        InputFilter(q=word, submitter="KEN"),
        by=Principal.system(),
        page_size=500,
    )
    assert record.id in {i.id for i in found.items}
    bare_session.delete(stored)
    bare_session.flush()

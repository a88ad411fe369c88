from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from stocktake.audit.models import AuditEvent
from stocktake.consultation.models import Input
from stocktake.consultation.services import (
    InputData,
    get_input,
    publish_input,
    retag_input,
    submit_input,
    withdraw_input,
)
from stocktake.consultation.services.queries import InputFilter, list_inputs
from stocktake.core.errors import NotFound, PermissionDenied, ValidationFailed
from stocktake.core.permissions import Principal, Role
from stocktake.process.services import get_process
from tests.factories.accounts import user
from tests.factories.consultation import submitted
from tests.factories.registry import organisation


def last_event(session: Session) -> AuditEvent:
    event = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event is not None
    return event


def test_publish_withdraw_and_retag_are_the_secretariats_and_audited(bare_session: Session) -> None:
    process = get_process(bare_session)
    secretariat = user(bare_session, Role.SECRETARIAT)
    stakeholder = user(bare_session, Role.STAKEHOLDER, actor_code=organisation(bare_session).code)
    record = submit_input(
        bare_session,
        process,
        InputData(text="Fund kwzx shelters for migrant women."),
        by=stakeholder,
    )
    assert (
        list_inputs(bare_session, process, InputFilter(q="kwzx"), by=Principal.public()).total == 0
    )
    with pytest.raises(PermissionDenied):
        publish_input(bare_session, record, by=stakeholder)
    publish_input(bare_session, record, by=secretariat)
    assert last_event(bare_session).action == "consultation:input:publish"
    assert (
        list_inputs(bare_session, process, InputFilter(q="kwzx"), by=Principal.public()).total == 1
    )
    with pytest.raises(PermissionDenied):
        retag_input(bare_session, record, dimensions=["human"], input_types=[], by=stakeholder)
    retag_input(
        bare_session,
        record,
        dimensions=["human", "Local/sub-national"],
        input_types=["means_of_implementation"],
        by=secretariat,
    )
    assert record.tag_keys("dimensions") == ["human", "local"]
    assert {t.source for t in record.tags} == {"secretariat"}
    event = last_event(bare_session)
    assert event.changes["dimensions"] == [[], ["human", "local"]]
    with pytest.raises(ValidationFailed, match="unknown dimension 'lunar'"):
        retag_input(bare_session, record, dimensions=["lunar"], input_types=[], by=secretariat)
    with pytest.raises(ValidationFailed, match="needs a reason"):
        withdraw_input(bare_session, record, reason="  ", by=secretariat)
    withdraw_input(bare_session, record, reason="Duplicate of a card sent on paper", by=secretariat)
    assert (record.status, record.withdrawn_reason) == (
        "withdrawn",
        "Duplicate of a card sent on paper",
    )
    with pytest.raises(NotFound):
        get_input(bare_session, record.id, by=Principal.public())
    assert get_input(bare_session, record.id, by=stakeholder).status == "withdrawn"


def test_a_submitter_withdraws_its_own_input_only(bare_session: Session) -> None:
    process = get_process(bare_session)
    mexico = user(bare_session, Role.DELEGATION_MEMBER, actor_code="MEX")
    submitted(bare_session, process, "Theirs to keep", submitter="PHL", status="published")
    own = submit_input(bare_session, process, InputData(text="Ours to withdraw"), by=mexico)
    withdraw_input(bare_session, own, reason="Sent by mistake", by=mexico)
    other = bare_session.scalars(
        select(Input).where(Input.status == "published", Input.actor_id != own.actor_id)
    ).first()
    assert other is not None
    with pytest.raises(PermissionDenied):
        withdraw_input(bare_session, other, reason="Not ours", by=mexico)


def test_filters_narrow_the_list(session: Session) -> None:
    process = get_process(session)
    everyone = Principal.system()
    total = list_inputs(session, process, InputFilter(), by=everyone).total
    assert total >= 2000
    for filters in (
        InputFilter(dimension="regional"),
        InputFilter(input_type="follow_up_review"),
        InputFilter(actor_kind="member_state"),
        InputFilter(region="Africa"),
        InputFilter(regional_group="grulac"),
        InputFilter(category="academia"),
        InputFilter(meeting="regional-eca-2017"),
        InputFilter(language="zh"),
        InputFilter(status="draft"),
    ):
        page = list_inputs(session, process, filters, by=everyone, page_size=500)
        assert 0 < page.total < total, filters
        for record in page.items:
            if filters.dimension:
                assert filters.dimension in record.tag_keys("dimensions")
            if filters.region:
                assert record.actor.region == "Africa"
            if filters.category:
                assert record.actor.stakeholder_category == "academia"
            if filters.language:
                assert record.language == "zh"
    both = list_inputs(session, process, InputFilter(region="Africa", language="fr"), by=everyone)
    assert (
        both.total <= list_inputs(session, process, InputFilter(language="fr"), by=everyone).total
    )


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("child detention", "detention"),
        ("CHILD DETENTION", "detention"),
        ("汇款", "汇款"),
        ("汇", "汇"),
        ("المهاجرين", "المهاجرين"),
        ("миграции", "миграции"),
        ("Régulière", "régulière"),
    ],
)
def test_search_finds_words_in_any_script_and_case(session: Session, q: str, expected: str) -> None:
    page = list_inputs(
        session, get_process(session), InputFilter(q=q), by=Principal.public(), page_size=20
    )
    assert page.total > 0
    for record in page.items:
        assert expected.casefold() in record.search_text


def test_search_terms_with_quotes_and_wildcards_are_taken_literally(session: Session) -> None:
    process = get_process(session)
    for q in ('"', "%", "_", '"migrants" OR', "*", "NEAR(a b)"):
        list_inputs(session, process, InputFilter(q=q), by=Principal.public())
    assert list_inputs(session, process, InputFilter(q="100%"), by=Principal.public()).total == 0


def test_a_reason_too_long_is_refused_not_cut(bare_session: Session) -> None:
    process = get_process(bare_session)
    mexico = user(bare_session, Role.DELEGATION_MEMBER, actor_code="MEX")
    own = submit_input(bare_session, process, InputData(text="Ours to withdraw"), by=mexico)
    with pytest.raises(ValidationFailed, match="reason: is longer than 2,000 characters"):
        withdraw_input(bare_session, own, reason="x" * 2001, by=mexico)
    assert bare_session.get(Input, own.id).status != "withdrawn"  # type: ignore[union-attr]
    withdraw_input(bare_session, own, reason="y" * 2000, by=mexico)
    assert bare_session.get(Input, own.id).withdrawn_reason == "y" * 2000  # type: ignore[union-attr]

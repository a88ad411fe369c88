from __future__ import annotations

import pytest
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from stocktake.audit.models import AuditEvent
from stocktake.core.errors import Conflict, PermissionDenied, ValidationFailed
from stocktake.core.permissions import Principal, Role
from stocktake.negotiation.formats.reading import read_text
from stocktake.negotiation.models import (
    Amendment,
    AmendmentStatus,
    CompilationReaders,
    Draft,
    ParagraphStatus,
    PositionRole,
)
from stocktake.negotiation.services import (
    AmendmentData,
    decide_amendment,
    edit_element,
    get_draft,
    import_draft,
    issue_revision,
    propose_amendment,
    publish_revision,
    set_compilation_readers,
    set_paragraph_status,
    take_position,
    update_amendment,
)
from stocktake.process.services import get_process
from tests.factories.accounts import member_of
from tests.factories.registry import organisation
from tests.negotiation.conftest import SAMPLE, SYSTEM, eid_of

MEXICO = "MEX"
PHILIPPINES = "PHL"


def replace(draft: Draft, words: str, new: str, **extra: object) -> AmendmentData:
    return AmendmentData(
        kind="replace", target=eid_of(draft, "1"), quoted=words, new_text=new, **extra
    )  # type: ignore[arg-type]


def count(session: Session, draft: Draft) -> int:
    return (
        session.scalar(select(func.count(Amendment.id)).where(Amendment.draft_id == draft.id)) or 0
    )


def test_a_delegation_proposes_for_its_own_actor(bare_session: Session, bare_draft: Draft) -> None:
    mexico = member_of(bare_session, MEXICO)
    amendment = propose_amendment(
        bare_session,
        bare_draft,
        replace(bare_draft, "common understanding", "shared understanding"),
        by=mexico,
    )
    assert amendment.label == "A1"
    assert amendment.sponsors == ["MEX"]
    assert amendment.status == AmendmentStatus.PROPOSED
    assert amendment.anchor_start == len("This compact sets out a ")


def test_a_delegation_proposes_for_a_group_it_belongs_to_but_not_for_others(
    bare_session: Session, bare_draft: Draft
) -> None:
    mexico = member_of(bare_session, MEXICO)
    grulac = propose_amendment(
        bare_session,
        bare_draft,
        replace(bare_draft, "common", "joint", sponsor="RG-GRULAC"),
        by=mexico,
    )
    assert grulac.sponsors == ["RG-GRULAC"]
    for other in ("PHL", "EU"):
        with pytest.raises(PermissionDenied):
            propose_amendment(
                bare_session,
                bare_draft,
                replace(bare_draft, "common", "x", sponsor=other),
                by=mexico,
            )
    with pytest.raises(PermissionDenied):
        take_position(
            bare_session, bare_draft, grulac, PositionRole.SUPPORTER, actor="PHL", by=mexico
        )
    with pytest.raises(ValidationFailed):
        propose_amendment(
            bare_session,
            bare_draft,
            replace(bare_draft, "common", "x", co_sponsors=["PHL"]),
            by=mexico,
        )


def test_stakeholders_and_the_public_never_amend(bare_session: Session, bare_draft: Draft) -> None:
    stakeholder = member_of(bare_session, organisation(bare_session).code, Role.STAKEHOLDER)
    for who in (stakeholder, Principal.public()):
        with pytest.raises(PermissionDenied):
            propose_amendment(
                bare_session, bare_draft, replace(bare_draft, "common", "x", sponsor="MEX"), by=who
            )
    assert count(bare_session, bare_draft) == 0


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"quoted": "uncommon words", "new_text": "x"}, "quoted", "are not in the paragraph"),
        (
            {"quoted": "common", "occurrence": 2, "new_text": "x"},
            "quoted",
            "occur 1 time(s), not 2",
        ),
        ({"quoted": "common", "new_text": ""}, "new_text", "give the proposed words"),
        ({"kind": "move_paragraph", "destination": "para_999"}, "destination", "no element"),
        ({"kind": "move_paragraph", "destination": "SELF"}, "destination", "the paragraph itself"),
        ({"target": "para_999", "quoted": "x", "new_text": "y"}, "target", "no element"),
        ({"kind": "something", "quoted": "x"}, "kind", "unknown kind"),
    ],
)
def test_bad_amendments_are_refused_naming_the_field_and_nothing_is_stored(
    bare_session: Session, bare_draft: Draft, data: dict[str, object], field: str, message: str
) -> None:
    values = {"kind": "replace", "target": eid_of(bare_draft, "1"), **data}
    if values.get("destination") == "SELF":
        values["destination"] = values["target"]
    with pytest.raises(ValidationFailed) as caught:
        propose_amendment(
            bare_session,
            bare_draft,
            AmendmentData(**values, sponsor="MEX"),
            by=SYSTEM,  # type: ignore[arg-type]
        )
    problem = caught.value.problems[0]
    assert problem.where == field
    assert message in problem.message
    assert count(bare_session, bare_draft) == 0


def test_others_support_object_and_co_sponsor_as_themselves(
    bare_session: Session, bare_draft: Draft
) -> None:
    amendment = propose_amendment(
        bare_session,
        bare_draft,
        replace(bare_draft, "common", "joint"),
        by=member_of(bare_session, MEXICO),
    )
    philippines = member_of(bare_session, PHILIPPINES)
    take_position(bare_session, bare_draft, amendment, PositionRole.CO_SPONSOR, by=philippines)
    assert amendment.sponsors == ["MEX", "PHL"]
    take_position(bare_session, bare_draft, amendment, PositionRole.OBJECTOR, by=philippines)
    assert amendment.actors(PositionRole.OBJECTOR) == ["PHL"]
    assert amendment.sponsors == ["MEX"]
    with pytest.raises(Conflict):
        take_position(
            bare_session,
            bare_draft,
            amendment,
            PositionRole.SUPPORTER,
            by=member_of(bare_session, MEXICO),
        )


def test_only_the_secretariat_decides(bare_session: Session, bare_draft: Draft) -> None:
    mexico = member_of(bare_session, MEXICO)
    amendment = propose_amendment(
        bare_session, bare_draft, replace(bare_draft, "common", "joint"), by=mexico
    )
    with pytest.raises(PermissionDenied):
        decide_amendment(bare_session, bare_draft, amendment, AmendmentStatus.ACCEPTED, by=mexico)
    decide_amendment(
        bare_session, bare_draft, amendment, AmendmentStatus.UNDER_DISCUSSION, by=SYSTEM
    )
    with pytest.raises(ValidationFailed):
        decide_amendment(
            bare_session, bare_draft, amendment, AmendmentStatus.ACCEPTED_AS_MODIFIED, by=SYSTEM
        )
    decide_amendment(
        bare_session,
        bare_draft,
        amendment,
        AmendmentStatus.ACCEPTED_AS_MODIFIED,
        modified_text="mutual",
        by=SYSTEM,
    )
    assert amendment.status == AmendmentStatus.ACCEPTED_AS_MODIFIED
    with pytest.raises(Conflict):
        decide_amendment(bare_session, bare_draft, amendment, AmendmentStatus.REJECTED, by=SYSTEM)


def test_when_the_base_changes_an_amendment_is_re_anchored_or_flagged(
    bare_session: Session, bare_draft: Draft
) -> None:
    target = eid_of(bare_draft, "3")
    follows = propose_amendment(
        bare_session,
        bare_draft,
        AmendmentData(
            kind="replace", target=target, quoted="partners", new_text="others", sponsor="MEX"
        ),
        by=SYSTEM,
    )
    second = propose_amendment(
        bare_session,
        bare_draft,
        AmendmentData(kind="delete", target=target, quoted="data", occurrence=2, sponsor="PHL"),
        by=SYSTEM,
    )
    lost = propose_amendment(
        bare_session,
        bare_draft,
        AmendmentData(
            kind="insert", target=target, quoted="collect", new_text="and analyse", sponsor="EU"
        ),
        by=SYSTEM,
    )
    edit_element(
        bare_session,
        bare_draft,
        target,
        "We commit, as a first step, to gather data and to share data with partners.",
        by=SYSTEM,
    )
    assert not follows.in_conflict
    assert follows.anchor_start == len(
        "We commit, as a first step, to gather data and to share data with "
    )
    assert not second.in_conflict  # "data" still occurs twice
    assert lost.in_conflict
    assert "collect" in lost.conflict_reason
    with pytest.raises(Conflict):
        decide_amendment(bare_session, bare_draft, lost, AmendmentStatus.ACCEPTED, by=SYSTEM)
    update_amendment(bare_session, bare_draft, lost, quoted="gather", by=SYSTEM)
    assert not lost.in_conflict


def test_a_sponsor_edits_its_pending_amendment_and_no_one_else_does(
    bare_session: Session, bare_draft: Draft
) -> None:
    amendment = propose_amendment(
        bare_session,
        bare_draft,
        replace(bare_draft, "common", "joint"),
        by=member_of(bare_session, MEXICO),
    )
    with pytest.raises(PermissionDenied):
        update_amendment(
            bare_session,
            bare_draft,
            amendment,
            new_text="x",
            by=member_of(bare_session, PHILIPPINES),
        )
    update_amendment(
        bare_session, bare_draft, amendment, new_text="mutual", by=member_of(bare_session, MEXICO)
    )
    assert amendment.new_text == "mutual"


def test_two_editors_of_one_paragraph_the_second_gets_a_conflict(bare_engine: Engine) -> None:
    """Two sessions opened the same paragraph; the first saves, the second is refused by the
    database's version check (its own copy still says the version it read)."""
    with Session(bare_engine) as setup:
        draft = import_draft(
            setup, get_process(setup), read_text(SAMPLE), by=SYSTEM, source="locking"
        )
        draft_id, eid = draft.id, eid_of(draft, "1")
    try:
        with (
            Session(bare_engine, expire_on_commit=False) as first,
            Session(bare_engine, expire_on_commit=False) as second,
        ):
            a = get_draft(first, get_process(first), draft_id, by=SYSTEM)
            b = get_draft(second, get_process(second), draft_id, by=SYSTEM)
            first.commit()
            second.commit()  # both editors have the page open; no transaction is left open
            seen = next(e.version for e in b.elements if e.eid == eid)
            edit_element(first, a, eid, "First editor's words.", expected_version=seen, by=SYSTEM)
            with pytest.raises(Conflict):
                edit_element(second, b, eid, "Second words.", expected_version=seen, by=SYSTEM)
        with Session(bare_engine) as check:
            stored = get_draft(check, get_process(check), draft_id, by=SYSTEM)
            assert next(e.text for e in stored.elements if e.eid == eid) == "First editor's words."
    finally:
        with Session(bare_engine) as cleanup:  # the test committed: leave the database as it was
            cleanup.delete(cleanup.get(Draft, draft_id))
            cleanup.execute(
                delete(AuditEvent).where(
                    AuditEvent.target_type == "draft", AuditEvent.target_key == str(draft_id)
                )
            )
            cleanup.commit()


def test_a_stale_amendment_edit_gets_a_conflict(bare_session: Session, bare_draft: Draft) -> None:
    amendment = propose_amendment(
        bare_session, bare_draft, replace(bare_draft, "common", "joint", sponsor="MEX"), by=SYSTEM
    )
    seen = amendment.version
    update_amendment(
        bare_session, bare_draft, amendment, new_text="mutual", expected_version=seen, by=SYSTEM
    )
    with pytest.raises(Conflict):
        update_amendment(
            bare_session, bare_draft, amendment, new_text="other", expected_version=seen, by=SYSTEM
        )
    assert amendment.new_text == "mutual"


def _events(session: Session, action: str) -> int:
    return session.scalar(select(func.count()).where(AuditEvent.action == action)) or 0


def test_an_action_repeated_changes_nothing_and_records_nothing(
    bare_session: Session, bare_draft: Draft
) -> None:
    process = get_process(bare_session)
    issue_revision(bare_session, bare_draft, by=SYSTEM)
    mexico = member_of(bare_session, "MEX")
    amendment = propose_amendment(
        bare_session,
        bare_draft,
        AmendmentData(
            kind="replace", target=eid_of(bare_draft, "1"), quoted="common", new_text="shared"
        ),
        by=mexico,
    )
    philippines = member_of(bare_session, "PHL")
    repeats = [
        (
            "negotiation:amendment:position",
            lambda: take_position(
                bare_session, bare_draft, amendment, PositionRole.SUPPORTER, by=philippines
            ),
        ),
        (
            "negotiation:amendment:update",
            lambda: update_amendment(
                bare_session, bare_draft, amendment, new_text="shared  ", by=SYSTEM
            ),
        ),
        (
            "negotiation:revision:publish",
            lambda: publish_revision(bare_session, bare_draft, 0, by=SYSTEM),
        ),
        (
            "negotiation:element:status",
            lambda: set_paragraph_status(
                bare_session, bare_draft, eid_of(bare_draft, "2"), ParagraphStatus.AGREED, by=SYSTEM
            ),
        ),
        (
            "negotiation:settings:change",
            lambda: set_compilation_readers(
                bare_session, process, CompilationReaders.GOVERNMENTAL, by=SYSTEM
            ),
        ),
    ]
    for action, act in repeats:
        before = _events(bare_session, action)
        for _ in range(30):
            act()
        # the first changed something (but the update, whose words are the same): one event
        expected = 0 if action == "negotiation:amendment:update" else 1
        assert _events(bare_session, action) - before == expected, action
    assert amendment.actors(PositionRole.SUPPORTER) == ["PHL"]
    take_position(bare_session, bare_draft, amendment, PositionRole.OBJECTOR, by=philippines)
    assert amendment.actors(PositionRole.OBJECTOR) == ["PHL"]


def test_agreed_words_replace_whole_words(bare_session: Session, bare_draft: Draft) -> None:
    """The quoted "unprecedented " (a space after it) agreed as "comprehensive": the space stays,
    the words do not run together."""
    target = eid_of(bare_draft, "1")
    edit_element(
        bare_session,
        bare_draft,
        target,
        text="This compact is an unprecedented review of safe and orderly migration.",
        by=SYSTEM,
    )
    amendment = propose_amendment(
        bare_session,
        bare_draft,
        AmendmentData(kind="delete", target=target, quoted="unprecedented ", sponsor=MEXICO),
        by=SYSTEM,
    )
    decide_amendment(
        bare_session,
        bare_draft,
        amendment,
        AmendmentStatus.ACCEPTED_AS_MODIFIED,
        modified_text=" comprehensive ",
        by=SYSTEM,
    )
    revision = issue_revision(bare_session, bare_draft, by=SYSTEM)
    text = next(e["text"] for e in revision.elements if e["eid"] == target)
    assert text == "This compact is an comprehensive review of safe and orderly migration."


def test_agreed_words_that_would_join_two_words_are_refused(
    bare_session: Session, bare_draft: Draft
) -> None:
    target = eid_of(bare_draft, "1")
    amendment = propose_amendment(
        bare_session,
        bare_draft,
        AmendmentData(kind="delete", target=target, quoted="derstanding", sponsor=MEXICO),
        by=SYSTEM,
    )
    with pytest.raises(ValidationFailed) as refused:
        decide_amendment(
            bare_session,
            bare_draft,
            amendment,
            AmendmentStatus.ACCEPTED_AS_MODIFIED,
            modified_text="agreement",
            by=SYSTEM,
        )
    message = str(refused.value.problems)
    assert "paragraph 1" in message
    assert "'un'" in message
    assert "'agreement'" in message
    assert amendment.status == AmendmentStatus.PROPOSED
    with pytest.raises(ValidationFailed, match="quote whole words"):
        propose_amendment(
            bare_session,
            bare_draft,
            AmendmentData(
                kind="replace", target=target, quoted="ommon", new_text="shared", sponsor=MEXICO
            ),
            by=SYSTEM,
        )

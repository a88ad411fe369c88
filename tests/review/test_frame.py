"""The frame of follow-up taken from an issued revision of a negotiated draft."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from stocktake.core.errors import NotFound, PermissionDenied, ValidationFailed
from stocktake.core.permissions import Principal, Role
from stocktake.negotiation.formats.reading import read_text
from stocktake.negotiation.services import import_draft
from stocktake.negotiation.services.revisions import issue_revision
from stocktake.process.services import get_process
from stocktake.review.services.frame import (
    frame_from_elements,
    get_objective,
    load_frame,
    load_frame_from_draft,
    read_frame_file,
)
from stocktake.review.services.pledges import PledgeData, submit_pledge
from tests.factories.review import frame

SYSTEM = Principal.system()
ADOPTED = """# A compact on cooperation

Recalling the Charter of the United Nations,

## Our vision

1. This compact sets out a common understanding.

## Objective 1: Collect and use accurate data

2. We commit to strengthen the evidence base on migration.
(a) Elaborate a comprehensive strategy for migration data;
(b) Improve the comparability of migration statistics;

## Objective 2: Reduce the costs of remittances

3. We commit to promote cheaper remittances.
(a) Develop a road map to reduce transaction costs;
"""


def test_the_final_revision_gives_the_objectives_and_their_actions(bare_session: Session) -> None:
    process = get_process(bare_session)
    draft = import_draft(
        bare_session, process, read_text(ADOPTED, "adopted.md"), by=SYSTEM, source="adopted.md"
    )
    issue_revision(bare_session, draft, final=True, by=SYSTEM)

    assert load_frame_from_draft(bare_session, process, draft.id, by=SYSTEM).objectives == 2
    first = get_objective(bare_session, process, 1)
    assert first.title == "Collect and use accurate data"
    assert [(a.letter, a.text) for a in first.actions] == [
        ("a", "Elaborate a comprehensive strategy for migration data;"),
        ("b", "Improve the comparability of migration statistics;"),
    ]
    second = get_objective(bare_session, process, 2)
    assert second.title == "Reduce the costs of remittances"
    assert "adopted" in second.source or draft.title in second.source
    with pytest.raises(NotFound):
        load_frame_from_draft(bare_session, process, draft.id, revision=99, by=SYSTEM)


def test_only_the_secretariat_loads_the_frame_from_a_draft(bare_session: Session) -> None:
    process = get_process(bare_session)
    draft = import_draft(
        bare_session, process, read_text(ADOPTED, "adopted.md"), by=SYSTEM, source="adopted.md"
    )
    with pytest.raises(ValidationFailed, match="issue one"):
        load_frame_from_draft(bare_session, process, draft.id, by=SYSTEM)
    with pytest.raises(PermissionDenied):
        load_frame_from_draft(
            bare_session, process, draft.id, by=Principal(role=Role.DELEGATION_MEMBER, user_id=1)
        )


def test_a_text_without_objective_sections_is_refused_by_name() -> None:
    elements = [{"kind": "heading", "number": "I.", "text": "Our vision"}]
    with pytest.raises(ValidationFailed, match="Objective N"):
        frame_from_elements(elements, "Rev.1")


FIRST = """source: A/RES/73/195
objectives:
  - number: 20
    title: Promote faster, safer and cheaper transfer of remittances
    actions:
      - {letter: a, text: Develop a road map}
      - {letter: b, text: Develop an enabling regulatory environment}
"""
SECOND = """source: A/RES/73/195, corrected
objectives:
  - number: 20
    title: Promote faster, safer and cheaper transfer of remittances
    actions:
      - {letter: a, text: Develop a road map to reduce costs}
      - {letter: c, text: Harmonize regulations}
"""


def pledge_data(actions: list[str]) -> PledgeData:
    return PledgeData(
        actor="MEX",
        title="Cheaper remittances",
        description="A pledge to lower the cost of sending money home. " * 8,
        kind="policy",
        level="national",
        objectives=[20],
        actions=actions,
        start_year=2024,
        end_year=2027,
    )


def test_reloading_the_frame_keeps_every_link(bare_session: Session, tmp_path: Path) -> None:
    frame(bare_session)  # the GCM's 23 objectives with their SDG links
    process = get_process(bare_session)
    shipped = list(get_objective(bare_session, process, 20).sdg_indicators)
    assert shipped
    path = tmp_path / "frame.yml"
    path.write_text(FIRST)
    first = load_frame(bare_session, process, read_frame_file(path), by=SYSTEM)
    assert first.added == ["20(a)", "20(b)"]
    assert first.retired == [str(n) for n in range(1, 24) if n != 20]
    pledge = submit_pledge(bare_session, process, pledge_data(actions=["20(b)"]), by=SYSTEM)
    path.write_text(SECOND)
    second = load_frame(bare_session, process, read_frame_file(path), by=SYSTEM)
    assert (second.added, second.changed, second.retired) == (["20(c)"], ["20(a)"], ["20(b)"])
    remittances = get_objective(bare_session, process, 20)
    assert remittances.sdg_indicators == shipped  # the file gives none: the links stay
    bare_session.refresh(pledge)
    assert [(a.ref, a.retired) for a in pledge.actions] == [("20(b)", True)]
    assert [a.letter for a in remittances.actions if not a.retired] == ["a", "c"]
    assert get_objective(bare_session, process, 1).retired  # kept, marked


@pytest.mark.parametrize("written", ["20(b)", "20 (b)", "20b", "20.b", "20(B)"])
def test_a_pledge_names_an_action_as_the_form_shows_it(
    bare_session: Session, tmp_path: Path, written: str
) -> None:
    frame(bare_session)
    process = get_process(bare_session)
    path = tmp_path / "frame.yml"
    path.write_text(FIRST)
    load_frame(bare_session, process, read_frame_file(path), by=SYSTEM)
    pledge = submit_pledge(bare_session, process, pledge_data(actions=[written]), by=SYSTEM)
    assert [a.ref for a in pledge.actions] == ["20(b)"]


def test_an_action_the_frame_does_not_list_is_refused_naming_those_it_does(
    bare_session: Session, tmp_path: Path
) -> None:
    frame(bare_session)
    process = get_process(bare_session)
    path = tmp_path / "frame.yml"
    path.write_text(FIRST)
    load_frame(bare_session, process, read_frame_file(path), by=SYSTEM)
    with pytest.raises(ValidationFailed) as caught:
        submit_pledge(bare_session, process, pledge_data(actions=["20(z)", "6(a)"]), by=SYSTEM)
    assert [str(p) for p in caught.value.problems] == [
        "actions: action 20(z) does not exist; objective 20 has 20(a), 20(b)",
        "actions: the frame lists no actions for objective 6",
    ]

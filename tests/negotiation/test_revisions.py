from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from stocktake.core.errors import Conflict, ValidationFailed
from stocktake.negotiation.formats.compare import compare_nodes, summary_counts
from stocktake.negotiation.models import AmendmentStatus, Draft, DraftRevision
from stocktake.negotiation.services import (
    AmendmentData,
    decide_amendment,
    edit_element,
    issue_revision,
    lineage,
    propose_amendment,
    revision_nodes,
    working_nodes,
)
from tests.negotiation.conftest import SYSTEM, eid_of


def accept(session: Session, draft: Draft, data: AmendmentData) -> None:
    amendment = propose_amendment(session, draft, data, by=SYSTEM)
    decide_amendment(session, draft, amendment, AmendmentStatus.ACCEPTED, by=SYSTEM)


def two_revisions(session: Session, draft: Draft) -> tuple[DraftRevision, DraftRevision]:
    """The zero draft, then Rev.1 with a word change, a new paragraph and a move."""
    zero = issue_revision(session, draft, by=SYSTEM)
    one, three, four = eid_of(draft, "1"), eid_of(draft, "3"), eid_of(draft, "4")
    accept(
        session,
        draft,
        AmendmentData(
            kind="replace", target=one, quoted="common", new_text="shared", sponsor="MEX"
        ),
    )
    accept(
        session,
        draft,
        AmendmentData(kind="add_paragraph", target=one, new_text="A new paragraph.", sponsor="PHL"),
    )
    accept(
        session,
        draft,
        AmendmentData(kind="move_paragraph", target=four, destination=one, sponsor="EU"),
    )
    assert three
    return zero, issue_revision(session, draft, note="first revision", by=SYSTEM)


def test_rev_1_applies_the_accepted_amendments_and_renumbers(
    bare_session: Session, bare_draft: Draft
) -> None:
    zero, first = two_revisions(bare_session, bare_draft)
    assert (zero.label, first.label) == ("Zero draft", "Rev.1")
    assert first.applied == [1, 2, 3]
    texts = [(n.number, n.text) for n in revision_nodes(first) if n.kind == "paragraph"]
    assert texts[0] == (
        "1",
        "This compact sets out a shared understanding of safe and orderly migration.",
    )
    assert texts[1][1] == "We commit to provide accurate information at all stages of migration."
    assert texts[2] == ("3", "A new paragraph.")
    assert [n for n, _ in texts] == ["1", "2", "3", "4", "5"]
    # the working text is Rev.1 now; the zero draft is as it was
    assert [n.text for n in working_nodes(bare_draft)] == [n.text for n in revision_nodes(first)]
    assert revision_nodes(zero)[4].text.startswith("This compact sets out a common")


def test_the_comparison_follows_paragraphs_across_renumbering_and_moves(
    bare_session: Session, bare_draft: Draft
) -> None:
    zero, first = two_revisions(bare_session, bare_draft)
    rows = compare_nodes(revision_nodes(zero), revision_nodes(first))
    by_eid = {r.eid: r for r in rows}
    changed = by_eid[eid_of(bare_draft, "1")]
    assert changed.change == "changed"
    assert ("delete", " common") in changed.ops
    assert ("insert", " shared") in changed.ops
    moved = by_eid[eid_of(bare_draft, "2")]
    assert moved.old is not None
    assert moved.new is not None
    assert moved.change == "unchanged"
    assert moved.old.number == "4"
    assert moved.new.number == "2"
    assert moved.moved
    assert summary_counts(rows) == {
        "changed": 1,
        "added": 1,
        "deleted": 0,
        "moved": 1,
        "renumbered": 3,
    }


def test_each_paragraph_shows_its_lineage(bare_session: Session, bare_draft: Draft) -> None:
    two_revisions(bare_session, bare_draft)
    one = eid_of(bare_draft, "1")
    steps = lineage(bare_draft, one)
    assert [(s.revision, s.change, s.amendments) for s in steps] == [
        ("Zero draft", "new", []),
        ("Rev.1", "changed", ["A1"]),
    ]
    moved = lineage(bare_draft, eid_of(bare_draft, "2"))
    assert [s.change for s in moved] == ["new", "moved"]


def test_an_issued_revision_never_changes_through_the_service_layer(
    bare_session: Session, bare_draft: Draft
) -> None:
    zero = issue_revision(bare_session, bare_draft, by=SYSTEM)
    zero.note = "rewritten"
    with pytest.raises(Conflict):
        bare_session.flush()
    bare_session.rollback()


def test_an_issued_revision_never_changes_in_the_database(
    bare_session: Session, bare_draft: Draft
) -> None:
    zero = issue_revision(bare_session, bare_draft, by=SYSTEM)
    with pytest.raises(DBAPIError) as caught:
        bare_session.execute(
            text("UPDATE draft_revision SET elements = '[]' WHERE id = :id"), {"id": zero.id}
        )
    assert "issued revisions never change" in str(caught.value)
    bare_session.rollback()


def test_editing_the_working_text_leaves_issued_revisions_alone(
    bare_session: Session, bare_draft: Draft
) -> None:
    zero = issue_revision(bare_session, bare_draft, by=SYSTEM)
    edit_element(bare_session, bare_draft, eid_of(bare_draft, "1"), "Rewritten.", by=SYSTEM)
    assert revision_nodes(zero)[4].text.startswith("This compact sets out")


def test_an_accepted_amendment_that_no_longer_fits_stops_the_revision(
    bare_session: Session, bare_draft: Draft
) -> None:
    issue_revision(bare_session, bare_draft, by=SYSTEM)
    three = eid_of(bare_draft, "3")
    accept(
        bare_session,
        bare_draft,
        AmendmentData(kind="delete", target=three, quoted="to share data ", sponsor="MEX"),
    )
    accept(
        bare_session,
        bare_draft,
        AmendmentData(
            kind="replace", target=three, quoted="share data with", new_text="x", sponsor="PHL"
        ),
    )
    with pytest.raises(ValidationFailed) as caught:
        issue_revision(bare_session, bare_draft, by=SYSTEM)
    assert caught.value.problems[0].where == "A2"
    assert len(bare_draft.revisions) == 1
    assert (
        working_nodes(bare_draft)[9].text
        == "We commit to collect data and to share data with partners."
    )


def test_the_final_text_ends_the_revisions(bare_session: Session, bare_draft: Draft) -> None:
    issue_revision(bare_session, bare_draft, by=SYSTEM)
    final = issue_revision(bare_session, bare_draft, final=True, by=SYSTEM)
    assert final.label == "Final"
    with pytest.raises(Conflict):
        issue_revision(bare_session, bare_draft, by=SYSTEM)

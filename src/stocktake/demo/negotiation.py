"""The negotiation's demo: the GCM zero draft skeleton, amendments from demo delegations, two
revisions, rounds and paragraph statuses (idempotent: nothing happens when the draft exists)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from stocktake.accounts.models import User
from stocktake.accounts.services import principal_for
from stocktake.core.db import transaction
from stocktake.core.permissions import Principal
from stocktake.demo.dates import (
    REV1_ISSUED,
    ZERO_DRAFT_ISSUED,
    date_the_decisions,
    date_the_tabling,
)
from stocktake.meetings.models import Meeting
from stocktake.negotiation.formats.reading import read_text
from stocktake.negotiation.models import AmendmentStatus, Draft, ParagraphStatus, PositionRole
from stocktake.negotiation.services import (
    AmendmentData,
    PaperDetails,
    add_language_version,
    decide_amendment,
    import_draft,
    issue_revision,
    propose_amendment,
    publish_revision,
    record_round,
    set_paper_details,
    set_paragraph_status,
    take_position,
    working_nodes,
)
from stocktake.process.models import Process

DATA = Path(__file__).resolve().parent / "data"
ZERO_DRAFT = DATA / "gcm-zero-draft.md"
DEMO_SOURCE = "gcm-zero-draft.md"
REV1_VERSIONS = {"fr": "gcm-rev1-fr.md", "es": "gcm-rev1-es.md"}
"""Rev.1 in French and Spanish, element by element as the English."""


def _delegation(session: Session, email: str) -> Principal:
    user = session.scalar(select(User).where(User.email == email))
    assert user is not None, email  # the demo users are loaded first
    return principal_for(user)


def load_negotiation_demo(session: Session, process: Process, *, by: Principal) -> int:
    """Import the zero draft, issue it, record amendments and decisions, issue Rev.1, record
    rounds; returns 1 when the draft was created, 0 when it was there already."""
    if session.scalar(select(Draft.id).where(Draft.source == DEMO_SOURCE)) is not None:
        return 0
    parsed = read_text(ZERO_DRAFT.read_text(encoding="utf-8"), DEMO_SOURCE)
    draft = import_draft(session, process, parsed, by=by, source=DEMO_SOURCE)
    set_paper_details(session, draft, PaperDetails(symbol="A/CONF.231/3"), by=by)
    zero = issue_revision(
        session, draft, note="Zero draft of 5 February 2018", issued_at=ZERO_DRAFT_ISSUED, by=by
    )
    publish_revision(session, draft, zero.number, by=by)
    paragraphs = {n.number: n.eid for n in working_nodes(draft) if n.kind == "paragraph"}
    mexico = _delegation(session, "mexico@gcm.example")
    philippines = _delegation(session, "philippines@gcm.example")
    proposals = [
        (
            mexico,
            AmendmentData(
                kind="replace",
                target=paragraphs["5"],
                quoted="strengthen the global evidence base",
                new_text="improve the global evidence base",
                justification="Builds on existing data systems.",
            ),
        ),
        (
            philippines,
            AmendmentData(
                kind="insert",
                target=paragraphs["9"],
                quoted="all migrant workers",
                new_text=", including domestic workers,",
                justification="Domestic workers are among the most exposed.",
            ),
        ),
        (
            mexico,
            AmendmentData(
                kind="alternative",
                target=paragraphs["2"],
                sponsor="RG-GRULAC",
                new_text="Migration has been part of the human experience throughout history; "
                "we recognize that safe, orderly and regular migration is a source of prosperity, "
                "innovation and sustainable development.",
            ),
        ),
        (
            by,
            AmendmentData(
                kind="add_paragraph",
                target=paragraphs["6"],
                sponsor="AFRICAN-GROUP",
                new_text="We commit to invest in programmes that accelerate States' fulfilment "
                "of the 2030 Agenda for Sustainable Development.",
            ),
        ),
        (
            by,
            AmendmentData(
                kind="insert",
                target=paragraphs["8"],
                sponsor="EU",
                quoted="regular migration",
                new_text="in accordance with national priorities",
            ),
        ),
        (
            philippines,
            AmendmentData(
                kind="delete",
                target=paragraphs["10"],
                quoted="existing ",
            ),
        ),
        (
            by,
            AmendmentData(
                kind="move_paragraph",
                target=paragraphs["3"],
                sponsor="EU",
                destination=paragraphs["1"],
            ),
        ),
    ]
    amendments = [propose_amendment(session, draft, data, by=who) for who, data in proposals]
    date_the_tabling(session, amendments)
    take_position(session, draft, amendments[0], PositionRole.SUPPORTER, by=philippines)
    take_position(session, draft, amendments[1], PositionRole.CO_SPONSOR, by=mexico)
    take_position(session, draft, amendments[3], PositionRole.OBJECTOR, actor="EU", by=by)
    for amendment, status in (
        (amendments[0], AmendmentStatus.ACCEPTED),
        (amendments[1], AmendmentStatus.ACCEPTED),
        (amendments[6], AmendmentStatus.ACCEPTED),
        (amendments[5], AmendmentStatus.REJECTED),
        (amendments[3], AmendmentStatus.UNDER_DISCUSSION),
    ):
        decide_amendment(session, draft, amendment, status, by=by)
    for number, paragraph_status in (
        ("1", ParagraphStatus.AGREED_AD_REF),
        ("3", ParagraphStatus.AGREED_AD_REF),
        ("5", ParagraphStatus.UNDER_DISCUSSION),
        ("9", ParagraphStatus.UNDER_DISCUSSION),
    ):
        set_paragraph_status(session, draft, paragraphs[number], paragraph_status, by=by)
    first = issue_revision(
        session, draft, note="Revision 1 of 5 March 2018", issued_at=REV1_ISSUED, by=by
    )
    for language, name in REV1_VERSIONS.items():
        version = read_text((DATA / name).read_text(encoding="utf-8"), name)
        add_language_version(
            session, draft, language, version, revision=first.number, source=name, by=by
        )
    rounds = [("negotiation-1-2018", zero.number), ("negotiation-2-2018", zero.number)]
    rounds.append(("negotiation-3-2018", first.number))
    for slug, revision in rounds:
        meeting = session.scalar(select(Meeting).where(Meeting.slug == slug))
        if meeting is not None:
            record_round(
                session,
                draft,
                name=meeting.title,
                start=meeting.start_date,
                end=meeting.end_date,
                revision=revision,
                meeting=meeting,
                by=by,
            )
    with transaction(session):
        # decided before the rounds were recorded; in the story they were taken in the round the
        # amendments were tabled for, before Rev.1 of 5 March 2018 (dated so below)
        for amendment in amendments:
            if amendment.decided_at is not None:
                amendment.decided_round_id = amendment.round_id
    for number in ("1", "3"):
        set_paragraph_status(session, draft, paragraphs[number], ParagraphStatus.AGREED, by=by)
    date_the_decisions(session, draft, amendments)
    return 1

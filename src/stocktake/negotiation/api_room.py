"""The JSON API of the room's tools: merging amendments, a round's deadline for tabling and the
list of decisions (beside `api.py`, whose routes it shares the prefix of)."""

from __future__ import annotations

from fastapi import APIRouter

from stocktake.core.permissions import Permission
from stocktake.negotiation.schemas import (
    AmendmentOut,
    DeadlineIn,
    DecisionOut,
    DecisionsOut,
    MergeIn,
    RoundOut,
)
from stocktake.negotiation.services import get_draft, require_working_text
from stocktake.negotiation.services.merging import merge_amendments
from stocktake.negotiation.services.room import decisions_of, get_round, set_tabling_deadline
from stocktake.process.deps import CurrentProcess
from stocktake.web.deps import ApiPrincipal, DbSession

router = APIRouter(tags=["negotiation"])


@router.post(
    "/drafts/{draft_id}/amendments/merge",
    response_model=AmendmentOut,
    summary="The secretariat merges identical amendments, or several into a compromise text",
)
def post_merge(
    draft_id: int, body: MergeIn, session: DbSession, process: CurrentProcess, by: ApiPrincipal
) -> AmendmentOut:
    """Returns the amendment they were merged into (the first of identical ones, or a new one
    holding the compromise text); 409 when one is decided already, 422 when they amend other
    paragraphs or, without a compromise text, propose other words."""
    draft = get_draft(session, process, draft_id, by=by, acting=Permission.AMENDMENTS_DECIDE)
    into = merge_amendments(
        session, draft, body.amendments, new_text=body.new_text, quoted=body.quoted, by=by
    )
    return AmendmentOut.of(into)


@router.put(
    "/drafts/{draft_id}/rounds/{round_id}/deadline",
    response_model=RoundOut,
    summary="The secretariat sets a round's deadline for tabling amendments",
)
def put_deadline(
    draft_id: int,
    round_id: int,
    body: DeadlineIn,
    session: DbSession,
    process: CurrentProcess,
    by: ApiPrincipal,
) -> RoundOut:
    draft = get_draft(session, process, draft_id, by=by, acting=Permission.DRAFTS_MANAGE)
    item = get_round(session, draft, round_id)
    set_tabling_deadline(session, draft, item, body.deadline, refuse_late=body.refuse_late, by=by)
    revision = next(r for r in draft.revisions if r.number == item.revision_number)
    return RoundOut(
        id=item.id,
        tabling_deadline=item.tabling_deadline,
        refuse_late=item.refuse_late,
        name=item.name,
        dates=f"{item.start_date:%d %b %Y}–{item.end_date:%d %b %Y}",
        revision=revision.label,
        paragraphs_by_status={},
    )


@router.get(
    "/drafts/{draft_id}/decisions",
    response_model=DecisionsOut,
    summary="The decisions on a round's amendments (every round's when none is named)",
)
def read_decisions(
    draft_id: int,
    session: DbSession,
    process: CurrentProcess,
    by: ApiPrincipal,
    round: int | None = None,
) -> DecisionsOut:
    draft = get_draft(session, process, draft_id, by=by)
    require_working_text(session, process, by)
    item = get_round(session, draft, round) if round is not None else None
    decisions = decisions_of(session, draft, item)
    return DecisionsOut(
        round=decisions.title,
        decisions=[
            DecisionOut(
                amendment=d.label,
                paragraph=d.paragraph,
                sponsors=d.sponsors,
                sponsor_names=d.sponsor_names,
                decision=d.decision,
                decided_at=d.decided_at,
                late=d.late,
                modified_text=d.modified_text,
                tabled_for=d.tabled_for,
            )
            for d in decisions.rows
        ],
        pending=decisions.pending,
    )

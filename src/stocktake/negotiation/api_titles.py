"""The JSON API that names drafts: a zero draft started from a Chair's summary with its title,
and a draft renamed (beside `api.py`, whose routes it shares the prefix of)."""

from __future__ import annotations

from fastapi import APIRouter

from stocktake.core.permissions import Permission
from stocktake.negotiation.schemas import DraftOut, TitleIn, ZeroDraftIn
from stocktake.negotiation.services import draft_from_summary, get_draft, rename_draft
from stocktake.process.deps import CurrentProcess
from stocktake.web.deps import ApiPrincipal, DbSession

router = APIRouter(tags=["negotiation"])


@router.post(
    "/drafts/from-summary",
    response_model=DraftOut,
    status_code=201,
    summary="The secretariat starts a zero draft from a Chair's summary, with its title",
)
def post_from_summary(
    body: ZeroDraftIn, session: DbSession, process: CurrentProcess, by: ApiPrincipal
) -> DraftOut:
    """Each statement of the summary becomes an objective to edit, in the summary's language;
    titled with the process's name unless a title is given."""
    draft = draft_from_summary(
        session, process, body.summary, version=body.version, title=body.title, by=by
    )
    return DraftOut.of(draft, draft.revisions, by)


@router.put(
    "/drafts/{draft_id}/title",
    response_model=DraftOut,
    summary="The secretariat renames a draft",
)
def put_title(
    draft_id: int, body: TitleIn, session: DbSession, process: CurrentProcess, by: ApiPrincipal
) -> DraftOut:
    draft = get_draft(session, process, draft_id, by=by, acting=Permission.DRAFTS_MANAGE)
    rename_draft(session, draft, body.title, by=by)
    return DraftOut.of(draft, draft.revisions, by)

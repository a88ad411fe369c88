"""Pages that name a draft: the zero draft started from a Chair's summary, with the title the
secretariat gives it, and a draft renamed."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from stocktake.core.permissions import Permission
from stocktake.negotiation.services import draft_from_summary, get_draft, rename_draft
from stocktake.negotiation.views.helpers import back
from stocktake.process.deps import CurrentProcess
from stocktake.web.deps import CheckCsrf, DbSession, PagePrincipal
from stocktake.web.flash import Plural, flash

router = APIRouter(include_in_schema=False)


@router.post("/drafts/from-summary", dependencies=[CheckCsrf])
def post_from_summary(
    request: Request,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    summary: Annotated[int, Form()] = 0,
    title: Annotated[str, Form()] = "",
) -> Response:
    """Start a zero draft from a Chair's summary: each statement becomes an objective to edit."""
    draft = draft_from_summary(session, process, summary, title=title, by=by)
    flash(
        request,
        Plural(
            "Zero draft started from the Chair's summary: %(num)s element to edit.",
            "Zero draft started from the Chair's summary: %(num)s elements to edit.",
            len(draft.elements),
        ),
    )
    return back(draft)


@router.post("/drafts/{draft_id}/title", dependencies=[CheckCsrf])
def post_title(
    request: Request,
    draft_id: int,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    title: Annotated[str, Form()] = "",
) -> Response:
    """The secretariat renames a draft."""
    draft = get_draft(session, process, draft_id, by=by, acting=Permission.DRAFTS_MANAGE)
    rename_draft(session, draft, title, by=by)
    flash(request, "The draft is now titled “%(title)s”.", values={"title": draft.title})
    return back(draft)

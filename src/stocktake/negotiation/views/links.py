"""The secretariat's forms on the thread: link a cluster to a paragraph, ask for suggestions,
confirm, reject or remove a link. Each goes back to the paragraph's thread with a notice."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from stocktake.core.errors import NotFound
from stocktake.core.permissions import Permission
from stocktake.negotiation.services import (
    confirm_link,
    get_draft,
    link_cluster,
    reject_link,
    suggest_links,
    unlink,
)
from stocktake.process.deps import CurrentProcess
from stocktake.web.deps import CheckCsrf, DbSession, PagePrincipal
from stocktake.web.flash import flash

router = APIRouter(include_in_schema=False)


def _thread(draft_id: int, eid: str) -> RedirectResponse:
    return RedirectResponse(f"/drafts/{draft_id}/paragraphs/{eid}/thread", status_code=303)


@router.post("/drafts/{draft_id}/links", dependencies=[CheckCsrf])
def post_link(
    request: Request,
    draft_id: int,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    eid: Annotated[str, Form(max_length=40)],
    cluster: Annotated[int, Form(ge=0)],
    run: Annotated[int | None, Form()] = None,
    note: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    draft = get_draft(session, process, draft_id, by=by, acting=Permission.THREAD_LINK)
    link = link_cluster(session, process, draft, eid, cluster, run_id=run, note=note, by=by)
    flash(request, f"Cluster {cluster} ({link.cluster_label}) is linked to this paragraph.")
    return _thread(draft.id, eid)


@router.post("/drafts/{draft_id}/links/suggest", dependencies=[CheckCsrf])
def post_suggest(
    request: Request,
    draft_id: int,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    eid: Annotated[str, Form(max_length=40)],
) -> Response:
    draft = get_draft(session, process, draft_id, by=by, acting=Permission.THREAD_LINK)
    made = suggest_links(session, process, draft, eids=[eid], by=by)
    flash(
        request,
        f"{len(made)} clusters suggested: confirm or reject each."
        if made
        else "No cluster is close enough to suggest (or this paragraph is linked already).",
        "success" if made else "warning",
    )
    return _thread(draft.id, eid)


@router.post("/drafts/{draft_id}/links/{link_id}/{action}", dependencies=[CheckCsrf])
def post_decision(
    request: Request,
    draft_id: int,
    link_id: int,
    action: str,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    note: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """Confirm, reject or remove (`unlink`) a link."""
    acts = {"confirm": confirm_link, "reject": reject_link, "unlink": unlink}
    draft = get_draft(session, process, draft_id, by=by, acting=Permission.THREAD_LINK)
    if action not in acts:
        raise NotFound("action on a link", action)
    link = acts[action](session, draft, link_id, note=note, by=by)
    done = {"confirm": "confirmed", "reject": "rejected", "unlink": "removed"}[action]
    flash(request, f"The link of cluster {link.cluster_number} is {done}.")
    return _thread(draft.id, link.eid)

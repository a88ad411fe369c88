"""The secretariat's forms on the thread: link a cluster to a paragraph, ask for suggestions,
confirm, reject or remove a link. Each goes back to the paragraph's thread with a notice."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from stocktake.core.errors import NotFound
from stocktake.core.permissions import Permission
from stocktake.core.translation import Text
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
from stocktake.web.flash import Plural, flash
from stocktake.web.languages import translatable

router = APIRouter(include_in_schema=False)
LINK_DONE = {
    "confirm": translatable("The link of cluster %(cluster)s is confirmed."),
    "reject": translatable("The link of cluster %(cluster)s is rejected."),
    "unlink": translatable("The link of cluster %(cluster)s is removed."),
}


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
    flash(
        request,
        "Cluster %(cluster)s (%(label)s) is linked to this paragraph.",
        values={"cluster": cluster, "label": link.cluster_label},
    )
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
    if made:
        flash(
            request,
            Plural(
                "%(num)s cluster suggested: confirm or reject it.",
                "%(num)s clusters suggested: confirm or reject each.",
                len(made),
            ),
        )
    else:
        flash(
            request,
            "No cluster is close enough to suggest (or this paragraph is linked already).",
            "warning",
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
        raise NotFound(Text("action on a link"), action)
    link = acts[action](session, draft, link_id, note=note, by=by)
    flash(request, LINK_DONE[action], values={"cluster": link.cluster_number})
    return _thread(draft.id, link.eid)

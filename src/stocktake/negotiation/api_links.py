"""The thread's links in the JSON API: list a draft's links, link a cluster to a paragraph by hand,
ask for suggestions by similarity, confirm or reject a suggestion, remove a link."""

from __future__ import annotations

from fastapi import APIRouter

from stocktake.core.permissions import Permission
from stocktake.negotiation.models import ThreadLink
from stocktake.negotiation.schemas import LinkDecisionIn, LinkIn, LinkOut, SuggestIn
from stocktake.negotiation.services import (
    confirm_link,
    get_draft,
    link_cluster,
    readable_links,
    reject_link,
    suggest_links,
    unlink,
)
from stocktake.negotiation.services.link_queries import readable_inputs
from stocktake.process.deps import CurrentProcess
from stocktake.web.deps import ApiPrincipal, DbSession

router = APIRouter(tags=["thread"])


def _out(session: DbSession, links: list[ThreadLink], by: ApiPrincipal) -> list[LinkOut]:
    seen = readable_inputs(session, by, [i for link in links for i in link.input_ids])
    return [LinkOut.of(link, by, [i for i in link.input_ids if i in seen]) for link in links]


@router.get(
    "/drafts/{draft_id}/links",
    response_model=list[LinkOut],
    summary="A draft's links from clusters to paragraphs (suggestions only for the secretariat)",
)
def read_links(
    draft_id: int,
    session: DbSession,
    process: CurrentProcess,
    by: ApiPrincipal,
    eid: str | None = None,
) -> list[LinkOut]:
    draft = get_draft(session, process, draft_id, by=by)
    return _out(session, readable_links(session, process, draft, by=by, eid=eid), by)


@router.post(
    "/drafts/{draft_id}/links",
    response_model=LinkOut,
    status_code=201,
    summary="Link a cluster to a paragraph by hand",
)
def post_link(
    draft_id: int, body: LinkIn, session: DbSession, process: CurrentProcess, by: ApiPrincipal
) -> LinkOut:
    draft = get_draft(session, process, draft_id, by=by, acting=Permission.THREAD_LINK)
    link = link_cluster(
        session, process, draft, body.eid, body.cluster, run_id=body.run, note=body.note, by=by
    )
    return _out(session, [link], by)[0]


@router.post(
    "/drafts/{draft_id}/links/suggest",
    response_model=list[LinkOut],
    summary="Suggest clusters by similarity for the paragraphs without a link",
)
def post_suggestions(
    draft_id: int, body: SuggestIn, session: DbSession, process: CurrentProcess, by: ApiPrincipal
) -> list[LinkOut]:
    draft = get_draft(session, process, draft_id, by=by, acting=Permission.THREAD_LINK)
    made = suggest_links(
        session, process, draft, run_id=body.run, eids=body.eids, backend=body.vectors, by=by
    )
    return _out(session, made, by)


@router.post(
    "/drafts/{draft_id}/links/{link_id}/confirm",
    response_model=LinkOut,
    summary="Confirm a suggested link",
)
def post_confirm(
    draft_id: int,
    link_id: int,
    *,
    body: LinkDecisionIn,
    session: DbSession,
    process: CurrentProcess,
    by: ApiPrincipal,
) -> LinkOut:
    draft = get_draft(session, process, draft_id, by=by, acting=Permission.THREAD_LINK)
    return _out(session, [confirm_link(session, draft, link_id, note=body.note, by=by)], by)[0]


@router.post(
    "/drafts/{draft_id}/links/{link_id}/reject",
    response_model=LinkOut,
    summary="Reject a suggested link: it is not suggested again",
)
def post_reject(
    draft_id: int,
    link_id: int,
    *,
    body: LinkDecisionIn,
    session: DbSession,
    process: CurrentProcess,
    by: ApiPrincipal,
) -> LinkOut:
    draft = get_draft(session, process, draft_id, by=by, acting=Permission.THREAD_LINK)
    return _out(session, [reject_link(session, draft, link_id, note=body.note, by=by)], by)[0]


@router.post(
    "/drafts/{draft_id}/links/{link_id}/unlink",
    response_model=LinkOut,
    summary="Remove a link: it stays, marked removed, with who removed it and when",
)
def post_unlink(
    draft_id: int,
    link_id: int,
    *,
    body: LinkDecisionIn,
    session: DbSession,
    process: CurrentProcess,
    by: ApiPrincipal,
) -> LinkOut:
    draft = get_draft(session, process, draft_id, by=by, acting=Permission.THREAD_LINK)
    return _out(session, [unlink(session, draft, link_id, note=body.note, by=by)], by)[0]

"""Pages of amendments: the list, the form, one amendment, positions and decisions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from stocktake.core.errors import Problem, ValidationFailed
from stocktake.core.permissions import Permission, Principal
from stocktake.core.translation import translated
from stocktake.negotiation.models import (
    Amendment,
    AmendmentKind,
    AmendmentStatus,
    Draft,
    PositionRole,
)
from stocktake.negotiation.services import (
    AmendmentData,
    acts_for_sponsor,
    amendable_amendment,
    amendable_draft,
    confirm_co_sponsorship,
    decide_amendment,
    get_amendment,
    get_draft,
    list_amendments,
    propose_amendment,
    require_working_text,
    take_position,
    update_amendment,
    withdraw_amendment,
    working_nodes,
)
from stocktake.negotiation.services.anchoring import conflict_of
from stocktake.negotiation.services.applying import reads_as
from stocktake.negotiation.services.merging import identical_groups, merged_from
from stocktake.negotiation.services.room import get_round
from stocktake.negotiation.views.helpers import back, speaks_for
from stocktake.negotiation.views.words import (
    AGREED_WORDS,
    AMENDMENT_FIELDS,
    DECIDED,
    POSITION_TAKEN,
    WORDS,
)
from stocktake.process.deps import CurrentProcess
from stocktake.process.models import Process
from stocktake.registry.models import Actor
from stocktake.registry.names import actor_name
from stocktake.web.deps import CheckCsrf, DbSession, PagePrincipal
from stocktake.web.flash import flash
from stocktake.web.languages import request_language
from stocktake.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/drafts/{draft_id}/amendments")
def amendments_page(
    request: Request, draft_id: int, session: DbSession, process: CurrentProcess, by: PagePrincipal
) -> Response:
    draft = get_draft(session, process, draft_id, by=by)
    require_working_text(session, process, by)
    numbers = {n.eid: n.number for n in working_nodes(draft)}
    return render(
        request,
        "negotiation/amendments.html",
        by,
        **WORDS,
        process=process,
        draft=draft,
        amendments=list_amendments(session, draft),
        numbers=numbers,
        suggestions=identical_groups(session, draft)
        if by.can(Permission.AMENDMENTS_DECIDE)
        else [],
    )


def _actor_name(request: Request) -> Callable[[Actor], str]:
    """An actor as the page names it: a State in the page's language, others by their name."""
    language = request_language(request)
    return lambda actor: actor_name(actor, language)


def _form(
    request: Request,
    session: DbSession,
    process: Process,
    draft: Draft,
    by: Principal,
    *,
    data: AmendmentData | None = None,
    problems: list[Problem] | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "negotiation/amend.html",
        by,
        **WORDS,
        status_code=status_code,
        process=process,
        draft=draft,
        nodes=working_nodes(draft),
        kinds=list(AmendmentKind),
        sponsors=speaks_for(session, by),
        actor_name=_actor_name(request),
        data=data or AmendmentData(kind="replace", target=request.query_params.get("target", "")),
        problems=labelled(problems or [], request_language(request)),
    )


def labelled(problems: list[Problem], language: str) -> list[Problem]:
    """The form's problems named by the labels the form shows, not by their fields' names."""
    return [
        Problem(translated(AMENDMENT_FIELDS[p.where], language), p.message)
        if p.where in AMENDMENT_FIELDS
        else p
        for p in problems
    ]


@router.get("/drafts/{draft_id}/amendments/new")
def amendment_form(
    request: Request, draft_id: int, session: DbSession, process: CurrentProcess, by: PagePrincipal
) -> Response:
    draft = amendable_draft(session, process, draft_id, by=by)
    return _form(request, session, process, draft, by)


@router.post("/drafts/{draft_id}/amendments", dependencies=[CheckCsrf])
def post_amendment(
    request: Request,
    draft_id: int,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    kind: Annotated[str, Form()] = "",
    target: Annotated[str, Form()] = "",
    sponsor: Annotated[str, Form()] = "",
    quoted: Annotated[str, Form()] = "",
    occurrence: Annotated[int, Form()] = 1,
    placement: Annotated[str, Form()] = "after",
    new_text: Annotated[str, Form()] = "",
    new_kind: Annotated[str, Form()] = "paragraph",
    destination: Annotated[str, Form()] = "",
    justification: Annotated[str, Form()] = "",
) -> Response:
    draft = amendable_draft(session, process, draft_id, by=by)
    data = AmendmentData(
        kind=kind,
        target=target,
        sponsor=sponsor.strip(),
        quoted=quoted,
        occurrence=occurrence,
        placement=placement,
        new_text=new_text,
        new_kind=new_kind,
        destination=destination,
        justification=justification,
    )
    try:
        amendment = propose_amendment(session, draft, data, by=by)
    except ValidationFailed as exc:
        return _form(
            request,
            session,
            process,
            draft,
            by,
            data=data,
            problems=exc.problems,
            status_code=422,
        )
    values: dict[str, str | int] = {"amendment": amendment.label}
    if amendment.late:
        flash(
            request,
            "Amendment %(amendment)s proposed: the secretariat will consider it. It was tabled "
            "after the round's deadline and is marked late.",
            values=values,
        )
    else:
        flash(
            request,
            "Amendment %(amendment)s proposed: the secretariat will consider it.",
            values=values,
        )
    return back(draft, f"/amendments/{amendment.number}")


@router.get("/drafts/{draft_id}/amendments/{amendment_number}")
def amendment_page(
    request: Request,
    draft_id: int,
    amendment_number: int,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
) -> Response:
    draft = get_draft(session, process, draft_id, by=by)
    require_working_text(session, process, by)
    amendment = get_amendment(session, draft, amendment_number)
    return _page(request, session, process, draft, amendment, by)


def _agreed_key(amendment: Amendment) -> str:
    if amendment.kind == AmendmentKind.INSERT:
        return f"insert_{amendment.placement}"
    return amendment.kind


def _page(
    request: Request,
    session: DbSession,
    process: Process,
    draft: Draft,
    amendment: Amendment,
    by: Principal,
    *,
    decision: AmendmentStatus | None = None,
    agreed: str = "",
    problems: list[Problem] | None = None,
    status_code: int = 200,
) -> Response:
    """One amendment; for the secretariat, its decision's form with the element as it will read
    (with the agreed words given, when previewed)."""
    nodes = {n.eid: n for n in working_nodes(draft)}
    mine = speaks_for(session, by)
    deciding = by.can(Permission.AMENDMENTS_DECIDE) and amendment.applied_revision is None
    return render(
        request,
        "negotiation/amendment.html",
        by,
        **WORDS,
        status_code=status_code,
        process=process,
        draft=draft,
        amendment=amendment,
        conflict=conflict_of(amendment, draft),
        target=nodes.get(amendment.target_eid),
        destination=nodes.get(amendment.destination_eid or ""),
        statuses=list(AmendmentStatus),
        roles=[r for r in PositionRole if r is not PositionRole.SPONSOR],
        sponsors=mine,
        actor_name=_actor_name(request),
        own=acts_for_sponsor(session, amendment, by),
        # the actors the caller speaks for that are named co-sponsors and have not confirmed
        to_confirm=[a for a in mine if (a.code, False) in amendment.co_sponsors],
        merged_from=merged_from(session, draft, amendment),
        tabled_for=get_round(session, draft, amendment.round_id) if amendment.round_id else None,
        agreed_words=AGREED_WORDS[_agreed_key(amendment)],
        reads=reads_as(draft, amendment, agreed or None) if deciding else None,
        decision=decision.value if decision else amendment.status,
        agreed=agreed,
        previewed=bool(agreed),
        problems=labelled(problems or [], request_language(request)),
    )


@router.post("/drafts/{draft_id}/amendments/{amendment_number}/edit", dependencies=[CheckCsrf])
def post_edit(
    request: Request,
    draft_id: int,
    amendment_number: int,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    new_text: Annotated[str | None, Form()] = None,
    quoted: Annotated[str | None, Form()] = None,
    occurrence: Annotated[int | None, Form()] = None,
    justification: Annotated[str | None, Form()] = None,
    version: Annotated[int | None, Form()] = None,
) -> Response:
    draft, amendment = amendable_amendment(session, process, draft_id, amendment_number, by=by)
    update_amendment(
        session,
        draft,
        amendment,
        new_text=new_text,
        quoted=quoted,
        occurrence=occurrence,
        justification=justification,
        expected_version=version,
        by=by,
    )
    flash(request, "%(amendment)s is changed.", values={"amendment": amendment.label})
    return back(draft, f"/amendments/{amendment_number}")


@router.post("/drafts/{draft_id}/amendments/{amendment_number}/withdraw", dependencies=[CheckCsrf])
def post_withdraw(
    request: Request,
    draft_id: int,
    amendment_number: int,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    reason: Annotated[str, Form()] = "",
    version: Annotated[int | None, Form()] = None,
) -> Response:
    draft, amendment = amendable_amendment(session, process, draft_id, amendment_number, by=by)
    withdraw_amendment(session, draft, amendment, reason=reason, expected_version=version, by=by)
    flash(
        request,
        "%(amendment)s is withdrawn: it has left the compilation text.",
        values={"amendment": amendment.label},
    )
    return back(draft, f"/amendments/{amendment_number}")


@router.post("/drafts/{draft_id}/amendments/{amendment_number}/confirm", dependencies=[CheckCsrf])
def post_confirm(
    request: Request,
    draft_id: int,
    amendment_number: int,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    actor: Annotated[str, Form()] = "",
) -> Response:
    draft, amendment = amendable_amendment(session, process, draft_id, amendment_number, by=by)
    position = confirm_co_sponsorship(session, draft, amendment, actor=actor.strip(), by=by)
    flash(
        request,
        "%(actor)s confirms co-sponsoring %(amendment)s.",
        values={"actor": position.actor.display_name, "amendment": amendment.label},
    )
    return back(draft, f"/amendments/{amendment_number}")


@router.post("/drafts/{draft_id}/amendments/{amendment_number}/position", dependencies=[CheckCsrf])
def post_position(
    request: Request,
    draft_id: int,
    amendment_number: int,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    role: Annotated[PositionRole, Form()] = PositionRole.SUPPORTER,
    actor: Annotated[str, Form()] = "",
) -> Response:
    draft, amendment = amendable_amendment(session, process, draft_id, amendment_number, by=by)
    taken = take_position(session, draft, amendment, role, actor=actor.strip(), by=by)
    flash(
        request,
        POSITION_TAKEN[role.value],
        values={"actor": taken.actor.display_name, "amendment": amendment.label},
    )
    return back(draft, f"/amendments/{amendment_number}")


@router.post("/drafts/{draft_id}/amendments/{amendment_number}/status", dependencies=[CheckCsrf])
def post_status(
    request: Request,
    draft_id: int,
    amendment_number: int,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    status: Annotated[AmendmentStatus, Form()] = AmendmentStatus.UNDER_DISCUSSION,
    modified_text: Annotated[str, Form()] = "",
    version: Annotated[int | None, Form()] = None,
    preview: Annotated[str, Form()] = "",
) -> Response:
    draft = get_draft(session, process, draft_id, by=by, acting=Permission.AMENDMENTS_DECIDE)
    amendment = get_amendment(session, draft, amendment_number)
    if preview:  # the element as it will read with the agreed words: nothing is decided
        return _page(
            request, session, process, draft, amendment, by, decision=status, agreed=modified_text
        )
    try:
        decide_amendment(
            session,
            draft,
            amendment,
            status,
            modified_text=modified_text,
            expected_version=version,
            by=by,
        )
    except ValidationFailed as exc:
        return _page(
            request,
            session,
            process,
            draft,
            amendment,
            by,
            decision=status,
            agreed=modified_text,
            problems=exc.problems,
            status_code=422,
        )
    flash(request, DECIDED[status.value], values={"amendment": amendment.label})
    return back(draft, f"/amendments/{amendment_number}")

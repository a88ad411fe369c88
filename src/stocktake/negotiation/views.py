"""Pages of the negotiation: drafts, compilation text, amendments, revisions, comparison."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import Response

from stocktake.consultation.web_helpers import read_upload
from stocktake.core.errors import Problem, ValidationFailed
from stocktake.core.permissions import Permission, Principal, require
from stocktake.negotiation.charts import status_chart
from stocktake.negotiation.exports import (
    ExportFile,
    comparison_of,
    compilation_of,
    export_comparison,
    export_compilation,
    export_text,
    readable_revision,
    text_of,
)
from stocktake.negotiation.formats.compare import redline_html, side_by_side_html, summary_counts
from stocktake.negotiation.formats.reading import read_draft
from stocktake.negotiation.formats.writing import STATUS_NAMES, compilation_html, text_html
from stocktake.negotiation.models import (
    AmendmentKind,
    AmendmentStatus,
    Draft,
    ParagraphStatus,
    PositionRole,
)
from stocktake.negotiation.services import (
    AmendmentData,
    decide_amendment,
    edit_element,
    element_of,
    get_amendment,
    get_draft,
    import_draft,
    issue_revision,
    lineage,
    list_amendments,
    list_drafts,
    progress,
    propose_amendment,
    publish_revision,
    reads_working_text,
    record_round,
    require_working_text,
    revision_of,
    rounds_of,
    set_paragraph_status,
    take_position,
    working_nodes,
)
from stocktake.process.models import Process
from stocktake.registry.models import Actor, GroupMembership
from stocktake.web.deps import AppSettings, CurrentProcess, DbSession, PagePrincipal, check_csrf
from stocktake.web.templating import render

router = APIRouter(include_in_schema=False)


def file_response(file: ExportFile) -> Response:
    return Response(
        file.content,
        media_type=file.media_type,
        headers={"Content-Disposition": f'attachment; filename="{file.name}"'},
    )


def _back(draft: Draft, path: str = "") -> RedirectResponse:
    return RedirectResponse(f"/drafts/{draft.id}{path}", status_code=303)


def speaks_for(session: Session, by: Principal) -> list[Actor]:
    """The actors a delegation may propose for: its own and the groups of states it is in."""
    if by.actor_id is None:
        return []
    own = session.get(Actor, by.actor_id)
    groups = session.scalars(
        select(Actor)
        .join(GroupMembership, GroupMembership.group_id == Actor.id)
        .where(GroupMembership.member_id == by.actor_id)
        .order_by(Actor.name)
    )
    return ([own] if own else []) + list(groups)


@router.get("/drafts")
def drafts_page(
    request: Request, session: DbSession, process: CurrentProcess, by: PagePrincipal
) -> Response:
    return render(
        request,
        "negotiation/list.html",
        by,
        process=process,
        drafts=list_drafts(session, process, by=by),
        problems=[],
    )


@router.post("/drafts")
def post_import(
    request: Request,
    session: DbSession,
    process: CurrentProcess,
    settings: AppSettings,
    by: PagePrincipal,
    csrf: Annotated[str, Form()] = "",
    file: Annotated[UploadFile | None, File()] = None,
    title: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf)
    require(by, Permission.DRAFTS_MANAGE)
    try:
        if file is None or not file.filename:
            raise ValidationFailed("upload", [Problem("file", "choose a file")])
        parsed = read_draft(read_upload(file, settings.max_upload_bytes), file.filename)
        if title.strip():
            parsed.title = title.strip()
        draft = import_draft(session, process, parsed, by=by, source=file.filename)
    except ValidationFailed as exc:
        return render(
            request,
            "negotiation/list.html",
            by,
            status_code=422,
            process=process,
            drafts=list_drafts(session, process, by=by),
            problems=[str(p) for p in exc.problems],
        )
    return _back(draft)


@router.get("/drafts/{draft_id}")
def draft_page(
    request: Request,
    draft_id: int,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    revision: int | None = None,
) -> Response:
    draft = get_draft(session, process, draft_id, by=by)
    reader = reads_working_text(session, process, by)
    working = reader and revision is None
    chosen = None if working else readable_revision(session, process, draft, by, revision)
    nodes, label = text_of(draft, chosen)
    return render(
        request,
        "negotiation/draft.html",
        by,
        process=process,
        draft=draft,
        label=label,
        reader=reader,
        working=working,
        nodes=nodes,
        versions={e.eid: e.version for e in draft.elements},
        html=text_html(nodes, statuses=working),
        statuses=list(ParagraphStatus),
        status_names=STATUS_NAMES,
    )


@router.get("/drafts/{draft_id}/compilation")
def compilation_page(
    request: Request,
    draft_id: int,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    format: str | None = None,
) -> Response:
    draft = get_draft(session, process, draft_id, by=by)
    compilation = compilation_of(session, process, draft, by=by)
    if format:
        return file_response(export_compilation(compilation, draft, format))
    return render(
        request,
        "negotiation/compilation.html",
        by,
        process=process,
        draft=draft,
        compilation=compilation,
        html=compilation_html(compilation),
        status_names=STATUS_NAMES,
    )


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
        process=process,
        draft=draft,
        amendments=list_amendments(session, draft),
        numbers=numbers,
    )


def _form(
    request: Request,
    session: DbSession,
    process: Process,
    draft: Draft,
    by: Principal,
    *,
    data: AmendmentData | None = None,
    problems: list[str] | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "negotiation/amend.html",
        by,
        status_code=status_code,
        process=process,
        draft=draft,
        nodes=working_nodes(draft),
        kinds=list(AmendmentKind),
        sponsors=speaks_for(session, by),
        data=data or AmendmentData(kind="replace", target=request.query_params.get("target", "")),
        problems=problems or [],
    )


@router.get("/drafts/{draft_id}/amendments/new")
def amendment_form(
    request: Request, draft_id: int, session: DbSession, process: CurrentProcess, by: PagePrincipal
) -> Response:
    if not by.can(Permission.AMENDMENTS_PROPOSE_ANY):
        require(by, Permission.AMENDMENTS_PROPOSE_OWN)
    draft = get_draft(session, process, draft_id, by=by)
    require_working_text(session, process, by)
    return _form(request, session, process, draft, by)


@router.post("/drafts/{draft_id}/amendments")
def post_amendment(
    request: Request,
    draft_id: int,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    csrf: Annotated[str, Form()] = "",
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
    check_csrf(request, csrf)
    if not by.can(Permission.AMENDMENTS_PROPOSE_ANY):
        require(by, Permission.AMENDMENTS_PROPOSE_OWN)
    draft = get_draft(session, process, draft_id, by=by)
    require_working_text(session, process, by)
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
            problems=[str(p) for p in exc.problems],
            status_code=422,
        )
    return _back(draft, f"/amendments/{amendment.number}")


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
    nodes = {n.eid: n for n in working_nodes(draft)}
    return render(
        request,
        "negotiation/amendment.html",
        by,
        process=process,
        draft=draft,
        amendment=amendment,
        target=nodes.get(amendment.target_eid),
        destination=nodes.get(amendment.destination_eid or ""),
        statuses=list(AmendmentStatus),
        roles=[r for r in PositionRole if r is not PositionRole.SPONSOR],
        sponsors=speaks_for(session, by),
    )


@router.post("/drafts/{draft_id}/amendments/{amendment_number}/position")
def post_position(
    request: Request,
    draft_id: int,
    amendment_number: int,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    csrf: Annotated[str, Form()] = "",
    role: Annotated[PositionRole, Form()] = PositionRole.SUPPORTER,
    actor: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf)
    if not by.can(Permission.AMENDMENTS_PROPOSE_ANY):
        require(by, Permission.AMENDMENTS_PROPOSE_OWN)
    draft = get_draft(session, process, draft_id, by=by)
    require_working_text(session, process, by)
    amendment = get_amendment(session, draft, amendment_number)
    take_position(session, draft, amendment, role, actor=actor.strip(), by=by)
    return _back(draft, f"/amendments/{amendment_number}")


@router.post("/drafts/{draft_id}/amendments/{amendment_number}/status")
def post_status(
    request: Request,
    draft_id: int,
    amendment_number: int,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    csrf: Annotated[str, Form()] = "",
    status: Annotated[AmendmentStatus, Form()] = AmendmentStatus.UNDER_DISCUSSION,
    modified_text: Annotated[str, Form()] = "",
    version: Annotated[int | None, Form()] = None,
) -> Response:
    check_csrf(request, csrf)
    require(by, Permission.AMENDMENTS_DECIDE)
    draft = get_draft(session, process, draft_id, by=by)
    amendment = get_amendment(session, draft, amendment_number)
    decide_amendment(
        session,
        draft,
        amendment,
        status,
        modified_text=modified_text,
        expected_version=version,
        by=by,
    )
    return _back(draft, f"/amendments/{amendment_number}")


@router.get("/drafts/{draft_id}/elements/{eid}")
def element_page(
    request: Request,
    draft_id: int,
    eid: str,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
) -> Response:
    draft = get_draft(session, process, draft_id, by=by)
    require_working_text(session, process, by)
    element = element_of(draft, eid)
    node = next(n for n in working_nodes(draft) if n.eid == eid)
    return render(
        request,
        "negotiation/element.html",
        by,
        process=process,
        draft=draft,
        element=element,
        node=node,
        steps=lineage(draft, eid),
        amendments=[a for a in list_amendments(session, draft) if a.target_eid == eid],
        problems=[],
    )


@router.post("/drafts/{draft_id}/elements/{eid}")
def post_element(
    request: Request,
    draft_id: int,
    eid: str,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    csrf: Annotated[str, Form()] = "",
    text: Annotated[str, Form()] = "",
    version: Annotated[int | None, Form()] = None,
) -> Response:
    check_csrf(request, csrf)
    require(by, Permission.DRAFTS_MANAGE)
    draft = get_draft(session, process, draft_id, by=by)
    edit_element(session, draft, eid, text, expected_version=version, by=by)
    return _back(draft, f"/elements/{eid}")


@router.post("/drafts/{draft_id}/elements/{eid}/status")
def post_element_status(
    request: Request,
    draft_id: int,
    eid: str,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    csrf: Annotated[str, Form()] = "",
    status: Annotated[ParagraphStatus, Form()] = ParagraphStatus.OPEN,
    version: Annotated[int | None, Form()] = None,
) -> Response:
    check_csrf(request, csrf)
    require(by, Permission.DRAFTS_MANAGE)
    draft = get_draft(session, process, draft_id, by=by)
    set_paragraph_status(session, draft, eid, status, expected_version=version, by=by)
    return RedirectResponse(f"/drafts/{draft.id}#{eid}", status_code=303)


@router.get("/drafts/{draft_id}/revisions")
def revisions_page(
    request: Request, draft_id: int, session: DbSession, process: CurrentProcess, by: PagePrincipal
) -> Response:
    draft = get_draft(session, process, draft_id, by=by)
    working = reads_working_text(session, process, by)
    revisions = (
        draft.revisions
        if working
        else [r for r in draft.revisions if r.number == draft.published_revision]
    )
    rounds = progress(session, draft) if working else []
    from stocktake.meetings.services import list_meetings

    return render(
        request,
        "negotiation/revisions.html",
        by,
        process=process,
        draft=draft,
        revisions=revisions,
        working=working,
        rounds=rounds,
        round_rows=rounds_of(session, draft) if working else [],
        chart=status_chart(rounds),
        status_names=STATUS_NAMES,
        meetings=[
            m for m in list_meetings(session, process) if m.meeting_type == "negotiation_round"
        ]
        if by.can(Permission.DRAFTS_MANAGE)
        else [],
    )


@router.post("/drafts/{draft_id}/revisions")
def post_revision(
    request: Request,
    draft_id: int,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    csrf: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
    final: Annotated[bool, Form()] = False,
) -> Response:
    check_csrf(request, csrf)
    require(by, Permission.DRAFTS_MANAGE)
    draft = get_draft(session, process, draft_id, by=by)
    issue_revision(session, draft, note=note, final=final, by=by)
    return _back(draft, "/revisions")


@router.post("/drafts/{draft_id}/revisions/{revision_number}/publish")
def post_publish(
    request: Request,
    draft_id: int,
    revision_number: int,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    csrf: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf)
    require(by, Permission.DRAFTS_MANAGE)
    draft = get_draft(session, process, draft_id, by=by)
    publish_revision(session, draft, revision_number, by=by)
    return _back(draft, "/revisions")


@router.post("/drafts/{draft_id}/rounds")
def post_round(
    request: Request,
    draft_id: int,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    csrf: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    start: Annotated[dt.date | None, Form()] = None,
    end: Annotated[dt.date | None, Form()] = None,
    revision: Annotated[int, Form()] = 0,
    meeting: Annotated[str, Form()] = "",
) -> Response:
    from stocktake.meetings.services import get_meeting

    check_csrf(request, csrf)
    require(by, Permission.DRAFTS_MANAGE)
    draft = get_draft(session, process, draft_id, by=by)
    held = get_meeting(session, meeting) if meeting else None
    if start is None and held is not None:
        start, end = held.start_date, held.end_date
    if start is None:
        raise ValidationFailed("round", [Problem("start", "give the dates or a meeting")])
    record_round(
        session,
        draft,
        name=name or (held.title if held else ""),
        start=start,
        end=end or start,
        revision=revision,
        meeting=held,
        by=by,
    )
    return _back(draft, "/revisions")


@router.get("/drafts/{draft_id}/compare")
def compare_page(
    request: Request,
    draft_id: int,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    a: int | None = None,
    b: int | None = None,
    view: str = "inline",
    format: str | None = None,
) -> Response:
    draft = get_draft(session, process, draft_id, by=by)
    require_working_text(session, process, by)
    if len(draft.revisions) < 2:
        raise ValidationFailed("compare", [Problem("revisions", "two issued revisions are needed")])
    old = revision_of(draft, a) if a is not None else draft.revisions[-2]
    new = revision_of(draft, b) if b is not None else draft.revisions[-1]
    if format:
        return file_response(
            export_comparison(draft, old, new, format, side_by_side=view == "side")
        )
    rows = comparison_of(old, new)
    return render(
        request,
        "negotiation/compare.html",
        by,
        process=process,
        draft=draft,
        old=old,
        new=new,
        view="side" if view == "side" else "inline",
        counts=summary_counts(rows),
        html=side_by_side_html(rows) if view == "side" else redline_html(rows),
    )


@router.get("/drafts/{draft_id}/export")
def export_page(
    draft_id: int,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    format: str = "docx",
    revision: int | None = None,
) -> Response:
    draft = get_draft(session, process, draft_id, by=by)
    chosen = readable_revision(session, process, draft, by, revision)
    return file_response(export_text(process, draft, chosen, format))

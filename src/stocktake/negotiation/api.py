from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, File, UploadFile
from starlette.responses import Response

from stocktake.core.errors import Problem, ValidationFailed
from stocktake.core.permissions import Permission, require
from stocktake.core.translation import Text
from stocktake.negotiation.exports import (
    comparison_of,
    compilation_of,
    export_amendment,
    export_compilation,
    export_text,
    readable_revision,
    readable_revisions,
    text_of,
)
from stocktake.negotiation.formats.compare import summary_counts
from stocktake.negotiation.formats.reading import read_draft
from stocktake.negotiation.formats.writing import compilation_html
from stocktake.negotiation.jobs import refuse_large_docx
from stocktake.negotiation.models import Draft, PositionRole
from stocktake.negotiation.schemas import (
    AmendmentIn,
    AmendmentOut,
    AmendmentPatch,
    ComparedOut,
    ComparisonOut,
    CompilationOut,
    ConfirmIn,
    DraftOut,
    DraftTextOut,
    ElementOut,
    ElementPatch,
    PositionIn,
    RevisionIn,
    RevisionTextOut,
    RoundOut,
    StatusIn,
    WithdrawIn,
)
from stocktake.negotiation.services import (
    AmendmentData,
    amendable_amendment,
    amendable_draft,
    confirm_co_sponsorship,
    decide_amendment,
    edit_element,
    element_of,
    get_amendment,
    get_draft,
    import_draft,
    issue_revision,
    list_amendments,
    list_drafts,
    progress,
    propose_amendment,
    reads_working_text,
    require_working_text,
    revision_of,
    set_paragraph_status,
    take_position,
    update_amendment,
    withdraw_amendment,
    working_nodes,
)
from stocktake.negotiation.views.helpers import file_response
from stocktake.process.deps import CurrentProcess
from stocktake.web.deps import ApiPrincipal, AppSettings, DbSession
from stocktake.web.uploads import read_upload

router = APIRouter(tags=["negotiation"])


def _out(session: DbSession, process: CurrentProcess, draft: Draft, by: ApiPrincipal) -> DraftOut:
    return DraftOut.of(draft, readable_revisions(session, process, draft, by), by)


@router.get(
    "/drafts",
    response_model=list[DraftOut],
    summary="Drafts: all for those who read working texts, the published ones for others",
)
def read_drafts(session: DbSession, process: CurrentProcess, by: ApiPrincipal) -> list[DraftOut]:
    return [_out(session, process, d, by) for d in list_drafts(session, process, by=by)]


@router.post(
    "/drafts",
    response_model=DraftOut,
    status_code=201,
    summary="Import a draft from DOCX, Markdown or text, or Akoma Ntoso XML",
)
def post_draft(
    file: Annotated[UploadFile, File(description="DOCX, .md, .txt or Akoma Ntoso .xml")],
    session: DbSession,
    process: CurrentProcess,
    settings: AppSettings,
    by: ApiPrincipal,
) -> DraftOut:
    require(by, Permission.DRAFTS_MANAGE)
    name = file.filename or "upload.txt"
    parsed = read_draft(read_upload(file, settings.max_upload_bytes), name)
    draft = import_draft(session, process, parsed, by=by, source=name)
    return _out(session, process, draft, by)


@router.get(
    "/drafts/{draft_id}",
    response_model=DraftTextOut,
    summary="A draft's text: the working text (or a revision) for readers, else the published one",
)
def read_draft_text(
    draft_id: int,
    session: DbSession,
    process: CurrentProcess,
    by: ApiPrincipal,
    revision: int | None = None,
) -> DraftTextOut:
    draft = get_draft(session, process, draft_id, by=by)
    reader = reads_working_text(session, process, by)
    chosen = (
        None
        if reader and revision is None
        else readable_revision(session, process, draft, by, revision)
    )
    nodes, label = text_of(draft, chosen)
    versions = {e.eid: e.version for e in draft.elements} if chosen is None else {}
    base = _out(session, process, draft, by)
    return DraftTextOut(
        **base.model_dump(),
        label=label,
        elements=[ElementOut.of(n, versions.get(n.eid)) for n in nodes],
    )


@router.patch(
    "/drafts/{draft_id}/elements/{eid}",
    response_model=ElementOut,
    summary="Edit an element's words or status; 409 when someone else saved since your version",
)
def patch_element(
    draft_id: int,
    eid: str,
    body: ElementPatch,
    session: DbSession,
    process: CurrentProcess,
    by: ApiPrincipal,
) -> ElementOut:
    draft = get_draft(session, process, draft_id, by=by, acting=Permission.DRAFTS_MANAGE)
    version = body.version
    if body.text is not None:
        version = edit_element(
            session, draft, eid, body.text, expected_version=version, by=by
        ).version
    if body.status is not None:
        set_paragraph_status(session, draft, eid, body.status, expected_version=version, by=by)
    element = element_of(draft, eid)
    node = next(n for n in working_nodes(draft) if n.eid == eid)
    return ElementOut.of(node, element.version)


@router.get(
    "/drafts/{draft_id}/amendments",
    response_model=list[AmendmentOut],
    summary="Every amendment of a draft, with sponsors, positions and status",
)
def read_amendments(
    draft_id: int, session: DbSession, process: CurrentProcess, by: ApiPrincipal
) -> list[AmendmentOut]:
    draft = get_draft(session, process, draft_id, by=by)
    require_working_text(session, process, by)
    return [AmendmentOut.of(a) for a in list_amendments(session, draft)]


@router.post(
    "/drafts/{draft_id}/amendments",
    response_model=AmendmentOut,
    status_code=201,
    summary="Propose an amendment for your own actor or a group it belongs to",
)
def post_amendment(
    draft_id: int, body: AmendmentIn, session: DbSession, process: CurrentProcess, by: ApiPrincipal
) -> AmendmentOut:
    draft = amendable_draft(session, process, draft_id, by=by)
    data = AmendmentData(**body.model_dump())
    return AmendmentOut.of(propose_amendment(session, draft, data, by=by))


@router.get(
    "/drafts/{draft_id}/amendments/{amendment_number}",
    response_model=AmendmentOut,
    summary="One amendment",
)
def read_amendment(
    draft_id: int,
    amendment_number: int,
    session: DbSession,
    process: CurrentProcess,
    by: ApiPrincipal,
) -> AmendmentOut:
    draft = get_draft(session, process, draft_id, by=by)
    require_working_text(session, process, by)
    return AmendmentOut.of(get_amendment(session, draft, amendment_number))


@router.patch(
    "/drafts/{draft_id}/amendments/{amendment_number}",
    response_model=AmendmentOut,
    summary="Its sponsor changes a pending amendment; 409 when someone else saved since",
)
def patch_amendment(
    draft_id: int,
    amendment_number: int,
    body: AmendmentPatch,
    session: DbSession,
    process: CurrentProcess,
    by: ApiPrincipal,
) -> AmendmentOut:
    draft, amendment = amendable_amendment(session, process, draft_id, amendment_number, by=by)
    update_amendment(
        session,
        draft,
        amendment,
        new_text=body.new_text,
        justification=body.justification,
        quoted=body.quoted,
        occurrence=body.occurrence,
        expected_version=body.version,
        by=by,
    )
    return AmendmentOut.of(amendment)


@router.post(
    "/drafts/{draft_id}/amendments/{amendment_number}/withdraw",
    response_model=AmendmentOut,
    summary="Its sponsor withdraws a pending amendment; 409 when it is decided already",
)
def post_withdraw(
    draft_id: int,
    amendment_number: int,
    body: WithdrawIn,
    session: DbSession,
    process: CurrentProcess,
    by: ApiPrincipal,
) -> AmendmentOut:
    draft, amendment = amendable_amendment(session, process, draft_id, amendment_number, by=by)
    withdraw_amendment(
        session, draft, amendment, reason=body.reason, expected_version=body.version, by=by
    )
    return AmendmentOut.of(amendment)


@router.post(
    "/drafts/{draft_id}/amendments/{amendment_number}/confirm",
    response_model=AmendmentOut,
    summary="A co-sponsor named on an amendment confirms it, as your own actor or a group of it",
)
def post_confirm(
    draft_id: int,
    amendment_number: int,
    body: ConfirmIn,
    session: DbSession,
    process: CurrentProcess,
    by: ApiPrincipal,
) -> AmendmentOut:
    draft, amendment = amendable_amendment(session, process, draft_id, amendment_number, by=by)
    confirm_co_sponsorship(session, draft, amendment, actor=body.actor, by=by)
    return AmendmentOut.of(amendment)


@router.post(
    "/drafts/{draft_id}/amendments/{amendment_number}/positions",
    response_model=AmendmentOut,
    summary="Co-sponsor, support or object to an amendment as your own actor",
)
def post_position(
    draft_id: int,
    amendment_number: int,
    body: PositionIn,
    session: DbSession,
    process: CurrentProcess,
    by: ApiPrincipal,
) -> AmendmentOut:
    draft, amendment = amendable_amendment(session, process, draft_id, amendment_number, by=by)
    take_position(session, draft, amendment, PositionRole(body.role), actor=body.actor, by=by)
    return AmendmentOut.of(amendment)


@router.put(
    "/drafts/{draft_id}/amendments/{amendment_number}/status",
    response_model=AmendmentOut,
    summary="The secretariat sets an amendment's status",
)
def put_status(
    draft_id: int,
    amendment_number: int,
    body: StatusIn,
    session: DbSession,
    process: CurrentProcess,
    by: ApiPrincipal,
) -> AmendmentOut:
    draft = get_draft(session, process, draft_id, by=by, acting=Permission.AMENDMENTS_DECIDE)
    amendment = get_amendment(session, draft, amendment_number)
    decide_amendment(
        session,
        draft,
        amendment,
        body.status,
        modified_text=body.modified_text,
        expected_version=body.version,
        by=by,
    )
    return AmendmentOut.of(amendment)


@router.get(
    "/drafts/{draft_id}/compilation",
    response_model=CompilationOut,
    summary="The compilation text with its counts",
)
def read_compilation(
    draft_id: int, session: DbSession, process: CurrentProcess, by: ApiPrincipal
) -> CompilationOut:
    draft = get_draft(session, process, draft_id, by=by)
    compilation = compilation_of(session, process, draft, by=by)
    return CompilationOut(
        title=compilation.title,
        open_brackets=compilation.open_brackets,
        in_conflict=compilation.in_conflict,
        paragraphs_by_status=compilation.by_status,
        html=str(compilation_html(compilation)),
    )


@router.get(
    "/drafts/{draft_id}/compilation/export",
    summary="The compilation text as HTML, Markdown, DOCX or Akoma Ntoso XML",
)
def export_compilation_text(
    draft_id: int,
    session: DbSession,
    process: CurrentProcess,
    by: ApiPrincipal,
    format: Literal["html", "md", "docx", "akn"] = "akn",
) -> Response:
    draft = get_draft(session, process, draft_id, by=by)
    if format == "docx":
        refuse_large_docx(session, draft)  # a large one: POST .../compilation/docx, a job
    compilation = compilation_of(session, process, draft, by=by)
    return file_response(export_compilation(compilation, draft, format))


@router.get(
    "/drafts/{draft_id}/amendments/{amendment_number}/export",
    summary="One amendment as an Akoma Ntoso amendment document",
)
def export_one_amendment(
    draft_id: int,
    amendment_number: int,
    session: DbSession,
    process: CurrentProcess,
    by: ApiPrincipal,
    format: Literal["akn"] = "akn",
) -> Response:
    draft = get_draft(session, process, draft_id, by=by)
    require_working_text(session, process, by)
    return file_response(export_amendment(draft, get_amendment(session, draft, amendment_number)))


@router.post(
    "/drafts/{draft_id}/revisions",
    response_model=RevisionTextOut,
    status_code=201,
    summary="Issue the next revision with the accepted amendments",
)
def post_revision(
    draft_id: int, body: RevisionIn, session: DbSession, process: CurrentProcess, by: ApiPrincipal
) -> RevisionTextOut:
    draft = get_draft(session, process, draft_id, by=by, acting=Permission.DRAFTS_MANAGE)
    return RevisionTextOut.of(
        issue_revision(session, draft, note=body.note, final=body.final, by=by), by
    )


@router.get(
    "/drafts/{draft_id}/revisions/{revision_number}",
    response_model=RevisionTextOut,
    summary="An issued revision's text (the published one for those who do not read working texts)",
)
def read_revision(
    draft_id: int,
    revision_number: int,
    session: DbSession,
    process: CurrentProcess,
    by: ApiPrincipal,
) -> RevisionTextOut:
    draft = get_draft(session, process, draft_id, by=by)
    revision = readable_revision(session, process, draft, by, revision_number)
    assert revision is not None  # a revision_number was asked for
    return RevisionTextOut.of(revision, by)


@router.get(
    "/drafts/{draft_id}/compare",
    response_model=ComparisonOut,
    summary="Two revisions compared word by word, element by element",
)
def read_comparison(
    draft_id: int,
    session: DbSession,
    process: CurrentProcess,
    by: ApiPrincipal,
    a: int | None = None,
    b: int | None = None,
    language: str | None = None,
) -> ComparisonOut:
    """`a` and `b` are revision numbers; by default the last two issued. `language`: compare
    their versions in that language (both must have one)."""
    draft = get_draft(session, process, draft_id, by=by)
    require_working_text(session, process, by)
    if len(draft.revisions) < 2 and (a is None or b is None):
        raise ValidationFailed(
            "compare", [Problem("revisions", Text("two issued revisions are needed"))]
        )
    old = revision_of(draft, a) if a is not None else draft.revisions[-2]
    new = revision_of(draft, b) if b is not None else draft.revisions[-1]
    rows = comparison_of(old, new, language)
    return ComparisonOut(
        old=old.label,
        new=new.label,
        counts=summary_counts(rows),
        elements=[
            ComparedOut(
                eid=r.eid,
                kind=r.kind,
                old_number=r.old.number if r.old else None,
                new_number=r.new.number if r.new else None,
                change=r.change,
                moved=r.moved,
                renumbered=r.renumbered,
                words=r.ops,
            )
            for r in rows
        ],
    )


@router.get(
    "/drafts/{draft_id}/export",
    summary="A revision (the latest by default) as DOCX, HTML, Markdown or Akoma Ntoso XML",
)
def export_draft(
    draft_id: int,
    session: DbSession,
    process: CurrentProcess,
    by: ApiPrincipal,
    format: Literal["docx", "html", "md", "akn"] = "docx",
    revision: int | None = None,
    language: str | None = None,
) -> Response:
    """`language`: the revision's version in ar, en, es, fr, ru or zh (the original by
    default)."""
    draft = get_draft(session, process, draft_id, by=by)
    chosen = readable_revision(session, process, draft, by, revision)
    return file_response(export_text(process, draft, chosen, format, language=language))


@router.get(
    "/drafts/{draft_id}/progress",
    response_model=list[RoundOut],
    summary="Rounds of negotiation with paragraph status after each",
)
def read_progress(
    draft_id: int, session: DbSession, process: CurrentProcess, by: ApiPrincipal
) -> list[RoundOut]:
    draft = get_draft(session, process, draft_id, by=by)
    require_working_text(session, process, by)
    return [
        RoundOut(
            id=r.round.id if r.round else None,
            tabling_deadline=r.round.tabling_deadline if r.round else None,
            refuse_late=r.round.refuse_late if r.round else False,
            name=r.name,
            dates=r.dates,
            revision=r.revision,
            paragraphs_by_status=r.counts,
        )
        for r in progress(session, draft)
    ]

"""Pages of the negotiation: drafts, compilation text, amendments, revisions, comparison."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session
from starlette.responses import Response

from stocktake.core.errors import Problem, ValidationFailed
from stocktake.core.permissions import Permission, Principal, require
from stocktake.core.translation import Text
from stocktake.meetings.services import get_meeting, list_meetings
from stocktake.negotiation.charts import status_chart
from stocktake.negotiation.exports import (
    compilation_of,
    export_amendment,
    export_compilation,
    export_text,
    readable_revision,
    readable_revisions,
    text_of,
)
from stocktake.negotiation.formats.marks import marked_texts
from stocktake.negotiation.formats.reading import read_draft
from stocktake.negotiation.formats.writing import compilation_html, text_html
from stocktake.negotiation.jobs import refuse_large_docx
from stocktake.negotiation.models import (
    ParagraphStatus,
)
from stocktake.negotiation.services import (
    PaperDetails,
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
    publish_revision,
    reads_working_text,
    record_round,
    require_working_text,
    rounds_of,
    set_paper_details,
    set_paragraph_status,
    working_language,
    working_nodes,
    zero_draft_source,
)
from stocktake.negotiation.services.languages import languages_by_revision, title_of
from stocktake.negotiation.views.helpers import back, file_response
from stocktake.negotiation.views.languages import beside, languages_of
from stocktake.negotiation.views.words import ELEMENT_SAVED, PARAGRAPH_NOW, WORDS
from stocktake.process.deps import CurrentProcess
from stocktake.process.models import Process
from stocktake.summary.services import list_summaries
from stocktake.web.deps import AppSettings, CheckCsrf, DbSession, PagePrincipal
from stocktake.web.flash import Plural, flash
from stocktake.web.languages import request_language
from stocktake.web.templating import render
from stocktake.web.uploads import read_upload

router = APIRouter(include_in_schema=False)


def _summaries(session: Session, process: Process, by: Principal) -> dict[str, Any]:
    """The summaries a zero draft may start from, the one chosen unless another is picked, and
    the title it is given unless another is typed."""
    if not by.can(Permission.DRAFTS_MANAGE):
        return {"summaries": []}
    summaries = list_summaries(session, process, by=by)
    return {
        "summaries": summaries,
        "chosen": zero_draft_source(summaries, working_language(process)),
        "zero_title": process.name,
    }


def _listed(session: Session, process: Process, by: Principal) -> dict[str, Any]:
    """The drafts this reader may see, each with the revisions it may name."""
    drafts = list_drafts(session, process, by=by)
    return {
        "drafts": drafts,
        "revisions": {d.id: readable_revisions(session, process, d, by) for d in drafts},
    }


@router.get("/drafts")
def drafts_page(
    request: Request, session: DbSession, process: CurrentProcess, by: PagePrincipal
) -> Response:
    return render(
        request,
        "negotiation/list.html",
        by,
        **WORDS,
        **_listed(session, process, by),
        process=process,
        **_summaries(session, process, by),
        problems=[],
    )


@router.post("/drafts", dependencies=[CheckCsrf])
def post_import(
    request: Request,
    session: DbSession,
    process: CurrentProcess,
    settings: AppSettings,
    by: PagePrincipal,
    file: Annotated[UploadFile | None, File()] = None,
    title: Annotated[str, Form()] = "",
) -> Response:
    require(by, Permission.DRAFTS_MANAGE)
    try:
        if file is None or not file.filename:
            raise ValidationFailed("upload", [Problem("file", Text("choose a file"))])
        parsed = read_draft(read_upload(file, settings.max_upload_bytes), file.filename)
        if title.strip():
            parsed.title = title.strip()
        draft = import_draft(session, process, parsed, by=by, source=file.filename)
    except ValidationFailed as exc:
        return render(
            request,
            "negotiation/list.html",
            by,
            **WORDS,
            status_code=422,
            process=process,
            **_listed(session, process, by),
            **_summaries(session, process, by),
            problems=exc.problems,
        )
    flash(
        request,
        Plural(
            "Draft “%(title)s” imported: %(num)s element.",
            "Draft “%(title)s” imported: %(num)s elements.",
            len(draft.elements),
        ),
        values={"title": draft.title},
    )
    return back(draft)


@router.get("/drafts/{draft_id}")
def draft_page(
    request: Request,
    draft_id: int,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    revision: int | None = None,
    language: str | None = None,
) -> Response:
    draft = get_draft(session, process, draft_id, by=by)
    reader = reads_working_text(session, process, by)
    working = reader and revision is None
    chosen = None if working else readable_revision(session, process, draft, by, revision)
    nodes, label = text_of(draft, chosen)
    shown_beside = beside(session, draft, chosen, nodes, language)
    return render(
        request,
        "negotiation/draft.html",
        by,
        **WORDS,
        process=process,
        draft=draft,
        title=title_of(draft, chosen),
        label=label,
        reader=reader,
        working=working,
        nodes=nodes,
        versions={e.eid: e.version for e in draft.elements},
        html=text_html(nodes, statuses=working, language=request_language(request)),
        revision=chosen,
        languages=languages_of(session, draft, chosen),
        beside=shown_beside,
        marked=marked_texts(nodes),
        marked_beside=marked_texts([v for _, v in shown_beside.rows]) if shown_beside else {},
        statuses=list(ParagraphStatus),
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
    if format == "docx":
        refuse_large_docx(session, draft)  # a large one is made by a job (views/compilation.py)
    compilation = compilation_of(session, process, draft, by=by)
    if format:
        return file_response(export_compilation(compilation, draft, format))
    return render(
        request,
        "negotiation/compilation.html",
        by,
        **WORDS,
        process=process,
        draft=draft,
        compilation=compilation,
        html=compilation_html(compilation, request_language(request)),
    )


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
        **WORDS,
        process=process,
        draft=draft,
        element=element,
        node=node,
        steps=lineage(draft, eid),
        amendments=[a for a in list_amendments(session, draft) if a.target_eid == eid],
        problems=[],
    )


@router.post("/drafts/{draft_id}/elements/{eid}", dependencies=[CheckCsrf])
def post_element(
    request: Request,
    draft_id: int,
    eid: str,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    text: Annotated[str, Form()] = "",
    version: Annotated[int | None, Form()] = None,
) -> Response:
    draft = get_draft(session, process, draft_id, by=by, acting=Permission.DRAFTS_MANAGE)
    edit_element(session, draft, eid, text, expected_version=version, by=by)
    flash(request, ELEMENT_SAVED.get(element_of(draft, eid).kind, ELEMENT_SAVED["paragraph"]))
    return back(draft, f"/elements/{eid}")


@router.post("/drafts/{draft_id}/paper", dependencies=[CheckCsrf])
def post_paper(
    request: Request,
    draft_id: int,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    symbol: Annotated[str, Form()] = "",
    distribution: Annotated[str, Form()] = "General",
    dated: Annotated[str, Form()] = "",
    paper: Annotated[str, Form()] = "A4",
    line_numbers: Annotated[bool, Form()] = False,
) -> Response:
    """The secretariat sets the symbol, distribution line, date and layout of the papers."""
    draft = get_draft(session, process, draft_id, by=by, acting=Permission.DRAFTS_MANAGE)
    try:
        date = dt.date.fromisoformat(dated) if dated.strip() else None
    except ValueError as exc:
        raise ValidationFailed("paper", [Problem("dated", Text("is a date: 2018-03-05"))]) from exc
    details = PaperDetails(symbol, distribution, date, paper, line_numbers)
    set_paper_details(session, draft, details, by=by)
    flash(request, "The papers' details are saved: symbol, distribution, date and layout.")
    return back(draft)


@router.post("/drafts/{draft_id}/elements/{eid}/status", dependencies=[CheckCsrf])
def post_element_status(
    request: Request,
    draft_id: int,
    eid: str,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    status: Annotated[ParagraphStatus, Form()] = ParagraphStatus.OPEN,
    version: Annotated[int | None, Form()] = None,
) -> Response:
    draft = get_draft(session, process, draft_id, by=by, acting=Permission.DRAFTS_MANAGE)
    set_paragraph_status(session, draft, eid, status, expected_version=version, by=by)
    flash(request, PARAGRAPH_NOW[status.value])
    return RedirectResponse(f"/drafts/{draft.id}#{eid}", status_code=303)


@router.get("/drafts/{draft_id}/revisions")
def revisions_page(
    request: Request, draft_id: int, session: DbSession, process: CurrentProcess, by: PagePrincipal
) -> Response:
    draft = get_draft(session, process, draft_id, by=by)
    working = reads_working_text(session, process, by)
    revisions = readable_revisions(session, process, draft, by)
    rounds = progress(session, draft) if working else []
    return render(
        request,
        "negotiation/revisions.html",
        by,
        **WORDS,
        process=process,
        draft=draft,
        revisions=revisions,
        working=working,
        rounds=rounds,
        round_rows=rounds_of(session, draft) if working else [],
        versions=languages_by_revision(session, draft),
        chart=status_chart(rounds, language=request_language(request)),
        meetings=[
            m
            for m in list_meetings(session, process, by=by)
            if m.meeting_type == "negotiation_round"
        ]
        if by.can(Permission.DRAFTS_MANAGE)
        else [],
    )


@router.post("/drafts/{draft_id}/revisions", dependencies=[CheckCsrf])
def post_revision(
    request: Request,
    draft_id: int,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    note: Annotated[str, Form()] = "",
    final: Annotated[bool, Form()] = False,
) -> Response:
    draft = get_draft(session, process, draft_id, by=by, acting=Permission.DRAFTS_MANAGE)
    revision = issue_revision(session, draft, note=note, final=final, by=by)
    flash(
        request,
        Plural(
            "%(revision)s issued with %(num)s amendment applied; publish it when it may be read "
            "beyond the secretariat.",
            "%(revision)s issued with %(num)s amendments applied; publish it when it may be read "
            "beyond the secretariat.",
            len(revision.applied),
        ),
        values={"revision": revision.label},
    )
    return back(draft, "/revisions")


@router.post("/drafts/{draft_id}/revisions/{revision_number}/publish", dependencies=[CheckCsrf])
def post_publish(
    request: Request,
    draft_id: int,
    revision_number: int,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
) -> Response:
    draft = get_draft(session, process, draft_id, by=by, acting=Permission.DRAFTS_MANAGE)
    revision = publish_revision(session, draft, revision_number, by=by)
    flash(
        request,
        "%(revision)s published: it is the text everyone reads now.",
        values={"revision": revision.label},
    )
    return back(draft, "/revisions")


@router.post("/drafts/{draft_id}/rounds", dependencies=[CheckCsrf])
def post_round(
    request: Request,
    draft_id: int,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    name: Annotated[str, Form()] = "",
    start: Annotated[dt.date | None, Form()] = None,
    end: Annotated[dt.date | None, Form()] = None,
    revision: Annotated[int, Form()] = 0,
    meeting: Annotated[str, Form()] = "",
) -> Response:
    draft = get_draft(session, process, draft_id, by=by, acting=Permission.DRAFTS_MANAGE)
    held = get_meeting(session, meeting) if meeting else None
    held_round = record_round(
        session, draft, name=name, start=start, end=end, revision=revision, meeting=held, by=by
    )
    flash(request, "Round recorded: %(round)s.", values={"round": held_round.name})
    return back(draft, "/revisions")


@router.get("/drafts/{draft_id}/export")
def export_page(
    draft_id: int,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    format: str = "docx",
    revision: int | None = None,
    language: str | None = None,
) -> Response:
    draft = get_draft(session, process, draft_id, by=by)
    chosen = readable_revision(session, process, draft, by, revision)
    return file_response(export_text(process, draft, chosen, format, language=language))


@router.get("/drafts/{draft_id}/amendments/{amendment_number}/export")
def export_amendment_page(
    draft_id: int,
    amendment_number: int,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    format: str = "akn",
) -> Response:
    draft = get_draft(session, process, draft_id, by=by)
    require_working_text(session, process, by)
    amendment = get_amendment(session, draft, amendment_number)
    return file_response(export_amendment(draft, amendment, format))

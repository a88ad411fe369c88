from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session
from starlette.responses import Response

from stocktake.consultation.files import extract_text
from stocktake.consultation.jobs import WAITED_FOR_ROWS, import_upload
from stocktake.consultation.language import LANGUAGE_NAMES
from stocktake.consultation.models import Channel, Input, InputKind, InputStatus
from stocktake.consultation.references import format_reference, instruments
from stocktake.consultation.services import (
    InputData,
    closed_for_inputs,
    get_input,
    input_meetings,
    publish_input,
    require_submit,
    retag_input,
    submit_input,
    withdraw_input,
)
from stocktake.consultation.services.attachments import find_attachment
from stocktake.consultation.services.drafts import may_edit
from stocktake.consultation.services.queries import InputFilter, iter_inputs, list_input_rows
from stocktake.consultation.views.helpers import (
    CHANNEL_NAMES,
    KIND_NAMES,
    STATUS_NAMES,
    export_response,
)
from stocktake.core.errors import Problem, ValidationFailed
from stocktake.core.jobs import JobState
from stocktake.core.permissions import Permission, Principal, require
from stocktake.process.deps import CurrentProcess
from stocktake.process.models import Process
from stocktake.registry.services import groups_of, own_actor, regions
from stocktake.web.deps import AppSettings, CheckCsrf, DbSession, PagePrincipal, safe_next
from stocktake.web.flash import flash
from stocktake.web.templating import render
from stocktake.web.uploads import read_upload

router = APIRouter(include_in_schema=False)

FILTER_FIELDS = (
    "dimension",
    "input_type",
    "actor_kind",
    "region",
    "regional_group",
    "category",
    "meeting",
    "language",
    "status",
    "q",
)


def _filters(request: Request) -> InputFilter:
    return InputFilter.parse({name: request.query_params.get(name) for name in FILTER_FIELDS})


def _common(session: DbSession, process: Process) -> dict[str, Any]:
    return {
        "process": process,
        "meetings": input_meetings(session, process),
        "languages": LANGUAGE_NAMES,
        "kinds": [k.value for k in InputKind],
        "statuses": [s.value for s in InputStatus],
        "format_reference": format_reference,
        "status_names": STATUS_NAMES,
        "kind_names": KIND_NAMES,
        "channel_names": CHANNEL_NAMES,
    }


@router.get("/inputs")
def inputs(
    request: Request,
    session: DbSession,
    process: CurrentProcess,
    settings: AppSettings,
    by: PagePrincipal,
    page: Annotated[int, Query(ge=1)] = 1,
) -> Response:
    filters = _filters(request)
    result = list_input_rows(
        session, process, filters, by=by, page=page, page_size=settings.page_size
    )
    return render(
        request,
        "consultation/list.html",
        by,
        result=result,
        filters=filters,
        regions=regions(session),
        **_common(session, process),
    )


@router.get("/inputs/export")
def export(
    request: Request,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    format: str = "csv",
) -> Response:
    fmt = format if format in ("csv", "xlsx", "json") else "csv"
    return export_response(list(iter_inputs(session, process, _filters(request), by=by)), fmt)


def _form(
    request: Request,
    session: DbSession,
    process: Process,
    by: Principal,
    data: InputData,
    problems: Sequence[Problem | str],
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "consultation/form.html",
        by,
        status_code=status_code,
        data=data,
        problems=problems,
        own_actor=own_actor(session, by),
        groups=groups_of(session, by.actor_id),
        instruments=instruments(process.read_definition()),
        **_common(session, process),
    )


@router.get("/inputs/new")
def new_input(
    request: Request, session: DbSession, process: CurrentProcess, by: PagePrincipal
) -> Response:
    require_submit(by)
    closed = closed_for_inputs(process)
    return _form(request, session, process, by, InputData(text=""), [closed] if closed else [])


@router.post("/inputs/new", dependencies=[CheckCsrf])
def post_new_input(
    request: Request,
    session: DbSession,
    process: CurrentProcess,
    settings: AppSettings,
    by: PagePrincipal,
    text: Annotated[str, Form()] = "",
    title: Annotated[str, Form()] = "",
    kind: Annotated[str, Form()] = "card",
    submitter: Annotated[str, Form()] = "",
    on_behalf_of: Annotated[str, Form()] = "",
    meeting: Annotated[str, Form()] = "",
    dimensions: Annotated[list[str] | None, Form()] = None,
    input_types: Annotated[list[str] | None, Form()] = None,
    references: Annotated[str, Form()] = "",
    status: Annotated[str, Form()] = "submitted",
    attachment: Annotated[UploadFile | None, File()] = None,
) -> Response:
    require_submit(by)
    data = InputData(
        text=text,
        title=title,
        kind=kind,
        submitter=submitter if by.can(Permission.INPUTS_SUBMIT_ANY) else "",
        on_behalf_of=on_behalf_of,
        meeting=meeting,
        dimensions=dimensions or [],
        input_types=input_types or [],
        references=[r for r in references.replace(",", ";").split(";") if r.strip()],
        status=status if status in ("draft", "submitted") else "submitted",
    )
    try:
        if attachment is not None and attachment.filename:
            content = read_upload(attachment, settings.max_upload_bytes)
            data.attachment_name = attachment.filename
            data.attachment_text = extract_text(content, attachment.filename)
            data.attachment_content = content
        record = submit_input(
            session, process, data, by=by, channel=Channel.WEB, max_chars=settings.max_input_chars
        )
    except ValidationFailed as exc:
        return _form(request, session, process, by, data, exc.problems, status_code=422)
    if record.status == InputStatus.DRAFT:
        flash(request, "Draft saved: only you and the secretariat see it until you submit it.")
    else:
        flash(
            request,
            "Input %(input)s submitted: the secretariat will review it.",
            values={"input": record.external_id or record.id},
        )
    return RedirectResponse(f"/inputs/{record.id}", status_code=303)


@router.get("/inputs/import")
def import_form(request: Request, by: PagePrincipal, process: CurrentProcess) -> Response:
    require(by, Permission.INPUTS_IMPORT)
    return render(
        request,
        "consultation/import.html",
        by,
        process=process,
        waited_for_rows=WAITED_FOR_ROWS,
        problems=[],
        source="",
    )


@router.post("/inputs/import", dependencies=[CheckCsrf])
def post_import(
    request: Request,
    session: DbSession,
    process: CurrentProcess,
    settings: AppSettings,
    by: PagePrincipal,
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """A file that is one of inputs is imported by a job, whose page follows it; a small one is
    run at once (the page waits that moment), a large one by a worker. A file that is not one of
    inputs is refused here, as it was, and nothing is kept."""
    require(by, Permission.INPUTS_IMPORT)
    name = (file.filename if file else "") or "upload"
    try:
        if file is None or not file.filename:
            raise ValidationFailed("upload", [])
        job = import_upload(
            session,
            request.app.state.sessions,
            process,
            read_upload(file, settings.max_upload_bytes),
            name,
            by=by,
            settings=settings,
        )
    except ValidationFailed as exc:
        problems = exc.problems or []
        return render(
            request,
            "consultation/import.html",
            by,
            status_code=422,
            process=process,
            waited_for_rows=WAITED_FOR_ROWS,
            problems=problems or None,
            source=name,
        )
    values: dict[str, str | int] = {"source": name, "job": job.id}
    if job.state == JobState.DONE:
        flash(request, "%(source)s is imported (job %(job)s).", values=values)
    elif job.state == JobState.FAILED:
        flash(request, "%(source)s was refused; nothing was stored (job %(job)s).", "error", values)
    else:
        flash(request, "The import of %(source)s is queued as job %(job)s.", values=values)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.get("/inputs/{input_id}")
def input_detail(
    request: Request, input_id: int, session: DbSession, process: CurrentProcess, by: PagePrincipal
) -> Response:
    return _detail(request, session, process, by, get_input(session, input_id, by=by))


def _detail(
    request: Request,
    session: Session,
    process: Process,
    by: Principal,
    record: Input,
    problems: Sequence[Problem] = (),
) -> Response:
    """An input's page; with problems, the page a refused action goes back to (422)."""
    return render(
        request,
        "consultation/detail.html",
        by,
        status_code=422 if problems else 200,
        record=record,
        problems=list(problems),
        attachment=find_attachment(session, record),
        may_edit=may_edit(by, record),
        **_common(session, process),
    )


@router.post("/inputs/{input_id}/publish", dependencies=[CheckCsrf])
def post_publish(
    request: Request,
    input_id: int,
    session: DbSession,
    by: PagePrincipal,
) -> Response:
    record = publish_input(session, get_input(session, input_id, by=by), by=by)
    flash(
        request,
        "Input %(input)s published: the public can read it.",
        values={"input": record.external_id or record.id},
    )
    return RedirectResponse(f"/inputs/{input_id}", status_code=303)


@router.post("/inputs/{input_id}/withdraw", dependencies=[CheckCsrf])
def post_withdraw(
    request: Request,
    input_id: int,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    reason: Annotated[str, Form()] = "",
) -> Response:
    record = get_input(session, input_id, by=by)
    try:
        withdraw_input(session, record, reason=reason, by=by)
    except ValidationFailed as exc:
        return _detail(request, session, process, by, record, exc.problems)
    flash(request, "Input %(input)s withdrawn.", values={"input": record.external_id or record.id})
    return RedirectResponse(f"/inputs/{input_id}", status_code=303)


@router.post("/inputs/{input_id}/tags", dependencies=[CheckCsrf])
def post_tags(
    request: Request,
    input_id: int,
    session: DbSession,
    by: PagePrincipal,
    dimensions: Annotated[list[str] | None, Form()] = None,
    input_types: Annotated[list[str] | None, Form()] = None,
    next: Annotated[str, Form()] = "",
) -> Response:
    record = get_input(session, input_id, by=by)
    retag_input(session, record, dimensions=dimensions or [], input_types=input_types or [], by=by)
    flash(
        request, "Tags of input %(input)s saved.", values={"input": record.external_id or record.id}
    )
    return RedirectResponse(safe_next(next, f"/inputs/{input_id}"), status_code=303)

"""What an author does with its input after saving it (edit, submit a draft), and the download of an
input's attached file."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from stocktake.consultation.models import Input, InputStatus
from stocktake.consultation.references import format_reference, instruments
from stocktake.consultation.services import InputData, get_input, update_input
from stocktake.consultation.services.attachments import download, get_attachment
from stocktake.consultation.services.drafts import editable_input, submit_draft
from stocktake.consultation.views.inputs import _common
from stocktake.core.errors import Problem, ValidationFailed
from stocktake.core.permissions import Principal
from stocktake.process.deps import CurrentProcess
from stocktake.process.models import Process
from stocktake.web.deps import AppSettings, CheckCsrf, DbSession, PagePrincipal
from stocktake.web.flash import flash
from stocktake.web.templating import render

router = APIRouter(include_in_schema=False)


def _data_of(record: Input) -> InputData:
    return InputData(
        text=record.text,
        title=record.title,
        kind=record.kind,
        meeting=record.meeting.slug if record.meeting else "",
        dimensions=record.tag_keys("dimensions"),
        input_types=record.tag_keys("input_types"),
        # as the form's help writes them, so that saving unchanged keeps them as they were typed
        references=[format_reference(r.scheme, r.code) for r in record.references],
        status=record.status,
    )


def _edit_page(
    request: Request,
    session: DbSession,
    process: Process,
    by: Principal,
    record: Input,
    data: InputData,
    problems: Sequence[Problem],
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "consultation/form.html",
        by,
        status_code=status_code,
        data=data,
        problems=problems,
        editing=record,
        instruments=instruments(process.read_definition()),
        **_common(session, process),
    )


@router.get("/inputs/{input_id}/edit")
def edit_input(
    request: Request, input_id: int, session: DbSession, process: CurrentProcess, by: PagePrincipal
) -> Response:
    record = editable_input(session, input_id, by=by)
    return _edit_page(request, session, process, by, record, _data_of(record), [])


@router.post("/inputs/{input_id}/edit", dependencies=[CheckCsrf])
def post_edit_input(
    request: Request,
    input_id: int,
    session: DbSession,
    process: CurrentProcess,
    settings: AppSettings,
    by: PagePrincipal,
    text: Annotated[str, Form()] = "",
    title: Annotated[str, Form()] = "",
    kind: Annotated[str, Form()] = "card",
    meeting: Annotated[str, Form()] = "",
    dimensions: Annotated[list[str] | None, Form()] = None,
    input_types: Annotated[list[str] | None, Form()] = None,
    references: Annotated[str, Form()] = "",
    intent: Annotated[str, Form()] = "save",
) -> Response:
    record = editable_input(session, input_id, by=by)
    changes = {
        "text": text,
        "title": title,
        "kind": kind,
        "meeting": meeting,
        "dimensions": dimensions or [],
        "input_types": input_types or [],
        "references": [r for r in references.replace(",", ";").split(";") if r.strip()],
    }
    try:
        update_input(session, record, changes, by=by, max_chars=settings.max_input_chars)
    except ValidationFailed as exc:
        data = _data_of(record)
        data.text, data.title, data.kind, data.meeting = text, title, kind, meeting
        data.dimensions, data.input_types = dimensions or [], input_types or []
        data.references = changes["references"]  # type: ignore[assignment]
        return _edit_page(request, session, process, by, record, data, exc.problems, 422)
    if intent == "submit" and record.status == InputStatus.DRAFT.value:
        submit_draft(session, record, by=by)
        flash(request, "Draft submitted: the secretariat will review it.")
    elif record.status == InputStatus.DRAFT.value:
        flash(request, "Draft saved.")
    else:
        flash(request, "Changes saved.")
    return RedirectResponse(f"/inputs/{record.id}", status_code=303)


@router.post("/inputs/{input_id}/submit", dependencies=[CheckCsrf])
def post_submit_draft(
    request: Request,
    input_id: int,
    session: DbSession,
    by: PagePrincipal,
) -> Response:
    submit_draft(session, get_input(session, input_id, by=by), by=by)
    flash(request, "Draft submitted: the secretariat will review it.")
    return RedirectResponse(f"/inputs/{input_id}", status_code=303)


@router.get("/inputs/{input_id}/attachment")
def download_attachment(input_id: int, session: DbSession, by: PagePrincipal) -> Response:
    """The attached file as it was sent, to whoever may read the input."""
    attachment = get_attachment(session, get_input(session, input_id, by=by))
    return download(attachment)

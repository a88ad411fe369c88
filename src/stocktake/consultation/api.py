from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from starlette.responses import Response

from stocktake.consultation.jobs import import_upload
from stocktake.consultation.models import Channel
from stocktake.consultation.schemas import (
    ImportOut,
    InputIn,
    InputOut,
    InputPageOut,
    InputPatch,
    ModerationIn,
    ModerationOut,
    TagsIn,
    WithdrawIn,
)
from stocktake.consultation.services import (
    InputData,
    get_input,
    publish_input,
    retag_input,
    submit_input,
    update_input,
    withdraw_input,
)
from stocktake.consultation.services.attachments import download, get_attachment
from stocktake.consultation.services.drafts import submit_draft
from stocktake.consultation.services.filters import check_input_filter
from stocktake.consultation.services.moderation import moderate_inputs
from stocktake.consultation.services.queries import InputFilter, iter_inputs, list_inputs
from stocktake.consultation.views.helpers import export_response
from stocktake.core.errors import Problem, ValidationFailed, problems_of_data
from stocktake.core.jobs import JobState
from stocktake.core.permissions import Permission, require
from stocktake.process.deps import CurrentProcess
from stocktake.web.deps import ApiPrincipal, AppSettings, DbSession
from stocktake.web.paging import Page, PerPage, next_page_link
from stocktake.web.uploads import read_upload

router = APIRouter(tags=["consultation"])


def input_filter(
    dimension: str | None = None,
    input_type: str | None = None,
    actor_kind: str | None = None,
    region: str | None = None,
    regional_group: str | None = None,
    category: str | None = None,
    meeting: str | None = None,
    language: str | None = None,
    status: str | None = None,
    submitter: str | None = Query(None, description="Actor code"),
    q: str | None = Query(None, max_length=200, description="Every word must occur, in any script"),
) -> InputFilter:
    return InputFilter.parse(
        {
            "dimension": dimension,
            "input_type": input_type,
            "actor_kind": actor_kind,
            "region": region,
            "regional_group": regional_group,
            "category": category,
            "meeting": meeting,
            "language": language,
            "status": status,
            "submitter": submitter,
            "q": q,
        }
    )


Filters = Annotated[InputFilter, Depends(input_filter)]


@router.get(
    "/inputs", response_model=InputPageOut, summary="Inputs, filtered, searched and paginated"
)
def read_inputs_page(
    session: DbSession,
    process: CurrentProcess,
    settings: AppSettings,
    by: ApiPrincipal,
    filters: Filters,
    request: Request,
    page: Page = 1,
    per_page: PerPage = None,
) -> InputPageOut:
    check_input_filter(session, process, filters)
    size = per_page or settings.page_size
    result = list_inputs(session, process, filters, by=by, page=page, page_size=size)
    return InputPageOut(
        items=[InputOut.of(i) for i in result.items],
        total=result.total,
        page=result.page,
        pages=result.pages,
        per_page=size,
        next=next_page_link(request, result.page, result.pages),
    )


@router.post(
    "/inputs",
    response_model=InputOut,
    status_code=201,
    summary="Submit an input (as your own actor)",
)
def post_input(
    body: InputIn,
    session: DbSession,
    process: CurrentProcess,
    settings: AppSettings,
    by: ApiPrincipal,
) -> InputOut:
    record = submit_input(
        session,
        process,
        InputData(**body.model_dump()),
        by=by,
        channel=Channel.API,
        max_chars=settings.max_input_chars,
    )
    return InputOut.of(get_input(session, record.id, by=by))


@router.get(
    "/inputs/export",
    summary="Export the inputs you may see, with the list's filters, as CSV, XLSX or JSON",
)
def export_inputs(
    session: DbSession,
    process: CurrentProcess,
    by: ApiPrincipal,
    filters: Filters,
    format: Literal["csv", "xlsx", "json"] = "csv",
) -> Response:
    check_input_filter(session, process, filters)
    return export_response(list(iter_inputs(session, process, filters, by=by)), format)


@router.post(
    "/inputs/import",
    response_model=ImportOut,
    status_code=201,
    summary="Import a CSV, XLSX or JSON file of inputs by a job (secretariat)",
    description=(
        "A file of at most 1,000 rows is imported at once (201, what was imported; 422 with its "
        "problems, row by row); a larger one is queued for a worker (202: follow the job at "
        "/api/v1/jobs/{job_id}). A file that is not one of inputs is refused at once (422)."
    ),
)
def post_import(
    request: Request,
    response: Response,
    session: DbSession,
    process: CurrentProcess,
    settings: AppSettings,
    by: ApiPrincipal,
    file: Annotated[UploadFile, File(description="CSV, XLSX or JSON")],
) -> ImportOut:
    require(by, Permission.INPUTS_IMPORT)
    name = file.filename or "upload.csv"
    job = import_upload(
        session,
        request.app.state.sessions,
        process,
        read_upload(file, settings.max_upload_bytes),
        name,
        by=by,
        settings=settings,
    )
    if job.state == JobState.FAILED:
        problems = problems_of_data(job.result.get("problems"))
        raise ValidationFailed(name, problems or [Problem("", job.reason)])
    if job.state != JobState.DONE:
        response.status_code = 202
    return ImportOut(
        source=name,
        created=job.result.get("created", 0),
        unchanged=job.result.get("unchanged", 0),
        job_id=job.id,
        state=job.state,
    )


@router.get("/inputs/{input_id}", response_model=InputOut, summary="One input")
def read_input(input_id: int, session: DbSession, by: ApiPrincipal) -> InputOut:
    return InputOut.of(get_input(session, input_id, by=by))


@router.patch(
    "/inputs/{input_id}",
    response_model=InputOut,
    summary="Change an input (its submitter until published; the secretariat)",
)
def patch_input(
    input_id: int, body: InputPatch, session: DbSession, settings: AppSettings, by: ApiPrincipal
) -> InputOut:
    record = get_input(session, input_id, by=by)
    update_input(
        session,
        record,
        body.model_dump(exclude_unset=True),
        by=by,
        max_chars=settings.max_input_chars,
    )
    return InputOut.of(get_input(session, input_id, by=by))


@router.post(
    "/inputs/{input_id}/withdraw",
    response_model=InputOut,
    summary="Withdraw an input with a reason",
)
def post_withdraw(
    input_id: int, body: WithdrawIn, session: DbSession, by: ApiPrincipal
) -> InputOut:
    record = withdraw_input(session, get_input(session, input_id, by=by), reason=body.reason, by=by)
    return InputOut.of(record)


@router.post(
    "/inputs/{input_id}/publish", response_model=InputOut, summary="Publish an input (secretariat)"
)
def post_publish(input_id: int, session: DbSession, by: ApiPrincipal) -> InputOut:
    return InputOut.of(publish_input(session, get_input(session, input_id, by=by), by=by))


@router.put(
    "/inputs/{input_id}/tags",
    response_model=InputOut,
    summary="Confirm or correct an input's tags (secretariat)",
)
def put_tags(input_id: int, body: TagsIn, session: DbSession, by: ApiPrincipal) -> InputOut:
    record = retag_input(
        session,
        get_input(session, input_id, by=by),
        dimensions=body.dimensions,
        input_types=body.input_types,
        by=by,
    )
    return InputOut.of(record)


@router.post(
    "/inputs/moderate",
    response_model=ModerationOut,
    summary="Publish, withdraw or retag many inputs at once, all or none (secretariat)",
)
def post_moderate(
    body: ModerationIn, session: DbSession, process: CurrentProcess, by: ApiPrincipal
) -> ModerationOut:
    report = moderate_inputs(
        session,
        process,
        body.ids,
        body.action,
        by=by,
        reason=body.reason,
        dimensions=body.dimensions,
        input_types=body.input_types,
    )
    return ModerationOut(
        action=report.action.value, changed=report.changed, unchanged=report.unchanged
    )


@router.post(
    "/inputs/{input_id}/submit",
    response_model=InputOut,
    summary="Submit a draft to the secretariat (its author)",
)
def post_submit_draft(input_id: int, session: DbSession, by: ApiPrincipal) -> InputOut:
    return InputOut.of(submit_draft(session, get_input(session, input_id, by=by), by=by))


@router.get(
    "/inputs/{input_id}/attachment",
    summary="The attached file as it was sent (whoever may read the input)",
    response_class=Response,
    responses={200: {"content": {"application/octet-stream": {}}}, 404: {}},
)
def read_attachment(input_id: int, session: DbSession, by: ApiPrincipal) -> Response:
    attachment = get_attachment(session, get_input(session, input_id, by=by))
    return download(attachment)

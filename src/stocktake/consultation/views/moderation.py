"""The moderation queue's pages: what waits, bulk actions on a selection, publish and next."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from stocktake.consultation.language import LANGUAGE_NAMES
from stocktake.consultation.models import InputStatus
from stocktake.consultation.services import get_input, publish_input
from stocktake.consultation.services.moderation import (
    MAX_SELECTION,
    BulkAction,
    QueueOrder,
    moderate_inputs,
    next_in_queue,
    queue_page,
    waiting,
)
from stocktake.consultation.services.queries import InputFilter
from stocktake.core.errors import ValidationFailed
from stocktake.process.deps import CurrentProcess
from stocktake.web.deps import AppSettings, CheckCsrf, DbSession, PagePrincipal
from stocktake.web.flash import flash
from stocktake.web.templating import render

router = APIRouter(include_in_schema=False)
QUEUE_STATUSES = (
    InputStatus.SUBMITTED.value,
    InputStatus.PUBLISHED.value,
    InputStatus.WITHDRAWN.value,
)
DONE = {
    BulkAction.PUBLISH: "published",
    BulkAction.WITHDRAW: "withdrawn",
    BulkAction.TAG: "tagged",
    BulkAction.RETAG: "retagged",
}


def _filters(request: Request) -> InputFilter:
    value = {
        name: (request.query_params.get(name) or "").strip()[:200] or None
        for name in ("q", "language", "status")
    }
    if value["status"] not in QUEUE_STATUSES:
        value["status"] = None
    return InputFilter(**value)


def _plural(count: int) -> str:
    return f"{count} input{'s' if count != 1 else ''}"


@router.get("/inputs/queue")
def queue(
    request: Request,
    session: DbSession,
    process: CurrentProcess,
    settings: AppSettings,
    by: PagePrincipal,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    select: str = "",
    order: str = "",
) -> Response:
    filters = _filters(request)
    chosen = QueueOrder(order) if order in {o.value for o in QueueOrder} else QueueOrder.NEWEST
    result = queue_page(
        session,
        process,
        filters,
        by=by,
        page=page,
        page_size=min(settings.page_size, MAX_SELECTION),
        order=chosen,
    )
    return render(
        request,
        "consultation/queue.html",
        by,
        process=process,
        result=result,
        filters=filters,
        waiting=waiting(session, process, by=by),
        languages=LANGUAGE_NAMES,
        statuses=QUEUE_STATUSES,
        select_all=select == "all",
        back=request.url.query,
        order=chosen,
        orders=list(QueueOrder),
    )


@router.post("/inputs/queue", dependencies=[CheckCsrf])
def post_queue(
    request: Request,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    action: Annotated[str, Form()] = "",
    ids: Annotated[list[int] | None, Form()] = None,
    reason: Annotated[str, Form(max_length=2000)] = "",
    dimensions: Annotated[list[str] | None, Form()] = None,
    input_types: Annotated[list[str] | None, Form()] = None,
    back: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    target = "/inputs/queue" + (f"?{back}" if back and not back.startswith(("/", "\\")) else "")
    try:
        report = moderate_inputs(
            session,
            process,
            ids or [],
            action,
            by=by,
            reason=reason,
            dimensions=dimensions or [],
            input_types=input_types or [],
        )
    except ValidationFailed as exc:
        flash(request, "Nothing changed: " + "; ".join(str(p) for p in exc.problems) + ".", "error")
        return RedirectResponse(target, status_code=303)
    message = f"{_plural(len(report.changed))} {DONE[report.action]}."
    if report.unchanged:
        message += (
            f" {_plural(len(report.unchanged))} already {DONE[report.action]}, left as they were."
        )
    flash(request, message)
    return RedirectResponse(target, status_code=303)


@router.get("/inputs/queue/next")
def queue_next(
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    after: Annotated[int, Query(ge=0, le=2**62)] = 0,
) -> Response:
    """Skip to the next input waiting in the queue."""
    following = next_in_queue(session, process, after, by=by)
    return RedirectResponse(
        f"/inputs/{following}?queue=1" if following else "/inputs/queue", status_code=303
    )


@router.post("/inputs/{input_id}/publish-next", dependencies=[CheckCsrf])
def post_publish_next(
    request: Request,
    input_id: int,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
) -> Response:
    """Publish this input and open the next one waiting: moderation from the keyboard."""
    record = publish_input(session, get_input(session, input_id, by=by), by=by)
    following = next_in_queue(session, process, input_id, by=by)
    flash(request, f"Input {record.external_id or record.id} published.")
    if following is None:
        flash(request, "The queue is empty: nothing else waits.")
        return RedirectResponse("/inputs/queue", status_code=303)
    return RedirectResponse(f"/inputs/{following}?queue=1", status_code=303)

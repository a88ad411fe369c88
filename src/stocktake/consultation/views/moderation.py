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
from stocktake.consultation.views.helpers import STATUS_NAMES
from stocktake.core.errors import ValidationFailed, problem_shown
from stocktake.process.deps import CurrentProcess
from stocktake.web.deps import AppSettings, CheckCsrf, DbSession, PagePrincipal
from stocktake.web.flash import Plural, flash
from stocktake.web.languages import request_language, translatable, translatable_plural
from stocktake.web.templating import render

router = APIRouter(include_in_schema=False)
QUEUE_STATUSES = (
    InputStatus.SUBMITTED.value,
    InputStatus.PUBLISHED.value,
    InputStatus.WITHDRAWN.value,
)
ORDER_NAMES = {
    QueueOrder.NEWEST.value: translatable("Newest first"),
    QueueOrder.OLDEST.value: translatable("Oldest first"),
}
# what a bulk action says it did: (singular, plural) of the inputs it changed, then of those it
# found already so and left as they were
DONE = {
    BulkAction.PUBLISH: (
        translatable_plural("%(num)s input published.", "%(num)s inputs published."),
        translatable_plural(
            "%(num)s input already published, left as they were.",
            "%(num)s inputs already published, left as they were.",
        ),
    ),
    BulkAction.WITHDRAW: (
        translatable_plural("%(num)s input withdrawn.", "%(num)s inputs withdrawn."),
        translatable_plural(
            "%(num)s input already withdrawn, left as they were.",
            "%(num)s inputs already withdrawn, left as they were.",
        ),
    ),
    BulkAction.TAG: (
        translatable_plural("%(num)s input tagged.", "%(num)s inputs tagged."),
        translatable_plural(
            "%(num)s input already tagged, left as they were.",
            "%(num)s inputs already tagged, left as they were.",
        ),
    ),
    BulkAction.RETAG: (
        translatable_plural("%(num)s input retagged.", "%(num)s inputs retagged."),
        translatable_plural(
            "%(num)s input already retagged, left as they were.",
            "%(num)s inputs already retagged, left as they were.",
        ),
    ),
}


def _filters(request: Request) -> InputFilter:
    value = {
        name: (request.query_params.get(name) or "").strip()[:200] or None
        for name in ("q", "language", "status")
    }
    if value["status"] not in QUEUE_STATUSES:
        value["status"] = None
    return InputFilter(**value)


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
        order_names=ORDER_NAMES,
        status_names=STATUS_NAMES,
    )


@router.post("/inputs/queue", dependencies=[CheckCsrf])
def post_queue(
    request: Request,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    action: Annotated[str, Form()] = "",
    ids: Annotated[list[int] | None, Form()] = None,
    reason: Annotated[str, Form()] = "",  # its length is the service's to refuse, in words
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
        language = request_language(request)
        problems = "; ".join(problem_shown(p, language, isolate=True) for p in exc.problems)
        flash(request, "Nothing changed: %(problems)s.", "error", values={"problems": problems})
        return RedirectResponse(target, status_code=303)
    changed, unchanged = DONE[report.action]
    said: tuple[Plural, ...] = (Plural(*changed, len(report.changed)),)
    if report.unchanged:
        said += (Plural(*unchanged, len(report.unchanged)),)
    flash(request, said)
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
    flash(request, "Input %(input)s published.", values={"input": record.external_id or record.id})
    if following is None:
        flash(request, "The queue is empty: nothing else waits.")
        return RedirectResponse("/inputs/queue", status_code=303)
    return RedirectResponse(f"/inputs/{following}?queue=1", status_code=303)

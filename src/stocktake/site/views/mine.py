"""A delegation's or organisation's own items, across the process: its inputs and drafts, the
amendments it sponsors, its pledges and its registrations, each with where it stands."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from stocktake.consultation.services.queries import InputFilter, list_input_rows
from stocktake.core.permissions import Permission, require
from stocktake.meetings.services import registrations_of_actor
from stocktake.negotiation.services.queries import amendments_of_actor
from stocktake.process.deps import CurrentProcess
from stocktake.registry.services import own_actor
from stocktake.review.services.pledges import PledgeFilter, list_pledges
from stocktake.web.deps import DbSession, PagePrincipal
from stocktake.web.templating import render

router = APIRouter(include_in_schema=False)

SHOWN = 100  # inputs on the page; the inputs list pages through the rest


@router.get("/mine")
def my_items(
    request: Request, session: DbSession, process: CurrentProcess, by: PagePrincipal
) -> Response:
    require(by, Permission.INPUTS_READ_OWN)
    actor = own_actor(session, by)
    if actor is None:
        return render(request, "process/mine.html", by, process=process, actor=None)
    inputs = list_input_rows(
        session, process, InputFilter(submitter=actor.code), by=by, page_size=SHOWN
    )
    return render(
        request,
        "process/mine.html",
        by,
        process=process,
        actor=actor,
        inputs=inputs,
        amendments=amendments_of_actor(session, actor.id),
        pledges=list_pledges(
            session, process, PledgeFilter(actor=actor.code), by=by, relations=False
        ),
        registrations=registrations_of_actor(session, actor),
    )

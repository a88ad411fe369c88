"""The thread in the JSON API: the thread of a paragraph or objective, an actor's inputs and what
became of them, the coverage of a draft or of the adopted text. The public sees what is
published: published inputs, issued revisions, the published summary, published pledges."""

from __future__ import annotations

from fastapi import APIRouter

from stocktake.negotiation.services.link_queries import readable_inputs
from stocktake.process.deps import CurrentProcess
from stocktake.site.schemas import CoverageOut, InputsReportOut, ThreadOut
from stocktake.site.thread import (
    Thread,
    coverage,
    inputs_report,
    objective_thread,
    paragraph_thread,
)
from stocktake.web.deps import ApiPrincipal, DbSession

router = APIRouter(tags=["thread"])


def _out(session: DbSession, thread: Thread, by: ApiPrincipal) -> ThreadOut:
    others = [i for link in [*thread.suggested, *thread.removed] for i in link.input_ids]
    return ThreadOut.of(thread, by, readable_inputs(session, by, others))


@router.get(
    "/drafts/{draft_id}/paragraphs/{eid}/thread",
    response_model=ThreadOut,
    summary="A paragraph's thread: its inputs, its changes and amendments, its status, its follow-up",
)
def read_paragraph_thread(
    draft_id: int, eid: str, session: DbSession, process: CurrentProcess, by: ApiPrincipal
) -> ThreadOut:
    return _out(session, paragraph_thread(session, process, draft_id, eid, by=by), by)


@router.get(
    "/review/objectives/{objective}/thread",
    response_model=ThreadOut,
    summary="An objective's thread, through the paragraphs of the text it stands in",
)
def read_objective_thread(
    objective: int, session: DbSession, process: CurrentProcess, by: ApiPrincipal
) -> ThreadOut:
    return _out(session, objective_thread(session, process, objective, by=by), by)


@router.get(
    "/actors/{code}/inputs-report",
    response_model=InputsReportOut,
    summary="Where did an actor's inputs go: each with what became of it",
)
def read_inputs_report(
    code: str, session: DbSession, process: CurrentProcess, by: ApiPrincipal
) -> InputsReportOut:
    return InputsReportOut.of(inputs_report(session, process, code, by=by))


@router.get(
    "/drafts/{draft_id}/coverage",
    response_model=CoverageOut,
    summary="The share of clusters, actors and regions a draft (or its adopted text) reflects",
)
def read_coverage(
    draft_id: int,
    session: DbSession,
    process: CurrentProcess,
    by: ApiPrincipal,
    adopted: bool = False,
) -> CoverageOut:
    return CoverageOut.of(coverage(session, process, draft_id, adopted=adopted, by=by))

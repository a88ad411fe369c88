"""Pages of the room's tools: the amendment list in two columns, the list of decisions of a
round, merging amendments and a round's deadline for tabling."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from stocktake.core.errors import Problem, ValidationFailed
from stocktake.core.permissions import Permission
from stocktake.core.translation import Text
from stocktake.negotiation.exports import ExportFile, compilation_paper
from stocktake.negotiation.formats.languages import RIGHT_TO_LEFT
from stocktake.negotiation.formats.lists import (
    amendment_list_docx,
    decisions_docx,
    describe,
    sponsors_said,
    wording_in,
)
from stocktake.negotiation.services import get_draft, require_working_text, rounds_of
from stocktake.negotiation.services.merging import merge_amendments
from stocktake.negotiation.services.room import (
    amendment_list,
    deadline_words,
    decisions_of,
    get_round,
    set_tabling_deadline,
)
from stocktake.negotiation.views.helpers import back, file_response
from stocktake.negotiation.views.words import WORDS
from stocktake.process.deps import CurrentProcess
from stocktake.web.deps import CheckCsrf, DbSession, PagePrincipal
from stocktake.web.flash import flash
from stocktake.web.languages import format_day, request_language
from stocktake.web.templating import render

router = APIRouter(include_in_schema=False)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _docx_only(fmt: str) -> None:
    if fmt != "docx":
        raise ValidationFailed(
            "export",
            [
                Problem(
                    "format",
                    Text("unknown format %(format)r; use %(formats)s", format=fmt, formats="docx"),
                )
            ],
        )


@router.get("/drafts/{draft_id}/amendment-list")
def amendment_list_page(
    request: Request,
    draft_id: int,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    format: str | None = None,
) -> Response:
    """The pending amendments beside the text they amend, as the room reads them."""
    draft = get_draft(session, process, draft_id, by=by)
    require_working_text(session, process, by)
    language = request_language(request)
    rows = amendment_list(session, draft, language)
    if format:
        _docx_only(format)
        paper = compilation_paper(draft, language=language)
        content = amendment_list_docx(
            process.titled(draft.title, language), rows, paper, wording_in(language)
        )
        return file_response(ExportFile(content, f"draft-{draft.id}-amendment-list.docx", DOCX))
    numbers = {row.node.eid: row.node.number for row in rows}
    said = wording_in(language)
    isolate = language in RIGHT_TO_LEFT
    return render(
        request,
        "negotiation/amendment_list.html",
        by,
        **WORDS,
        process=process,
        draft=draft,
        rows=rows,
        describe=lambda a: describe(a, numbers, said, isolate=isolate),
        sponsor_line=lambda a: sponsors_said(a, said, isolate=isolate),
    )


@router.get("/drafts/{draft_id}/decisions")
def decisions_page(
    request: Request,
    draft_id: int,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    round: int | None = None,
    format: str | None = None,
) -> Response:
    """The decisions on the amendments of a round (of every round when none is named)."""
    draft = get_draft(session, process, draft_id, by=by)
    require_working_text(session, process, by)
    item = get_round(session, draft, round) if round is not None else None
    language = request_language(request)
    decisions = decisions_of(session, draft, item, language)
    if format:
        _docx_only(format)
        name = item.name if item else None
        paper = compilation_paper(draft, language=language)
        content = decisions_docx(
            process.titled(draft.title, language), decisions, paper, wording_in(language), name
        )
        suffix = f"-round-{item.id}" if item else ""
        return file_response(ExportFile(content, f"draft-{draft.id}-decisions{suffix}.docx", DOCX))
    return render(
        request,
        "negotiation/decisions.html",
        by,
        **WORDS,
        process=process,
        draft=draft,
        decisions=decisions,
        chosen=item,
        rounds=rounds_of(session, draft),
    )


def _deadline(moment: dt.datetime, language: str) -> str:
    """A deadline as the room reads it, in the reader's language: 5 March 2018, 18:00 UTC."""
    if language == "en":
        return deadline_words(moment)
    moment = moment.astimezone(dt.UTC)
    return f"{format_day(moment.date(), language)}, {moment:%H:%M} UTC"


_NUMBER = re.compile(r"^A?(\d{1,6})$", re.IGNORECASE | re.ASCII)


def amendment_numbers(value: str) -> list[int]:
    """Amendments named as "A1, A3" (or "1 3"); a name not like A3 is refused, named."""
    numbers = []
    for part in re.split(r"[\s,;]+", value.strip()):
        if not part:
            continue
        match = _NUMBER.match(part)
        if match is None:
            raise ValidationFailed(
                "merge", [Problem("amendments", Text("%(value)r is not like A3", value=part))]
            )
        numbers.append(int(match.group(1)))
    return numbers


@router.post("/drafts/{draft_id}/amendments/merge", dependencies=[CheckCsrf])
def post_merge(
    request: Request,
    draft_id: int,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    amendments: Annotated[str, Form()] = "",
    new_text: Annotated[str, Form()] = "",
    quoted: Annotated[str, Form()] = "",
) -> Response:
    """The secretariat merges amendments: identical ones, or into a compromise text."""
    draft = get_draft(session, process, draft_id, by=by, acting=Permission.AMENDMENTS_DECIDE)
    into = merge_amendments(
        session,
        draft,
        amendment_numbers(amendments),
        new_text=new_text if new_text.strip() else None,
        quoted=quoted if quoted.strip() else None,
        by=by,
    )
    flash(
        request,
        "Merged into %(amendment)s, now sponsored by %(sponsors)s.",
        values={"amendment": into.label, "sponsors": ", ".join(into.sponsors)},
    )
    return back(draft, f"/amendments/{into.number}")


@router.post("/drafts/{draft_id}/rounds/{round_id}/deadline", dependencies=[CheckCsrf])
def post_deadline(
    request: Request,
    draft_id: int,
    round_id: int,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    deadline: Annotated[str, Form()] = "",
    refuse_late: Annotated[bool, Form()] = False,
) -> Response:
    """The secretariat sets a round's deadline for tabling amendments (in UTC)."""
    draft = get_draft(session, process, draft_id, by=by, acting=Permission.DRAFTS_MANAGE)
    item = get_round(session, draft, round_id)
    try:
        moment = dt.datetime.fromisoformat(deadline.strip()) if deadline.strip() else None
    except ValueError as exc:
        raise ValidationFailed(
            item.name, [Problem("deadline", Text("is a date and time: 2018-03-01T18:00"))]
        ) from exc
    set_tabling_deadline(session, draft, item, moment, refuse_late=refuse_late, by=by)
    if item.tabling_deadline is None:
        flash(request, "%(round)s has no deadline for tabling.", values={"round": item.name})
        return back(draft, "/revisions")
    values: dict[str, str | int] = {
        "round": item.name,
        "deadline": _deadline(item.tabling_deadline, request_language(request)),
    }
    if item.refuse_late:
        flash(
            request,
            "Amendments for %(round)s are tabled by %(deadline)s; later ones are refused.",
            values=values,
        )
    else:
        flash(
            request,
            "Amendments for %(round)s are tabled by %(deadline)s; later ones are marked late.",
            values=values,
        )
    return back(draft, "/revisions")

"""The comparison of two revisions on a page, word by word, in the original or in a language both
have a version in; its files."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from stocktake.core.errors import Problem, ValidationFailed
from stocktake.core.translation import Text, shown, translatable
from stocktake.negotiation.exports import comparison_of, export_comparison
from stocktake.negotiation.formats.compare import redline_html, side_by_side_html, summary_counts
from stocktake.negotiation.services import get_draft, require_working_text, revision_of
from stocktake.negotiation.services.languages import NoLanguageVersion
from stocktake.negotiation.views.helpers import file_response
from stocktake.negotiation.views.languages import languages_of
from stocktake.negotiation.views.words import WORDS
from stocktake.process.deps import CurrentProcess
from stocktake.web.deps import DbSession, PagePrincipal
from stocktake.web.errors import NOT_FOUND
from stocktake.web.languages import request_language
from stocktake.web.templating import render

router = APIRouter(include_in_schema=False)
COMPARE_IN_ORIGINAL = translatable("Compare them in the original")


@router.get("/drafts/{draft_id}/compare")
def compare_page(
    request: Request,
    draft_id: int,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    a: int | None = None,
    b: int | None = None,
    view: str = "inline",
    format: str | None = None,
    language: str | None = None,
) -> Response:
    draft = get_draft(session, process, draft_id, by=by)
    require_working_text(session, process, by)
    if len(draft.revisions) < 2:
        raise ValidationFailed(
            "compare", [Problem("revisions", Text("two issued revisions are needed"))]
        )
    old = revision_of(draft, a) if a is not None else draft.revisions[-2]
    new = revision_of(draft, b) if b is not None else draft.revisions[-1]
    if format:
        return file_response(
            export_comparison(
                draft, old, new, format, side_by_side=view == "side", language=language
            )
        )
    shared = [
        pair
        for pair in languages_of(session, draft, old)
        if pair in languages_of(session, draft, new)
    ]
    try:
        rows = comparison_of(old, new, language)
    except NoLanguageVersion as missing:
        shown_as = "side" if view == "side" else "inline"
        back_to = f"/drafts/{draft.id}/compare?a={old.number}&b={new.number}&view={shown_as}"
        return render(
            request,
            "error.html",
            by,
            status_code=404,
            title=NOT_FOUND,
            detail=shown(missing.text, request_language(request), isolate=True),
            back=(back_to, COMPARE_IN_ORIGINAL),
        )
    page_language = request_language(request)
    return render(
        request,
        "negotiation/compare.html",
        by,
        **WORDS,
        process=process,
        draft=draft,
        old=old,
        new=new,
        view="side" if view == "side" else "inline",
        counts=summary_counts(rows),
        language=language or draft.language,
        languages=shared,
        html=(
            side_by_side_html(rows, page_language)
            if view == "side"
            else redline_html(rows, page_language)
        ),
    )

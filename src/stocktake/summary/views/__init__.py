from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse
from markupsafe import Markup
from starlette.responses import Response

from stocktake.analysis.services import latest_run
from stocktake.core.errors import NotFound, Problem, ValidationFailed
from stocktake.core.permissions import Principal
from stocktake.core.translation import Text, joined, shown
from stocktake.process.deps import CurrentProcess
from stocktake.process.models import Process
from stocktake.summary.builder import Words
from stocktake.summary.compare import changed_passages, compared
from stocktake.summary.exports import EXPORTS, export
from stocktake.summary.models import Summary
from stocktake.summary.render import to_html
from stocktake.summary.sections import (
    replace_section,
    split_sections,
)
from stocktake.summary.services import (
    PublicationWarnings,
    comparable_summary,
    editable_summary,
    generate_summary_of_run,
    get_summary,
    list_summaries,
    publish_summary,
    readable_markdown,
    save_version,
    statement_inputs,
    summary_cluster,
    version_of,
    visible_version,
)
from stocktake.web.deps import CheckCsrf, DbSession, PagePrincipal
from stocktake.web.flash import flash
from stocktake.web.languages import request_language
from stocktake.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/summary")
def summaries(
    request: Request, session: DbSession, process: CurrentProcess, by: PagePrincipal
) -> Response:
    items = list_summaries(session, process, by=by)
    return render(
        request,
        "summary/list.html",
        by,
        process=process,
        summaries=items,
        run=latest_run(session, process),
        languages=Words("en").language_names(),
    )


@router.post("/summary", dependencies=[CheckCsrf])
def post_generate(
    request: Request,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    language: Annotated[str, Form(max_length=10)] = "en",
) -> Response:
    summary = generate_summary_of_run(session, process, language=language, by=by)
    drafted: dict[str, str | int] = {
        "num": summary.current.number,
        "run": summary.run_id if summary.run_id is not None else "",
    }
    if summary.current.number > 1:
        flash(
            request,
            "Version %(num)s was drafted from analysis run %(run)s; the sections you edited are "
            "kept, with what changed listed under them.",
            values=drafted,
        )
    else:
        flash(request, "A new summary was drafted from analysis run %(run)s.", values=drafted)
    return RedirectResponse(f"/summary/{summary.id}", status_code=303)


@router.get("/summary/{summary_id}")
def summary_detail(
    request: Request,
    summary_id: int,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    confirm: int = 0,
) -> Response:
    summary = get_summary(session, summary_id, by=by)
    version = visible_version(summary, by=by)
    markdown = readable_markdown(session, version.markdown, by=by)
    sections = [
        (section, Markup(to_html(section.markdown, summary.language)))  # noqa: S704  (raw HTML disabled)
        for section in split_sections(markdown)
    ]
    return render(
        request,
        "summary/detail.html",
        by,
        process=process,
        summary=summary,
        version=version,
        sections=sections,
        editable=version.number == summary.current.number,
        confirm=confirm,
    )


def _edit_page(
    request: Request,
    process: Process,
    summary: Summary,
    by: Principal,
    *,
    section: int | None,
    markdown: str,
    note: str = "",
    based_on: int | None = None,
    problems: Sequence[Problem] = (),
    preview: bool = False,
    status_code: int = 200,
) -> Response:
    """The editor; what was typed (the text, the note of what changed, the version it was
    based on) comes back as it was after a preview or a refusal."""
    sections = split_sections(summary.current.markdown)
    return render(
        request,
        "summary/edit.html",
        by,
        status_code=status_code,
        process=process,
        summary=summary,
        sections=sections,
        section=section,
        markdown=markdown,
        note=note,
        based_on=based_on or summary.current.number,
        preview=Markup(to_html(markdown, summary.language)) if preview else None,  # noqa: S704
        problems=problems or [],
    )


@router.get("/summary/{summary_id}/edit")
def edit_form(
    request: Request,
    summary_id: int,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    section: Annotated[int | None, Query(ge=0, le=10_000)] = None,
) -> Response:
    summary = editable_summary(session, summary_id, by=by)
    markdown = summary.current.markdown
    if section is not None:
        chosen = [s for s in split_sections(markdown) if s.number == section]
        if not chosen:
            raise NotFound(Text("summary section"), section)
        markdown = chosen[0].markdown
    return _edit_page(request, process, summary, by, section=section, markdown=markdown)


@router.post("/summary/{summary_id}/edit", dependencies=[CheckCsrf])
def post_edit(
    request: Request,
    summary_id: int,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    markdown: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
    section: Annotated[int | None, Form(ge=0, le=10_000)] = None,
    intent: Annotated[str, Form()] = "save",
    based_on: Annotated[int | None, Form(ge=1)] = None,
) -> Response:
    summary = editable_summary(session, summary_id, by=by)
    if intent == "preview":
        return _edit_page(
            request,
            process,
            summary,
            by,
            section=section,
            markdown=markdown,
            note=note,
            based_on=based_on,
            preview=True,
        )
    before = summary.current.number
    whole = (
        markdown
        if section is None
        else replace_section(summary.current.markdown, section, markdown)
    )
    try:
        saved = save_version(session, summary, whole, note=note, based_on=based_on, by=by)
    except ValidationFailed as exc:
        return _edit_page(
            request,
            process,
            summary,
            by,
            section=section,
            markdown=markdown,
            note=note,
            based_on=based_on,
            problems=exc.problems,
            status_code=422,
        )
    if saved.number != before:
        flash(request, "Version %(num)s saved.", values={"num": saved.number})
    else:
        flash(request, "Nothing changed: no new version was saved.")
    anchor = f"#section-{section}" if section is not None else ""
    return RedirectResponse(f"/summary/{summary_id}{anchor}", status_code=303)


@router.post("/summary/{summary_id}/publish", dependencies=[CheckCsrf])
def post_publish(
    request: Request,
    summary_id: int,
    session: DbSession,
    by: PagePrincipal,
    version: Annotated[int, Form()] = 0,
    confirm: Annotated[bool, Form()] = False,
) -> Response:
    summary = editable_summary(session, summary_id, by=by)
    number = version or summary.current.number
    try:
        publish_summary(session, summary, number, by=by, despite_warnings=confirm)
    except PublicationWarnings as exc:
        flash(
            request,
            "Version %(num)s was not published: %(warnings)s.",
            "warning",
            values={
                "num": exc.number,
                "warnings": shown(joined(exc.warnings), request_language(request)),
            },
        )
        return RedirectResponse(
            f"/summary/{summary_id}?confirm={exc.number}#publish", status_code=303
        )
    flash(
        request,
        "Version %(num)s is published: the public now reads it.",
        values={"num": number},
    )
    return RedirectResponse(f"/summary/{summary_id}", status_code=303)


@router.get("/summary/{summary_id}/compare")
def compare_versions(
    request: Request,
    summary_id: int,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    a: int = 1,
    b: int = 0,
    whole: bool = False,
) -> Response:
    summary = comparable_summary(session, summary_id, by=by)
    old, new = version_of(summary, a), version_of(summary, b or summary.current.number)
    return render(
        request,
        "summary/compare.html",
        by,
        process=process,
        summary=summary,
        old=old,
        new=new,
        diff=compared(old.markdown, new.markdown, summary.language) if whole else None,
        passages=None if whole else changed_passages(old.markdown, new.markdown, summary.language),
        whole=whole,
    )


@router.get("/summary/{summary_id}/export")
def export_summary(
    summary_id: int, session: DbSession, by: PagePrincipal, format: str = "md", version: int = 0
) -> Response:
    summary = get_summary(session, summary_id, by=by)
    return export(
        session, summary, format if format in EXPORTS else "md", by=by, number=version or None
    )


@router.get("/summary/{summary_id}/clusters/{number}")
def cluster_page(
    request: Request,
    summary_id: int,
    number: int,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
) -> Response:
    summary = get_summary(session, summary_id, by=by)
    page = summary_cluster(session, summary, number, by=by)
    return render(request, "summary/cluster.html", by, process=process, summary=summary, page=page)


@router.get("/summary/{summary_id}/sources/{statement}")
def sources_page(
    request: Request,
    summary_id: int,
    statement: int,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
) -> Response:
    summary = get_summary(session, summary_id, by=by)
    page = statement_inputs(session, summary, statement, by=by)
    return render(request, "summary/sources.html", by, process=process, summary=summary, page=page)

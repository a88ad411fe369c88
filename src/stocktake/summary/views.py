from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from markupsafe import Markup
from starlette.responses import Response

from stocktake.analysis.services import latest_run
from stocktake.core.errors import NotFound, ValidationFailed
from stocktake.core.permissions import Permission, require
from stocktake.summary.exports import EXPORTS, export
from stocktake.summary.render import to_html
from stocktake.summary.services import (
    compare,
    editable_summary,
    generate_summary,
    get_summary,
    list_summaries,
    publish_summary,
    save_version,
    version_of,
    visible_version,
)
from stocktake.web.deps import CurrentProcess, DbSession, PagePrincipal, check_csrf
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
    )


@router.post("/summary")
def post_generate(
    request: Request,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    csrf: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf)
    require(by, Permission.SUMMARY_EDIT)
    run = latest_run(session, process)
    if run is None:
        raise NotFound("completed analysis run", process.slug)
    summary = generate_summary(session, process, run, by=by)
    return RedirectResponse(f"/summary/{summary.id}", status_code=303)


@router.get("/summary/{summary_id}")
def summary_detail(
    request: Request,
    summary_id: int,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
) -> Response:
    summary = get_summary(session, summary_id, by=by)
    version = visible_version(summary, by=by)
    html = Markup(to_html(version.markdown))  # noqa: S704  (Markdown rendered with raw HTML disabled)
    return render(
        request,
        "summary/detail.html",
        by,
        process=process,
        summary=summary,
        version=version,
        html=html,
    )


@router.get("/summary/{summary_id}/edit")
def edit_form(
    request: Request,
    summary_id: int,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
) -> Response:
    summary = editable_summary(session, summary_id, by=by)
    return render(
        request,
        "summary/edit.html",
        by,
        process=process,
        summary=summary,
        markdown=summary.current.markdown,
        problems=[],
    )


@router.post("/summary/{summary_id}/edit")
def post_edit(
    request: Request,
    summary_id: int,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    csrf: Annotated[str, Form()] = "",
    markdown: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf)
    summary = editable_summary(session, summary_id, by=by)
    try:
        save_version(session, summary, markdown, note=note, by=by)
    except ValidationFailed as exc:
        return render(
            request,
            "summary/edit.html",
            by,
            status_code=422,
            process=process,
            summary=summary,
            markdown=markdown,
            problems=[str(p) for p in exc.problems],
        )
    return RedirectResponse(f"/summary/{summary_id}", status_code=303)


@router.post("/summary/{summary_id}/publish")
def post_publish(
    request: Request,
    summary_id: int,
    session: DbSession,
    by: PagePrincipal,
    csrf: Annotated[str, Form()] = "",
    version: Annotated[int, Form()] = 0,
) -> Response:
    check_csrf(request, csrf)
    summary = editable_summary(session, summary_id, by=by)
    publish_summary(session, summary, version or summary.current.number, by=by)
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
) -> Response:
    require(by, Permission.SUMMARY_READ)
    summary = get_summary(session, summary_id, by=by)
    old, new = version_of(summary, a), version_of(summary, b or summary.current.number)
    return render(
        request,
        "summary/compare.html",
        by,
        process=process,
        summary=summary,
        old=old,
        new=new,
        diff=compare(old.markdown, new.markdown),
    )


@router.get("/summary/{summary_id}/export")
def export_summary(
    summary_id: int, session: DbSession, by: PagePrincipal, format: str = "md", version: int = 0
) -> Response:
    summary = get_summary(session, summary_id, by=by)
    return export(summary, format if format in EXPORTS else "md", by=by, number=version or None)

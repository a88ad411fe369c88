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
    PublicationWarnings,
    compare,
    generate_summary,
    get_summary,
    list_summaries,
    publish_summary,
    readable_markdown,
    save_version,
    summary_cluster,
    version_of,
    visible_version,
)
from stocktake.web.deps import CurrentProcess, DbSession, PagePrincipal, check_csrf
from stocktake.web.flash import flash
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
    flash(request, f"A new summary was drafted from analysis run {run.id}.")
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
    html = Markup(to_html(markdown))  # noqa: S704  (Markdown rendered with raw HTML disabled)
    return render(
        request,
        "summary/detail.html",
        by,
        process=process,
        summary=summary,
        version=version,
        html=html,
        confirm=confirm,
    )


@router.get("/summary/{summary_id}/edit")
def edit_form(
    request: Request,
    summary_id: int,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
) -> Response:
    require(by, Permission.SUMMARY_EDIT)
    summary = get_summary(session, summary_id, by=by)
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
    require(by, Permission.SUMMARY_EDIT)
    summary = get_summary(session, summary_id, by=by)
    before = summary.current.number
    try:
        saved = save_version(session, summary, markdown, note=note, by=by)
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
    flash(
        request,
        f"Version {saved.number} saved."
        if saved.number != before
        else "Nothing changed: no new version was saved.",
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
    confirm: Annotated[bool, Form()] = False,
) -> Response:
    check_csrf(request, csrf)
    require(by, Permission.SUMMARY_EDIT)
    summary = get_summary(session, summary_id, by=by)
    number = version or summary.current.number
    try:
        publish_summary(session, summary, number, by=by, despite_warnings=confirm)
    except PublicationWarnings as exc:
        flash(
            request,
            f"Version {exc.number} was not published: " + "; ".join(exc.warnings) + ".",
            "warning",
        )
        return RedirectResponse(
            f"/summary/{summary_id}?confirm={exc.number}#publish", status_code=303
        )
    flash(request, f"Version {number} is published: the public now reads it.")
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

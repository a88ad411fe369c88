"""Pages of review cycles: the list, opening one, its report (HTML and DOCX) with the narrative the
secretariat keeps and edits, and voluntary reports."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session
from starlette.responses import Response

from stocktake.core.errors import Conflict, Problem, ValidationFailed, message_of
from stocktake.core.permissions import Permission, Principal, require
from stocktake.process.deps import CurrentProcess
from stocktake.process.models import Process
from stocktake.registry.names import actor_name, country_name
from stocktake.registry.services import named_or_own, own_actor
from stocktake.review.services.cycles import (
    create_cycle,
    get_cycle,
    list_cycles,
    scope_name,
)
from stocktake.review.services.mapping import list_reports, submit_voluntary_report
from stocktake.review.services.pledges import currency_name, formatted_amount
from stocktake.review.services.report import (
    IndicatorLine,
    build_cycle_report,
    cycle_report_docx,
    narrative_of,
    pledge_makers,
    regenerate_narrative,
    save_narrative,
    with_unit,
)
from stocktake.review.views.labels import (
    LABELS,
    objective_titles,
    page_direction,
    page_gettext,
    translated_chart,
)
from stocktake.web.charts import line_chart
from stocktake.web.deps import CheckCsrf, DbSession, PagePrincipal
from stocktake.web.flash import flash
from stocktake.web.languages import request_language
from stocktake.web.templating import render

router = APIRouter(include_in_schema=False)


def _spark(line: IndicatorLine, language: str = "en") -> Any:
    """The small chart, described by its values as the page's language writes them."""
    place = country_name(line.country, language) if line.country else ""
    values = with_unit(line, language)
    return line_chart(
        f"{line.code}, {place}: {values}" if place else f"{line.code}: {values}", line.points
    )


@router.get("/review/cycles")
def cycles(
    request: Request, session: DbSession, process: CurrentProcess, by: PagePrincipal
) -> Response:
    return render(
        request,
        "review/cycles.html",
        by,
        cycles=list_cycles(session, process, by=by),
        labels=LABELS,
        problems=[],
    )


@router.post("/review/cycles", dependencies=[CheckCsrf])
def post_cycle(
    request: Request,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    slug: Annotated[str, Form()] = "",
    title: Annotated[str, Form()] = "",
    scope: Annotated[str, Form()] = "global",
    region: Annotated[str, Form()] = "",
    start_date: Annotated[str, Form()] = "",
    end_date: Annotated[str, Form()] = "",
) -> Response:
    try:
        cycle = create_cycle(
            session,
            process,
            slug=slug,
            title=title,
            scope=scope,
            region=region,
            start_date=start_date,
            end_date=end_date,
            by=by,
        )
    except (ValidationFailed, Conflict) as exc:
        messages = list(exc.problems) if isinstance(exc, ValidationFailed) else [message_of(exc)]
        return render(
            request,
            "review/cycles.html",
            by,
            status_code=422 if isinstance(exc, ValidationFailed) else 409,
            cycles=list_cycles(session, process, by=by),
            labels=LABELS,
            problems=messages,
        )
    flash(request, "Review cycle “%(title)s” opened.", values={"title": cycle.title})
    return RedirectResponse(f"/review/cycles/{cycle.slug}", status_code=303)


def _report_page(
    request: Request,
    session: Session,
    process: Process,
    by: Principal,
    slug: str,
    problems: Sequence[Problem | str] | None = None,
    status_code: int = 200,
    narrative_problems: Sequence[Problem | str] | None = None,
) -> Response:
    cycle = get_cycle(session, slug)
    reports = list_reports(session, cycle, by=by)  # the published ones and those it may review
    report = build_cycle_report(session, process, cycle, reports=reports)
    gettext = page_gettext(request)
    return render(
        request,
        "review/cycle.html",
        by,
        status_code=status_code,
        report=report,
        place=scope_name(cycle, request_language(request)),
        country_name=lambda code: country_name(code, request_language(request)),
        actor_name=lambda actor: actor_name(actor, request_language(request)),
        narrative=narrative_of(cycle, report.figures, request_language(request)),
        charts={
            "Indicators by progress status": translated_chart(
                "Indicators by progress status",
                report.indicator_statuses,
                gettext,
                page_direction(request),
            ),
            "Pledges by status": translated_chart(
                "Pledges by status", report.pledge_statuses, gettext, page_direction(request)
            ),
        },
        spark=lambda line: _spark(line, request_language(request)),
        pledge_makers=pledge_makers,
        amount=formatted_amount,
        currency_name=currency_name,
        own_reports=[r for r in reports if not r.is_published],
        own_actor=own_actor(session, by),
        objectives=[section.objective for section in report.sections],  # every objective
        objective_title=objective_titles(request, process),
        labels=LABELS,
        problems=problems or [],
        narrative_problems=narrative_problems or [],
    )


@router.get("/review/cycles/{slug}")
def cycle_report(
    request: Request, slug: str, session: DbSession, process: CurrentProcess, by: PagePrincipal
) -> Response:
    require(by, Permission.REVIEW_READ_PUBLISHED)
    return _report_page(request, session, process, by, slug)


@router.get("/review/cycles/{slug}/report.docx")
def cycle_report_download(
    request: Request, slug: str, session: DbSession, process: CurrentProcess, by: PagePrincipal
) -> Response:
    """The report as a Word document, its headings in the requester's language."""
    require(by, Permission.REVIEW_READ_PUBLISHED)
    cycle = get_cycle(session, slug)
    report = build_cycle_report(session, process, cycle)
    return Response(
        cycle_report_docx(
            report,
            narrative_of(cycle, report.figures, request_language(request)),
            request_language(request),
        ),
        media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        headers={"content-disposition": f'attachment; filename="{slug}-progress-report.docx"'},
    )


@router.post("/review/cycles/{slug}/reports", dependencies=[CheckCsrf])
def post_voluntary_report(
    request: Request,
    slug: str,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    actor: Annotated[str, Form()] = "",
    objective: Annotated[str, Form()] = "",
    text: Annotated[str, Form()] = "",
) -> Response:
    cycle = get_cycle(session, slug)
    try:
        submit_voluntary_report(
            session,
            process,
            cycle,
            actor=named_or_own(session, by, actor),
            objective=int(objective) if objective.isdigit() else 0,
            text=text,
            by=by,
        )
    except ValidationFailed as exc:
        return _report_page(request, session, process, by, slug, exc.problems, 422)
    except Conflict as exc:
        return _report_page(request, session, process, by, slug, [message_of(exc)], 409)
    flash(
        request,
        "Voluntary report submitted: the secretariat will review it before it is published.",
    )
    return RedirectResponse(f"/review/cycles/{slug}#reports", status_code=303)


@router.post("/review/cycles/{slug}/narrative", dependencies=[CheckCsrf])
def post_narrative(
    request: Request,
    slug: str,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    text: Annotated[str, Form()] = "",
) -> Response:
    """The secretariat keeps its own wording of the narrative."""
    try:
        save_narrative(session, get_cycle(session, slug), text, by=by)
    except ValidationFailed as exc:
        return _report_page(
            request, session, process, by, slug, status_code=422, narrative_problems=exc.problems
        )
    flash(
        request,
        "The narrative is kept as edited; generating it again will not replace it silently.",
    )
    return RedirectResponse(f"/review/cycles/{slug}#narrative", status_code=303)


@router.post("/review/cycles/{slug}/narrative/generate", dependencies=[CheckCsrf])
def post_generate_narrative(
    request: Request,
    slug: str,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    replace: Annotated[str, Form()] = "",
) -> Response:
    """Generate the narrative from today's figures and keep it; an edit is replaced only when the
    form says so."""
    try:
        regenerate_narrative(
            session,
            process,
            get_cycle(session, slug),
            by=by,
            replace_edit=replace == "yes",
            language=request_language(request),
        )
    except Conflict as exc:
        return _report_page(
            request,
            session,
            process,
            by,
            slug,
            status_code=409,
            narrative_problems=[message_of(exc)],
        )
    flash(request, "The narrative is generated from today's figures and kept.")
    return RedirectResponse(f"/review/cycles/{slug}#narrative", status_code=303)

"""The thread's pages: the thread of a paragraph or an objective, "where did our inputs go?" (with
its export) and the coverage of a draft or of the adopted text."""

from __future__ import annotations

from babel.support import Translations
from fastapi import APIRouter, Request
from starlette.responses import Response

from stocktake.analysis.services.runs import latest_run
from stocktake.core.errors import Problem, ValidationFailed
from stocktake.core.permissions import Permission
from stocktake.core.translation import Text
from stocktake.process.deps import CurrentProcess
from stocktake.registry.names import country_name
from stocktake.review.services.objective_titles import ObjectiveTitles
from stocktake.site.thread import (
    FORMATS,
    coverage,
    export_report,
    inputs_report,
    objective_thread,
    paragraph_thread,
)
from stocktake.site.thread.paragraphs import Thread
from stocktake.web.charts import Bar, bar_chart
from stocktake.web.deps import DbSession, PagePrincipal
from stocktake.web.languages import catalog, request_choice, request_language, translatable
from stocktake.web.names import OUTCOMES, REGIONS
from stocktake.web.templating import render

router = APIRouter(include_in_schema=False)


def _known(words: Translations, names: dict[str, str], key: str) -> str:
    """A stored key by its name in the page's language, or as it is when it has none."""
    return words.gettext(names[key]) if key in names else key


def _page(
    request: Request,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    thread: Thread,
    *,
    of_objective: bool = False,
) -> Response:
    run = latest_run(session, process) if by.can(Permission.THREAD_LINK) else None
    language = request_language(request)
    return render(
        request,
        "site/thread.html",
        by,
        process=process,
        thread=thread,
        run=run,
        of_objective=of_objective,
        objective_title=ObjectiveTitles(process, language),
        country_name=lambda code: country_name(code, language),
    )


@router.get("/drafts/{draft_id}/paragraphs/{eid}/thread")
def paragraph_page(
    request: Request,
    draft_id: int,
    eid: str,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
) -> Response:
    thread = paragraph_thread(session, process, draft_id, eid, by=by)
    return _page(request, session, process, by, thread)


@router.get("/review/objectives/{objective}/thread")
def objective_page(
    request: Request, objective: int, session: DbSession, process: CurrentProcess, by: PagePrincipal
) -> Response:
    thread = objective_thread(session, process, objective, by=by)
    return _page(request, session, process, by, thread, of_objective=True)


@router.get("/actors/{code}/inputs")
def inputs_page(
    request: Request, code: str, session: DbSession, process: CurrentProcess, by: PagePrincipal
) -> Response:
    report = inputs_report(session, process, code, by=by)
    counts = report.counts()
    words = catalog(request_language(request))
    chart = bar_chart(
        words.gettext(translatable("What became of the inputs")),
        [Bar(_known(words, OUTCOMES, k), v) for k, v in counts.items()],
        direction=request_choice(request).direction,
    )
    return render(
        request, "site/inputs.html", by, process=process, report=report, counts=counts, chart=chart
    )


@router.get("/actors/{code}/inputs/export")
def inputs_export(
    request: Request,
    code: str,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    format: str = "csv",
) -> Response:
    if format not in FORMATS:
        raise ValidationFailed(
            "export",
            [
                Problem(
                    "format",
                    Text(
                        "is one of %(formats)s, not %(format)r",
                        formats=", ".join(FORMATS),
                        format=format,
                    ),
                )
            ],
        )
    report = inputs_report(session, process, code, by=by)
    language = request_language(request)
    body, media_type, name = export_report(report, format, language)
    return Response(
        body,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Content-Language": language if format != "csv" else "en",
            "Vary": "Accept-Language, Cookie",
        },
    )


@router.get("/drafts/{draft_id}/coverage")
def coverage_page(
    request: Request,
    draft_id: int,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    adopted: bool = False,
) -> Response:
    result = coverage(session, process, draft_id, adopted=adopted, by=by)
    words = catalog(request_language(request))
    shares = [
        (translatable("clusters"), result.clusters),
        (translatable("actors"), result.actors),
        (translatable("inputs"), result.inputs),
    ]
    region = translatable("region: %(name)s")
    chart = bar_chart(
        words.gettext(translatable("Share reflected (%)")),
        [Bar(words.gettext(name), s.percent) for name, s in shares]
        + [
            Bar(words.gettext(region) % {"name": _known(words, REGIONS, s.name)}, s.percent)
            for s in result.regions
        ],
        unit="%",
        direction=request_choice(request).direction,
    )
    return render(
        request,
        "site/coverage.html",
        by,
        process=process,
        result=result,
        draft_id=draft_id,
        adopted=adopted,
        chart=chart,
    )

"""The page where a State's delegation reports its own country's indicator data (the secretariat:
any country's): one indicator, one data file."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from stocktake.config import Settings
from stocktake.core.errors import Problem, ValidationFailed
from stocktake.core.permissions import Permission, Principal, require
from stocktake.core.translation import Text
from stocktake.process.deps import CurrentProcess
from stocktake.registry.names import country_name
from stocktake.review.services.indicators.reporting import (
    FIRST_YEAR,
    report_choices,
    report_observations,
)
from stocktake.web.deps import AppSettings, CheckCsrf, DbSession, PagePrincipal
from stocktake.web.flash import Plural, flash
from stocktake.web.languages import request_language
from stocktake.web.templating import render
from stocktake.web.uploads import read_upload

router = APIRouter(include_in_schema=False)
PATH = "/review/indicators/report"


def _form(
    request: Request,
    session: DbSession,
    by: Principal,
    settings: Settings,
    data: dict[str, str],
    problems: Sequence[Problem] = (),
    source: str = "",
    status_code: int = 200,
) -> Response:
    language = request_language(request)
    choices = report_choices(session, by, language)
    return render(
        request,
        "review/report_data.html",
        by,
        status_code=status_code,
        choices=choices,
        countries=sorted(choices.countries, key=lambda code: country_name(code, language)),
        country_name=lambda code: country_name(code, language),
        data=data,
        problems=problems,
        source=source,
        limit=settings.max_upload_bytes,
        first_year=FIRST_YEAR,
    )


@router.get(PATH)
def report_form(
    request: Request,
    session: DbSession,
    settings: AppSettings,
    by: PagePrincipal,
    indicator: str = "",
) -> Response:
    """The form; `indicator` presets the indicator (a code)."""
    require(by, Permission.OBSERVATIONS_REPORT_OWN)
    return _form(request, session, by, settings, {"indicator": indicator, "country": ""})


@router.post(PATH, dependencies=[CheckCsrf])
def post_report(
    request: Request,
    session: DbSession,
    process: CurrentProcess,
    settings: AppSettings,
    by: PagePrincipal,
    indicator: Annotated[str, Form()] = "",
    country: Annotated[str, Form()] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    require(by, Permission.OBSERVATIONS_REPORT_OWN)
    data = {"indicator": indicator, "country": country}
    name = (file.filename if file else "") or "upload"
    try:
        if file is None or not file.filename:
            raise ValidationFailed("file", [Problem("file", Text("choose the data file to send"))])
        report = report_observations(
            session,
            indicator,
            read_upload(file, settings.max_upload_bytes),
            by=by,
            country=country,
            source=name,
            process=process,
        )
    except ValidationFailed as exc:
        return _form(request, session, by, settings, data, exc.problems, name, status_code=422)
    values: dict[str, str | int] = {
        "indicator": report.sdg_code,
        "country": country_name(report.geography, request_language(request)),
    }
    stored = Plural(
        "%(num)s observation of %(indicator)s for %(country)s stored.",
        "%(num)s observations of %(indicator)s for %(country)s stored.",
        report.stored,
    )
    replaced = Plural(
        "The %(num)s observation stored before was replaced.",
        "The %(num)s observations stored before were replaced.",
        report.replaced,
    )
    flash(request, (stored, replaced) if report.replaced else stored, values=values)
    return RedirectResponse(f"/review/indicators?country={report.geography}", status_code=303)

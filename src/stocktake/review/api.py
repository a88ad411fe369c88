"""The review JSON API: objectives, indicators, progress, observations export, pledges."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Query, UploadFile
from starlette.responses import Response

from stocktake.core.permissions import Permission, require
from stocktake.process.deps import CurrentProcess
from stocktake.registry.services import named_or_own
from stocktake.review.models import Pledge
from stocktake.review.progress import Method
from stocktake.review.schemas import (
    ConfirmationOut,
    ConfirmIn,
    IndicatorOut,
    ObjectiveOut,
    PledgeIn,
    PledgeOut,
    PledgeUpdateOut,
    ProgressOut,
    ReportedOut,
    SeriesProgressOut,
    StatusIn,
)
from stocktake.review.services.frame import list_objectives
from stocktake.review.services.indicators import (
    assess_progress,
    export_observations_csv,
    export_observations_sdmx,
    list_indicators,
)
from stocktake.review.services.indicators.reporting import report_observations
from stocktake.review.services.pledges import (
    PledgeData,
    PledgeFilter,
    confirm_pledge,
    get_pledge,
    list_pledges,
    publish_pledge,
    submit_pledge,
    update_pledge_status,
)
from stocktake.web.deps import ApiPrincipal, AppSettings, DbSession
from stocktake.web.uploads import read_upload

router = APIRouter(prefix="/review", tags=["review"])


def pledge_out(pledge: Pledge) -> PledgeOut:
    return PledgeOut(
        id=pledge.id,
        actor=pledge.actor.code,
        mode=pledge.mode,
        partners=[a.code for a in pledge.partners],
        confirmations=[
            ConfirmationOut(
                actor=c.actor.code, confirmed_at=c.confirmed_at, on_behalf=c.on_behalf, note=c.note
            )
            for c in pledge.confirmations
        ],
        matches=pledge.matches_id,
        title=pledge.title,
        description=pledge.description,
        kind=pledge.kind,
        level=pledge.level,
        objectives=[o.number for o in pledge.objectives],
        actions=[a.ref for a in pledge.actions],
        start_year=pledge.start_year,
        end_year=pledge.end_year,
        amount=pledge.amount,
        currency=pledge.currency,
        answers=pledge.answers_id,
        status=pledge.status,
        published=pledge.is_published,
        history=[PledgeUpdateOut.model_validate(u) for u in pledge.updates],
    )


@router.get("/objectives", response_model=list[ObjectiveOut], summary="Objectives of the compact")
def read_objectives(
    session: DbSession, process: CurrentProcess, by: ApiPrincipal
) -> list[ObjectiveOut]:
    require(by, Permission.REVIEW_READ_PUBLISHED)
    return [ObjectiveOut.model_validate(o) for o in list_objectives(session, process)]


@router.get("/indicators", response_model=list[IndicatorOut], summary="Indicators")
def read_indicators(session: DbSession, by: ApiPrincipal) -> list[IndicatorOut]:
    require(by, Permission.REVIEW_READ_PUBLISHED)
    return [IndicatorOut.model_validate(i) for i in list_indicators(session)]


@router.post(
    "/indicators/{code}/observations",
    response_model=ReportedOut,
    status_code=201,
    summary="Report a country's observations of an indicator (a State's delegation: its own "
    "country; the secretariat: any)",
    description=(
        "One data file of an Open SDG data folder (CSV: Year, breakdown columns, Value) for the "
        "indicator `code` (stored, or an SDG indicator of the framework). It replaces that "
        "country's observations of the indicator, and no other place's. Any bad row or field "
        "refuses the whole file (422, each problem by row and field) and changes nothing; a "
        "country not one's own is refused (403)."
    ),
)
def post_observations(
    code: str,
    session: DbSession,
    process: CurrentProcess,
    settings: AppSettings,
    by: ApiPrincipal,
    file: Annotated[UploadFile, File(description="The data file (CSV, UTF-8)")],
    country: Annotated[
        str, Form(description="ISO3 code or name of the country (the secretariat's choice)")
    ] = "",
) -> ReportedOut:
    require(by, Permission.OBSERVATIONS_REPORT_OWN)  # before reading what would be refused
    report = report_observations(
        session,
        code,
        read_upload(file, settings.max_upload_bytes),
        by=by,
        country=country,
        source=file.filename or "upload.csv",
        process=process,
    )
    return ReportedOut(
        indicator=report.indicator,
        sdg_code=report.sdg_code,
        country=report.geography,
        stored=report.stored,
        replaced=report.replaced,
        blank=report.blanks,
    )


@router.get(
    "/progress",
    response_model=list[ProgressOut],
    summary="Each indicator's progress with its per-series components",
)
def read_progress(
    session: DbSession,
    by: ApiPrincipal,
    method: Method = Method.OPENSDG,
    country: Annotated[list[str] | None, Query(description="ISO3 code(s) of countries")] = None,
) -> list[ProgressOut]:
    require(by, Permission.REVIEW_READ_PUBLISHED)
    return [
        ProgressOut(
            indicator=r.code,
            country=r.country,
            method=r.method.value,
            score=r.score,
            status=r.status.value,
            manual=r.manual,
            note=r.note,
            published_score=r.published_score,
            series=[SeriesProgressOut.model_validate(s) for s in r.series],
        )
        for r in assess_progress(session, method, countries=country or None)
    ]


@router.get(
    "/observations/export",
    summary="Every observation as CSV or SDMX-ML 2.1 generic data",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}, "application/xml": {}}}},
)
def export_observations(
    session: DbSession,
    by: ApiPrincipal,
    format: Literal["csv", "sdmx"] = "csv",
    country: str | None = None,
) -> Response:
    require(by, Permission.REVIEW_READ_PUBLISHED)
    if format == "sdmx":
        return Response(
            export_observations_sdmx(session, country=country),
            media_type="application/xml",
            headers={"content-disposition": 'attachment; filename="observations.xml"'},
        )
    return Response(
        export_observations_csv(session, country=country),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": 'attachment; filename="observations.csv"'},
    )


@router.get("/pledges", response_model=list[PledgeOut], summary="Pledges the caller may read")
def read_pledges(
    session: DbSession,
    process: CurrentProcess,
    by: ApiPrincipal,
    objective: int | None = None,
    region: str | None = None,
    kind: str | None = None,
    status: str | None = None,
    answers: Annotated[int | None, Query(description="Only pledges answering this need")] = None,
) -> list[PledgeOut]:
    filters = PledgeFilter(
        objective=objective, region=region, kind=kind, status=status, answers=answers
    )
    return [pledge_out(p) for p in list_pledges(session, process, filters, by=by)]


@router.post("/pledges", response_model=PledgeOut, status_code=201, summary="Submit a pledge")
def post_pledge(
    body: PledgeIn, session: DbSession, process: CurrentProcess, by: ApiPrincipal
) -> PledgeOut:
    fields = {**body.model_dump(), "actor": named_or_own(session, by, body.actor)}
    return pledge_out(submit_pledge(session, process, PledgeData(**fields), by=by))


@router.get("/pledges/{pledge_id}", response_model=PledgeOut, summary="One pledge")
def read_pledge(pledge_id: int, session: DbSession, by: ApiPrincipal) -> PledgeOut:
    return pledge_out(get_pledge(session, pledge_id, by=by))


@router.post("/pledges/{pledge_id}/publish", response_model=PledgeOut, summary="Publish a pledge")
def post_publish(pledge_id: int, session: DbSession, by: ApiPrincipal) -> PledgeOut:
    pledge = get_pledge(session, pledge_id, by=by, acting=Permission.PLEDGES_PUBLISH)
    return pledge_out(publish_pledge(session, pledge, by=by))


@router.post(
    "/pledges/{pledge_id}/status",
    response_model=PledgeOut,
    summary="Report a pledge's new status (its own actor, or the secretariat)",
)
def post_status(pledge_id: int, body: StatusIn, session: DbSession, by: ApiPrincipal) -> PledgeOut:
    pledge = get_pledge(session, pledge_id, by=by, acting=Permission.PLEDGES_SUBMIT_OWN)
    update_pledge_status(session, pledge, status=body.status, note=body.note, by=by)
    return pledge_out(pledge)


@router.post(
    "/pledges/{pledge_id}/confirm",
    response_model=PledgeOut,
    summary="Confirm a joint pledge as one of its partners, or record a partner's confirmation "
    "(the secretariat)",
)
def post_confirm(
    pledge_id: int, session: DbSession, by: ApiPrincipal, body: ConfirmIn | None = None
) -> PledgeOut:
    pledge = get_pledge(session, pledge_id, by=by, acting=Permission.PLEDGES_SUBMIT_OWN)
    body = body or ConfirmIn()
    confirm_pledge(session, pledge, by=by, partner=body.partner, note=body.note)
    return pledge_out(pledge)

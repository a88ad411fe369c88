from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from stocktake.core.errors import Conflict, ValidationFailed, message_of
from stocktake.core.permissions import Permission, require
from stocktake.process.deps import CurrentProcess
from stocktake.registry.services import (
    ActorData,
    ActorFilter,
    create_actor,
    list_actors,
    regions,
)
from stocktake.web.deps import AppSettings, CheckCsrf, DbSession, PagePrincipal
from stocktake.web.flash import flash
from stocktake.web.languages import request_language
from stocktake.web.templating import render

router = APIRouter(include_in_schema=False)
# the regional groups' names are marked for the catalogs in stocktake.web.names (REGIONAL_GROUPS): the
# pages show `actor.regional_group_name` with the `translated` filter


@router.get("/actors")
def actors(
    request: Request,
    session: DbSession,
    settings: AppSettings,
    process: CurrentProcess,
    by: PagePrincipal,
    kind: str = "",
    region: str = "",
    regional_group: str = "",
    category: str = "",
    q: Annotated[str, Query(max_length=200)] = "",
    page: Annotated[int, Query(ge=1)] = 1,
) -> Response:
    filters = ActorFilter(
        kind=kind or None,
        region=region or None,
        regional_group=regional_group or None,
        category=category or None,
        q=q or None,
        language=request_language(request),
    )
    result = list_actors(session, filters, by=by, page=page, page_size=settings.page_size)
    return render(
        request,
        "registry/actors.html",
        by,
        process=process,
        result=result,
        filters=filters,
        regions=regions(session),
    )


@router.get("/actors/new")
def new_actor(request: Request, process: CurrentProcess, by: PagePrincipal) -> Response:
    require(by, Permission.ACTORS_CREATE)
    return render(
        request,
        "registry/actor_form.html",
        by,
        process=process,
        data=ActorData("", ""),
        problems=[],
    )


@router.post("/actors/new", dependencies=[CheckCsrf])
def post_new_actor(
    request: Request,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
    code: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    kind: Annotated[str, Form()] = "stakeholder",
    short_name: Annotated[str, Form()] = "",
    category: Annotated[str, Form()] = "",
    country: Annotated[str, Form()] = "",
    description: Annotated[str, Form()] = "",
) -> Response:
    data = ActorData(code, name, kind, short_name, category, country, description)
    categories = [t.key for t in process.vocabulary("stakeholder_categories")]
    try:
        actor = create_actor(session, data, by=by, categories=categories)
    except ValidationFailed as exc:
        return render(
            request,
            "registry/actor_form.html",
            by,
            status_code=422,
            process=process,
            data=data,
            problems=exc.problems,
        )
    except Conflict as exc:
        return render(
            request,
            "registry/actor_form.html",
            by,
            status_code=409,
            process=process,
            data=data,
            problems=[message_of(exc)],
        )
    flash(
        request,
        "%(name)s (%(code)s) added to the registry.",
        values={"name": actor.name, "code": actor.code},
    )
    return RedirectResponse(f"/actors/{actor.code}", status_code=303)

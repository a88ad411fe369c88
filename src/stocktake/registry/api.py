from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from stocktake.core.permissions import Permission, require
from stocktake.process.deps import CurrentProcess
from stocktake.registry.schemas import ActorDetailOut, ActorIn, ActorOut, ActorPageOut
from stocktake.registry.services import (
    ActorData,
    ActorFilter,
    check_actor_filter,
    create_actor,
    get_actor,
    list_actors,
)
from stocktake.web.deps import ApiPrincipal, AppSettings, DbSession
from stocktake.web.paging import Page, PerPage, next_page_link

router = APIRouter(tags=["registry"])


@router.get("/actors", response_model=ActorPageOut, summary="Actors, filtered and paginated")
def read_actors(
    request: Request,
    session: DbSession,
    process: CurrentProcess,
    settings: AppSettings,
    by: ApiPrincipal,
    kind: str | None = None,
    region: str | None = None,
    regional_group: str | None = None,
    category: str | None = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    page: Page = 1,
    per_page: PerPage = None,
) -> ActorPageOut:
    filters = ActorFilter(
        kind=kind, region=region, regional_group=regional_group, category=category, q=q
    )
    check_actor_filter(session, process, filters)
    size = per_page or settings.page_size
    result = list_actors(session, filters, by=by, page=page, page_size=size)
    return ActorPageOut(
        items=[ActorOut.model_validate(a) for a in result.items],
        total=result.total,
        page=result.page,
        pages=result.pages,
        per_page=size,
        next=next_page_link(request, result.page, result.pages),
    )


@router.get("/actors/{code}", response_model=ActorDetailOut, summary="One actor by code")
def read_actor(code: str, session: DbSession, by: ApiPrincipal) -> ActorDetailOut:
    require(by, Permission.ACTORS_READ)
    actor = get_actor(session, code)
    return ActorDetailOut.model_validate(
        {
            **ActorOut.model_validate(actor).model_dump(),
            "groups": [m.group.code for m in actor.memberships],
            "members": [m.member.code for m in actor.members],
        }
    )


@router.post(
    "/actors", response_model=ActorOut, status_code=201, summary="Register an organisation"
)
def post_actor(
    body: ActorIn, session: DbSession, process: CurrentProcess, by: ApiPrincipal
) -> ActorOut:
    actor = create_actor(
        session,
        ActorData(**body.model_dump()),
        by=by,
        categories=[t.key for t in process.vocabulary("stakeholder_categories")],
    )
    return ActorOut.model_validate(actor)

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from stocktake.core.permissions import Permission, require
from stocktake.registry.schemas import ActorDetailOut, ActorIn, ActorOut, ActorPageOut
from stocktake.registry.services import ActorData, ActorFilter, create_actor, get_actor, list_actors
from stocktake.web.deps import ApiPrincipal, AppSettings, CurrentProcess, DbSession

router = APIRouter(tags=["registry"])


@router.get("/actors", response_model=ActorPageOut, summary="Actors, filtered and paginated")
def read_actors(
    session: DbSession,
    settings: AppSettings,
    by: ApiPrincipal,
    kind: str | None = None,
    region: str | None = None,
    regional_group: str | None = None,
    category: str | None = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    page: Annotated[int, Query(ge=1)] = 1,
) -> ActorPageOut:
    require(by, Permission.ACTORS_READ)
    result = list_actors(
        session,
        ActorFilter(
            kind=kind, region=region, regional_group=regional_group, category=category, q=q
        ),
        page=page,
        page_size=settings.page_size,
    )
    return ActorPageOut(
        items=[ActorOut.model_validate(a) for a in result.actors],
        total=result.total,
        page=result.page,
        pages=result.pages,
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

from __future__ import annotations

from fastapi import APIRouter

from stocktake.frameworks.schemas import FrameworkItemOut
from stocktake.frameworks.services import list_items
from stocktake.web.deps import ApiPrincipal, DbSession

router = APIRouter(tags=["frameworks"])


@router.get(
    "/frameworks/sdg",
    response_model=list[FrameworkItemOut],
    summary="SDG goals, targets and indicators",
)
def read_sdg(
    session: DbSession, by: ApiPrincipal, level: str | None = None
) -> list[FrameworkItemOut]:
    return [FrameworkItemOut.model_validate(item) for item in list_items(session, level, by=by)]

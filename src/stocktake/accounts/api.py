from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from stocktake.accounts.schemas import MeOut, TokenIn, TokenOut
from stocktake.accounts.services import authenticate, issue_token, principal_for
from stocktake.web.deps import ApiPrincipal, DbSession

router = APIRouter(tags=["accounts"])


@router.post(
    "/tokens",
    response_model=TokenOut,
    status_code=201,
    responses={401: {"description": "Wrong e-mail or password"}},
    summary="Exchange an e-mail and password for an API token",
)
def post_token(body: TokenIn, session: DbSession) -> TokenOut | JSONResponse:
    user = authenticate(session, body.email, body.password)
    if user is None:
        return JSONResponse({"detail": "wrong e-mail or password"}, status_code=401)
    principal = principal_for(user)
    token = issue_token(session, user, name=body.name, by=principal)
    return TokenOut(token=token, role=user.role)


@router.get("/me", response_model=MeOut, summary="Who the token belongs to")
def read_me(by: ApiPrincipal) -> MeOut:
    return MeOut(role=by.role.value, email=by.email, actor_id=by.actor_id)

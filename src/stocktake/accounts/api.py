from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.responses import Response

from stocktake.accounts.schemas import MeOut, TokenIn, TokenInfoOut, TokenOut
from stocktake.accounts.services import (
    issue_token,
    list_tokens,
    principal_for,
    revoke_token,
    sign_in,
    sign_in_limits,
    token_expiry,
)
from stocktake.accounts.views import client_address
from stocktake.core.permissions import Principal
from stocktake.web.deps import ApiPrincipal, AppSettings, DbSession

router = APIRouter(tags=["accounts"])


@router.post(
    "/tokens",
    response_model=TokenOut,
    status_code=201,
    responses={
        401: {"description": "Wrong e-mail or password"},
        429: {"description": "Too many failed sign-ins; see Retry-After"},
    },
    summary="Exchange an e-mail and password for an API token",
)
def post_token(
    request: Request, body: TokenIn, session: DbSession, settings: AppSettings
) -> TokenOut | JSONResponse:
    user = sign_in(
        session,
        body.email,
        body.password,
        address=client_address(request),
        limits=sign_in_limits(settings),
        by=Principal.public(),
    )
    if user is None:
        return JSONResponse({"detail": "wrong e-mail or password"}, status_code=401)
    lifetime = dt.timedelta(days=settings.token_lifetime_days)
    token = issue_token(session, user, name=body.name, lifetime=lifetime, by=principal_for(user))
    return TokenOut(token=token, role=user.role, expires_at=token_expiry(session, token))


@router.get("/tokens", response_model=list[TokenInfoOut], summary="The caller's own API tokens")
def read_tokens(session: DbSession, by: ApiPrincipal) -> list[TokenInfoOut]:
    return [TokenInfoOut.model_validate(t) for t in list_tokens(session, by=by)]


@router.delete(
    "/tokens/{token_id}",
    status_code=204,
    summary="Revoke an API token (the caller's own; any for the secretariat)",
)
def delete_token(token_id: int, session: DbSession, by: ApiPrincipal) -> Response:
    revoke_token(session, token_id, by=by)
    return Response(status_code=204)


@router.get("/me", response_model=MeOut, summary="Who the token belongs to")
def read_me(by: ApiPrincipal) -> MeOut:
    return MeOut(role=by.role.value, email=by.email, actor_id=by.actor_id)

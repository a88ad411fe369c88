from fastapi import FastAPI

from stocktake.accounts import api, views
from stocktake.accounts.services import principal_for_token, principal_for_user_id
from stocktake.web.deps import provide_principals

__all__ = ["api", "register", "views"]


def register(app: FastAPI) -> None:
    provide_principals(app, for_user_id=principal_for_user_id, for_token=principal_for_token)
    app.include_router(views.router)
    app.include_router(api.router, prefix="/api/v1")

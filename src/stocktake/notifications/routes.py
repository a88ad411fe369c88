from fastapi import FastAPI

from stocktake.notifications import api, views
from stocktake.notifications.services import unread_count
from stocktake.web.templating import provide_unread_count

__all__ = ["api", "register", "views"]


def register(app: FastAPI) -> None:
    provide_unread_count(app, unread_count)
    app.include_router(views.router)
    app.include_router(api.router, prefix="/api/v1")

from fastapi import FastAPI

from stocktake.notifications import api, views
from stocktake.notifications.services import unread_count
from stocktake.notifications.services.inbox import unread_of
from stocktake.web.deps import ask_with_user
from stocktake.web.templating import UNREAD, provide_unread_count

__all__ = ["api", "register", "views"]


def register(app: FastAPI) -> None:
    provide_unread_count(app, unread_count)
    ask_with_user(app, UNREAD, unread_of)  # the frame's count, read with the signed-in user
    app.include_router(views.router)
    app.include_router(api.router, prefix="/api/v1")

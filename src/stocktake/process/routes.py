from fastapi import FastAPI

from stocktake.process import api, views
from stocktake.process.services import get_process
from stocktake.web.deps import provide_process

__all__ = ["api", "register", "views"]


def register(app: FastAPI) -> None:
    provide_process(app, get_process)
    app.include_router(views.router)
    app.include_router(api.router, prefix="/api/v1")

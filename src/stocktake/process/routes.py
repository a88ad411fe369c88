from fastapi import FastAPI

from stocktake.process import api
from stocktake.process.services import get_process
from stocktake.web.deps import provide_process

__all__ = ["api", "register"]


def register(app: FastAPI) -> None:
    provide_process(app, get_process)
    app.include_router(api.router, prefix="/api/v1")

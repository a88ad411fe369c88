from fastapi import FastAPI

from stocktake.process import api
from stocktake.process.services import default_language
from stocktake.process.services.kept import kept_process
from stocktake.web.deps import provide_process
from stocktake.web.languages import provide_default_language

__all__ = ["api", "register"]


def register(app: FastAPI) -> None:
    provide_process(app, kept_process)
    provide_default_language(app, default_language)
    app.include_router(api.router, prefix="/api/v1")

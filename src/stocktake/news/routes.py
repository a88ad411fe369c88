from fastapi import FastAPI

from stocktake.news import api, views

__all__ = ["api", "register", "views"]


def register(app: FastAPI) -> None:
    app.include_router(views.router)
    app.include_router(api.router, prefix="/api/v1")

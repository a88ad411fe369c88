from fastapi import FastAPI

from stocktake.negotiation import amendment_views, api, views

__all__ = ["amendment_views", "api", "register", "views"]  # amendment pages: within views.router


def register(app: FastAPI) -> None:
    app.include_router(views.router)
    app.include_router(api.router, prefix="/api/v1")

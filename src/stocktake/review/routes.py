from fastapi import FastAPI

from stocktake.review import api, api_mapping, views

__all__ = ["api", "register", "views"]


def register(app: FastAPI) -> None:
    app.include_router(views.router)
    app.include_router(api.router, prefix="/api/v1")
    app.include_router(api_mapping.router, prefix="/api/v1")

from fastapi import FastAPI

from stocktake.site import api, jobs_api, views
from stocktake.site.views import health

__all__ = ["api", "register", "views"]


def register(app: FastAPI) -> None:
    """After every domain: /actors/{code} comes after the registry's /actors/new."""
    app.include_router(health.router)
    app.include_router(views.router)
    app.include_router(api.router, prefix="/api/v1")
    app.include_router(jobs_api.router, prefix="/api/v1")

from fastapi import FastAPI

from stocktake.consultation import api, moderation_views, views

__all__ = ["api", "moderation_views", "register", "views"]


def register(app: FastAPI) -> None:
    app.include_router(moderation_views.router)  # before views: /inputs/queue is not an input id
    app.include_router(views.router)
    app.include_router(api.router, prefix="/api/v1")

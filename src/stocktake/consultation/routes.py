from fastapi import FastAPI

from stocktake.consultation import api, draft_views, moderation_views, views

__all__ = ["api", "draft_views", "moderation_views", "register", "views"]


def register(app: FastAPI) -> None:
    app.include_router(moderation_views.router)  # before views: /inputs/queue is not an input id
    app.include_router(views.router)
    app.include_router(draft_views.router)
    app.include_router(api.router, prefix="/api/v1")

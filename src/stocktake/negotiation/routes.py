from fastapi import FastAPI

from stocktake.negotiation import api, api_compilation, api_links, api_room, api_titles, views

__all__ = ["api", "api_compilation", "api_links", "api_room", "api_titles", "register", "views"]


def register(app: FastAPI) -> None:
    app.include_router(views.router)
    app.include_router(api_room.router, prefix="/api/v1")
    app.include_router(api_titles.router, prefix="/api/v1")
    app.include_router(api.router, prefix="/api/v1")
    app.include_router(api_links.router, prefix="/api/v1")
    app.include_router(api_compilation.router, prefix="/api/v1")

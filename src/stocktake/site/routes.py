from fastapi import FastAPI

from stocktake.site import views

__all__ = ["register", "views"]


def register(app: FastAPI) -> None:
    """After every domain: /actors/{code} comes after the registry's /actors/new."""
    app.include_router(views.router)

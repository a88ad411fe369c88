from fastapi import FastAPI

from stocktake.frameworks import api

__all__ = ["api", "register"]


def register(app: FastAPI) -> None:
    app.include_router(api.router, prefix="/api/v1")

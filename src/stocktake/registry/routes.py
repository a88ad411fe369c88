from fastapi import FastAPI

from stocktake.registry import api, views
from stocktake.registry.models import REGIONAL_GROUPS
from stocktake.web.templating import templates

__all__ = ["api", "register", "views"]


def register(app: FastAPI) -> None:
    templates.env.globals["REGIONAL_GROUPS"] = REGIONAL_GROUPS
    app.include_router(views.router)
    app.include_router(api.router, prefix="/api/v1")

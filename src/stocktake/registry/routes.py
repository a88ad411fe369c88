from fastapi import FastAPI
from jinja2 import pass_context
from jinja2.runtime import Context

from stocktake.core.translation import DEFAULT_LANGUAGE
from stocktake.registry import api, views
from stocktake.registry.models import REGIONAL_GROUPS
from stocktake.registry.names import country_name
from stocktake.web.templating import templates

__all__ = ["api", "register", "views"]


@pass_context
def _country(context: Context, iso3: str) -> str:
    """A State by its name in the page's language (`registry/names.py`)."""
    return country_name(iso3, context.get("page_language") or DEFAULT_LANGUAGE)


def register(app: FastAPI) -> None:
    templates.env.globals["REGIONAL_GROUPS"] = REGIONAL_GROUPS
    templates.env.filters["country"] = _country
    app.include_router(views.router)
    app.include_router(api.router, prefix="/api/v1")

from collections.abc import Iterable
from typing import Any

from fastapi import FastAPI
from jinja2 import pass_context
from jinja2.runtime import Context

from stocktake.core.translation import DEFAULT_LANGUAGE
from stocktake.registry import api, views
from stocktake.registry.models import REGIONAL_GROUPS
from stocktake.registry.names import actor_key, country_name, name_key, named_as
from stocktake.web.templating import templates

__all__ = ["api", "register", "views"]


def _language(context: Context) -> str:
    return context.get("page_language") or DEFAULT_LANGUAGE


@pass_context
def _country(context: Context, iso3: str) -> str:
    """A State by its name in the page's language (`registry/names.py`)."""
    return country_name(iso3, _language(context))


@pass_context
def _country_pairs(context: Context, codes: Iterable[str]) -> list[tuple[str, str]]:
    """States' codes as a filter's (code, name) choices, by name in the page's language."""
    language = _language(context)
    pairs = ((code, country_name(code, language)) for code in codes)
    return sorted(pairs, key=lambda pair: name_key(pair[1]))


@pass_context
def _members_by_name(context: Context, memberships: Iterable[Any]) -> list[Any]:
    """A group's members in the order of the names the page shows them by."""
    language = _language(context)
    return sorted(memberships, key=lambda m: actor_key(m.member, language))


@pass_context
def _actor_named(context: Context, actor: Any, full: bool = False) -> str:
    """An actor as the page names it (`registry/names.py`): a State in the page's language, any
    other actor, and every actor in English, by its own name: its short name, else its name, or
    with `full` its name. Takes an actor, or anything with its `kind`, `iso3` and names (a row)."""
    own = actor.name if full else actor.display_name
    return named_as(actor.kind, actor.iso3, own, _language(context))


def register(app: FastAPI) -> None:
    templates.env.globals["REGIONAL_GROUPS"] = REGIONAL_GROUPS
    templates.env.filters["country"] = _country
    templates.env.filters["country_pairs"] = _country_pairs
    templates.env.filters["actor_named"] = _actor_named
    templates.env.filters["members_by_name"] = _members_by_name
    app.include_router(views.router)
    app.include_router(api.router, prefix="/api/v1")

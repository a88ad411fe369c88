"""What every paged list of the API shares: how many per page, and the link to the next page."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request

MAX_PER_PAGE = 500
"""The most rows one page of an API list holds (`per_page`); the default is the page_size setting."""

PerPage = Annotated[
    int | None,
    Query(
        ge=1,
        le=MAX_PER_PAGE,
        description=f"Rows per page, 1 to {MAX_PER_PAGE}; default: the server's page size",
    ),
]
Page = Annotated[int, Query(ge=1, le=1_000_000, description="Page number, from 1")]


def next_page_link(request: Request, page: int, pages: int) -> str | None:
    """This request's URL for the following page (every other parameter kept), or None on the last."""
    if page >= pages:
        return None
    return str(request.url.include_query_params(page=page + 1))

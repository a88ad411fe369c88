"""Negotiation pages: one router holding the routes of the drafts and of their amendments (the
routes themselves, so that the authorisation matrix sees every one)."""

from fastapi import APIRouter

from stocktake.negotiation.views import (
    amendments,
    compare,
    compilation,
    drafts,
    languages,
    links,
    room,
    titles,
)

router = APIRouter(include_in_schema=False)
router.routes.extend(
    [
        *drafts.router.routes,
        *compare.router.routes,
        *compilation.router.routes,
        *room.router.routes,
        *amendments.router.routes,
        *languages.router.routes,
        *links.router.routes,
        *titles.router.routes,
    ]
)

"""Review pages: one router holding the routes of the overview and pledges, and of the mapping
and cycles (the routes themselves, so that the authorisation matrix sees every one)."""

from fastapi import APIRouter

from stocktake.review.views import cycles, mapping, pledges, reporting

router = APIRouter(include_in_schema=False)
router.routes.extend(
    [
        *reporting.router.routes,
        *pledges.router.routes,
        *mapping.router.routes,
        *cycles.router.routes,
    ]
)

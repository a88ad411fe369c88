"""Pages that span domains: one router holding the routes of the process overview (phases,
meetings, actors) and of an actor's page (its record and the meetings it attended)."""

from fastapi import APIRouter

from stocktake.site.views import actors, home

router = APIRouter(include_in_schema=False)
router.routes.extend([*home.router.routes, *actors.router.routes])

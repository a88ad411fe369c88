"""Pages that span domains: one router holding the routes of the process overview (phases,
meetings, actors), of an actor's page (its record and the meetings it attended), of a delegation's
or organisation's own items and of the thread (a paragraph's or objective's, an actor's inputs, the
coverage of a text), and the language switch."""

from fastapi import APIRouter

from stocktake.site.views import actors, home, jobs, language, mine, thread

router = APIRouter(include_in_schema=False)
router.routes.extend(
    [
        *home.router.routes,
        *language.router.routes,
        *mine.router.routes,
        *actors.router.routes,
        *thread.router.routes,
        *jobs.router.routes,
    ]
)

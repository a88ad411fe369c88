"""Finding a request's route without asking every router of the app.

FastAPI asks the app's routes in order whether they match a request, and each router included in the
app asks each of its own routes in turn, at a few microseconds each. With some 250 routes in 30
routers, the pages whose router was included last (the overview, one's own items, a job's page, the
notification settings) took 1 to 2.6 ms of processor time to find their route, before any work of
their own.

Each included router is given a first check (`index_routes`): the first segments of the paths its
routes can match (`/review/...` is "review"). A request whose path begins otherwise cannot match any
of them, and the router answers "no match" at once, without asking its routes. A router with a route
whose first segment is a parameter, or that has a route without a path, is always asked, as before.
Which route answers a request does not change: only routers that could not have matched are skipped,
in the same order. If routes are included into a router later, its segments are read again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from starlette._utils import get_route_path
from starlette.routing import Match
from starlette.types import Scope

Matcher = Callable[[Scope], tuple[Match, Scope]]


def first_segment(path: str) -> str:
    """What a path begins with: "review" for /review/pledges, "" for /."""
    return path.split("/", 2)[1] if path.startswith("/") else ""


def path_segments(paths: list[object]) -> frozenset[str] | None:
    """The first segments of these route paths; None when one of them may begin with anything (a
    parameter, or a route without a path)."""
    found = set()
    for path in paths:
        if not isinstance(path, str) or not path.startswith("/"):
            return None
        segment = first_segment(path)
        if "{" in segment:
            return None
        found.add(segment)
    return frozenset(found)


class _Checked:
    """An included router's `matches`, with the first check before it."""

    def __init__(self, router: Any, matches: Matcher) -> None:
        self.router, self.matches = router, matches
        self.candidates: object = None
        self.segments: frozenset[str] | None = None

    def __call__(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] == "http":
            candidates = self.router.effective_candidates()
            if candidates is not self.candidates:  # kept by FastAPI until its routes change
                self.candidates = candidates
                self.segments = path_segments([getattr(c, "path", None) for c in candidates])
            if (
                self.segments is not None
                and first_segment(get_route_path(scope)) not in self.segments
            ):
                return Match.NONE, {}
        return self.matches(scope)


def index_routes(app: FastAPI) -> None:
    """Give each router included in the app its first check (once; a second call changes
    nothing)."""
    for route in app.router.routes:
        if hasattr(route, "effective_candidates") and not isinstance(
            route.__dict__.get("matches"), _Checked
        ):
            route.matches = _Checked(route, route.matches)  # type: ignore[method-assign]


def unindexed(route: Any) -> Matcher:
    """A route's own `matches`, without the first check (for tests that compare the two)."""
    checked = route.__dict__.get("matches")
    return checked.matches if isinstance(checked, _Checked) else route.matches

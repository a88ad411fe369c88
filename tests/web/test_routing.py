"""A request asks only the routers whose paths begin as its own (`web.routing`): the route that
answers is the one FastAPI would find by asking every router, for every route of the app, with its
path's trailing slash or without, by every method, and for paths no route has."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient
from starlette.routing import Match

from stocktake.web.routing import first_segment, path_segments, unindexed

PARAMETER = re.compile(r"\{([^}:]+)(?::([^}]+))?\}")
ELSEWHERE = ["/", "//", "/nowhere", "/review/nowhere", "/api/v1/nothing", "/static/none.css"]


def _concrete(path: str) -> str:
    return PARAMETER.sub(lambda m: "a/b" if m.group(2) == "path" else "1", path)


def _paths(app: Any) -> list[str]:
    paths = set(ELSEWHERE)
    for route in app.router.routes:
        found = route.effective_candidates() if hasattr(route, "effective_candidates") else [route]
        for candidate in found:
            path = getattr(candidate, "path", None)
            if isinstance(path, str):
                paths.update({_concrete(path), _concrete(path).rstrip("/") + "/"})
    return sorted(paths)


def _resolved(app: Any, path: str, method: str, *, indexed: bool) -> tuple[int, Match, object]:
    """Which top-level route FastAPI's loop takes for the request, how it matched and the
    endpoint it names."""
    scope = {"type": "http", "path": path, "root_path": "", "method": method, "headers": []}
    scope.update(app=app, query_string=b"")
    partial = None
    for index, route in enumerate(app.router.routes):
        matches = route.matches if indexed else unindexed(route)
        match, child = matches(dict(scope))
        if match == Match.FULL:
            return index, match, child.get("endpoint")
        if match == Match.PARTIAL and partial is None:
            partial = (index, match, child.get("endpoint"))
    return partial or (-1, Match.NONE, None)


def test_every_request_finds_the_route_it_found_by_asking_every_router(
    client: TestClient,
) -> None:
    app = client.app
    paths = _paths(app)
    assert len(paths) > 300
    differ = [
        (method, path)
        for path in paths
        for method in ("GET", "POST", "DELETE")
        if _resolved(app, path, method, indexed=True) != _resolved(app, path, method, indexed=False)
    ]
    assert differ == []
    # a page of the router included last, a page of the review, and what no route has
    assert client.get("/").status_code == 200
    assert client.get("/review/pledges").status_code == 200
    assert client.get("/review/nowhere").status_code == 404
    assert client.post("/health").status_code == 405


def test_first_segments() -> None:
    assert first_segment("/review/pledges") == "review"
    assert first_segment("/") == ""
    assert first_segment("/news.atom") == "news.atom"
    assert path_segments(["/review", "/review/{cycle}", "/"]) == frozenset({"review", ""})
    assert path_segments(["/review", "/{anything:path}"]) is None  # may begin with anything
    assert path_segments(["/review", None]) is None  # a route without a path

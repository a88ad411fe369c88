"""Arbitrary strings and integers sent to every endpoint, as the secretariat and as the public, on
each database: whatever comes in, the answer is never a 5xx.

The API's endpoints are read from its OpenAPI document (path and query parameters, the fields of
JSON bodies); the pages' from their routers (path parameters, forms posted with a valid CSRF
token). The example count is kept modest so that the suite stays fast; the odd values the issue
named (NUL, ids beyond 64 bits, very long strings, deep JSON) are always among the candidates.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from stocktake.accounts.services import get_user, issue_token, principal_for
from stocktake.app import DOMAINS
from tests.conftest import csrf_of, sign_in

ODD_TEXT = [
    "\x00",
    "a\x00b",
    "%00",
    "x" * 5000,
    "9" * 40,
    "-1",
    "0",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "😀\u202e",
    " ",
    "",
]
ODD_INTS = [0, -1, 2**31, 2**63, 2**64, -(2**63) - 1, 10**30]
TEXT = st.one_of(st.sampled_from(ODD_TEXT), st.text(max_size=40))
INTS = st.one_of(st.sampled_from(ODD_INTS), st.integers())
SCALAR = st.one_of(
    TEXT, INTS, st.booleans(), st.none(), st.floats(allow_nan=False, allow_infinity=False)
)
VALUE = st.one_of(SCALAR, st.lists(SCALAR, max_size=3), st.dictionaries(TEXT, SCALAR, max_size=2))
DEEP = "[" * 100_000 + "]" * 100_000
EXAMPLES = settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _api_operations(client: TestClient) -> list[tuple[str, str, dict[str, Any]]]:
    schema = client.get("/api/v1/openapi.json").json()
    return [
        (method.upper(), path, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    ]


def _body_fields(schema: dict[str, Any], operation: dict[str, Any]) -> list[str]:
    content = operation.get("requestBody", {}).get("content", {})
    body = content.get("application/json", {}).get("schema", {})
    ref = body.get("$ref", "")
    if not ref:
        return []
    model = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    return list(model.get("properties", {}))


def _fill(path: str, draw: st.DrawFn) -> str:
    return re.sub(
        r"\{[^}]+\}",
        lambda _m: quote(str(draw(st.one_of(INTS, TEXT.filter(bool))))[:300], safe=""),
        path,
    )


@pytest.fixture
def token(session: Session) -> str:
    user = get_user(session, "secretariat@gcm.example")
    return issue_token(session, user, by=principal_for(user))


def _check(response: Any, what: str) -> None:
    assert response.status_code < 500, f"{what}: {response.status_code} {response.text[:300]}"


@EXAMPLES
@given(data=st.data())
def test_the_api_never_answers_5xx(client: TestClient, token: str, data: st.DataObject) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    for method, path, operation in _api_operations(client):
        if path.startswith("/api/v1/analysis/runs") and method == "POST":
            continue  # starts a whole analysis in the background; its input is empty anyway
        url = _fill(path, data.draw)
        query = {
            p["name"]: data.draw(st.one_of(TEXT, INTS))
            for p in operation.get("parameters", [])
            if p["in"] == "query"
        }
        fields = _body_fields(schema, operation)
        body = {f: data.draw(VALUE) for f in fields if data.draw(st.booleans())}
        headers = {"Authorization": f"Bearer {token}"} if data.draw(st.booleans()) else {}
        if method == "GET":
            response = client.get(url, params=query, headers=headers)
        elif "multipart/form-data" in operation.get("requestBody", {}).get("content", {}):
            name = data.draw(st.sampled_from(["x.csv", "x.xlsx", "x.json", "y" * 300 + ".csv"]))
            content = data.draw(st.binary(max_size=200)) or b"\x00"
            response = client.request(
                method, url, params=query, headers=headers, files={"file": (name, content)}
            )
        else:
            response = client.request(method, url, params=query, headers=headers, json=body)
        _check(response, f"{method} {url} {json.dumps(body, default=str)[:200]}")


def test_deep_json_and_nul_bodies_are_refused_clearly(client: TestClient, token: str) -> None:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    for path in ("/api/v1/inputs", "/api/v1/tokens", "/api/v1/meetings"):
        response = client.post(path, content=DEEP, headers=headers)
        assert 400 <= response.status_code < 500, response.text[:300]
    response = client.post("/api/v1/inputs", json={"text": "a\x00b"}, headers=headers)
    assert response.status_code == 422
    assert "NUL" in response.text
    response = client.get(f"/api/v1/inputs/{2**64}")
    assert response.status_code in (404, 422)
    response = client.get("/api/v1/inputs", params={"q": "a\x00b"})
    assert response.status_code == 422


def _page_routes() -> list[tuple[str, str, APIRoute]]:
    return [
        (method, route.path, route)
        for domain in DOMAINS
        if hasattr(domain, "views")
        for route in domain.views.router.routes
        if isinstance(route, APIRoute)
        for method in route.methods
    ]


@EXAMPLES
@given(data=st.data())
def test_the_pages_never_answer_5xx(client: TestClient, data: st.DataObject) -> None:
    sign_in(client, "secretariat@gcm.example")
    csrf = csrf_of(client, "/")
    for method, path, route in _page_routes():
        if path in ("/logout", "/analysis/runs"):
            continue  # ends the session the test uses; starts a whole analysis
        url = _fill(path, data.draw)
        names = [p.name for p in route.dependant.query_params]
        query = {n: data.draw(st.one_of(TEXT, INTS)) for n in names if data.draw(st.booleans())}
        if method == "GET":
            response = client.get(url, params=query, follow_redirects=False)
        else:
            form = {
                p.name: str(data.draw(st.one_of(TEXT, INTS))) for p in route.dependant.body_params
            }
            form["csrf"] = csrf
            response = client.post(url, data=form, follow_redirects=False)
        _check(response, f"{method} {url}")


def test_generating_a_summary_tells_nothing_of_runs_to_those_who_may_not(
    client: TestClient, session: Session
) -> None:
    user = get_user(session, "mexico@gcm.example")
    headers = {"Authorization": f"Bearer {issue_token(session, user, by=principal_for(user))}"}
    answers = {
        run_id: client.post("/api/v1/summaries", json={"run_id": run_id}, headers=headers)
        for run_id in (1, 987654)
    }
    assert {a.status_code for a in answers.values()} == {403}
    assert answers[1].json() == answers[987654].json()

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
from stocktake.core.permissions import Role
from tests.conftest import csrf_of, sign_in
from tests.factories.accounts import account

ODD_TEXT = [
    "\x00",
    "a\x00b",
    "\ud800",
    "a\udfffb",
    "\udc00\ud800",
    "a\x01b",
    "\x1b[31m",
    "\ufffe",
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
HUGE_NUMBER = "1" * 5000
ODD_BODIES = [
    DEEP,
    "[" * 1000 + "]" * 1000,
    "{" + '"a":{' * 200 + "}" * 201,
    HUGE_NUMBER,
    f"[{HUGE_NUMBER}.5e3]",
    '"\\ud800"',
]
ODD_FILES = [
    *(b.encode() for b in ODD_BODIES),
    b'{"inputs": [{"submitter": "MEX", "text": "\\ud800 a text"}]}',
    b'[{"submitter": "MEX", "text": ' + HUGE_NUMBER.encode() + b"}]",
    b'[{"submitter": "MEX", "text": "a\\u0000b"}]',
]
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


def _quoted(value: object) -> str:
    """The value percent-encoded as a client sends it, a lone surrogate as its UTF-8-like bytes."""
    return quote(str(value).encode("utf-8", "surrogatepass"), safe="")


def _fill(path: str, draw: st.DrawFn) -> str:
    return re.sub(
        r"\{[^}]+\}",
        lambda _m: _quoted(str(draw(st.one_of(INTS, TEXT.filter(bool))))[:300]),
        path,
    )


def _with_query(url: str, query: dict[str, Any]) -> str:
    return url + "?" + "&".join(f"{_quoted(k)}={_quoted(v)}" for k, v in query.items())


def _json_body(draw: st.DrawFn, fields: list[str]) -> str:
    """A JSON body (lone surrogates escaped in it): the fields with odd values, or an odd body
    whole, or an odd body as one field's value."""
    body = json.dumps({f: draw(VALUE) for f in fields if draw(st.booleans())})
    shape = draw(st.sampled_from(["fields", "whole", "field"]))
    if shape == "whole":
        return draw(st.sampled_from(ODD_BODIES))
    if shape == "field" and fields:
        odd = draw(st.sampled_from(ODD_BODIES))
        return "{" + json.dumps(draw(st.sampled_from(fields))) + ": " + odd + "}"
    return body


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
        url = _with_query(url, query) if query else url
        body = _json_body(data.draw, _body_fields(schema, operation))
        headers = {"Authorization": f"Bearer {token}"} if data.draw(st.booleans()) else {}
        if method == "GET":
            response = client.get(url, headers=headers)
        elif "multipart/form-data" in operation.get("requestBody", {}).get("content", {}):
            name = data.draw(st.sampled_from(["x.csv", "x.xlsx", "x.json", "y" * 300 + ".csv"]))
            content = data.draw(st.one_of(st.binary(max_size=200), st.sampled_from(ODD_FILES)))
            response = client.request(
                method, url, headers=headers, files={"file": (name, content or b"\x00")}
            )
        else:
            headers["Content-Type"] = "application/json"
            response = client.request(method, url, headers=headers, content=body)
        _check(response, f"{method} {url} {body[:200]}")


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


def _page_routes_of(routes: list[Any]) -> list[APIRoute]:
    found: list[APIRoute] = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif hasattr(route, "original_router"):  # a router the domain's pages include
            found += _page_routes_of(route.original_router.routes)
    return found


def _page_routes() -> list[tuple[str, str, APIRoute]]:
    return [
        (method, route.path, route)
        for domain in DOMAINS
        if hasattr(domain, "views")
        for route in _page_routes_of(domain.views.router.routes)
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
        url = _with_query(url, query) if query else url
        if method == "GET":
            response = client.get(url, follow_redirects=False)
        else:
            form = {
                p.name: str(data.draw(st.one_of(TEXT, INTS))) for p in route.dependant.body_params
            }
            form["csrf"] = csrf
            response = client.post(
                url,
                content="&".join(f"{_quoted(k)}={_quoted(v)}" for k, v in form.items()),
                headers={"Content-Type": "application/x-www-form-urlencoded"},
                follow_redirects=False,
            )
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


SURROGATE_BODY = '{"actor": "\\ud800", "sponsor": "\\ud800x", "name": "Ana"}'


@pytest.fixture
def staff_token(bare_session: Session) -> str:
    staff = account(bare_session, Role.SECRETARIAT)
    return issue_token(bare_session, staff, by=principal_for(staff))


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/v1/meetings/any-meeting/registrations", "actor"),
        ("/api/v1/drafts/1/amendments", "sponsor"),
        ("/api/v1/drafts/1/amendments/1/positions", "actor"),
        ("/api/v1/review/pledges", "actor"),
        ("/api/v1/review/practices", "actor"),
        ("/api/v1/review/capacity", "actor"),
        ("/api/v1/review/cycles/any-cycle/reports", "actor"),
    ],
)
def test_a_lone_surrogate_in_a_body_is_refused_naming_the_field(
    bare_client: TestClient, staff_token: str, path: str, field: str
) -> None:
    headers = {"Authorization": f"Bearer {staff_token}", "Content-Type": "application/json"}
    response = bare_client.post(path, content=SURROGATE_BODY, headers=headers)
    assert response.status_code == 422, response.text[:300]
    problems = {p["where"]: p["message"] for p in response.json()["problems"]}
    assert "lone surrogate" in problems[f"body.{field}"]
    assert "body.name" not in problems


ODD_JSON = {
    "a number of 5,000 digits": ('{"inputs": [{"text": 1' + "0" * 5000 + "}]}", "characters"),
    "nesting 1,000 deep": ('{"inputs": ' + "[" * 1000 + "]" * 1000 + "}", "deeper than 64"),
    "nesting 70 deep": ('{"inputs": ' + "[" * 70 + "]" * 70 + "}", "deeper than 64"),
    "a lone surrogate": ('[{"submitter": "MEX", "text": "\\udc00 more"}]', "lone surrogate"),
    "a NUL": ('[{"submitter": "MEX", "text": "a\\u0000b"}]', "NUL"),
}


@pytest.mark.parametrize("case", list(ODD_JSON))
def test_odd_json_is_refused_clearly_in_a_body_and_in_a_file(
    bare_client: TestClient, staff_token: str, case: str
) -> None:
    content, message = ODD_JSON[case]
    auth = {"Authorization": f"Bearer {staff_token}"}
    for path in ("/api/v1/inputs", "/api/v1/meetings", "/api/v1/drafts/1/amendments"):
        response = bare_client.post(
            path, content=content, headers={**auth, "Content-Type": "application/json"}
        )
        assert response.status_code == 422, (path, response.text[:300])
        assert message in response.text, response.text[:300]
    response = bare_client.post(
        "/api/v1/inputs/import", headers=auth, files={"file": ("odd.json", content.encode())}
    )
    assert response.status_code == 422, response.text[:300]
    assert message in response.text, response.text[:300]


def test_odd_text_in_a_url_or_a_form_is_refused_naming_the_field(
    bare_client: TestClient, staff_token: str
) -> None:
    auth = {"Authorization": f"Bearer {staff_token}"}
    response = bare_client.get("/api/v1/actors?kind=x&q=a%00b", headers=auth)
    assert response.status_code == 422
    assert response.json()["problems"] == [
        {"where": "query.q", "message": "contains a NUL character (U+0000), which is not accepted"}
    ]
    response = bare_client.get("/api/v1/actors/MEX%00", headers=auth)
    assert response.status_code == 422
    assert response.json()["problems"][0]["where"] == "path"
    response = bare_client.post("/login", data={"email": "a\x00b", "password": "x"})
    assert response.status_code == 422
    assert "form.email: contains a NUL" in response.text
    # a text that only looks like an escape is a text like any other
    response = bare_client.get("/api/v1/actors", params={"q": "\\u0000 \\ud800"}, headers=auth)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "encoded",
    [
        "%ED%A0%80",  # a lone surrogate, as a careless client encodes it
        "caf%E9",  # Latin-1, not UTF-8
        "%C3",  # a sequence cut short
        "%FF%FE",
    ],
)
def test_bytes_that_are_not_utf8_in_a_form_or_a_query_are_refused_not_replaced(
    bare_client: TestClient, staff_token: str, encoded: str
) -> None:
    auth = {"Authorization": f"Bearer {staff_token}"}
    response = bare_client.get(f"/api/v1/actors?q=a{encoded}", headers=auth)
    assert response.status_code == 422
    assert response.json()["problems"] == [
        {
            "where": "query.q",
            "message": "is not UTF-8 text: a byte sequence in it encodes no character",
        }
    ]
    response = bare_client.post(
        "/login",
        content=f"email=x{encoded}&password=x",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 422
    assert "form.email: is not UTF-8 text" in response.text
    # real text in any script passes
    response = bare_client.get("/api/v1/actors?q=caf%C3%A9%20%E4%B8%AD", headers=auth)
    assert response.status_code == 200

"""Every endpoint for every role: allowed gets the page or the data, denied gets 403 or a redirect
to the sign-in page, never data. A route missing from the matrix fails the last test."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from stocktake.accounts.models import ApiToken
from stocktake.accounts.services import get_user, issue_token, principal_for
from stocktake.analysis.services import cluster_inputs, latest_run
from stocktake.app import DOMAINS
from stocktake.consultation.models import Input
from stocktake.consultation.services import InputData, submit_input
from stocktake.core.permissions import Principal
from stocktake.meetings.models import Participant
from stocktake.meetings.services import get_meeting
from stocktake.process.services import get_process
from stocktake.review.services.pledges import PledgeData, submit_pledge
from stocktake.summary.models import Summary
from tests.conftest import csrf_of, sign_in

ROLES = {
    "public": None,
    "delegation": "mexico@gcm.example",
    "stakeholder": "stakeholder@gcm.example",
    "secretariat": "secretariat@gcm.example",
}
OWN_ACTOR = {
    "public": "MEX",
    "delegation": "MEX",
    "stakeholder": "CSO-KEN-001",
    "secretariat": "BRA",
}
MEETING = "imrf-2022"
ALL = set(ROLES)
SECRETARIAT = {"secretariat"}
MEMBERS = {"delegation", "stakeholder", "secretariat"}
OWNER = {"delegation", "secretariat"}  # the Mexican delegation submitted the private input


@dataclass(frozen=True)
class Case:
    method: str
    route: str  # the route's template, as the app declares it
    allowed: set[str]
    ok: int = 200
    form: bool = False
    upload: bool = False
    # Routes on an input only its submitter and the secretariat can see answer others 404, not 403.
    hidden: bool = False

    def __str__(self) -> str:
        return f"{self.method} {self.route}"


PAGES = [
    Case("GET", "/", ALL),
    Case("GET", "/actors", ALL),
    Case("GET", "/actors/{code}", ALL),
    Case("GET", "/actors/new", SECRETARIAT),
    Case("POST", "/actors/new", SECRETARIAT, ok=303, form=True),
    Case("GET", "/meetings", ALL),
    Case("GET", "/meetings/{slug}", ALL),
    Case("GET", "/meetings/{slug}/registrations", MEMBERS),
    Case("POST", "/meetings/{slug}/registrations", MEMBERS, ok=303, form=True),
    Case(
        "POST",
        "/meetings/{slug}/registrations/{participant_id}/attendance",
        SECRETARIAT,
        ok=303,
        form=True,
    ),
    Case("GET", "/login", ALL),
    Case("POST", "/login", ALL, ok=401, form=True),
    Case("POST", "/logout", ALL, ok=303, form=True),
    Case("GET", "/account/tokens", MEMBERS),
    # a token of the Mexican delegation: the secretariat may revoke it too, others do not see it
    Case("POST", "/account/tokens/{token_id}/revoke", OWNER, ok=303, form=True, hidden=True),
    Case("GET", "/users", SECRETARIAT),
    Case("POST", "/users/{email}/deactivate", SECRETARIAT, ok=303, form=True),
    Case("POST", "/users/{email}/activate", SECRETARIAT, ok=303, form=True),
    Case("GET", "/audit", SECRETARIAT),
    Case("GET", "/inputs", ALL),
    Case("GET", "/inputs/export", ALL),
    Case("GET", "/inputs/new", MEMBERS),
    Case("POST", "/inputs/new", MEMBERS, ok=303, form=True),
    Case("GET", "/inputs/import", SECRETARIAT),
    Case("POST", "/inputs/import", SECRETARIAT, form=True, upload=True),
    Case("GET", "/inputs/{input_id}", ALL),
    Case("POST", "/inputs/{input_id}/publish", SECRETARIAT, ok=303, form=True, hidden=True),
    Case("POST", "/inputs/{input_id}/withdraw", OWNER, ok=303, form=True, hidden=True),
    Case("POST", "/inputs/{input_id}/tags", SECRETARIAT, ok=303, form=True, hidden=True),
    Case("GET", "/inputs/queue", SECRETARIAT),
    Case("POST", "/inputs/queue", SECRETARIAT, ok=303, form=True),
    Case("GET", "/inputs/queue/next", SECRETARIAT, ok=303),
    Case("POST", "/inputs/{input_id}/publish-next", SECRETARIAT, ok=303, form=True, hidden=True),
    Case("GET", "/inputs/{input_id}/edit", OWNER, hidden=True),
    Case("POST", "/inputs/{input_id}/edit", OWNER, ok=303, form=True, hidden=True),
    # The private input is already submitted: its author may act, and is told it is no draft.
    Case("POST", "/inputs/{input_id}/submit", OWNER, ok=409, form=True, hidden=True),
    # No file was kept with the demo's inputs: whoever may read the input is told so.
    Case("GET", "/inputs/{input_id}/attachment", ALL, ok=404),
    Case("GET", "/analysis", SECRETARIAT),
    Case("POST", "/analysis/runs", SECRETARIAT, ok=303, form=True),
    Case("GET", "/analysis/runs/{run_id}", SECRETARIAT),
    Case("GET", "/analysis/clusters", SECRETARIAT),
    Case("POST", "/analysis/clusters/merge", SECRETARIAT, ok=303, form=True),
    Case("GET", "/analysis/clusters/{number}", SECRETARIAT),
    Case("POST", "/analysis/clusters/{number}/rename", SECRETARIAT, ok=303, form=True),
    Case("POST", "/analysis/clusters/{number}/split", SECRETARIAT, ok=303, form=True),
    Case("GET", "/analysis/review", SECRETARIAT),
    Case("GET", "/summary", ALL),
    Case("POST", "/summary", SECRETARIAT, ok=303, form=True),
    # The demo's summary is not published: to anyone but the secretariat it does not exist.
    Case("GET", "/summary/{summary_id}", SECRETARIAT, hidden=True),
    Case("GET", "/summary/{summary_id}/edit", SECRETARIAT),
    Case("POST", "/summary/{summary_id}/edit", SECRETARIAT, ok=303, form=True),
    Case("POST", "/summary/{summary_id}/publish", SECRETARIAT, ok=303, form=True),
    Case("GET", "/summary/{summary_id}/compare", SECRETARIAT),
    Case("GET", "/summary/{summary_id}/export", SECRETARIAT, hidden=True),
    Case("GET", "/summary/{summary_id}/clusters/{number}", SECRETARIAT, hidden=True),
    Case("GET", "/review", ALL),
    Case("GET", "/review/indicators", ALL),
    Case("GET", "/review/pledges", ALL),
    Case("GET", "/review/pledges/new", MEMBERS),
    Case("POST", "/review/pledges/new", MEMBERS, ok=303, form=True),
    # The pledge is Mexico's and not yet published: to others it does not exist.
    Case("GET", "/review/pledges/{pledge_id}", OWNER, hidden=True),
    Case("POST", "/review/pledges/{pledge_id}/status", OWNER, ok=303, form=True, hidden=True),
    Case("POST", "/review/pledges/{pledge_id}/publish", SECRETARIAT, ok=303, form=True),
]
API = [
    Case("GET", "/api/v1/process", ALL),
    Case("GET", "/api/v1/processes", ALL),
    Case("GET", "/api/v1/processes/{slug}", ALL),
    Case("GET", "/api/v1/actors", ALL),
    Case("GET", "/api/v1/actors/{code}", ALL),
    Case("POST", "/api/v1/actors", SECRETARIAT, ok=201),
    Case("GET", "/api/v1/meetings", ALL),
    Case("POST", "/api/v1/meetings", SECRETARIAT, ok=201),
    Case("GET", "/api/v1/meetings/{slug}", ALL),
    Case("GET", "/api/v1/meetings/{slug}/participation", ALL),
    Case("GET", "/api/v1/meetings/{slug}/registrations", MEMBERS),
    Case("POST", "/api/v1/meetings/{slug}/registrations", MEMBERS, ok=201),
    Case("PUT", "/api/v1/meetings/{slug}/registrations/{participant_id}/attendance", SECRETARIAT),
    Case("GET", "/api/v1/audit", SECRETARIAT),
    Case("POST", "/api/v1/tokens", ALL, ok=401),
    Case("GET", "/api/v1/me", ALL),
    Case("GET", "/api/v1/tokens", ALL),
    Case("DELETE", "/api/v1/tokens/{token_id}", OWNER, ok=204, hidden=True),
    Case("GET", "/api/v1/inputs", ALL),
    Case("POST", "/api/v1/inputs", MEMBERS, ok=201),
    Case("GET", "/api/v1/inputs/export", ALL),
    Case("POST", "/api/v1/inputs/import", SECRETARIAT, ok=201, upload=True),
    Case("GET", "/api/v1/inputs/{input_id}", ALL),
    Case("PATCH", "/api/v1/inputs/{input_id}", OWNER, hidden=True),
    Case("POST", "/api/v1/inputs/{input_id}/withdraw", OWNER, hidden=True),
    Case("POST", "/api/v1/inputs/{input_id}/publish", SECRETARIAT, hidden=True),
    Case("PUT", "/api/v1/inputs/{input_id}/tags", SECRETARIAT, hidden=True),
    Case("POST", "/api/v1/inputs/moderate", SECRETARIAT),
    Case("POST", "/api/v1/inputs/{input_id}/submit", OWNER, ok=409, hidden=True),
    Case("GET", "/api/v1/inputs/{input_id}/attachment", ALL, ok=404),
    Case("GET", "/api/v1/frameworks/sdg", ALL),
    Case("GET", "/api/v1/analysis/runs", SECRETARIAT),
    Case("POST", "/api/v1/analysis/runs", SECRETARIAT, ok=202),
    Case("GET", "/api/v1/analysis/runs/{run_id}", SECRETARIAT),
    Case("GET", "/api/v1/analysis/runs/{run_id}/clusters", SECRETARIAT),
    Case("GET", "/api/v1/summaries", ALL),
    Case("POST", "/api/v1/summaries", SECRETARIAT, ok=201),
    Case("GET", "/api/v1/summaries/{summary_id}", SECRETARIAT, hidden=True),
    Case("POST", "/api/v1/summaries/{summary_id}/versions", SECRETARIAT, ok=201),
    Case("POST", "/api/v1/summaries/{summary_id}/publish", SECRETARIAT),
    Case("GET", "/api/v1/summaries/{summary_id}/export", SECRETARIAT, hidden=True),
    Case("GET", "/api/v1/review/objectives", ALL),
    Case("GET", "/api/v1/review/indicators", ALL),
    Case("GET", "/api/v1/review/progress", ALL),
    Case("GET", "/api/v1/review/observations/export", ALL),
    Case("GET", "/api/v1/review/pledges", ALL),
    Case("POST", "/api/v1/review/pledges", MEMBERS, ok=201),
    Case("GET", "/api/v1/review/pledges/{pledge_id}", OWNER, hidden=True),
    Case("POST", "/api/v1/review/pledges/{pledge_id}/publish", SECRETARIAT),
    Case("POST", "/api/v1/review/pledges/{pledge_id}/status", OWNER, hidden=True),
]


def _path(case: Case, ids: dict[str, int]) -> str:
    input_id = ids["private"] if case.hidden else ids["published"]
    return (
        case.route.replace("{input_id}", str(input_id))
        .replace("{run_id}", str(ids["run"]))
        .replace("{number}", str(ids["cluster"]))
        .replace("{summary_id}", str(ids["summary"]))
        .replace("{code}", "MEX")
        .replace("{slug}", "gcm" if "processes" in case.route else MEETING)
        .replace("{participant_id}", str(ids["participant"]))
        .replace("{token_id}", str(ids["token"]))
        .replace("{email}", "philippines@gcm.example")
        .replace("{pledge_id}", str(ids["pledge"]))
    )


def _form_or_json(case: Case, csrf: str, body: dict[str, Any]) -> dict[str, Any]:
    return {"csrf": csrf, **body} if case.form else body


NEW_MEETING = {
    "title": "A meeting",
    "meeting_type": "review_forum",
    "start_date": "2024-05-01",
    "end_date": "2024-05-02",
}
WRONG_LOGIN = {"email": "nobody@example.org", "password": "wrong password"}
# The body each route is sent, by route: (case, role) -> fields, before the CSRF token is added.
BODIES: dict[str, Any] = {
    "/actors/new": lambda c, r: {
        "code": f"NEW-{r}",
        "name": "New organisation",
        "category": "academia",
        "country": "KEN",
    },
    "/api/v1/actors": lambda c, r: {
        "code": f"API-{r}",
        "name": "API organisation",
        "category": "media",
    },
    "/api/v1/meetings": lambda c, r: {"slug": f"m-{r}", **NEW_MEETING},
    "/login": lambda c, r: WRONG_LOGIN,
    "/api/v1/tokens": lambda c, r: WRONG_LOGIN,
    "/inputs/new": lambda c, r: {"text": f"A card from {r}", "submitter": OWN_ACTOR[r]},
    "/inputs/queue": lambda c, r: {"action": "publish"},
    "/api/v1/inputs": lambda c, r: {
        "text": f"A card from {r}",
        "submitter": "" if r != "secretariat" else "BRA",
    },
    "/api/v1/inputs/{input_id}": lambda c, r: {"title": "Changed"},
    "/inputs/{input_id}/edit": lambda c, r: {"text": f"Changed by {r}"},
    "/api/v1/inputs/moderate": lambda c, r: {
        "action": "retag",
        "ids": SPLIT_INPUT[:1],
        "dimensions": ["human"],
    },
    "/analysis/clusters/merge": lambda c, r: {"numbers": [1, 2], "label": "Merged"},
    "/api/v1/summaries": lambda c, r: {},
    "/review/pledges/new": lambda c, r: {**PLEDGE, "actor": OWN_ACTOR[r], "objectives": ["6"]},
    "/api/v1/review/pledges": lambda c, r: {**PLEDGE, "actor": "" if r != "secretariat" else "BRA"},
    "/review/pledges/{pledge_id}/status": lambda c, r: {"status": "completed", "note": "Done"},
    "/api/v1/review/pledges/{pledge_id}/status": lambda c, r: {"status": "completed"},
}
PLEDGE = {
    "title": "A pledge",
    "description": "A pledge described at length. " * 12,
    "kind": "policy",
    "level": "national",
    "objectives": [6],
    "start_year": 2024,
    "end_year": 2026,
}
ENDINGS: dict[str, Any] = {
    "/registrations": lambda c, r: {"actor": OWN_ACTOR[r], "name": f"Person for {r}"},
    "/attendance": lambda c, r: {"attended": "yes"} if c.form else {"attended": True},
    "/withdraw": lambda c, r: {"reason": "Sent twice"},
    "/tags": lambda c, r: (
        {"dimensions": ["human"]} if c.form else {"dimensions": ["human"], "input_types": []}
    ),
    "/rename": lambda c, r: {"label": "Renamed"},
    "/publish": lambda c, r: {"version": 1, "confirm": "true" if c.form else True},
    "/split": lambda c, r: {"inputs": SPLIT_INPUT[:1], "label": "Split off"},
    "/edit": lambda c, r: {"markdown": "# Edited summary", "note": "edit"},
    "/versions": lambda c, r: {"markdown": "# Edited summary"},
}


def _payload(case: Case, role: str, csrf: str) -> dict[str, Any]:
    make = BODIES.get(case.route) or next(
        (f for ending, f in ENDINGS.items() if case.route.endswith(ending)), lambda c, r: {}
    )
    return _form_or_json(case, csrf, make(case, role))


@pytest.fixture
def ids(session: Session) -> dict[str, int]:
    meeting = get_meeting(session, MEETING)
    participant = session.scalar(
        select(Participant.id).where(
            Participant.meeting_id == meeting.id, Participant.attended.is_(False)
        )
    )
    published = session.scalar(
        select(Input.id).where(Input.status == "published").order_by(Input.id)
    )
    private = submit_input(
        session,
        get_process(session),
        InputData(text="A private card", submitter="MEX"),
        by=Principal.system(),
    )
    assert participant
    assert published
    run = latest_run(session, get_process(session))
    assert run is not None
    members = [i.id for i, _ in cluster_inputs(session, run, 0)]
    SPLIT_INPUT[:] = members[:1]
    summary = session.scalar(select(Summary.id).order_by(Summary.id))
    assert summary
    mexico = get_user(session, "mexico@gcm.example")
    issue_token(session, mexico, name="matrix", by=principal_for(mexico))
    token = session.scalar(select(ApiToken.id).where(ApiToken.name == "matrix"))
    assert token
    # a published pledge of the Mexican delegation, not yet published for the publish route
    pledge = submit_pledge(
        session,
        get_process(session),
        PledgeData(
            actor="MEX",
            title="A Mexican pledge",
            description="A pledge described at length. " * 12,
            kind="policy",
            level="national",
            objectives=[6],
            start_year=2024,
            end_year=2026,
        ),
        by=Principal.system(),
    )
    return {
        "token": token,
        "participant": participant,
        "published": published,
        "private": private.id,
        "run": run.id,
        "cluster": 0,
        "summary": summary,
        "pledge": pledge.id,
    }


SPLIT_INPUT: list[int] = []


UPLOAD = {
    "file": (
        "cards.csv",
        b"submitter,text\nKEN,An imported card about portable pensions\n",
        "text/csv",
    )
}


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("case", PAGES, ids=str)
def test_pages(
    client: TestClient, session: Session, ids: dict[str, int], role: str, case: Case
) -> None:
    if ROLES[role]:
        sign_in(client, ROLES[role])
    csrf = csrf_of(client)
    path = _path(case, ids)
    if case.method == "GET":
        response = client.get(path, follow_redirects=False)
    else:
        files = UPLOAD if case.upload else None
        response = client.post(
            path, data=_payload(case, role, csrf), files=files, follow_redirects=False
        )
    if role in case.allowed:
        assert response.status_code == case.ok, response.text[:500]
    elif case.hidden and response.status_code == 404:
        assert "A private card" not in response.text
    elif role == "public":
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login?next=")
        assert response.text == ""
    else:
        assert response.status_code == 403
        assert "Not allowed" in response.text
        assert "Person for" not in response.text


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("case", API, ids=str)
def test_api(
    client: TestClient, session: Session, ids: dict[str, int], role: str, case: Case
) -> None:
    headers = {}
    if ROLES[role]:
        user = get_user(session, ROLES[role])
        headers["Authorization"] = f"Bearer {issue_token(session, user, by=principal_for(user))}"
    path = _path(case, ids)
    payload = _payload(case, role, "")
    if case.method == "GET":
        response = client.get(path, headers=headers)
    elif case.upload:
        response = client.request(case.method, path, files=UPLOAD, headers=headers)
    else:
        response = client.request(case.method, path, json=payload, headers=headers)
    if role in case.allowed:
        assert response.status_code == case.ok, response.text[:500]
    elif case.hidden and response.status_code == 404:
        assert "A private card" not in response.text
    else:
        assert response.status_code == 403, response.text[:500]
        assert set(response.json()) == {"detail"}


def test_a_delegation_sees_and_registers_only_for_itself(
    client: TestClient, session: Session
) -> None:
    user = get_user(session, "mexico@gcm.example")
    headers = {"Authorization": f"Bearer {issue_token(session, user, by=principal_for(user))}"}
    response = client.post(
        f"/api/v1/meetings/{MEETING}/registrations",
        json={"actor": "PHL", "name": "Not mine"},
        headers=headers,
    )
    assert response.status_code == 403
    rows = client.get(f"/api/v1/meetings/{MEETING}/registrations", headers=headers).json()
    assert rows
    assert {r["actor"] for r in rows} == {"MEX"}
    sign_in(client, "mexico@gcm.example")
    page = client.post(
        f"/meetings/{MEETING}/registrations",
        data={"csrf": csrf_of(client, f"/meetings/{MEETING}"), "actor": "PHL", "name": "Not mine"},
        follow_redirects=False,
    )
    assert page.status_code == 403


def test_an_unknown_or_malformed_token_is_refused(client: TestClient) -> None:
    for header in ("Bearer stk_not-a-token", "Basic abc", "Bearer "):
        response = client.get("/api/v1/me", headers={"Authorization": header})
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"


def test_every_route_is_in_the_matrix(client: TestClient) -> None:
    covered = {(c.method, c.route) for c in PAGES + API}
    pages = {
        (method, route.path)
        for domain in DOMAINS
        for name in dir(domain)
        if name == "views" or name.endswith("_views")  # a domain's pages may span modules
        for route in getattr(domain, name).router.routes
        if isinstance(route, APIRoute)
        for method in route.methods
    }
    schema = client.get("/api/v1/openapi.json").json()
    api = {(method.upper(), path) for path, item in schema["paths"].items() for method in item}
    declared = pages | api
    assert declared - covered == set()
    assert covered - declared == set()

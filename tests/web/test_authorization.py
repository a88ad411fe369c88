"""Every endpoint for every role: allowed gets the page or the data, denied gets 403 or a redirect
to the sign-in page, never data. A route missing from the matrix fails the last test."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from stocktake.accounts.models import ApiToken
from stocktake.accounts.services import get_user, issue_token, principal_for
from stocktake.analysis.services import cluster_inputs, latest_run
from stocktake.app import DOMAINS, create_app
from stocktake.consultation.models import Input
from stocktake.consultation.services import InputData, submit_input
from stocktake.core.db import create_db_engine
from stocktake.core.permissions import Principal
from stocktake.demo.negotiation import DEMO_SOURCE
from stocktake.meetings.models import Participant
from stocktake.meetings.services import get_meeting
from stocktake.negotiation.models import Draft
from stocktake.negotiation.services import (
    AmendmentData,
    link_cluster,
    list_amendments,
    propose_amendment,
    rounds_of,
    working_nodes,
)
from stocktake.news.models import NewsItem
from stocktake.process.services import get_process
from stocktake.review.services.mapping import PracticeData, submit_practice
from stocktake.review.services.pledges import PledgeData, submit_pledge
from stocktake.summary.models import Summary
from tests.conftest import app_settings, csrf_of, sign_in
from tests.databases import copy_of

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
    Case("GET", "/favicon.ico", ALL),
    Case("GET", "/health", ALL),
    Case("GET", "/language", ALL, ok=303),
    Case("GET", "/mine", MEMBERS),
    Case("GET", "/actors", ALL),
    Case("GET", "/actors/{code}", ALL),
    Case("GET", "/actors/new", SECRETARIAT),
    Case("POST", "/actors/new", SECRETARIAT, ok=303, form=True),
    Case("GET", "/meetings", ALL),
    Case("GET", "/meetings.ics", ALL),
    Case("GET", "/meetings/{slug}.ics", ALL),
    Case("GET", "/meetings/{slug}", ALL),
    Case("GET", "/meetings/{slug}/edit", SECRETARIAT),
    Case("POST", "/meetings/{slug}/edit", SECRETARIAT, ok=303, form=True),
    Case("POST", "/meetings/{slug}/cancel", SECRETARIAT, ok=303, form=True),
    Case("GET", "/news", ALL),
    Case("GET", "/news.atom", ALL),
    Case("GET", "/news/new", SECRETARIAT),
    Case("POST", "/news", SECRETARIAT, ok=303, form=True),
    Case("GET", "/news/{news_id}", ALL),
    Case("GET", "/news/{news_id}/edit", SECRETARIAT),
    Case("POST", "/news/{news_id}/edit", SECRETARIAT, ok=303, form=True),
    Case("POST", "/news/{news_id}/publish", SECRETARIAT, ok=303, form=True),
    Case("POST", "/news/{news_id}/withdraw", SECRETARIAT, ok=303, form=True),
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
    Case("GET", "/account/notifications", MEMBERS),
    Case("POST", "/account/notifications", MEMBERS, ok=303, form=True),
    Case("GET", "/notifications", MEMBERS),
    Case("POST", "/notifications/read", MEMBERS, ok=303, form=True),
    # the matrix's unsubscribe token is forged: refused alike to everyone, signed in or not
    Case("GET", "/unsubscribe/{token}", ALL, ok=404),
    Case("POST", "/unsubscribe/{token}", ALL, ok=404, form=True),
    # a token of the Mexican delegation: the secretariat may revoke it too, others do not see it
    Case("POST", "/account/tokens/{token_id}/revoke", OWNER, ok=303, form=True, hidden=True),
    Case("GET", "/users", SECRETARIAT),
    Case("POST", "/users/{email}/deactivate", SECRETARIAT, ok=303, form=True),
    Case("POST", "/users/{email}/activate", SECRETARIAT, ok=303, form=True),
    Case("GET", "/audit", SECRETARIAT),
    Case("GET", "/jobs", SECRETARIAT),
    # someone else's job answers as a missing one does (its number says nothing)
    Case("GET", "/jobs/{job_id}", SECRETARIAT, hidden=True),
    Case("GET", "/jobs/{job_id}/file", SECRETARIAT, ok=404, hidden=True),  # a run writes none
    Case("GET", "/inputs", ALL),
    Case("GET", "/inputs/export", ALL),
    Case("GET", "/inputs/new", MEMBERS),
    Case("POST", "/inputs/new", MEMBERS, ok=303, form=True),
    Case("GET", "/inputs/import", SECRETARIAT),
    Case("POST", "/inputs/import", SECRETARIAT, ok=303, form=True, upload=True),
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
    Case("GET", "/summary/{summary_id}/sources/{statement}", SECRETARIAT, hidden=True),
    # Working and compilation texts: the secretariat and, as the GCM's setting says, delegations
    # of states; the published zero draft: everyone.
    Case("GET", "/drafts", ALL),
    Case("POST", "/drafts", SECRETARIAT, ok=422, form=True, upload=True),  # a CSV is no draft
    Case("POST", "/drafts/from-summary", SECRETARIAT, ok=303, form=True),
    Case("POST", "/drafts/{draft_id}/title", SECRETARIAT, ok=303, form=True),
    Case("GET", "/drafts/{draft_id}", ALL),
    Case("GET", "/drafts/{draft_id}/compilation", OWNER),
    Case("POST", "/drafts/{draft_id}/compilation/docx", OWNER, ok=303, form=True),
    Case("GET", "/drafts/{draft_id}/amendments", OWNER),
    Case("GET", "/drafts/{draft_id}/amendments/new", OWNER),
    Case("POST", "/drafts/{draft_id}/amendments", OWNER, ok=303, form=True),
    Case("GET", "/drafts/{draft_id}/amendment-list", OWNER),
    Case("GET", "/drafts/{draft_id}/decisions", OWNER),
    Case("POST", "/drafts/{draft_id}/amendments/merge", SECRETARIAT, ok=303, form=True),
    Case("POST", "/drafts/{draft_id}/rounds/{round_id}/deadline", SECRETARIAT, ok=303, form=True),
    Case("GET", "/drafts/{draft_id}/amendments/{amendment_number}", OWNER),
    Case("GET", "/drafts/{draft_id}/amendments/{amendment_number}/export", OWNER),
    # the Group of Latin American and Caribbean States' amendment: its member Mexico acts for it;
    # the secretariat edits it (as it does through the API) but only a sponsor withdraws
    Case("POST", "/drafts/{draft_id}/amendments/{amendment_number}/edit", OWNER, ok=303, form=True),
    Case(
        "POST",
        "/drafts/{draft_id}/amendments/{amendment_number}/withdraw",
        {"delegation"},
        ok=303,
        form=True,
    ),
    # Mexico is not named among its co-sponsors: a delegation may confirm, and is told it is not
    Case(
        "POST",
        "/drafts/{draft_id}/amendments/{amendment_number}/confirm",
        {"delegation"},
        ok=409,
        form=True,
    ),
    Case(
        "POST",
        "/drafts/{draft_id}/amendments/{amendment_number}/position",
        OWNER,
        ok=303,
        form=True,
    ),
    Case(
        "POST",
        "/drafts/{draft_id}/amendments/{amendment_number}/status",
        SECRETARIAT,
        ok=303,
        form=True,
    ),
    Case("POST", "/drafts/{draft_id}/paper", SECRETARIAT, ok=303, form=True),
    # a CSV is no language version
    Case("POST", "/drafts/{draft_id}/languages", SECRETARIAT, ok=422, form=True, upload=True),
    Case("GET", "/drafts/{draft_id}/elements/{eid}", OWNER),
    Case("POST", "/drafts/{draft_id}/elements/{eid}", SECRETARIAT, ok=303, form=True),
    Case("POST", "/drafts/{draft_id}/elements/{eid}/status", SECRETARIAT, ok=303, form=True),
    Case("GET", "/drafts/{draft_id}/revisions", ALL),
    Case("POST", "/drafts/{draft_id}/revisions", SECRETARIAT, ok=303, form=True),
    Case(
        "POST",
        "/drafts/{draft_id}/revisions/{revision_number}/publish",
        SECRETARIAT,
        ok=303,
        form=True,
    ),
    Case("POST", "/drafts/{draft_id}/rounds", SECRETARIAT, ok=303, form=True),
    Case("GET", "/drafts/{draft_id}/compare", OWNER),
    Case("GET", "/drafts/{draft_id}/export", ALL),
    Case("GET", "/drafts/{draft_id}/paragraphs/{eid}/thread", ALL),
    Case("GET", "/drafts/{draft_id}/coverage", ALL),
    Case("POST", "/drafts/{draft_id}/links", SECRETARIAT, ok=303, form=True),
    Case("POST", "/drafts/{draft_id}/links/suggest", SECRETARIAT, ok=303, form=True),
    Case("POST", "/drafts/{draft_id}/links/{link_id}/{action}", SECRETARIAT, ok=303, form=True),
    Case("GET", "/review/objectives/{objective}/thread", ALL),
    Case("GET", "/actors/{code}/inputs", ALL),
    Case("GET", "/actors/{code}/inputs/export", ALL),
    Case("GET", "/review", ALL),
    Case("GET", "/review/indicators", ALL),
    # a State's delegation reports its own country's data, the secretariat any country's
    Case("GET", "/review/indicators/report", OWNER),
    Case("POST", "/review/indicators/report", OWNER, ok=303, form=True, upload=True),
    Case("GET", "/review/pledges", ALL),
    Case("GET", "/review/pledges/new", MEMBERS),
    Case("POST", "/review/pledges/new", MEMBERS, ok=303, form=True),
    # The pledge is Mexico's and not yet published: to others it does not exist.
    Case("GET", "/review/pledges/{pledge_id}", OWNER, hidden=True),
    Case("POST", "/review/pledges/{pledge_id}/status", OWNER, ok=303, form=True, hidden=True),
    Case("POST", "/review/pledges/{pledge_id}/publish", SECRETARIAT, ok=303, form=True),
    # the matrix's pledge is Mexico's alone: no one is its partner, so no one confirms it
    Case("POST", "/review/pledges/{pledge_id}/confirm", set(), form=True, hidden=True),
    Case("GET", "/review/practices", ALL),
    Case("POST", "/review/practices", MEMBERS, ok=303, form=True),
    Case("GET", "/review/capacity", ALL),
    Case("POST", "/review/capacity", MEMBERS, ok=303, form=True),
    Case("POST", "/review/{kind}/{item_id}/publish", SECRETARIAT, ok=303, form=True),
    Case("GET", "/review/cycles", ALL),
    Case("POST", "/review/cycles", SECRETARIAT, ok=303, form=True),
    Case("GET", "/review/cycles/{slug}", ALL),
    Case("GET", "/review/cycles/{slug}/report.docx", ALL),
    Case("POST", "/review/cycles/{slug}/narrative", SECRETARIAT, ok=303, form=True),
    Case("POST", "/review/cycles/{slug}/narrative/generate", SECRETARIAT, ok=303, form=True),
    # voluntary reports are made by states: not by a stakeholder organisation
    Case("POST", "/review/cycles/{slug}/reports", OWNER, ok=303, form=True),
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
    Case("PATCH", "/api/v1/meetings/{slug}", SECRETARIAT),
    Case("POST", "/api/v1/meetings/{slug}/cancel", SECRETARIAT),
    Case("GET", "/api/v1/news", ALL),
    Case("POST", "/api/v1/news", SECRETARIAT, ok=201),
    Case("GET", "/api/v1/news/{news_id}", ALL),
    Case("PATCH", "/api/v1/news/{news_id}", SECRETARIAT),
    Case("POST", "/api/v1/news/{news_id}/publish", SECRETARIAT),
    Case("POST", "/api/v1/news/{news_id}/withdraw", SECRETARIAT),
    Case("GET", "/api/v1/meetings/{slug}/participation", ALL),
    Case("GET", "/api/v1/meetings/{slug}/registrations", MEMBERS),
    Case("POST", "/api/v1/meetings/{slug}/registrations", MEMBERS, ok=201),
    Case("PUT", "/api/v1/meetings/{slug}/registrations/{participant_id}/attendance", SECRETARIAT),
    Case("GET", "/api/v1/audit", SECRETARIAT),
    Case("POST", "/api/v1/tokens", ALL, ok=401),
    Case("GET", "/api/v1/me", ALL),
    Case("GET", "/api/v1/tokens", ALL),
    Case("DELETE", "/api/v1/tokens/{token_id}", OWNER, ok=204, hidden=True),
    Case("GET", "/api/v1/me/notification-settings", MEMBERS),
    Case("PUT", "/api/v1/me/notification-settings", MEMBERS),
    Case("GET", "/api/v1/me/notifications", MEMBERS),
    Case("POST", "/api/v1/me/notifications/read", MEMBERS),
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
    Case("GET", "/api/v1/jobs", SECRETARIAT),
    Case("GET", "/api/v1/jobs/{job_id}", SECRETARIAT, hidden=True),
    Case("GET", "/api/v1/jobs/{job_id}/file", SECRETARIAT, ok=404, hidden=True),  # none
    Case("GET", "/api/v1/summaries", ALL),
    Case("POST", "/api/v1/summaries", SECRETARIAT, ok=201),
    Case("GET", "/api/v1/summaries/{summary_id}", SECRETARIAT, hidden=True),
    Case("POST", "/api/v1/summaries/{summary_id}/versions", SECRETARIAT, ok=201),
    Case("POST", "/api/v1/summaries/{summary_id}/publish", SECRETARIAT),
    Case("GET", "/api/v1/summaries/{summary_id}/export", SECRETARIAT, hidden=True),
    Case("GET", "/api/v1/drafts", ALL),
    Case("POST", "/api/v1/drafts", SECRETARIAT, ok=422, upload=True),  # a CSV is no draft
    Case("GET", "/api/v1/drafts/{draft_id}", ALL),
    Case("POST", "/api/v1/drafts/from-summary", SECRETARIAT, ok=201),
    Case("PUT", "/api/v1/drafts/{draft_id}/title", SECRETARIAT),
    Case("PATCH", "/api/v1/drafts/{draft_id}/elements/{eid}", SECRETARIAT),
    Case("GET", "/api/v1/drafts/{draft_id}/amendments", OWNER),
    Case("POST", "/api/v1/drafts/{draft_id}/amendments", OWNER, ok=201),
    Case("GET", "/api/v1/drafts/{draft_id}/amendments/{amendment_number}", OWNER),
    Case("GET", "/api/v1/drafts/{draft_id}/amendments/{amendment_number}/export", OWNER),
    Case("PATCH", "/api/v1/drafts/{draft_id}/amendments/{amendment_number}", OWNER),
    Case(
        "POST", "/api/v1/drafts/{draft_id}/amendments/{amendment_number}/withdraw", {"delegation"}
    ),
    Case(
        "POST",
        "/api/v1/drafts/{draft_id}/amendments/{amendment_number}/confirm",
        {"delegation"},
        ok=409,
    ),
    Case("POST", "/api/v1/drafts/{draft_id}/amendments/{amendment_number}/positions", OWNER),
    Case("PUT", "/api/v1/drafts/{draft_id}/amendments/{amendment_number}/status", SECRETARIAT),
    Case("GET", "/api/v1/drafts/{draft_id}/compilation", OWNER),
    Case("GET", "/api/v1/drafts/{draft_id}/compilation/export", OWNER),
    Case("POST", "/api/v1/drafts/{draft_id}/compilation/docx", OWNER, ok=201),
    Case("POST", "/api/v1/drafts/{draft_id}/revisions", SECRETARIAT, ok=201),
    Case("GET", "/api/v1/drafts/{draft_id}/revisions/{revision_number}", ALL),
    Case("GET", "/api/v1/drafts/{draft_id}/compare", OWNER),
    Case("GET", "/api/v1/drafts/{draft_id}/export", ALL),
    Case("GET", "/api/v1/drafts/{draft_id}/progress", OWNER),
    Case("POST", "/api/v1/drafts/{draft_id}/amendments/merge", SECRETARIAT),
    Case("PUT", "/api/v1/drafts/{draft_id}/rounds/{round_id}/deadline", SECRETARIAT),
    Case("GET", "/api/v1/drafts/{draft_id}/decisions", OWNER),
    Case("GET", "/api/v1/drafts/{draft_id}/links", ALL),
    Case("POST", "/api/v1/drafts/{draft_id}/links", SECRETARIAT, ok=201),
    Case("POST", "/api/v1/drafts/{draft_id}/links/suggest", SECRETARIAT),
    Case("POST", "/api/v1/drafts/{draft_id}/links/{link_id}/confirm", SECRETARIAT, ok=409),
    Case("POST", "/api/v1/drafts/{draft_id}/links/{link_id}/reject", SECRETARIAT, ok=409),
    Case("POST", "/api/v1/drafts/{draft_id}/links/{link_id}/unlink", SECRETARIAT),
    Case("GET", "/api/v1/drafts/{draft_id}/paragraphs/{eid}/thread", ALL),
    Case("GET", "/api/v1/drafts/{draft_id}/coverage", ALL),
    Case("GET", "/api/v1/review/objectives/{objective}/thread", ALL),
    Case("GET", "/api/v1/actors/{code}/inputs-report", ALL),
    Case("GET", "/api/v1/review/objectives", ALL),
    Case("GET", "/api/v1/review/indicators", ALL),
    Case("POST", "/api/v1/review/indicators/{code}/observations", OWNER, ok=201, upload=True),
    Case("GET", "/api/v1/review/progress", ALL),
    Case("GET", "/api/v1/review/observations/export", ALL),
    Case("GET", "/api/v1/review/pledges", ALL),
    Case("POST", "/api/v1/review/pledges", MEMBERS, ok=201),
    Case("GET", "/api/v1/review/pledges/{pledge_id}", OWNER, hidden=True),
    Case("POST", "/api/v1/review/pledges/{pledge_id}/publish", SECRETARIAT),
    Case("POST", "/api/v1/review/pledges/{pledge_id}/status", OWNER, hidden=True),
    Case("POST", "/api/v1/review/pledges/{pledge_id}/confirm", set(), hidden=True),
    Case("GET", "/api/v1/review/cycles", ALL),
    Case("POST", "/api/v1/review/cycles", SECRETARIAT, ok=201),
    Case("GET", "/api/v1/review/cycles/{slug}/reports", ALL),
    Case("POST", "/api/v1/review/cycles/{slug}/reports", OWNER, ok=201),
    Case("GET", "/api/v1/review/practices", ALL),
    Case("POST", "/api/v1/review/practices", MEMBERS, ok=201),
    Case("GET", "/api/v1/review/capacity", ALL),
    Case("POST", "/api/v1/review/capacity", MEMBERS, ok=201),
    Case("GET", "/api/v1/review/capacity/matches", ALL),
    Case("POST", "/api/v1/review/{kind}/{item_id}/publish", SECRETARIAT, ok=204),
]


def _path(case: Case, ids: dict[str, int]) -> str:
    input_id = ids["private"] if case.hidden else ids["published"]
    return (
        case.route.replace("{input_id}", str(input_id))
        .replace("{run_id}", str(ids["run"]))
        .replace("{job_id}", str(ids["job"]))
        .replace("{number}", str(ids["cluster"]))
        .replace("{statement}", "1")
        .replace("{summary_id}", str(ids["summary"]))
        .replace("/indicators/{code}", "/indicators/10.c.1")
        .replace("{code}", "MEX")
        .replace("{kind}", "practices")
        .replace("{item_id}", str(ids["practice"]))
        .replace("{news_id}", str(ids["news"]))
        .replace("{slug}", _slug(case.route))
        .replace("{participant_id}", str(ids["participant"]))
        .replace("{token_id}", str(ids["token"]))
        .replace("{token}", "MTo6.forged")
        .replace("{email}", "philippines@gcm.example")
        .replace("{pledge_id}", str(ids["pledge"]))
        .replace("{draft_id}", str(ids["draft"]))
        # the Group of Latin American and Caribbean States' pending amendment: Mexico is a member
        .replace("{amendment_number}", str(ids["amendment"]))
        .replace("{revision_number}", "0")  # the published zero draft
        .replace("{round_id}", str(ids["round"]))
        .replace("{eid}", NEGOTIATION["eid"])
        .replace("{link_id}", str(ids["link"]))
        .replace("{action}", "unlink")
        .replace("{objective}", "1")
    )


def _slug(route: str) -> str:
    if "processes" in route:
        return "gcm"
    return "imrf-2022-review" if "/review/cycles" in route else MEETING


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
    "/api/v1/meetings/{slug}": lambda c, r: {"city": f"Geneva ({r})"},
    "/meetings/{slug}/edit": lambda c, r: {**NEW_MEETING, "city": f"Geneva ({r})"},
    "/news": lambda c, r: {"title": f"News by {r}", "body": "Said.", "language": "en"},
    "/news/{news_id}/edit": lambda c, r: {"title": f"Edited by {r}", "language": "en"},
    "/api/v1/news": lambda c, r: {"title": f"News by {r}", "links": [{"href": "/news"}]},
    "/api/v1/news/{news_id}": lambda c, r: {"title": f"Edited by {r}"},
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
    "/drafts/from-summary": lambda c, r: {"summary": NEGOTIATION["summary"]},
    "/api/v1/drafts/from-summary": lambda c, r: {"summary": NEGOTIATION["summary"]},
    "/drafts/{draft_id}/title": lambda c, r: {"title": f"Renamed by {r}"},
    "/api/v1/drafts/{draft_id}/title": lambda c, r: {"title": f"Renamed by {r}"},
    "/drafts/{draft_id}/amendments": lambda c, r: NEW_AMENDMENT,
    "/api/v1/drafts/{draft_id}/amendments": lambda c, r: NEW_AMENDMENT,
    "/drafts/{draft_id}/amendments/{amendment_number}/position": lambda c, r: {
        "role": "supporter",
        "actor": OWN_ACTOR[r],
    },
    "/drafts/{draft_id}/amendments/{amendment_number}/edit": lambda c, r: {
        "justification": "Clearer"
    },
    "/api/v1/drafts/{draft_id}/amendments/{amendment_number}": lambda c, r: {
        "justification": "Clearer"
    },
    "/api/v1/drafts/{draft_id}/amendments/{amendment_number}/positions": lambda c, r: {
        "role": "supporter",
        "actor": OWN_ACTOR[r],
    },
    "/drafts/{draft_id}/amendments/{amendment_number}/status": lambda c, r: {
        "status": "under_discussion"
    },
    "/api/v1/drafts/{draft_id}/amendments/{amendment_number}/status": lambda c, r: {
        "status": "under_discussion"
    },
    "/drafts/{draft_id}/elements/{eid}": lambda c, r: {"text": "Edited words."},
    # two identical amendments of Mexico and the Philippines, made for the matrix
    "/drafts/{draft_id}/amendments/merge": lambda c, r: {
        "amendments": ", ".join(f"A{n}" for n in TWINS)
    },
    "/api/v1/drafts/{draft_id}/amendments/merge": lambda c, r: {"amendments": TWINS},
    "/drafts/{draft_id}/rounds/{round_id}/deadline": lambda c, r: {"deadline": "2030-01-31T18:00"},
    "/api/v1/drafts/{draft_id}/rounds/{round_id}/deadline": lambda c, r: {
        "deadline": "2030-01-31T18:00:00Z"
    },
    "/drafts/{draft_id}/languages": lambda c, r: {"language": "fr", "revision": "0"},
    "/drafts/{draft_id}/links": lambda c, r: {"eid": NEGOTIATION["eid"], "cluster": 1},
    "/api/v1/drafts/{draft_id}/links": lambda c, r: {"eid": NEGOTIATION["eid"], "cluster": 1},
    "/drafts/{draft_id}/links/suggest": lambda c, r: {"eid": NEGOTIATION["eid"]},
    "/api/v1/drafts/{draft_id}/links/suggest": lambda c, r: {"vectors": "tfidf"},
    "/drafts/{draft_id}/paper": lambda c, r: {
        "symbol": "A/CONF.231/9",
        "distribution": "General",
        "dated": "2018-03-05",
        "paper": "A4",
    },
    "/api/v1/drafts/{draft_id}/elements/{eid}": lambda c, r: {"text": "Edited words."},
    "/drafts/{draft_id}/elements/{eid}/status": lambda c, r: {"status": "agreed"},
    "/drafts/{draft_id}/revisions": lambda c, r: {"note": "next"},
    "/api/v1/drafts/{draft_id}/revisions": lambda c, r: {"note": "next"},
    "/drafts/{draft_id}/rounds": lambda c, r: {
        "name": f"A round for {r}",
        "start": "2018-05-14",
        "end": "2018-05-18",
        "revision": 1,
    },
    "/review/indicators/report": lambda c, r: {
        "indicator": "10-c-1",
        "country": "BRA" if r == "secretariat" else "",
    },
    "/api/v1/review/indicators/{code}/observations": lambda c, r: (
        {"country": "BRA"} if r == "secretariat" else {}
    ),
    "/review/pledges/new": lambda c, r: {**PLEDGE, "actor": OWN_ACTOR[r], "objectives": ["6"]},
    "/api/v1/review/pledges": lambda c, r: {**PLEDGE, "actor": "" if r != "secretariat" else "BRA"},
    "/review/pledges/{pledge_id}/status": lambda c, r: {"status": "completed", "note": "Done"},
    "/api/v1/review/pledges/{pledge_id}/status": lambda c, r: {"status": "completed"},
    "/review/practices": lambda c, r: {
        "actor": OWN_ACTOR[r],
        "title": f"Practice of {r}",
        "description": LONG,
        "objectives": ["6"],
    },
    "/api/v1/review/practices": lambda c, r: {
        "title": f"Practice of {r}",
        "description": LONG,
        "objectives": [6],
        "actor": "BRA" if r == "secretariat" else "",
    },
    "/review/capacity": lambda c, r: {
        "actor": OWN_ACTOR[r],
        "direction": "need",
        "objective": "20",
        "kind": "training",
        "description": LONG,
    },
    "/api/v1/review/capacity": lambda c, r: {
        "actor": "BRA" if r == "secretariat" else "",
        "direction": "offer",
        "objective": 20,
        "kind": "training",
        "description": LONG,
    },
    "/review/cycles": lambda c, r: {"slug": f"cycle-{r}", **NEW_CYCLE},
    "/review/cycles/{slug}/narrative": lambda c, r: {"text": f"A narrative by {r}"},
    "/review/cycles/{slug}/narrative/generate": lambda c, r: {"replace": "yes"},
    "/api/v1/review/cycles": lambda c, r: {"slug": f"api-cycle-{r}", **NEW_CYCLE},
    "/review/cycles/{slug}/reports": lambda c, r: {
        "actor": OWN_ACTOR[r],
        "objective": "7",
        "text": LONG,
    },
    "/api/v1/review/cycles/{slug}/reports": lambda c, r: {
        "actor": "BRA" if r == "secretariat" else "",
        "objective": 7,
        "text": LONG,
    },
}
LONG = "A practice documented at length, with what was done and what came of it. " * 3
NEW_CYCLE = {
    "title": "A cycle",
    "scope": "global",
    "start_date": "2030-05-01",
    "end_date": "2030-05-04",
}
NEGOTIATION: dict[str, str] = {}
TWINS: list[int] = []
NEW_AMENDMENT = {"kind": "alternative", "target": "", "new_text": "Other words.", "sponsor": "MEX"}
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


def make_ids(session: Session) -> dict[str, int]:
    """The objects the routes act on, made once for the module and committed."""
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
    draft = session.scalar(select(Draft).where(Draft.source == DEMO_SOURCE))
    assert draft is not None
    NEGOTIATION["eid"] = next(n.eid for n in working_nodes(draft) if n.kind == "paragraph")
    NEW_AMENDMENT["target"] = NEGOTIATION["eid"]
    NEGOTIATION["summary"] = str(summary)
    grulac = next(
        a for a in list_amendments(session, draft) if a.sponsors == ["RG-GRULAC"] and a.pending
    )
    twins = AmendmentData(kind="alternative", target=NEGOTIATION["eid"], new_text="Twin words.")
    TWINS[:] = [
        propose_amendment(
            session, draft, replace(twins, sponsor=code), by=Principal.system()
        ).number
        for code in ("MEX", "PHL")
    ]
    link = link_cluster(
        session, get_process(session), draft, NEGOTIATION["eid"], 0, by=Principal.system()
    )
    news = session.scalar(
        select(NewsItem.id).where(NewsItem.status == "published").order_by(NewsItem.id)
    )
    assert news
    return {
        "news": news,
        "draft": draft.id,
        "link": link.id,
        "amendment": grulac.number,
        "round": rounds_of(session, draft)[0].id,
        "token": token,
        "participant": participant,
        "published": published,
        "private": private.id,
        "run": run.id,
        "job": run.job_id,
        "cluster": 0,
        "summary": summary,
        "pledge": pledge.id,
        "practice": submit_practice(
            session,
            get_process(session),
            PracticeData(actor="MEX", title="A Mexican practice", description=LONG, objectives=[6]),
            by=Principal.system(),
        ).id,
    }


@pytest.fixture(scope="module")
def engine(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A copy of the demo of the matrix's own, with the objects the routes act on committed once:
    every case then runs in its own rolled-back transaction on it."""
    url = copy_of("demo", backend, "matrix", tmp_path_factory.mktemp("matrix"))
    engine = create_db_engine(url)
    with Session(engine) as session:
        MATRIX_IDS.clear()
        MATRIX_IDS.update(make_ids(session))
        session.commit()
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def demo_app(engine: Engine) -> FastAPI:
    return create_app(app_settings(engine), engine)


@pytest.fixture
def ids(engine: Engine) -> dict[str, int]:
    return MATRIX_IDS


MATRIX_IDS: dict[str, int] = {}


SPLIT_INPUT: list[int] = []


UPLOAD = {
    "file": (
        "cards.csv",
        b"submitter,text\nKEN,An imported card about portable pensions\n",
        "text/csv",
    )
}


OBSERVATIONS = {
    "file": ("indicator_10-c-1.csv", b"Year,Sex,Value\n2019,,7.1\n2020,,6.8\n", "text/csv")
}
UPLOADS = {
    "/review/indicators/report": OBSERVATIONS,
    "/api/v1/review/indicators/{code}/observations": OBSERVATIONS,
}


# Signing in and out lead to the page asked for, with nothing else to say.
QUIET = {"/login", "/logout"}


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
        files = UPLOADS.get(case.route, UPLOAD) if case.upload else None
        response = client.post(
            path, data=_payload(case, role, csrf), files=files, follow_redirects=False
        )
    if role in case.allowed:
        assert response.status_code == case.ok, response.text[:500]
        if case.method == "POST" and case.ok == 303 and case.route not in QUIET:
            # every action says what it did on the page it leads to
            shown = client.get(response.headers["location"])
            assert 'class="flash' in shown.text, f"{case} confirms nothing"
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
        files = UPLOADS.get(case.route, UPLOAD)
        response = client.request(case.method, path, files=files, data=payload, headers=headers)
    else:
        response = client.request(case.method, path, json=payload, headers=headers)
    if role in case.allowed:
        assert response.status_code == case.ok, response.text[:500]
        if case.method == "POST" and case.ok == 303 and case.route not in QUIET:
            # every action says what it did on the page it leads to
            shown = client.get(response.headers["location"])
            assert 'class="flash' in shown.text, f"{case} confirms nothing"
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
    rows = client.get(f"/api/v1/meetings/{MEETING}/registrations", headers=headers).json()["items"]
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


def _page_routes(routes: list[Any]) -> list[APIRoute]:
    """The routes of a router, with those of the routers it includes (a domain's pages may be
    split over modules)."""
    found: list[APIRoute] = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif hasattr(route, "original_router"):
            found += _page_routes(route.original_router.routes)
    return found


def test_every_route_is_in_the_matrix(client: TestClient) -> None:
    covered = {(c.method, c.route) for c in PAGES + API}
    pages = {
        (method, route.path)
        for domain in DOMAINS
        for name in dir(domain)
        if name == "views" or name.endswith("_views")  # a domain's pages may span modules
        for route in _page_routes(getattr(domain, name).router.routes)
        for method in route.methods
    }
    schema = client.get("/api/v1/openapi.json").json()
    api = {(method.upper(), path) for path, item in schema["paths"].items() for method in item}
    declared = pages | api
    assert declared - covered == set()
    assert covered - declared == set()


def test_a_form_sent_after_the_session_ended_leads_back_to_its_page_after_signing_in(
    client: TestClient,
) -> None:
    """Signed out in another window, a form still on screen is sent: signing in leads back to the
    page the form was on (its own address takes no GET), never to another site."""
    sign_in(client, "mexico@gcm.example")
    csrf = csrf_of(client, "/notifications")
    client.post("/logout", data={"csrf": csrf})
    sent = client.post(
        "/notifications/read",
        data={"csrf": csrf_of(client, "/login")},
        headers={"referer": "http://testserver/notifications?page=2"},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    assert sent.headers["location"] == "/login?next=/notifications%3Fpage%3D2"
    elsewhere = client.post(
        "/notifications/read",
        data={"csrf": csrf_of(client, "/login")},
        headers={"referer": "https://elsewhere.example/notifications"},
        follow_redirects=False,
    )
    assert elsewhere.headers["location"] == "/login?next=/"

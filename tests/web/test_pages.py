from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import stocktake
from stocktake.core.permissions import Principal, Role
from stocktake.meetings.models import Participant
from stocktake.meetings.services import get_meeting, participation_figures
from stocktake.process.services import get_process
from stocktake.registry.services import ActorData, create_actor
from stocktake.web.deps import checked_csrf
from tests.conftest import csrf_of, sign_in
from tests.factories.accounts import PASSWORD, account, signed_in
from tests.factories.meetings import meeting
from tests.factories.process import gcm
from tests.factories.registry import organisation


def _forum(session: Session) -> None:
    meeting(
        session,
        gcm(session),
        meeting_type="review_forum",
        start=dt.date(2022, 5, 17),
        days=4,
        slug="imrf-2022",
    )


def test_the_overview_shows_the_process_its_phases_and_calendar(
    bare_client: TestClient, bare_session: Session
) -> None:
    meeting(
        bare_session,
        gcm(bare_session),
        meeting_type="stocktaking_meeting",
        start=dt.date(2017, 12, 4),
        title="Preparatory (stocktaking) meeting",
    )
    page = bare_client.get("/")
    assert page.status_code == 200
    html = page.text
    assert "<h1>Global Compact for Safe, Orderly and Regular Migration</h1>" in html
    for phase in ("Consultation", "Stocktaking", "Negotiation", "Adoption", "Follow-up and review"):
        assert phase in html
    assert 'aria-current="step"' in html  # today falls in a phase
    assert "Preparatory (stocktaking) meeting" in html
    assert 'lang="ar" dir="rtl"' in html
    assert '<main id="main"' in html
    assert 'href="#main"' in html


def test_actor_filters_narrow_the_list(bare_client: TestClient) -> None:
    africa = bare_client.get("/actors", params={"kind": "member_state", "region": "Africa"}).text
    assert "54 actors" in africa
    assert "Kenya" in africa
    assert "France" not in africa
    found = bare_client.get("/actors", params={"q": "philipp"}).text
    assert "Philippines" in found
    weog = bare_client.get(
        "/actors", params={"regional_group": "weog", "kind": "member_state"}
    ).text
    assert "29 actors" in weog
    assert "Page 1 of" not in bare_client.get("/actors", params={"kind": "observer_state"}).text
    chosen = bare_client.get(
        "/actors", params={"kind": "stakeholder", "regional_group": "african"}
    ).text
    assert '<option value="stakeholder" selected>' in chosen
    assert '<option value="african" selected>African States</option>' in chosen


def test_the_meeting_page_shows_participation_figures_with_a_chart(client: TestClient) -> None:
    html = client.get("/meetings/puerto-vallarta-2017").text
    assert re.search(r"<strong>136</strong> delegations", html)
    assert re.search(r"<strong>897</strong> participants", html)
    assert re.search(r"<strong>115</strong> non-governmental stakeholders", html)
    assert '<svg class="chart" role="img" aria-label="Participants by region"' in html
    assert "<caption>By regional group</caption>" in html
    assert "Registrations" not in html  # the public sees figures, not names


def test_sign_in_and_out(bare_client: TestClient, bare_session: Session) -> None:
    secretariat = account(bare_session, Role.SECRETARIAT)
    bad = bare_client.post(
        "/login",
        data={
            "csrf": csrf_of(bare_client),
            "email": secretariat.email,
            "password": "nope-nope-nope",
        },
    )
    assert bad.status_code == 401
    assert "Wrong e-mail or password." in bad.text
    signed_in(bare_client, secretariat)
    home = bare_client.get("/")
    assert secretariat.email in home.text
    assert "Audit log" in home.text
    bare_client.post("/logout", data={"csrf": csrf_of(bare_client, "/")})
    assert "Sign in" in bare_client.get("/").text


def test_the_session_cookie_is_httponly_and_samesite(
    bare_client: TestClient, bare_session: Session
) -> None:
    secretariat = account(bare_session, Role.SECRETARIAT)
    response = bare_client.post(
        "/login",
        data={
            "csrf": csrf_of(bare_client),
            "email": secretariat.email,
            "password": PASSWORD,
        },
        follow_redirects=False,
    )
    header = response.headers["set-cookie"].lower()
    assert "httponly" in header
    assert "samesite=lax" in header


def test_a_form_without_its_csrf_token_is_refused_and_stores_nothing(
    bare_client: TestClient, bare_session: Session
) -> None:
    _forum(bare_session)
    signed_in(bare_client, account(bare_session, Role.DELEGATION_MEMBER, actor_code="MEX"))
    before = bare_session.scalar(select(func.count(Participant.id)))
    response = bare_client.post(
        "/meetings/imrf-2022/registrations", data={"csrf": "forged", "name": "Forged"}
    )
    assert response.status_code == 403
    assert "Form expired" in response.text
    assert bare_session.scalar(select(func.count(Participant.id))) == before


def _routes(routes: Sequence[Any]) -> list[APIRoute]:
    """Every route, with those of the routers included."""
    found: list[APIRoute] = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif hasattr(route, "original_router"):
            found += _routes(route.original_router.routes)
    return found


def test_every_form_post_checks_the_csrf_token_before_its_handler(bare_client: TestClient) -> None:
    app = bare_client.app
    assert isinstance(app, FastAPI)
    posts = [
        route
        for route in _routes(app.routes)
        if "POST" in route.methods and not route.include_in_schema  # pages; the API takes tokens
    ]
    assert len(posts) >= 40
    unchecked = [
        route.path
        for route in posts
        if checked_csrf not in {d.call for d in route.dependant.dependencies}
    ]
    # an e-mail's one-click unsubscribe (RFC 8058) comes from a mail client, without a session:
    # its signed link is its authority (tests/notifications/test_pages.py)
    assert unchecked == ["/unsubscribe/{token}"]


def test_an_upload_without_its_csrf_token_is_refused(
    bare_client: TestClient, bare_session: Session
) -> None:
    signed_in(bare_client, account(bare_session, Role.SECRETARIAT))
    response = bare_client.post(
        "/inputs/import",
        files={"file": ("inputs.csv", b"title,text\nA,B\n", "text/csv")},
    )
    assert response.status_code == 403
    assert "Form expired" in response.text


def test_sign_in_never_redirects_off_site(bare_client: TestClient, bare_session: Session) -> None:
    secretariat = account(bare_session, Role.SECRETARIAT)
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = bare_client.post(
            "/login",
            data={
                "csrf": csrf_of(bare_client),
                "email": secretariat.email,
                "password": PASSWORD,
                "next": target,
            },
            follow_redirects=False,
        )
        assert response.headers["location"] == "/"


def test_a_delegation_registers_a_participant_and_the_secretariat_records_attendance(
    bare_client: TestClient, bare_session: Session
) -> None:
    _forum(bare_session)
    signed_in(bare_client, account(bare_session, Role.DELEGATION_MEMBER, actor_code="PHL"))
    response = bare_client.post(
        "/meetings/imrf-2022/registrations",
        data={
            "csrf": csrf_of(bare_client, "/meetings/imrf-2022"),
            "name": "Maria Test",
            "function": "Adviser",
        },
    )
    assert response.status_code == 200
    assert (
        "Your delegation&#39;s registrations" in response.text
        or "Your delegation's registrations" in response.text
    )
    assert "Maria Test" in response.text
    meeting = get_meeting(bare_session, "imrf-2022")
    before = participation_figures(bare_session, meeting).participants
    participant = bare_session.scalar(select(Participant).where(Participant.name == "Maria Test"))
    assert participant is not None
    bare_client.post("/logout", data={"csrf": csrf_of(bare_client, "/")})
    signed_in(bare_client, account(bare_session, Role.SECRETARIAT))
    bare_client.post(
        f"/meetings/imrf-2022/registrations/{participant.id}/attendance",
        data={"csrf": csrf_of(bare_client, "/"), "attended": "yes"},
    )
    assert participation_figures(bare_session, meeting).participants == before + 1
    empty = bare_client.post(
        "/meetings/imrf-2022/registrations",
        data={"csrf": csrf_of(bare_client, "/"), "actor": "PHL", "name": ""},
    )
    assert empty.status_code == 422
    assert "name: is empty" in empty.text


def test_text_with_markup_is_shown_as_text(bare_client: TestClient, bare_session: Session) -> None:
    categories = [t.key for t in get_process(bare_session).vocabulary("stakeholder_categories")]
    create_actor(
        bare_session,
        ActorData(code="XSS-1", name='<script>alert("x")</script> Network', category="media"),
        by=Principal.system(),
        categories=categories,
    )
    html = bare_client.get("/actors/XSS-1").text
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Network" in html


def test_the_secretariat_registers_an_organisation_from_the_form(
    bare_client: TestClient, bare_session: Session
) -> None:
    signed_in(bare_client, account(bare_session, Role.SECRETARIAT))
    bad = bare_client.post(
        "/actors/new",
        data={
            "csrf": csrf_of(bare_client, "/actors/new"),
            "code": "Z-1",
            "name": "Z",
            "category": "astrology",
        },
    )
    assert bad.status_code == 422
    assert "unknown stakeholder category" in bad.text
    good = bare_client.post(
        "/actors/new",
        data={
            "csrf": csrf_of(bare_client, "/actors/new"),
            "code": "Z-1",
            "name": "Zeta Migrant Aid",
            "category": "civil_society",
            "country": "Chile",
        },
    )
    assert good.status_code == 200
    assert "<h1>Zeta Migrant Aid</h1>" in good.text
    assert "Latin American and Caribbean States" in good.text


def test_the_audit_log_page_filters(bare_client: TestClient, bare_session: Session) -> None:
    secretariat = account(bare_session, Role.SECRETARIAT)
    mexico = account(bare_session, Role.DELEGATION_MEMBER, actor_code="MEX")
    account(bare_session, Role.DELEGATION_MEMBER, actor_code="PHL")
    account(bare_session, Role.STAKEHOLDER, actor_code=organisation(bare_session).code)
    signed_in(bare_client, secretariat)
    html = bare_client.get("/audit", params={"action": "accounts:user:create"}).text
    assert "4 events" in html
    assert mexico.email in html
    assert "0 events" in bare_client.get("/audit", params={"since": "2999-01-01"}).text


def test_unknown_pages_get_404(bare_client: TestClient) -> None:
    assert bare_client.get("/meetings/no-such-meeting").status_code == 404
    assert bare_client.get("/actors/NOPE").status_code == 404
    assert bare_client.get("/nowhere").status_code == 404


def test_an_error_page_shows_who_is_signed_in(client: TestClient) -> None:
    sign_in(client, "secretariat@gcm.example")
    missing = client.get("/drafts/1/paragraphs/para_999/thread")
    assert missing.status_code == 404
    assert "secretariat@gcm.example" in missing.text
    assert 'action="/logout"' in missing.text
    # a path no route has, and a method its route does not take: the same frame
    for answer, status in ((client.get("/nosuchpage"), 404), (client.get("/logout"), 405)):
        assert answer.status_code == status
        assert "secretariat@gcm.example" in answer.text
        assert 'action="/logout"' in answer.text


def test_every_page_names_an_icon_that_is_served(bare_client: TestClient) -> None:
    page = bare_client.get("/")
    assert '<link rel="icon" href="/static/favicon.svg"' in page.text
    assert bare_client.get("/static/favicon.svg").status_code == 200
    icon = bare_client.get("/favicon.ico")
    assert icon.status_code == 200
    assert icon.headers["content-type"].startswith("image/svg+xml")
    assert icon.content.startswith(b"<svg")


def test_no_template_has_an_empty_table_header() -> None:
    """An empty <th> names nothing for a screen reader (axe: empty-table-header)."""
    templates = Path(stocktake.__file__).parent / "templates"
    empty = [
        str(path.relative_to(templates))
        for path in templates.rglob("*.html")
        if re.search(r"<th(\s[^>]*)?>\s*</th>", path.read_text())
    ]
    assert empty == []

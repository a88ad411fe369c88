"""The meeting page shows its figures first; registrations have their own paged, searchable page."""

from __future__ import annotations

import datetime as dt
import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from stocktake.core.permissions import Principal, Role
from stocktake.meetings.models import Meeting
from stocktake.meetings.services import register_participant
from stocktake.registry.services import get_actor
from stocktake.web.languages import LANGUAGE_COOKIE
from tests.conftest import csrf_of, sign_in
from tests.factories.accounts import account, signed_in
from tests.factories.meetings import meeting
from tests.factories.process import gcm

MEETING = "/meetings/puerto-vallarta-2017"
FORUM = "/meetings/test-forum"


def test_the_meeting_page_shows_figures_and_links_the_registrations(client: TestClient) -> None:
    sign_in(client, "secretariat@gcm.example")
    page = client.get(MEETING).text
    assert page.index("<strong>136</strong> delegations") < page.index('id="registrations"')
    assert "Mark attended" not in page
    assert f'href="{MEETING}/registrations"' in page
    assert "929 registrations" in page
    assert len(page) < 60_000


def test_registrations_are_paged_searched_and_filtered(client: TestClient) -> None:
    sign_in(client, "secretariat@gcm.example")
    first = client.get(f"{MEETING}/registrations").text
    assert "929 registrations, page 1 of 19" in first
    assert first.count('class="small"') == 50
    assert 'rel="next"' in first
    last = client.get(f"{MEETING}/registrations", params={"page": 19}).text
    assert last.count('class="small"') == 929 - 18 * 50
    mexico = client.get(f"{MEETING}/registrations", params={"q": "mex"}).text
    count = int(re.search(r"([\d,]+) registrations?", mexico).group(1))  # type: ignore[union-attr]
    assert 0 < count < 929
    assert "Mexico" in mexico
    absent = client.get(f"{MEETING}/registrations", params={"attended": "no"}).text
    assert "Mark absent" not in absent
    assert '<option value="no" selected>' in absent


def _forum(session: Session) -> Meeting:
    """The review forum at FORUM."""
    return meeting(
        session,
        gcm(session),
        meeting_type="review_forum",
        start=dt.date(2022, 5, 17),
        slug="test-forum",
    )


def test_a_delegation_sees_its_own_and_lands_there_after_registering(
    bare_client: TestClient, bare_session: Session
) -> None:
    forum = _forum(bare_session)
    for code, name in (("MEX", "Earlier Test"), ("PHL", "Maria Test")):
        register_participant(
            bare_session, forum, get_actor(bare_session, code), name=name, by=Principal.system()
        )
    signed_in(bare_client, account(bare_session, Role.DELEGATION_MEMBER, actor_code="MEX"))
    response = bare_client.post(
        f"{FORUM}/registrations",
        data={"csrf": csrf_of(bare_client, FORUM), "name": "Lupita Test", "function": "Adviser"},
    )
    assert str(response.url).endswith(f"{FORUM}/registrations")
    assert "Lupita Test is registered for Mexico" in response.text
    rows = response.text.split("<tbody>")[1].split("</tbody>")[0]
    assert "Lupita Test" in rows.split("</tr>")[0]  # newest first
    assert "Philippines" not in rows
    assert bare_client.get(f"{FORUM}/registrations").status_code == 200
    bare_client.post("/logout", data={"csrf": csrf_of(bare_client, "/")})
    public = bare_client.get(f"{FORUM}/registrations", follow_redirects=False)
    assert public.status_code == 303


def test_a_second_registration_of_a_person_names_the_state_in_the_readers_language(
    bare_client: TestClient, bare_session: Session
) -> None:
    forum = _forum(bare_session)
    mexico = get_actor(bare_session, "MEX")
    register_participant(bare_session, forum, mexico, name="Lupita Test", by=Principal.system())
    signed_in(bare_client, account(bare_session, Role.DELEGATION_MEMBER, actor_code="MEX"))
    pages = {}
    for language in ("en", "fr"):
        bare_client.cookies.set(LANGUAGE_COOKIE, language)
        pages[language] = bare_client.post(
            f"{FORUM}/registrations",
            data={"csrf": csrf_of(bare_client, FORUM), "name": "Lupita Test"},
        )
        assert pages[language].status_code == 409
    assert "Lupita Test is already registered for Mexico at this meeting" in pages["en"].text
    french = pages["fr"].text
    assert "Lupita Test est déjà inscrit(e) à cette réunion (pour : Mexique)</li>" in french
    assert "Mexico" not in french.split("<main", 1)[1]


def test_the_search_finds_a_state_by_its_name_in_the_readers_language(
    client: TestClient,
) -> None:
    sign_in(client, "secretariat@gcm.example")

    def found(language: str, q: str) -> str:
        client.cookies.set(LANGUAGE_COOKIE, language)
        page = client.get(f"{MEETING}/registrations", params={"q": q})
        assert page.status_code == 200
        return page.text.split("<tbody>")[1].split("</tbody>")[0]

    for language, q, name in (
        ("fr", "Mexique", "Mexique"),
        ("fr", "perou", "Pérou"),
        ("es", "Filipinas", "Filipinas"),
        ("ru", "мексика", "Мексика"),
    ):
        rows = found(language, q).split("</tr>")[:-1]
        assert rows, (language, q)
        assert all(f">{name}</a></td>" in row for row in rows), (language, q)
    assert ">Mexico</a></td>" in found("en", "Mexico")
    assert "<td>" not in found("en", "Mexique")

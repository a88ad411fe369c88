"""The meeting page shows its figures first; registrations have their own paged, searchable page."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.conftest import csrf_of, sign_in

MEETING = "/meetings/puerto-vallarta-2017"


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


def test_a_delegation_sees_its_own_and_lands_there_after_registering(client: TestClient) -> None:
    sign_in(client, "mexico@gcm.example")
    response = client.post(
        f"{MEETING}/registrations",
        data={"csrf": csrf_of(client, MEETING), "name": "Lupita Test", "function": "Adviser"},
    )
    assert str(response.url).endswith(f"{MEETING}/registrations")
    assert "Lupita Test is registered for Mexico" in response.text
    rows = response.text.split("<tbody>")[1].split("</tbody>")[0]
    assert "Lupita Test" in rows.split("</tr>")[0]  # newest first
    assert "Philippines" not in rows
    assert client.get(f"{MEETING}/registrations").status_code == 200
    client.post("/logout", data={"csrf": csrf_of(client, "/")})
    public = client.get(f"{MEETING}/registrations", follow_redirects=False)
    assert public.status_code == 303

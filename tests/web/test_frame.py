"""The frame every page shares: the main navigation, as each reader may use it, with the page's section
marked, and the language switch back to the page itself."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.conftest import sign_in

NAV = re.compile(r'<nav aria-label="[^"]*">(.*?)</nav>', re.S)
LINK = re.compile(r'<a href="(/[^"]*)"( aria-current="page")?>([^<]*)</a>')


def _nav(client: TestClient, path: str, language: str = "en") -> list[tuple[str, bool, str]]:
    page = client.get(path, headers={"Accept-Language": language})
    assert page.status_code == 200, path
    found = NAV.search(page.text)
    assert found, f"no main navigation on {path}"
    return [(href, bool(current), label) for href, current, label in LINK.findall(found.group(1))]


def test_each_reader_sees_the_sections_open_to_them_in_turn(client: TestClient) -> None:
    """The same pages, in the same server process, for readers who may see different sections:
    none sees another's (a nav kept for one reader is never shown to another)."""
    everyone = ["/", "/meetings", "/news", "/inputs", "/actors", "/review", "/api/docs"]
    public = {href for href, _, _ in _nav(client, "/inputs")}
    assert public >= set(everyone)
    assert not {"/analysis", "/users", "/jobs", "/audit", "/mine"} & public

    sign_in(client, "secretariat@gcm.example")
    secretariat = {href for href, _, _ in _nav(client, "/inputs")}
    assert {"/analysis", "/users", "/jobs", "/audit"} <= secretariat
    assert "/mine" not in secretariat  # the secretariat acts for no actor

    sign_in(client, "mexico@gcm.example")
    mexico = {href for href, _, _ in _nav(client, "/inputs")}
    assert "/mine" in mexico
    assert not {"/users", "/audit"} & mexico

    client.cookies.clear()
    assert {href for href, _, _ in _nav(client, "/inputs")} == public


def test_the_section_of_the_page_is_marked_and_only_it(client: TestClient) -> None:
    sign_in(client, "mexico@gcm.example")
    for path, section in [
        ("/", "/"),
        ("/inputs?q=migrant+workers", "/inputs"),
        ("/actors/MEX", "/actors"),
        ("/review/indicators", "/review"),
        ("/mine", "/mine"),
        ("/notifications", None),
    ]:
        current = [href for href, marked, _ in _nav(client, path) if marked]
        assert current == ([section] if section else []), path


def test_the_navigation_speaks_the_pages_language(client: TestClient) -> None:
    labels = {href: label for href, _, label in _nav(client, "/inputs", "fr")}
    assert labels["/"] == "Vue d'ensemble"  # the catalogs' apostrophe, as the templates show it
    assert labels["/inputs"] == "Contributions"
    arabic = client.get("/inputs", headers={"Accept-Language": "ar"}).text
    assert 'lang="ar" hreflang="ar" aria-current="true"' in arabic
    assert "/language?lang=fr&amp;next=/inputs" in arabic

"""A State named in the reader's language: the registry's English name, CLDR's in the five other
languages, the UN's where CLDR's everyday name says something else."""

from __future__ import annotations

import html
import re
import unicodedata

import pytest
from fastapi.testclient import TestClient

from stocktake.registry.names import country_name
from stocktake.web.languages import LANGUAGE_COOKIE


def test_a_state_is_named_in_each_language_and_as_the_un_names_it() -> None:
    assert country_name("GBR") == "United Kingdom of Great Britain and Northern Ireland"
    assert country_name("MEX", "fr") == "Mexique"
    assert country_name("PHL", "ar") == "الفلبين"
    assert country_name("MEX", "zh") == "墨西哥"
    # where the everyday name says something else than the UN's
    assert country_name("PSE", "fr") == "État de Palestine"
    assert country_name("COD", "fr") == "République démocratique du Congo"
    assert country_name("GBR", "ar") == "المملكة المتحدة لبريطانيا العظمى وآيرلندا الشمالية"
    assert country_name("XXX", "fr") == "XXX"


def test_a_states_page_names_it_in_the_readers_language(client: TestClient) -> None:
    french = client.get("/actors/GBR", headers={"Accept-Language": "fr"}).text
    assert "<h1>Royaume-Uni de Grande-Bretagne et d&#39;Irlande du Nord</h1>" in french
    assert "Nom dans le registre" in french
    assert "United Kingdom of Great Britain and Northern Ireland" in french
    arabic = client.get("/actors/MEX", headers={"Accept-Language": "ar"}).text
    assert "<h1>المكسيك</h1>" in arabic
    english = client.get("/actors/GBR").text
    assert "<h1>United Kingdom of Great Britain and Northern Ireland</h1>" in english
    assert "Name in the registry" not in english


def _folded(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _named_in(page: str, pattern: str) -> list[str]:
    return [html.unescape(name) for name in re.findall(pattern, page)]


LISTED = r'<td><a href="/actors/[A-Z0-9-]+">([^<]+)</a></td>'


@pytest.mark.parametrize("language", ["fr", "ar", "en"])
def test_the_list_of_actors_is_in_the_order_of_the_names_it_shows(
    client: TestClient, language: str
) -> None:
    client.cookies.set(LANGUAGE_COOKIE, language)
    names: list[str] = []
    for page in range(1, 6):
        listed = client.get("/actors", params={"kind": "member_state", "page": str(page)})
        assert listed.status_code == 200
        names += _named_in(listed.text, LISTED)
    assert len(names) == len(set(names)) == 193  # each State once across the pages
    assert names == sorted(names, key=_folded)
    first = _named_in(client.get("/actors", params={"kind": "member_state"}).text, LISTED)
    assert {"fr": "Allemagne", "ar": "ألمانيا", "en": "Afghanistan"}[language] in first
    if language == "fr":  # accents and case do not send a name to the end of the list
        assert names.index("Égypte") < names.index("Émirats arabes unis") < names.index("Équateur")
        assert names.index("Équateur") < names.index("Érythrée") < names.index("Espagne")


def test_a_group_lists_its_members_in_the_order_of_the_names_it_shows(client: TestClient) -> None:
    client.cookies.set(LANGUAGE_COOKIE, "fr")
    page = client.get("/actors/RG-GRULAC").text
    members = _named_in(page, r'<li><a href="/actors/[A-Z]{3}">([^<]+)</a></li>')
    assert len(members) == 33
    assert members == sorted(members, key=_folded)
    assert members.index("Dominique") < members.index("Équateur") < members.index("Grenade")

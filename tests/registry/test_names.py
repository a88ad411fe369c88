"""A State named in the reader's language: the registry's English name, CLDR's in the five other
languages, the UN's where CLDR's everyday name says something else."""

from __future__ import annotations

from fastapi.testclient import TestClient

from stocktake.registry.names import country_name


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

"""A State on the pages outside the negotiation, by its name in the page's language: "Engagement au
nom de : Mexique.", "ماذا حلّ بمساهمات المكسيك؟"; organisations keep their own names, and the
English pages name States as the registry does."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from stocktake.accounts.services import get_user, principal_for
from stocktake.consultation.services import InputData, publish_input, submit_input
from stocktake.core.permissions import Principal
from stocktake.process.services import get_process
from stocktake.review.services.pledges import confirm_pledge, submit_pledge
from stocktake.web.languages import LANGUAGE_COOKIE
from tests.conftest import csrf_of, sign_in
from tests.factories.review import pledge_data

MEXICO = {"en": "Mexico", "fr": "Mexique", "ar": "المكسيك"}
PHILIPPINES = {"en": "Philippines", "ar": "الفلبين"}
LANGUAGES = ("en", "fr", "ar")


def _page(client: TestClient, language: str, path: str, **params: str) -> str:
    client.cookies.set(LANGUAGE_COOKIE, language)
    page = client.get(path, params=params)
    assert page.status_code == 200, page.text
    return page.text


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_delegation_pledges_and_registers_as_its_state_in_the_page_s_language(
    client: TestClient, language: str
) -> None:
    sign_in(client, "mexico@gcm.example")
    named = f"<strong>{MEXICO[language]}</strong>"
    pledging = _page(client, language, "/review/pledges/new")
    assert {
        "en": f"Pledging as {named}.",
        "fr": f"Engagement au nom de : {named}.",
        "ar": f"التعهد باسم {named}.",
    }[language] in pledging
    submitting = _page(client, language, "/inputs/new")
    assert named in submitting
    registering = _page(client, language, "/meetings/puerto-vallarta-2017/registrations")
    assert named in registering
    assert f'<a href="/actors/MEX">{MEXICO[language]}</a>' in registering
    mine = _page(client, language, "/mine")
    assert named in mine
    if language != "en":
        for page in (pledging, submitting, registering, mine):
            assert "Mexico" not in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_where_did_the_inputs_go_names_the_state_in_the_page_s_language(
    client: TestClient, language: str
) -> None:
    page = _page(client, language, "/actors/MEX/inputs")
    heading = {
        "en": "<h1>Where did the inputs of Mexico go?</h1>",
        "fr": "<h1>Mexique : que sont devenues ses contributions ?</h1>",
        "ar": "<h1>ماذا حلّ بمساهمات المكسيك؟</h1>",
    }[language]
    assert heading in page
    assert f'<a href="/actors/MEX">{MEXICO[language]}</a>' in page
    listed = _page(client, language, "/actors", q="Mexico")
    assert f'<a href="/actors/MEX">{MEXICO[language]}</a>' in listed
    by_own_name = _page(client, language, "/actors", q=MEXICO[language])
    assert f'<a href="/actors/MEX">{MEXICO[language]}</a>' in by_own_name


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_lists_name_states_in_the_page_s_language_and_organisations_as_they_are(
    client: TestClient, session: Session, language: str
) -> None:
    for email in ("mexico@gcm.example", "stakeholder@gcm.example"):
        record = submit_input(
            session,
            get_process(session),
            InputData(text="Consular protection for every migrant worker.", title="Zanzibarine"),
            by=principal_for(get_user(session, email)),
        )
        publish_input(session, record, by=Principal.system())
    inputs = _page(client, language, "/inputs", q="Zanzibarine")
    english = _page(client, "en", "/inputs", q="Zanzibarine")
    assert f'<p class="meta">{MEXICO[language]} · ' in inputs
    organisation = english.split('<p class="meta">')[1].split(" · ", 1)[0]
    if organisation == "Mexico":
        organisation = english.split('<p class="meta">')[2].split(" · ", 1)[0]
    assert f'<p class="meta">{organisation} · ' in inputs
    pledges = _page(client, language, "/review/pledges")
    assert f"<td>{MEXICO[language]}</td>" in pledges
    capacity = _page(client, language, "/review/capacity")
    assert f"<td>{MEXICO[language]}" in capacity
    if language != "en":
        for page in (inputs, pledges, capacity):
            assert ">Mexico<" not in page


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_partner_s_confirmation_names_the_state_in_the_reader_s_language(
    client: TestClient, session: Session, language: str
) -> None:
    pledge = submit_pledge(
        session,
        get_process(session),
        pledge_data(title="A joint pledge", mode="joint", partners=["PHL"]),
        by=Principal.system(),
    )
    confirm_pledge(session, pledge, by=principal_for(get_user(session, "philippines@gcm.example")))
    sign_in(client, "mexico@gcm.example")
    page = _page(client, language, "/notifications")
    assert {
        "en": "Philippines confirmed that it is a partner of your pledge “A joint pledge”.",
        "ar": "تأكيد الشراكة في تعهدكم «A joint pledge»: الفلبين.",
    }[language] in page
    shown = _page(client, language, f"/review/pledges/{pledge.id}")
    assert f"{PHILIPPINES[language]}: " in shown or f"{PHILIPPINES[language]} : " in shown


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_registration_s_flash_names_the_state_in_the_page_s_language(
    client: TestClient, language: str
) -> None:
    sign_in(client, "mexico@gcm.example")
    client.cookies.set(LANGUAGE_COOKIE, language)
    path = "/meetings/puerto-vallarta-2017/registrations"
    done = client.post(path, data={"csrf": csrf_of(client, path), "name": "Lupita Test"})
    assert done.status_code == 200
    assert {
        "en": "Lupita Test is registered for Mexico.",
        "fr": "Inscription de Lupita Test enregistrée (pour : Mexique).",
        "ar": "سُجِّل Lupita Test عن المكسيك.",
    }[language] in done.text

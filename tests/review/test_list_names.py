"""The pledges list and the practices page name the States in the reader's language, English
names in English, rather than by their registry codes (the CSV and the API keep the codes)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from stocktake.core.permissions import Principal
from stocktake.process.services import get_process
from stocktake.review.services.mapping import PracticeData, publish, submit_practice
from stocktake.review.services.pledges import publish_pledge, submit_pledge
from stocktake.web.languages import LANGUAGE_COOKIE
from tests.factories.registry import organisation
from tests.factories.review import frame, pledge_data

SYSTEM = Principal.system()


def _page(client: TestClient, language: str, path: str) -> str:
    client.cookies.set(LANGUAGE_COOKIE, language)
    page = client.get(path)
    assert page.status_code == 200
    return page.text


def test_a_joint_pledge_names_its_partners(bare_client: TestClient, bare_session: Session) -> None:
    frame(bare_session)
    data = pledge_data(kind="financial", mode="joint", partners=["PHL", "KEN"])
    pledge = submit_pledge(bare_session, get_process(bare_session), data, by=SYSTEM)
    publish_pledge(bare_session, pledge, by=SYSTEM)
    english = _page(bare_client, "en", "/review/pledges")
    assert "Mexico with Kenya and Philippines</td>" in english
    assert "KEN, PHL" not in english
    french = _page(bare_client, "fr", "/review/pledges")
    assert "Mexique avec Kenya et Philippines</td>" in french
    assert "KEN, PHL" not in french
    assert "KEN" in bare_client.get("/api/v1/review/pledges").text


def test_a_practice_names_its_country(bare_client: TestClient, bare_session: Session) -> None:
    """An organisation's practice names the country it is based in; a State's practice names
    the State once."""
    frame(bare_session)
    organisation(bare_session, code="CSO-KEN-001", name="Kenyan Migrants Network", country="KEN")
    for actor, place in (("MEX", "Tijuana"), ("CSO-KEN-001", "Nairobi")):
        data = PracticeData(
            actor=actor,
            title=f"Help desks in {place}",
            description="Help desks answer migrant workers' questions every day. " * 3,
            objectives=[14],
            criteria=["human_rights"],
            place=place,
        )
        practice = submit_practice(bare_session, get_process(bare_session), data, by=SYSTEM)
        publish(bare_session, practice, by=SYSTEM)
    english = _page(bare_client, "en", "/review/practices")
    assert "<small>Mexico · Tijuana · " in english
    assert "<small>Kenyan Migrants Network · Kenya · Nairobi · " in english
    assert '<option value="MEX" >Mexico</option>' in english
    french = _page(bare_client, "fr", "/review/practices")
    assert "<small>Mexique · Tijuana · " in french
    assert "<small>Kenyan Migrants Network · Kenya · Nairobi · " in french
    assert '<option value="MEX" >Mexique</option>' in french
    assert "· KEN ·" not in french


def test_a_practice_s_criteria_are_named_in_the_page_s_language(
    bare_client: TestClient, bare_session: Session
) -> None:
    frame(bare_session)
    data = PracticeData(
        actor="MEX",
        title="Help desks in Tijuana",
        description="Help desks answer migrant workers' questions every day. " * 3,
        objectives=[14],
        criteria=["human_rights", "whole_of_society"],
        place="Tijuana",
    )
    practice = submit_practice(bare_session, get_process(bare_session), data, by=SYSTEM)
    publish(bare_session, practice, by=SYSTEM)
    english = _page(bare_client, "en", "/review/practices")
    assert '<span class="tag">Human rights</span>' in english
    assert '<option value="human_rights" >Human rights</option>' in english
    french = _page(bare_client, "fr", "/review/practices")
    assert '<span class="tag">Droits de l&#39;homme</span>' in french
    assert '<span class="tag">Approche mobilisant l&#39;ensemble de la société</span>' in french
    assert '<option value="human_rights" >Droits de l&#39;homme</option>' in french
    assert "Human rights" not in french
    arabic = _page(bare_client, "ar", "/review/practices")
    assert '<span class="tag">حقوق الإنسان</span>' in arabic
    assert "Human rights" not in arabic
    # the API keeps the keys
    listed = bare_client.get("/api/v1/review/practices").json()
    assert listed[0]["criteria"] == ["human_rights", "whole_of_society"]

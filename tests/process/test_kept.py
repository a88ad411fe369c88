"""The process the pages read is kept between requests (process/services/kept.py): a definition
loaded again is what the next page shows, in the same app process."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from stocktake.process.definition import default_definition_path
from stocktake.process.services import default_language
from stocktake.process.services.kept import kept_process
from tests.factories.process import process_from


def test_a_definition_loaded_again_is_what_the_next_page_shows(
    client: TestClient, session: Session
) -> None:
    assert "<span>GCM</span>" in client.get("/meetings").text  # kept from here on
    process_from(
        session, default_definition_path(), replace={'short_name = "GCM"': 'short_name = "GCM-2"'}
    )
    session.commit()
    page = client.get("/meetings").text
    assert "<span>GCM-2</span>" in page
    assert "<span>GCM</span>" not in page


def test_a_new_default_language_is_what_the_next_page_speaks(
    client: TestClient, session: Session
) -> None:
    assert client.get("/meetings").text.startswith('<!doctype html>\n<html lang="en"')
    process_from(
        session,
        default_definition_path(),
        replace={'short_name = "GCM"\n': 'short_name = "GCM"\nlanguage = "fr"\n'},
    )
    session.commit()
    assert client.get("/meetings").text.startswith('<!doctype html>\n<html lang="fr"')


def test_the_default_language_is_read_from_the_session_s_process(session: Session) -> None:
    """Once the request has its process, the default language is read from that copy, as the
    session holds it: a definition loaded again in the same session is what it says."""
    kept_process(session)
    assert default_language(session) == "en"
    process_from(
        session,
        default_definition_path(),
        replace={'short_name = "GCM"\n': 'short_name = "GCM"\nlanguage = "es"\n'},
    )
    assert default_language(session) == "es"


def test_a_session_asking_again_gets_its_own_copy(session: Session) -> None:
    first = kept_process(session)
    assert kept_process(session) is first
    assert [p.key for p in first.phases][:1] == ["consultation"]
    assert first.vocabulary("dimensions")

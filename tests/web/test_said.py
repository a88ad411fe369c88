"""What the services say is wrong reaches each reader in their language: a page, an API answer and
a command's error show a marked message (`Text`) translated, its values filled in, and fall back
to English, never to an error, when a translation does not fit."""

from __future__ import annotations

import pickle

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from stocktake.cli import app
from stocktake.core.errors import NotFound, Problem, ValidationFailed, message_of
from stocktake.core.translation import Text, shown
from stocktake.web.languages import LANGUAGE_COOKIE


def test_a_text_reads_as_english_and_shows_in_each_language() -> None:
    text = Text("%(what)s %(key)r does not exist", what=Text("draft"), key=7)
    assert text == "draft 7 does not exist"
    assert shown(text, "en") == "draft 7 does not exist"
    assert shown(text, "fr") == "brouillon 7 : introuvable"  # the thing named, translated too
    assert shown(text, "zh") == "草稿 7 不存在"
    assert shown("a plain message", "fr") == "a plain message"
    assert shown(text, "xx") == "draft 7 does not exist"


def test_a_text_keeps_its_key_through_pickling_and_errors() -> None:
    text = Text("not allowed: %(permission)s", permission="draft.edit")
    again = pickle.loads(pickle.dumps(text))  # noqa: S301 (our own object)
    assert (again.msgid, dict(again.values)) == (text.msgid, dict(text.values))
    assert shown(message_of(NotFound("draft", 3)), "es") == "draft 3: no existe"
    refused = ValidationFailed("form", [Problem("title", text)])
    assert shown(refused.problems[0].message, "ru") == "не разрешено: draft.edit"


def test_a_translation_that_does_not_fit_falls_back_to_english() -> None:
    # values missing for the placeholders: the English text as it was made, not an error
    broken = Text("%(what)s %(key)r does not exist", what="draft")
    assert shown(broken, "fr") == "%(what)s %(key)r does not exist"


def test_the_api_says_what_is_missing_in_the_language_asked(client: TestClient) -> None:
    answer = client.get("/api/v1/drafts/999999", headers={"Accept-Language": "fr"})
    assert answer.status_code == 404
    assert answer.json()["detail"].endswith(": introuvable")
    answer = client.get("/api/v1/drafts/999999")
    assert answer.json()["detail"].endswith("does not exist")


def test_a_page_says_what_is_missing_in_the_readers_language(client: TestClient) -> None:
    client.cookies.set(LANGUAGE_COOKIE, "ar")
    page = client.get("/drafts/999999")
    assert page.status_code == 404
    assert "لم يُعثر على" in page.text


@pytest.mark.parametrize(("language", "said"), [("fr", "introuvable"), ("en", "does not exist")])
def test_a_command_says_what_is_missing_in_its_language(
    cli_db: str, language: str, said: str
) -> None:
    result = CliRunner().invoke(
        app,
        ["meetings", "stats", "no-such-meeting"],
        env={"STOCKTAKE_DATABASE_URL": cli_db, "STOCKTAKE_LANGUAGE": language},
    )
    assert result.exit_code == 1
    assert said in result.output

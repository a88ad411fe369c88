"""What the core and the process definition say is wrong, in the reader's language: a definition's
problems with their place, a backup refused, an upload, a text no database takes, on a page, in
the API and on the command line."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from stocktake.accounts.services import get_user, issue_token, principal_for
from stocktake.cli import app
from stocktake.core.errors import ValidationFailed
from stocktake.core.translation import Counted, Text, joined, shown
from stocktake.process.definition import parse_definition
from stocktake.process.definition.loading import default_definition_path
from stocktake.web.languages import LANGUAGE_COOKIE
from tests.conftest import csrf_of


def _broken_definition() -> str:
    """The shipped definition with a key it does not know and a phase that ends before it
    starts."""
    text = default_definition_path().read_text(encoding="utf-8")
    text = text.replace('short_name = "GCM"', 'short_name = "GCM"\ncolour = "blue"', 1)
    return text.replace("end = 2017-11-30", "end = 2017-03-01", 1)


def test_a_definitions_problems_are_marked_texts_with_their_place() -> None:
    try:
        parse_definition(_broken_definition(), "gcm.toml")
    except ValidationFailed as refused:
        said = {p.where: shown(p.message, "fr") for p in refused.problems}
    else:
        raise AssertionError("the definition was not refused")
    assert said["line 9, process.colour"] == "clé inconnue"
    phase = _broken_definition().splitlines().index("[[phases]]") + 1  # the table's own line
    assert said[f"line {phase}, phases[0]"] == (
        "se termine (2017-03-01) avant de commencer (2017-04-01)"
    )


def test_a_definition_is_refused_in_the_commands_language(tmp_path: Path) -> None:
    bad = tmp_path / "gcm.toml"
    bad.write_text(_broken_definition(), encoding="utf-8")
    result = CliRunner().invoke(
        app, ["process", "load", str(bad), "--check"], env={"STOCKTAKE_LANGUAGE": "ru"}
    )
    assert result.exit_code == 1
    assert "строка 9, process.colour: неизвестный ключ" in result.output
    assert "заканчивается (2017-03-01) раньше, чем начинается (2017-04-01)" in result.output
    english = CliRunner().invoke(
        app, ["process", "load", str(bad), "--check"], env={"STOCKTAKE_LANGUAGE": "en"}
    )
    assert "line 9, process.colour: unknown key" in english.output


def test_a_backup_that_is_not_there_is_refused_in_french(cli_db: str, tmp_path: Path) -> None:
    missing = tmp_path / "none.tar"
    result = CliRunner().invoke(
        app,
        ["restore", str(missing)],
        env={"STOCKTAKE_DATABASE_URL": cli_db, "STOCKTAKE_LANGUAGE": "fr"},
    )
    assert result.exit_code == 1
    assert f"{missing} : fichier introuvable" in result.output.replace("\n", "")


def test_an_empty_upload_is_refused_in_the_language_asked(
    client: TestClient, session: Session
) -> None:
    user = get_user(session, "secretariat@gcm.example")
    token = issue_token(session, user, by=principal_for(user))
    answer = client.post(
        "/api/v1/inputs/import",
        files={"file": ("empty.csv", b"", "text/csv")},
        headers={"Authorization": f"Bearer {token}", "Accept-Language": "zh"},
    )
    assert answer.status_code == 422
    assert answer.json()["problems"] == [{"where": "", "message": "文件为空"}]


def test_a_nul_in_a_multipart_form_is_refused_on_the_page_in_french(client: TestClient) -> None:
    csrf = csrf_of(client, "/login")
    client.cookies.set(LANGUAGE_COOKIE, "fr")
    page = client.post(
        "/login",
        data={"csrf": csrf, "email": "a\x00b", "password": "x"},
        files={"attachment": ("a.txt", b"a", "text/plain")},  # multipart: read by the form's check
    )
    assert page.status_code == 422
    assert "form.email : contient un caractère NUL (U+0000), qui n&#39;est pas accepté" in page.text


def test_numbers_are_grouped_and_lists_joined_in_each_language() -> None:
    too_big = Text("the file is larger than the limit of %(num)s bytes", num=Counted(2_048))
    assert too_big == "the file is larger than the limit of 2,048 bytes"
    assert shown(too_big, "es") == "el archivo supera el límite de 2.048 bytes"
    assert shown(too_big, "ru") == "файл превышает предел в 2\u00a0048 байт"
    both = joined([Text("the file is empty"), Text("invalid UTF-8"), "as it was"])
    assert both == "the file is empty; invalid UTF-8; as it was"
    assert shown(both, "zh") == "文件为空；无效的 UTF-8；as it was"
    assert shown(both, "fr") == "le fichier est vide ; UTF-8 non valide ; as it was"

"""What the analysis and the Chair's summary say is wrong, in the reader's language: a refused form
on a page, an API answer and a command's error; English where English is asked for."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from stocktake.accounts.services import get_user, issue_token, principal_for
from stocktake.analysis.services import clusters_of, latest_run
from stocktake.cli import app
from stocktake.process.services import get_process
from stocktake.summary.models import Summary
from stocktake.web.languages import LANGUAGE_COOKIE
from tests.conftest import csrf_of, sign_in

NBSP = "\u00a0"  # the stocktaking's French keeps a no-break space before a colon


def _bearer(session: Session, email: str = "secretariat@gcm.example") -> dict[str, str]:
    user = get_user(session, email)
    return {"Authorization": f"Bearer {issue_token(session, user, by=principal_for(user))}"}


def _summary(session: Session) -> Summary:
    summary = session.scalar(select(Summary).order_by(Summary.id))
    assert summary is not None
    return summary


def test_a_refused_merge_says_why_in_french(client: TestClient, session: Session) -> None:
    run = latest_run(session, get_process(session))
    assert run is not None
    one = clusters_of(session, run)[0].number
    sign_in(client, "secretariat@gcm.example")
    csrf = csrf_of(client, "/analysis/clusters")
    client.cookies.set(LANGUAGE_COOKIE, "fr")
    page = client.post("/analysis/clusters/merge", data={"csrf": csrf, "numbers": [one]})
    assert page.status_code == 422
    assert "clusters : choisissez au moins deux groupes à fusionner" in page.text
    assert "choose at least two" not in page.text
    client.cookies.set(LANGUAGE_COOKIE, "en")
    page = client.post("/analysis/clusters/merge", data={"csrf": csrf, "numbers": [one]})
    assert "clusters: choose at least two clusters to merge" in page.text


def test_an_empty_summary_edit_is_refused_in_arabic(client: TestClient, session: Session) -> None:
    summary = _summary(session)
    sign_in(client, "secretariat@gcm.example")
    csrf = csrf_of(client, f"/summary/{summary.id}/edit")
    client.cookies.set(LANGUAGE_COOKIE, "ar")
    page = client.post(f"/summary/{summary.id}/edit", data={"csrf": csrf, "markdown": "  "})
    assert page.status_code == 422
    assert "<li>\u2068markdown\u2069: فارغ</li>" in page.text  # the field isolated from the Arabic


def test_the_warnings_of_publishing_are_said_in_the_readers_language(
    client: TestClient, session: Session
) -> None:
    summary = _summary(session)
    sign_in(client, "secretariat@gcm.example")
    client.cookies.set(LANGUAGE_COOKIE, "es")
    page = client.post(
        f"/summary/{summary.id}/publish", data={"csrf": csrf_of(client, "/"), "version": 1}
    )
    assert "La versión 1" in page.text
    assert ": marca de borrador " in page.text  # each warning translated, its line named
    assert "draft marker" not in page.text
    client.cookies.delete(LANGUAGE_COOKIE)  # the API's caller asks by Accept-Language
    headers = {**_bearer(session), "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"}
    refused = client.post(
        f"/api/v1/summaries/{summary.id}/publish", json={"version": 1}, headers=headers
    )
    assert refused.status_code == 409
    detail = refused.json()["detail"]
    assert detail.startswith("版本 1 未发布：第 ")
    assert "草稿标记" in detail
    assert detail.endswith("如仍要发布，请确认。")


def test_the_api_says_a_run_is_missing_in_the_language_asked(
    client: TestClient, session: Session
) -> None:
    headers = _bearer(session)
    russian = client.get(
        "/api/v1/analysis/runs/999999", headers={**headers, "Accept-Language": "ru"}
    )
    assert russian.status_code == 404
    assert russian.json()["detail"] == "запуск анализа 999999: не найдено"
    english = client.get("/api/v1/analysis/runs/999999", headers=headers)
    assert english.json()["detail"] == "analysis run 999999 does not exist"


def test_a_summary_in_a_language_not_offered_is_refused_in_the_commands_language(
    cli_db: str,
) -> None:
    environment = {"STOCKTAKE_DATABASE_URL": cli_db, "STOCKTAKE_LANGUAGE": "es"}
    result = CliRunner().invoke(app, ["summary", "draft", "--language", "de"], env=environment)
    assert result.exit_code == 1
    assert "language: el proceso no ofrece 'de'; elija uno de estos" in result.output
    environment["STOCKTAKE_LANGUAGE"] = "en"
    result = CliRunner().invoke(app, ["summary", "draft", "--language", "de"], env=environment)
    assert "language: the process does not offer 'de'; choose one of" in result.output

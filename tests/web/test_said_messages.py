"""What the accounts, the audit log and the thread pages say is wrong, in the reader's language:
a refused action on the users page, too many failed sign-ins (on the page and in the API), a
missing paragraph through the API by `Accept-Language`, and a refused user on the command line by
`STOCKTAKE_LANGUAGE`."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from stocktake.cli import app
from stocktake.core.permissions import Role
from stocktake.web.languages import LANGUAGE_COOKIE
from tests.conftest import csrf_of, sign_in
from tests.factories.accounts import PASSWORD, account


def _in(client: TestClient, language: str) -> TestClient:
    client.cookies.set(LANGUAGE_COOKIE, language)
    return client


def test_deactivating_ones_own_account_is_refused_in_french(client: TestClient) -> None:
    sign_in(client, "secretariat@gcm.example")
    refused = _in(client, "fr").post(
        "/users/secretariat@gcm.example/deactivate", data={"csrf": csrf_of(client, "/users")}
    )
    assert "vous ne pouvez pas désactiver votre propre compte" in refused.text
    missing = _in(client, "fr").post(
        "/users/nobody@nowhere.example/deactivate", data={"csrf": csrf_of(client, "/users")}
    )
    assert "utilisateur &#39;nobody@nowhere.example&#39; : introuvable" in missing.text


def test_too_many_failed_sign_ins_are_said_in_spanish_and_in_chinese(
    bare_client: TestClient, bare_session: Session
) -> None:
    email = account(bare_session, Role.DELEGATION_MEMBER, actor_code="PHL").email
    for _ in range(5):
        bare_client.post(
            "/login",
            data={"csrf": csrf_of(bare_client), "email": email, "password": "wrong", "next": "/"},
        )
    page = _in(bare_client, "es").post(
        "/login",
        data={"csrf": csrf_of(bare_client), "email": email, "password": PASSWORD, "next": "/"},
    )
    assert page.status_code == 429
    assert (
        "Demasiados intentos fallidos de inicio de sesión en esta cuenta; vuelva a intentarlo"
        in page.text
    )
    bare_client.cookies.delete(LANGUAGE_COOKIE)  # the reader's choice would come first
    api = bare_client.post(
        "/api/v1/tokens",
        json={"email": email, "password": "wrong"},
        headers={"Accept-Language": "zh"},
    )
    assert api.status_code == 429
    assert api.json()["detail"].startswith("此账户登录失败次数过多；请在 ")


def test_the_api_says_a_paragraph_is_missing_in_russian(client: TestClient) -> None:
    answer = client.get(
        "/api/v1/drafts/1/paragraphs/no-such-paragraph/thread",
        headers={"Accept-Language": "ru"},
    )
    assert answer.status_code == 404
    assert answer.json()["detail"] == "пункт 'no-such-paragraph': не найдено"


def test_a_user_refused_on_the_command_line_in_chinese(cli_db: str) -> None:
    result = CliRunner().invoke(
        app,
        ["users", "add", "not-an-address", "--role", "delegation_member", "--password", "short"],
        env={"STOCKTAKE_DATABASE_URL": cli_db, "STOCKTAKE_LANGUAGE": "zh"},
    )
    assert result.exit_code == 1
    for said in (
        "email：不是电子邮件地址",
        "password：至少需要 10 个字符",
        "actor：角色为“delegation_member”的用户必须与某一行为体关联",
    ):
        assert said in result.output, said

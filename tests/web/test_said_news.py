"""What the news and the notifications say is wrong, in the reader's language: a refused form on a
page (the news's own form lists its problems), a flash, an API answer and a command's error."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from stocktake.accounts.services import get_user, issue_token, principal_for
from stocktake.cli import app
from stocktake.news.models import NewsItem
from stocktake.web.languages import LANGUAGE_COOKIE
from tests.conftest import csrf_of, sign_in


def _bearer(session: Session, email: str = "secretariat@gcm.example") -> dict[str, str]:
    user = get_user(session, email)
    return {"Authorization": f"Bearer {issue_token(session, user, by=principal_for(user))}"}


def test_the_news_form_lists_its_problems_in_arabic(client: TestClient) -> None:
    sign_in(client, "secretariat@gcm.example")
    csrf = csrf_of(client, "/news/new")
    client.cookies.set(LANGUAGE_COOKIE, "ar")
    page = client.post(
        "/news", data={"csrf": csrf, "title": "", "language": "en", "links": "/audit Audit"}
    )
    assert page.status_code == 422
    assert "<li>\u2068title\u2069: فارغ</li>" in page.text  # the field isolated from the Arabic
    assert "\u2068/audit\u2069 يؤدي إلى صفحة لا يستطيع الجمهور قراءتها" in page.text
    assert "is empty" not in page.text


def test_a_news_item_not_published_says_why_in_russian(
    client: TestClient, session: Session
) -> None:
    sign_in(client, "secretariat@gcm.example")
    written = client.post("/api/v1/news", json={"title": "A draft"}, headers=_bearer(session))
    assert written.status_code == 201, written.text
    item = session.get(NewsItem, written.json()["id"])
    assert item is not None
    item.links = [{"href": "/audit", "label": "The audit log"}]  # hidden since it was written
    session.commit()
    client.cookies.set(LANGUAGE_COOKIE, "ru")
    page = client.post(f"/news/{item.id}/publish", data={"csrf": csrf_of(client, "/news")})
    assert "links[1]: /audit ведёт на страницу, недоступную публике" in page.text
    assert "leads to a page" not in page.text


def test_the_news_api_answers_in_the_language_asked(client: TestClient, session: Session) -> None:
    headers = {**_bearer(session), "Accept-Language": "fr-CH, en;q=0.5"}
    refused = client.post("/api/v1/news", json={"title": "x", "language": "de"}, headers=headers)
    assert refused.status_code == 422
    (problem,) = refused.json()["problems"]
    assert problem["where"] == "language"
    assert problem["message"].startswith("'de' ne fait pas partie de ces langues : ")
    missing = client.get("/api/v1/news/999999", headers=headers)
    assert missing.json()["detail"] == "actualité 999999 : introuvable"


def test_a_news_command_says_what_is_missing_in_its_language(cli_db: str) -> None:
    environment = {"STOCKTAKE_DATABASE_URL": cli_db, "STOCKTAKE_LANGUAGE": "zh"}
    result = CliRunner().invoke(app, ["news", "publish", "999999"], env=environment)
    assert result.exit_code == 1
    assert "新闻条目 999999 不存在" in result.output


def test_notification_settings_refused_in_french_and_spanish(
    client: TestClient, session: Session
) -> None:
    sign_in(client, "mexico@gcm.example")
    csrf = csrf_of(client, "/account/notifications")
    client.cookies.set(LANGUAGE_COOKIE, "fr")
    page = client.post(
        "/account/notifications",
        data={"csrf": csrf, "email_summary": "sometimes", "language": "de"},
    )
    assert page.status_code == 422
    assert "summary : mode d'envoi inconnu" in page.text.replace("&#39;", "'")
    assert "language : &#39;de&#39; ne fait pas partie de ces langues" in page.text
    client.cookies.delete(LANGUAGE_COOKIE)
    headers = {**_bearer(session, "mexico@gcm.example"), "Accept-Language": "es"}
    refused = client.put(
        "/api/v1/me/notification-settings", json={"language": "xx"}, headers=headers
    )
    assert refused.status_code == 422
    assert refused.json()["problems"][0]["message"].startswith("'xx' no es uno de estos idiomas")


def test_reading_notifications_unsigned_is_refused_in_the_language_asked(
    client: TestClient,
) -> None:
    refused = client.get("/api/v1/me/notifications", headers={"Accept-Language": "ar"})
    assert refused.status_code == 403
    assert "سجّل الدخول لقراءة إشعاراتك" in refused.json()["detail"]

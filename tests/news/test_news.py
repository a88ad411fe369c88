"""News of each step: drafted from the events with their figures and links, in the Atom feed,
and only what the public may read."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from stocktake.accounts.services import get_user, issue_token, principal_for
from stocktake.core.errors import Conflict
from stocktake.core.permissions import Principal
from stocktake.meetings.models import Meeting
from stocktake.meetings.services import participation_figures
from stocktake.negotiation.models import AmendmentStatus, Draft
from stocktake.negotiation.services import (
    AmendmentData,
    decide_amendment,
    issue_revision,
    propose_amendment,
    publish_revision,
    working_nodes,
)
from stocktake.news.drafting import changes
from stocktake.news.models import NewsItem
from stocktake.news.services import publish_news, withdraw_news
from stocktake.summary.models import Summary
from stocktake.summary.services import publish_summary
from stocktake.web.languages import format_days
from tests.conftest import csrf_of, sign_in
from tests.news.conftest import valid_feed

SYSTEM = Principal.system()


def _bearer(client: TestClient, session: Session, email: str) -> None:
    """The API's calls of this client made as `email`, with a token of theirs."""
    user = get_user(session, email)
    client.headers["Authorization"] = f"Bearer {issue_token(session, user, by=principal_for(user))}"


def _item(session: Session, source: str) -> NewsItem:
    item = session.scalar(select(NewsItem).where(NewsItem.source == source))
    assert item is not None, f"no news of {source}"
    return item


def _entry(parsed: object, item: NewsItem) -> dict[str, object]:
    return next(e for e in parsed.entries if e.id.endswith(f"/news/{item.id}"))  # type: ignore[attr-defined]


def test_publishing_a_summary_version_is_news_with_the_meetings_figures(
    client: TestClient, session: Session
) -> None:
    summary = session.scalar(select(Summary).order_by(Summary.id))
    assert summary is not None
    assert summary.meeting_id is not None
    meeting = session.get(Meeting, summary.meeting_id)
    assert meeting is not None
    figures = participation_figures(session, meeting)
    publish_summary(session, summary, summary.current.number, despite_warnings=True, by=SYSTEM)
    days = format_days(meeting.start_date, meeting.end_date, "en")
    assert days == "4\u2009–\u20096 Dec 2017"  # Babel's span of days, thin spaces around the dash

    item = _item(session, f"summary:{summary.id}:{summary.current.number}")
    assert item.status == "published"
    assert item.body.startswith(
        f"The Chair's summary of the stocktaking meeting (Puerto Vallarta, {days}) was "
        f"circulated: {figures.delegations} delegations, {figures.participants:,} participants, "
        f"{figures.stakeholders} non-governmental stakeholders."
    )
    assert figures.delegations > 100
    assert figures.participants > 500
    assert [link["href"] for link in item.links] == [
        f"/summary/{summary.id}",
        f"/meetings/{meeting.slug}",
    ]
    french = item.translations["fr"]
    assert french["title"] == "Diffusion du résumé du Président"
    assert f"{figures.delegations} délégations" in french["body"]

    _, parsed = valid_feed(client)
    entry = _entry(parsed, item)
    assert entry["title"] == "Chair's summary circulated"
    assert f"{figures.delegations} delegations" in entry["content"][0]["value"]  # type: ignore[index]
    related = {link["href"] for link in entry["links"] if link["rel"] == "related"}  # type: ignore[attr-defined]
    assert f"http://testserver/summary/{summary.id}" in related
    # and in the reader's language
    _, french_feed = valid_feed(client, **{"Accept-Language": "fr"})
    assert _entry(french_feed, item)["title"] == "Diffusion du résumé du Président"


def test_a_revision_is_news_with_what_it_changed_once_it_is_public(
    client: TestClient, session: Session
) -> None:
    draft = session.scalar(select(Draft).order_by(Draft.id))
    assert draft is not None
    first = next(n for n in working_nodes(draft) if n.kind == "paragraph")
    for data in (
        AmendmentData(kind="alternative", target=first.eid, new_text="New words.", sponsor="MEX"),
        AmendmentData(kind="add_paragraph", target=first.eid, new_text="Added.", sponsor="PHL"),
    ):
        amendment = propose_amendment(session, draft, data, by=SYSTEM)
        decide_amendment(session, draft, amendment, AmendmentStatus.ACCEPTED, by=SYSTEM)
    revision = issue_revision(session, draft, by=SYSTEM)

    item = _item(session, f"draft:{draft.id}:revision:{revision.number}")
    assert item.title == f"{revision.label} of the draft issued"
    assert item.body == f"{revision.label} of the draft was issued: 1 paragraph changed, 1 added."
    assert item.links == [{"href": f"/drafts/{draft.id}", "label": draft.title[:200]}]
    # issued, not yet public: the news waits, unseen
    assert (item.status, item.waits) == ("draft", True)
    assert item.title not in client.get("/news").text
    assert client.get(f"/news/{item.id}").status_code == 404
    _, parsed = valid_feed(client)
    assert all(not e.id.endswith(f"/news/{item.id}") for e in parsed.entries)
    # nor can the secretariat publish it by hand before the revision is public
    with pytest.raises(Conflict, match="not public yet"):
        publish_news(session, item, by=SYSTEM)
    assert item.status == "draft"

    publish_revision(session, draft, revision.number, by=SYSTEM)
    session.refresh(item)
    assert (item.status, item.waits) == ("published", False)
    _, parsed = valid_feed(client)
    entry = _entry(parsed, item)
    assert entry["summary"] == item.body
    page = client.get(f"/news/{item.id}")
    assert page.status_code == 200
    assert f'href="/drafts/{draft.id}"' in page.text


def test_the_counts_of_a_revision_read_as_the_secretariat_writes_them() -> None:
    assert changes("en", 4, 1, 0) == "4 paragraphs changed, 1 added"
    assert changes("en", 1, 0, 2) == "1 paragraph changed, 2 deleted"
    assert changes("en", 0, 0, 0) == "no paragraph changed"
    assert changes("fr", 4, 1, 0) == "4 paragraphes modifiés, 1 ajouté"
    assert changes("es", 1, 2, 0) == "1 párrafo modificado, 2 añadidos"
    assert changes("ru", 4, 1, 0) == "изменено пунктов: 4, добавлено: 1"
    assert changes("zh", 4, 1, 0) == "修改4个段落，新增1个"


def test_the_demo_has_news(client: TestClient, session: Session) -> None:
    page = client.get("/news")
    assert page.status_code == 200
    assert "Zero draft released" in page.text
    assert "Meeting announced: First International Migration Review Forum" in page.text
    assert 'rel="alternate" type="application/atom+xml"' in page.text
    assert 'href="/meetings.ics"' in page.text
    _, parsed = valid_feed(client)
    assert len(parsed.entries) >= 5
    # Rev.1 of the demo is issued, not published: its news waits
    assert "Rev.1 of the draft issued" not in page.text


def test_the_public_sees_no_withdrawn_item(client: TestClient, session: Session) -> None:
    item = session.scalar(
        select(NewsItem).where(NewsItem.status == "published").order_by(NewsItem.id)
    )
    assert item is not None
    assert client.get(f"/api/v1/news/{item.id}").status_code == 200
    withdraw_news(session, item, by=SYSTEM)
    assert client.get(f"/news/{item.id}").status_code == 404
    assert client.get(f"/api/v1/news/{item.id}").status_code == 404
    assert item.id not in {i["id"] for i in client.get("/api/v1/news?per_page=500").json()["items"]}
    _, parsed = valid_feed(client)
    assert all(not e.id.endswith(f"/news/{item.id}") for e in parsed.entries)
    # the secretariat still sees it, marked, and publishes it again
    sign_in(client, "secretariat@gcm.example")
    page = client.get(f"/news/{item.id}")
    assert page.status_code == 200
    assert "withdrawn" in page.text
    response = client.post(f"/news/{item.id}/publish", data={"csrf": csrf_of(client, "/news")})
    assert "The news item is published." in response.text


def test_an_item_links_only_to_what_the_public_can_read(
    client: TestClient, session: Session
) -> None:
    summary = session.scalar(select(Summary).where(Summary.published_version.is_(None)))
    assert summary is not None
    sign_in(client, "secretariat@gcm.example")
    _bearer(client, session, "secretariat@gcm.example")
    hidden = f"/summary/{summary.id}"
    response = client.post(
        "/api/v1/news",
        json={"title": "Read this", "links": [{"href": hidden, "label": "The summary"}]},
    )
    assert response.status_code == 422
    assert f"{hidden} leads to a page the public cannot read" in response.text
    for href in (
        "/audit",
        "/drafts/999999",
        "javascript:alert(1)",
        "//evil.example/x",
        "http://[::1/",  # not an address: refused, never a server error
        "http://example.com:99999/",
        # this site's own pages written in full, or as a variant, are judged as the page itself
        "http://127.0.0.1:8799/audit",
        "HTTP://localhost/drafts/999999",
        "/drafts/1?revision=99",
    ):
        refused = client.post("/api/v1/news", json={"title": "x", "links": [{"href": href}]})
        assert refused.status_code == 422, href
    # the page's form says the same, keeping what was written
    form = client.post(
        "/news",
        data={
            "csrf": csrf_of(client, "/news/new"),
            "title": "Read this",
            "language": "en",
            "links": f"{hidden} The summary",
        },
    )
    assert form.status_code == 422
    assert "leads to a page the public cannot read" in form.text
    assert 'value="Read this"' in form.text
    # a public page, or another site, is fine
    written = client.post(
        "/api/v1/news",
        json={
            "title": "Read this",
            "body": "On the site and elsewhere.",
            "links": [{"href": "/meetings/imrf-2022"}, {"href": "https://www.un.org/"}],
            "translations": {"fr": {"title": "À lire", "body": "Sur le site et ailleurs."}},
            "publish": True,
        },
    )
    assert written.status_code == 201, written.text
    news_id = written.json()["id"]
    french = client.get(f"/news/{news_id}", headers={"Accept-Language": "fr"})
    assert "À lire" in french.text
    assert 'lang="fr"' in french.text
    # the public reads it in the language it has (English) where no translation exists
    client.post("/logout", data={"csrf": csrf_of(client, "/")})
    del client.headers["Authorization"]
    russian = client.get(f"/news/{news_id}", headers={"Accept-Language": "ru"})
    assert "Read this" in russian.text


def test_the_secretariat_edits_translates_and_publishes(
    client: TestClient, session: Session
) -> None:
    sign_in(client, "secretariat@gcm.example")
    _bearer(client, session, "secretariat@gcm.example")
    draft = client.post("/api/v1/news", json={"title": "A draft item", "body": "First words."})
    assert draft.status_code == 201
    assert draft.json()["status"] == "draft"
    news_id = draft.json()["id"]
    assert client.get("/api/v1/news?status=draft").json()["total"] >= 1
    edited = client.patch(
        f"/api/v1/news/{news_id}",
        json={"body": "Better words.", "translations": {"es": {"title": "Un borrador"}}},
    )
    assert edited.status_code == 200
    assert edited.json()["translations"]["es"]["title"] == "Un borrador"
    page = client.post(
        f"/news/{news_id}/edit",
        data={
            "csrf": csrf_of(client, f"/news/{news_id}/edit"),
            "language": "en",
            "title": "A better title",
            "body": "Better words.\n\nA second paragraph.",
            "title_es": "Un título mejor",
        },
    )
    assert "The news item is saved." in page.text
    assert "A second paragraph." in page.text
    published = client.post(f"/api/v1/news/{news_id}/publish")
    assert published.json()["status"] == "published"
    assert published.json()["published_at"]
    client.post("/logout", data={"csrf": csrf_of(client, "/")})
    del client.headers["Authorization"]
    public = client.get("/api/v1/news").json()
    assert public["items"][0]["title"] == "A better title"  # newest first
    assert client.get("/news", headers={"Accept-Language": "es"}).text.count("Un título mejor") == 1


def test_odd_input_is_refused(client: TestClient, session: Session) -> None:
    sign_in(client, "secretariat@gcm.example")
    _bearer(client, session, "secretariat@gcm.example")
    for title in ("nul\x00here", "lone \ud800 surrogate"):
        response = client.post(
            "/api/v1/news",
            content=json.dumps({"title": title}).encode(),  # "\u0000", "\ud800" as JSON writes them
            headers={"Content-Type": "application/json"},
        )
        assert 400 <= response.status_code < 500, title
    huge = client.post("/api/v1/news", json={"title": "Huge", "body": "x" * 25_000})
    assert huge.status_code == 422
    enormous = client.post("/api/v1/news", json={"title": "Huge", "body": "x" * 3_000_000})
    assert 400 <= enormous.status_code < 500
    form = client.post(
        "/news",
        data={"csrf": csrf_of(client, "/news/new"), "title": "Nul\x00", "language": "en"},
    )
    assert 400 <= form.status_code < 500
    assert client.get("/news/abc").status_code == 422
    assert client.get("/news?page=0").status_code == 422
    too_long = client.post("/api/v1/news", json={"title": "t" * 301})
    assert too_long.status_code == 422

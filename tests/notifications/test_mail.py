"""E-mails on the demo, received by a real SMTP server: a published summary and an issued revision
reach the users who asked, in their language, and nobody else; the digest; a server that is down."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from stocktake.accounts.services import get_user, principal_for
from stocktake.config import Settings
from stocktake.core.db import utcnow
from stocktake.negotiation.models import Draft
from stocktake.notifications.mail import message_of, send_due
from stocktake.notifications.models import MailStatus, Notification, OutboxMail
from stocktake.notifications.services import claim, queue_digests, save_preferences
from stocktake.notifications.services.outbox import queue_digests_if_due
from stocktake.summary.models import Summary
from tests.conftest import csrf_of, sign_in
from tests.notifications.conftest import Received, free_port

MEXICO = "mexico@gcm.example"
PHILIPPINES = "philippines@gcm.example"
STAKEHOLDER = "stakeholder@gcm.example"


def choose(session: Session, email: str, kind: str, delivery: str, language: str = "") -> None:
    by = principal_for(get_user(session, email))
    save_preferences(session, {kind: (delivery, True)}, language=language, by=by)


def publish_summary(client: TestClient, session: Session) -> Summary:
    summary = session.scalar(select(Summary).order_by(Summary.id))
    assert summary is not None
    sign_in(client, "secretariat@gcm.example")
    response = client.post(
        f"/summary/{summary.id}/publish",
        data={"csrf": csrf_of(client, "/"), "version": 1, "confirm": "true"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    return summary


def test_a_published_summary_is_mailed_to_those_who_asked_in_their_language(
    client: TestClient, session: Session, settings: Settings, smtp: Received
) -> None:
    choose(session, MEXICO, "summary", "now", "fr")
    choose(session, PHILIPPINES, "summary", "now", "ar")
    # the stakeholder keeps the default: summaries in the site, not by e-mail
    summary = publish_summary(client, session)
    assert smtp.messages == []  # the request only wrote the outbox
    report = send_due(session, settings)
    assert report is not None
    assert report.errors == []
    assert smtp.recipients == [MEXICO, PHILIPPINES]
    (french,) = smtp.to(MEXICO)
    assert french["Subject"].startswith("La version 1 du résumé du Président « ")
    assert french["Content-Language"] == "fr"
    (arabic,) = smtp.to(PHILIPPINES)
    assert "موجز الرئيس" in arabic["Subject"]
    assert arabic["Subject"].startswith("نُشرت النسخة 1")
    body = french.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert f"https://stocktake.example.org/summary/{summary.id}" in text
    assert "[[" not in text
    unsubscribe = french["List-Unsubscribe"]
    assert unsubscribe.startswith("<https://stocktake.example.org/unsubscribe/")
    # as written on the wire: the address itself, never an encoded word a mail program cannot use
    sent = session.scalars(select(OutboxMail).where(OutboxMail.recipient == MEXICO)).first()
    assert sent is not None
    raw = message_of(settings, sent).as_bytes()
    assert b"\r\nList-Unsubscribe: <https://stocktake.example.org/unsubscribe/" in raw
    assert b"=?utf-8?" not in raw.split(b"\r\n\r\n", 1)[0].split(b"List-Unsubscribe:", 1)[1][:400]
    assert french["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe.strip("<>") in text
    # the stakeholder hears of it in the site only
    stakeholder = get_user(session, STAKEHOLDER)
    told = session.scalars(select(Notification).where(Notification.user_id == stakeholder.id))
    assert [n.kind for n in told] == ["summary"]
    assert send_due(session, settings) is not None
    assert len(smtp.messages) == 2  # sent once, never again


def test_an_issued_revision_reaches_the_delegations_and_no_stakeholder(
    client: TestClient, session: Session, settings: Settings, smtp: Received
) -> None:
    for email, language in ((MEXICO, "es"), (PHILIPPINES, "ru"), (STAKEHOLDER, "fr")):
        choose(session, email, "revision", "now", language)
    draft = session.scalar(select(Draft).order_by(Draft.id))
    assert draft is not None
    sign_in(client, "secretariat@gcm.example")
    csrf = csrf_of(client, "/")
    response = client.post(
        f"/drafts/{draft.id}/revisions", data={"csrf": csrf}, follow_redirects=False
    )
    assert response.status_code == 303
    send_due(session, settings)
    # the revision is not published: the stakeholder, who reads only published texts, hears nothing
    assert smtp.recipients == [MEXICO, PHILIPPINES]
    assert smtp.to(MEXICO)[0]["Subject"].startswith("Se ha distribuido ")
    assert smtp.to(PHILIPPINES)[0]["Subject"].startswith("Выпущен документ ")
    stakeholder = get_user(session, STAKEHOLDER)
    assert (
        session.scalar(select(Notification).where(Notification.user_id == stakeholder.id)) is None
    )
    session.refresh(draft)
    number = draft.revisions[-1].number
    response = client.post(
        f"/drafts/{draft.id}/revisions/{number}/publish",
        data={"csrf": csrf},
        follow_redirects=False,
    )
    assert response.status_code == 303
    send_due(session, settings)
    # published, it reaches the stakeholder (in French); the delegations heard of it already
    assert smtp.recipients == [MEXICO, PHILIPPINES, STAKEHOLDER]
    assert smtp.to(STAKEHOLDER)[0]["Subject"].endswith("a été publié(e).")


def test_a_digest_user_gets_one_digest(
    client: TestClient, session: Session, settings: Settings, smtp: Received
) -> None:
    choose(session, PHILIPPINES, "summary", "digest", "en")
    choose(session, PHILIPPINES, "revision", "digest", "en")
    publish_summary(client, session)
    draft = session.scalar(select(Draft).order_by(Draft.id))
    assert draft is not None
    client.post(f"/drafts/{draft.id}/revisions", data={"csrf": csrf_of(client, "/")})
    send_due(session, settings)
    assert smtp.to(PHILIPPINES) == []  # nothing at once
    # the sender queues the digests once a day, from the digest hour on
    now = utcnow()
    before = now.replace(hour=5, minute=59)
    after = now.replace(hour=6, minute=0, second=1)
    if after > now:  # the test runs before six: the day's mark is still to come
        before, after = before - dt.timedelta(days=1), after - dt.timedelta(days=1)
    assert queue_digests_if_due(session, 6, now=before) == 0
    assert queue_digests_if_due(session, 6, now=after) == 1
    assert queue_digests_if_due(session, 6, now=after + dt.timedelta(hours=1)) == 0  # once a day
    assert queue_digests(session) == 0  # the news is in that digest, not in the next
    send_due(session, settings)
    (digest,) = smtp.to(PHILIPPINES)
    assert digest["Subject"] == "Your daily digest: 2 notifications"
    body = digest.get_body(("plain",))
    assert body is not None
    assert "Chair's summary" in body.get_content()
    assert "/unsubscribe/" in digest["List-Unsubscribe"]


def test_a_server_that_is_down_delays_mail_and_a_later_send_delivers_it_once(
    client: TestClient,
    session: Session,
    settings: Settings,
    smtp: Received,
    monkeypatch: object,
) -> None:
    choose(session, MEXICO, "summary", "now", "fr")
    working_port = settings.smtp_port
    settings.smtp_port = free_port()  # nobody listens there
    try:
        publish_summary(client, session)  # the page answers as ever
        assert client.get("/").status_code == 200
        report = send_due(session, settings)
    finally:
        settings.smtp_port = working_port
    assert report is not None
    assert len(report.failed) == 1
    mail = session.scalar(select(OutboxMail).where(OutboxMail.recipient == MEXICO))
    assert mail is not None
    session.refresh(mail)
    assert mail.status == MailStatus.QUEUED
    assert mail.attempts == 1
    assert "ConnectionRefused" in mail.last_error
    assert mail.next_attempt_at > utcnow()
    assert send_due(session, settings) is not None
    assert smtp.messages == []  # not yet due again
    mail.next_attempt_at = utcnow() - dt.timedelta(seconds=1)
    session.flush()
    send_due(session, settings)
    send_due(session, settings)
    assert smtp.recipients == [MEXICO]
    session.refresh(mail)
    assert (mail.status, mail.attempts, mail.last_error) == (MailStatus.SENT, 2, "")


def test_a_claimed_mail_is_not_claimed_twice(
    client: TestClient, session: Session, settings: Settings
) -> None:
    choose(session, MEXICO, "summary", "now")
    publish_summary(client, session)
    mail = session.scalar(select(OutboxMail).where(OutboxMail.recipient == MEXICO))
    assert mail is not None
    now = utcnow()
    first = claim(session, mail.id, now=now)
    assert first is not None
    assert claim(session, mail.id, now=now) is None
    # a claim left by a sender that stopped half-way is taken over once it is stale
    assert claim(session, mail.id, now=now + dt.timedelta(hours=1)) is not None


def test_without_an_smtp_server_mail_waits_and_pages_work(
    client: TestClient, session: Session, settings: Settings
) -> None:
    assert settings.smtp_host is None
    choose(session, MEXICO, "summary", "now")
    publish_summary(client, session)
    assert send_due(session, settings) is None
    mail = session.scalar(select(OutboxMail).where(OutboxMail.recipient == MEXICO))
    assert mail is not None
    assert (mail.status, mail.attempts) == (MailStatus.QUEUED, 0)
    sign_in(client, MEXICO)
    page = client.get("/account/notifications")
    assert page.status_code == 200
    assert "This site sends no e-mail at the moment" in page.text

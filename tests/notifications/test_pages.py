"""Notifications in the site and over the API, the settings page, unsubscribing by a link, and the
steps of each domain that tell the users concerned."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from stocktake.accounts.services import get_user, issue_token, principal_for
from stocktake.config import Settings
from stocktake.consultation.models import Input
from stocktake.consultation.services import InputData, publish_input, submit_input
from stocktake.core.db import utcnow
from stocktake.core.permissions import Principal
from stocktake.meetings.models import Meeting, Participant
from stocktake.meetings.services.changes import MeetingChanges, cancel_meeting, update_meeting
from stocktake.negotiation.models import AmendmentStatus, Draft
from stocktake.negotiation.services import (
    AmendmentData,
    decide_amendment,
    propose_amendment,
    working_nodes,
)
from stocktake.notifications.mail import message_of
from stocktake.notifications.models import Notification, NotificationSetting, OutboxMail
from stocktake.notifications.services import read_preferences, unsubscribe
from stocktake.notifications.tokens import sign
from stocktake.process.services import get_process
from stocktake.review.services.pledges import PledgeData, confirm_pledge, submit_pledge
from stocktake.web.languages import LANGUAGE_COOKIE
from tests.conftest import csrf_of, sign_in

SYSTEM = Principal.system()
MEXICO = "mexico@gcm.example"
PHILIPPINES = "philippines@gcm.example"


def told(session: Session, email: str, kind: str) -> list[Notification]:
    user = get_user(session, email)
    return list(
        session.scalars(
            select(Notification).where(Notification.user_id == user.id, Notification.kind == kind)
        )
    )


def mailed(session: Session, email: str, kind: str) -> list[OutboxMail]:
    return list(
        session.scalars(
            select(OutboxMail).where(OutboxMail.recipient == email, OutboxMail.kind == kind)
        )
    )


def test_a_moderated_input_tells_its_submitter(session: Session) -> None:
    mexico = principal_for(get_user(session, MEXICO))
    record = submit_input(
        session, get_process(session), InputData(text="A card of ours", title="Ours"), by=mexico
    )
    publish_input(session, record, by=SYSTEM)
    (news,) = told(session, MEXICO, "input")
    assert news.values["title"] == "Ours"
    assert news.link == f"/inputs/{record.id}"
    (mail,) = mailed(session, MEXICO, "input")  # by default, at once
    assert mail.subject == "Your input “Ours” was published."
    assert told(session, PHILIPPINES, "input") == []


def test_a_decided_amendment_tells_its_sponsors(session: Session) -> None:
    draft = session.scalar(select(Draft).order_by(Draft.id))
    assert draft is not None
    target = next(n.eid for n in working_nodes(draft) if n.kind == "paragraph")
    amendment = propose_amendment(
        session,
        draft,
        AmendmentData(kind="alternative", target=target, new_text="Other words.", sponsor="MEX"),
        by=SYSTEM,
    )
    decide_amendment(session, draft, amendment, AmendmentStatus.REJECTED, by=SYSTEM)
    (news,) = told(session, MEXICO, "amendment")
    assert news.values["status"] == "rejected"
    assert news.link == f"/drafts/{draft.id}/amendments/{amendment.number}"
    (mail,) = mailed(session, MEXICO, "amendment")
    assert mail.subject.endswith("is now rejected.")
    assert told(session, PHILIPPINES, "amendment") == []


def get_user_actor(session: Session, user_id: int) -> int | None:
    from stocktake.accounts.models import User

    user = session.get(User, user_id)
    return user.actor_id if user else None


def test_a_partners_confirmation_tells_the_pledge_s_owner(session: Session) -> None:
    pledge = submit_pledge(
        session,
        get_process(session),
        PledgeData(
            actor="MEX",
            title="A joint pledge",
            description="A pledge described at length. " * 12,
            kind="policy",
            level="national",
            objectives=[6],
            start_year=2024,
            end_year=2026,
            mode="joint",
            partners=["PHL"],
        ),
        by=SYSTEM,
    )
    confirm_pledge(session, pledge, by=principal_for(get_user(session, PHILIPPINES)))
    (news,) = told(session, MEXICO, "pledge")
    assert news.values["title"] == "A joint pledge"
    assert mailed(session, MEXICO, "pledge")
    assert told(session, PHILIPPINES, "pledge") == []  # who confirmed is not told of it


def test_a_changed_meeting_tells_the_delegations_registered(session: Session) -> None:
    mexico = get_user(session, MEXICO)
    meeting = session.scalar(
        select(Meeting)
        .join(Participant, Participant.meeting_id == Meeting.id)
        .where(Participant.actor_id == mexico.actor_id)
        .order_by(Meeting.id)
    )
    assert meeting is not None
    registered = set(
        session.scalars(select(Participant.actor_id).where(Participant.meeting_id == meeting.id))
    )
    start = meeting.start_date + dt.timedelta(days=7)
    update_meeting(
        session,
        get_process(session),
        meeting,
        MeetingChanges(start_date=start, end_date=start + dt.timedelta(days=2), city="Geneva"),
        by=SYSTEM,
    )
    (news,) = told(session, MEXICO, "meeting")
    assert news.values["place"].startswith("Geneva")
    (mail,) = mailed(session, MEXICO, "meeting")
    assert "Geneva" in mail.subject
    for row in session.scalars(select(Notification).where(Notification.kind == "meeting")):
        assert get_user_actor(session, row.user_id) in registered
    cancel_meeting(session, get_process(session), meeting, by=SYSTEM)
    assert meeting.cancelled
    assert any(m.subject.endswith("was cancelled.") for m in mailed(session, MEXICO, "meeting"))


def test_in_app_notifications_are_listed_counted_and_marked_read(
    client: TestClient, session: Session
) -> None:
    mexico = principal_for(get_user(session, MEXICO))
    record = submit_input(
        session, get_process(session), InputData(text="A card", title="Card one"), by=mexico
    )
    publish_input(session, record, by=SYSTEM)
    sign_in(client, MEXICO)
    page = client.get("/notifications")
    assert "Your input “Card one” was published." in page.text
    assert "1 unread" in page.text
    (news,) = told(session, MEXICO, "input")
    # another user can neither see nor mark it
    sign_in(client, PHILIPPINES)
    assert "Card one" not in client.get("/notifications").text
    client.post("/notifications/read", data={"csrf": csrf_of(client, "/"), "notification": news.id})
    session.refresh(news)
    assert news.read_at is None
    sign_in(client, MEXICO)
    shown = client.post(
        "/notifications/read", data={"csrf": csrf_of(client, "/"), "notification": news.id}
    )
    assert "The notification is marked as read." in shown.text
    assert "1 unread" not in shown.text
    session.refresh(news)
    assert news.read_at is not None


def test_the_settings_page_saves_choices_and_language_in_french(
    client: TestClient, session: Session
) -> None:
    sign_in(client, MEXICO)
    client.get("/language", params={"lang": "fr", "next": "/"})
    assert get_user(session, MEXICO).language == "fr"  # the switch keeps it for the e-mails
    page = client.get("/account/notifications")
    assert "Ce dont vous êtes informé" in page.text
    assert "Récapitulatif quotidien" in page.text
    shown = client.post(
        "/account/notifications",
        data={
            "csrf": csrf_of(client, "/account/notifications"),
            "email_summary": "digest",
            "app_summary": "1",
            "email_input": "none",
            "language": "ar",
        },
    )
    assert "Vos préférences de notification sont enregistrées." in shown.text
    chosen = read_preferences(session, by=principal_for(get_user(session, MEXICO)))
    assert chosen.language == "ar"
    assert (chosen.of("summary").email, chosen.of("summary").in_app) == ("digest", True)
    assert (chosen.of("input").email, chosen.of("input").in_app) == ("none", False)


def test_the_api_reads_and_changes_only_the_caller_s_own(
    client: TestClient, session: Session
) -> None:
    mexico = get_user(session, MEXICO)
    headers = {"Authorization": f"Bearer {issue_token(session, mexico, by=principal_for(mexico))}"}
    put = client.put(
        "/api/v1/me/notification-settings",
        json={"language": "es", "kinds": [{"kind": "revision", "email": "now", "in_app": False}]},
        headers=headers,
    )
    assert put.status_code == 200
    kinds = {k["kind"]: k for k in put.json()["kinds"]}
    assert kinds["revision"] == {"kind": "revision", "email": "now", "in_app": False}
    assert put.json()["language"] == "es"
    bad = client.put(
        "/api/v1/me/notification-settings",
        json={"kinds": [{"kind": "everything", "email": "now", "in_app": True}]},
        headers=headers,
    )
    assert bad.status_code == 422
    record = submit_input(
        session,
        get_process(session),
        InputData(text="A card", title="Tarjeta"),
        by=principal_for(mexico),
    )
    publish_input(session, record, by=SYSTEM)
    listed = client.get("/api/v1/me/notifications", headers=headers).json()
    assert listed["unread"] == 1
    assert listed["items"][0]["text"] == "Se ha publicado su aportación «Tarjeta»."
    philippines = get_user(session, PHILIPPINES)
    other = {
        "Authorization": f"Bearer {issue_token(session, philippines, by=principal_for(philippines))}"
    }
    assert client.get("/api/v1/me/notifications", headers=other).json()["items"] == []
    ids = [listed["items"][0]["id"]]
    marked = client.post("/api/v1/me/notifications/read", json={"ids": ids}, headers=other)
    assert marked.json() == {"marked": 0}
    marked = client.post("/api/v1/me/notifications/read", json={"ids": ids}, headers=headers)
    assert marked.json() == {"marked": 1}
    assert client.get("/api/v1/me/notifications", headers=headers).json()["unread"] == 0
    assert client.get("/api/v1/me/notification-settings").status_code == 403


def test_unsubscribing_by_a_link_works_without_signing_in(
    client: TestClient, session: Session, settings: Settings
) -> None:
    mexico = get_user(session, MEXICO)
    token = sign(settings.session_secret(), mexico.id, "input", now=utcnow())
    page = client.get(f"/unsubscribe/{token}")
    assert page.status_code == 200
    assert "Stop the e-mails about: An input of mine published or withdrawn?" in page.text
    assert read_preferences(session, by=principal_for(mexico)).of("input").email == "now"
    # a mail client's one-click unsubscribe (RFC 8058): no session, no CSRF token
    done = client.post(f"/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert "you will receive no more of these e-mails" in done.text
    chosen = read_preferences(session, by=principal_for(mexico)).of("input")
    assert (chosen.email, chosen.in_app) == ("none", True)


def test_a_forged_or_expired_unsubscribe_link_is_refused_without_naming_anyone(
    client: TestClient, session: Session, settings: Settings
) -> None:
    mexico = get_user(session, MEXICO)
    good = sign(settings.session_secret(), mexico.id, "input", now=utcnow())
    forged = sign("another secret entirely", mexico.id, "input", now=utcnow())
    expired = sign(
        settings.session_secret(), mexico.id, "input", now=utcnow() - dt.timedelta(days=91)
    )
    altered = good.replace(
        good.split(".")[0], sign("x", mexico.id + 1, "input", now=utcnow()).split(".")[0]
    )
    for token in (forged, expired, altered, "nonsense", good + "x"):
        for response in (client.get(f"/unsubscribe/{token}"), client.post(f"/unsubscribe/{token}")):
            assert response.status_code == 404
            assert "not valid or has expired" in response.text
            assert MEXICO not in response.text
    assert (
        session.scalar(select(NotificationSetting).where(NotificationSetting.user_id == mexico.id))
        is None
    )
    assert unsubscribe(session, 10**9, "input") is False


def test_an_e_mail_s_unsubscribe_link_opens_its_page(
    client: TestClient, session: Session, settings: Settings
) -> None:
    mexico = principal_for(get_user(session, MEXICO))
    record = submit_input(session, get_process(session), InputData(text="A card"), by=mexico)
    publish_input(session, record, by=SYSTEM)
    (mail,) = mailed(session, MEXICO, "input")
    message = message_of(settings, mail)
    link = message["List-Unsubscribe"].strip("<>")
    path = link.removeprefix(settings.public_url.rstrip("/"))
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 200
    assert read_preferences(session, by=mexico).of("input").email == "none"
    assert session.get(Input, record.id) is not None


def test_the_unsubscribe_page_speaks_the_language_of_the_e_mail(
    client: TestClient, session: Session, settings: Settings
) -> None:
    mexico = get_user(session, MEXICO)
    mexico.language = "es"
    session.flush()
    token = sign(settings.session_secret(), mexico.id, "input", now=utcnow())
    # the e-mail was in Spanish: so is the page its link opens, whatever the browser prefers
    page = client.get(f"/unsubscribe/{token}", headers={"Accept-Language": "en"})
    assert page.headers["Content-Language"] == "es"
    assert '<html lang="es"' in page.text
    done = client.post(f"/unsubscribe/{token}", headers={"Accept-Language": "ru"})
    assert done.headers["Content-Language"] == "es"
    # a reader who chose a language on this site keeps it
    client.cookies.set(LANGUAGE_COOKIE, "fr")
    assert client.get(f"/unsubscribe/{token}").headers["Content-Language"] == "fr"

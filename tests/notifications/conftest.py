"""A real SMTP server for the notification tests (aiosmtpd), on a free port of this machine; the
tests read what it received."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import delete
from sqlalchemy.orm import Session

from stocktake.config import Settings
from stocktake.notifications.models import Notification, OutboxMail


@dataclass
class Received:
    """What the server was sent: each message with its envelope's recipients."""

    messages: list[tuple[list[str], EmailMessage]] = field(default_factory=list)

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:  # noqa: N802
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for rcpt, m in self.messages if address in rcpt]

    @property
    def recipients(self) -> list[str]:
        return sorted(r for rcpt, _ in self.messages for r in rcpt)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Received]:
    """An SMTP server the app's settings point at, running for the test."""
    received = Received()
    port = free_port()
    controller = Controller(received, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setattr(settings, "smtp_host", "127.0.0.1")
    monkeypatch.setattr(settings, "smtp_port", port)
    monkeypatch.setattr(settings, "smtp_starttls", False)
    monkeypatch.setattr(settings, "smtp_timeout", 5.0)
    monkeypatch.setattr(settings, "public_url", "https://stocktake.example.org")
    try:
        yield received
    finally:
        controller.stop()


@pytest.fixture(autouse=True)
def quiet(session: Session) -> None:
    """The demo's own steps (inputs published, amendments decided as it loaded) left news and
    e-mails of their own: each test starts from an empty outbox and no notifications."""
    session.execute(delete(OutboxMail))
    session.execute(delete(Notification))
    session.flush()

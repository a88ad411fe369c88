"""Delivering the outbox through SMTP (smtplib): the e-mail put together with its unsubscribe link
and the List-Unsubscribe headers (RFC 2369, one-click per RFC 8058), and the sender the server runs
in the background, which looks at the outbox now and then."""

from __future__ import annotations

import logging
import smtplib
import ssl
import threading
from collections.abc import Callable
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, make_msgid

from sqlalchemy.orm import Session

from stocktake.config import Settings
from stocktake.core.db import utcnow
from stocktake.notifications.models import OutboxMail
from stocktake.notifications.render import SITE, UNSUBSCRIBE
from stocktake.notifications.services.outbox import Delivery, deliver_due, queue_digests_if_due
from stocktake.notifications.tokens import sign

SMTP_POLICY = SMTP.clone(max_line_length=998)
log = logging.getLogger(__name__)


def unsubscribe_url(settings: Settings, mail: OutboxMail) -> str:
    token = sign(settings.session_secret(), mail.user_id or 0, mail.kind, now=utcnow())
    return f"{settings.public_url.rstrip('/')}/unsubscribe/{token}"


def message_of(settings: Settings, mail: OutboxMail) -> EmailMessage:
    """The e-mail as it goes out: the site's address and a freshly signed unsubscribe link in
    its bodies, and the headers that let a mail client unsubscribe in one click."""
    site = settings.public_url.rstrip("/")
    stop = unsubscribe_url(settings, mail)
    # lines as long as SMTP allows: a long link in a header stays as written, never an encoded word
    message = EmailMessage(policy=SMTP_POLICY)
    message["From"] = settings.smtp_from
    message["To"] = mail.recipient
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(idstring=f"outbox-{mail.id}")
    message["Auto-Submitted"] = "auto-generated"
    message["List-Unsubscribe"] = f"<{stop}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(mail.body_text.replace(SITE, site).replace(UNSUBSCRIBE, stop))
    message.add_alternative(
        mail.body_html.replace(SITE, site).replace(UNSUBSCRIBE, stop), subtype="html"
    )
    message["Content-Language"] = mail.language  # after the bodies, which reset Content-*
    return message


def open_smtp(settings: Settings) -> smtplib.SMTP:
    """A connection to the configured server, over TLS or upgraded with STARTTLS, signed in."""
    host, port, timeout = settings.smtp_host or "", settings.smtp_port, settings.smtp_timeout
    server: smtplib.SMTP
    if settings.smtp_ssl:
        server = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
    else:
        server = smtplib.SMTP(host, port, timeout=timeout)
    try:
        if settings.smtp_starttls and not settings.smtp_ssl:
            server.starttls(context=ssl.create_default_context())
        if settings.smtp_username:
            server.login(settings.smtp_username, settings.smtp_password or "")
    except BaseException:
        server.close()
        raise
    return server


def send_due(session: Session, settings: Settings) -> Delivery | None:
    """Deliver what is due over one connection, opened at the first e-mail; None when no SMTP
    server is configured (the e-mails stay queued)."""
    if not settings.smtp_host:
        return None
    opened: list[smtplib.SMTP] = []

    def send(mail: OutboxMail) -> None:
        if not opened:
            opened.append(open_smtp(settings))
        opened[0].send_message(message_of(settings, mail))

    try:
        return deliver_due(session, send)
    finally:
        for server in opened:
            try:
                server.quit()
            except (smtplib.SMTPException, OSError):
                server.close()


class Sender(threading.Thread):
    """The server's background sender: queues the daily digests once a day from `digest_hour`,
    delivers what is due, then waits `mail_poll_seconds`."""

    def __init__(self, sessions: Callable[[], Session], settings: Settings) -> None:
        super().__init__(name="stocktake-mail", daemon=True)
        self.sessions = sessions
        self.settings = settings
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                with self.sessions() as session:
                    queue_digests_if_due(session, self.settings.digest_hour)
                    report = send_due(session, self.settings)
                if report and report.errors:
                    log.warning("mail not delivered, to be retried: %s", report.errors[0])
            except Exception:  # the sender outlives a database that is briefly away
                log.exception("the mail sender failed; it tries again")
            self.stopping.wait(self.settings.mail_poll_seconds)

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=self.settings.smtp_timeout + 5)

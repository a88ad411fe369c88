"""The mail and meeting commands, on a database of their own (they commit)."""

from __future__ import annotations

from aiosmtpd.controller import Controller
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from stocktake.cli import app
from stocktake.core.db import create_db_engine
from stocktake.notifications.models import MailStatus, OutboxMail
from tests.notifications.conftest import Received, free_port

runner = CliRunner()


def run(url: str, *args: str, **env: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), env={"STOCKTAKE_DATABASE_URL": url, **env})
    return result.exit_code, result.output


def queued(url: str, kind: str | None = None) -> int:
    engine = create_db_engine(url)
    with Session(engine) as session:
        query = select(func.count()).where(OutboxMail.status == MailStatus.QUEUED.value)
        if kind:
            query = query.where(OutboxMail.kind == kind)
        value = session.scalar(query) or 0
    engine.dispose()
    return value


def test_a_changed_meeting_is_mailed_by_the_send_command(cli_db: str) -> None:
    before = queued(cli_db, "meeting")
    code, output = run(cli_db, "meetings", "change", "imrf-2022", "--city", "Geneva")
    assert code == 0, output
    assert "Geneva" in output
    assert queued(cli_db, "meeting") > before  # Mexico's delegation is registered for it
    code, output = run(cli_db, "mail", "send", STOCKTAKE_SMTP_HOST="")
    assert code == 0, output
    assert "No SMTP server is set" in output
    code, output = run(cli_db, "meetings", "change", "imrf-2022", "--start", "2022-13-01")
    assert code == 1
    assert "is not YYYY-MM-DD" in output
    received = Received()
    port = free_port()
    controller = Controller(received, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        server = {
            "STOCKTAKE_SMTP_HOST": "127.0.0.1",
            "STOCKTAKE_SMTP_PORT": str(port),
            "STOCKTAKE_SMTP_STARTTLS": "false",
        }
        waiting = queued(cli_db)
        code, output = run(cli_db, "mail", "send", **server)
        assert code == 0, output
        assert f"{min(waiting, 100)} e-mail(s) sent" in output
        assert len(received.messages) == min(waiting, 100)
    finally:
        controller.stop()
    assert queued(cli_db) == max(waiting - 100, 0)


def test_the_digest_command_queues_one_digest_per_user(cli_db: str) -> None:
    code, output = run(cli_db, "mail", "digest")
    assert code == 0, output
    assert "digest e-mail(s) queued" in output
    code, output = run(cli_db, "mail", "digest")
    assert "0 digest e-mail(s) queued" in output

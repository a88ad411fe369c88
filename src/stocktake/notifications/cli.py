"""The outbox on the command line: deliver what is due, queue the daily digests."""

from __future__ import annotations

import typer
from rich.console import Console

from stocktake.core.commands import open_session, reports_errors, settings

out = Console(soft_wrap=True)
mail = typer.Typer(help="E-mail: the outbox of notifications and digests", no_args_is_help=True)


@mail.command("send")
@reports_errors
def send() -> None:
    """Deliver the e-mails that are due through the SMTP server (STOCKTAKE_SMTP_HOST); those that
    fail wait in the outbox for a later try."""
    from stocktake.notifications.mail import send_due
    from stocktake.notifications.services import outbox_counts

    with open_session() as session:
        report = send_due(session, settings())
        counts = outbox_counts(session)
    if report is None:
        out.print(
            f"No SMTP server is set (STOCKTAKE_SMTP_HOST): {counts['queued']} e-mail(s) wait."
        )
        return
    out.print(f"{len(report.sent)} e-mail(s) sent; {counts['queued']} wait in the outbox.")
    if report.errors:
        out.print(f"Not delivered, to be tried again later: {report.errors[0]}")
        raise typer.Exit(1)


@mail.command("digest")
@reports_errors
def digest() -> None:
    """Queue today's digest e-mail for each user whose news waits for it (run it once a day)."""
    from stocktake.notifications.services import queue_digests

    with open_session() as session:
        queued = queue_digests(session)
    out.print(f"{queued} digest e-mail(s) queued.")

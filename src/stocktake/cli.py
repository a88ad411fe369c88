"""The `stocktake` command line: the root app that each domain's commands are added to.

The root stands at the top: it imports every domain's commands; no domain imports it. The helpers
commands share (`reports_errors`, `settings`, `open_session`) live in `stocktake.core.commands`.
"""

from __future__ import annotations

import sys

import typer

from stocktake.accounts.cli import users
from stocktake.analysis.cli import evaluate
from stocktake.commands import demo, serve
from stocktake.consultation.cli import inputs
from stocktake.core.cli import db
from stocktake.core.cli_backup import backup_command, restore_command
from stocktake.core.cli_help import SpokenGroup
from stocktake.core.commands import warn_unknown_language
from stocktake.frameworks.cli import frameworks
from stocktake.meetings.cli import meetings
from stocktake.negotiation.cli import drafts
from stocktake.news.cli import news
from stocktake.notifications.cli import mail
from stocktake.process.cli import process
from stocktake.registry.cli import actors
from stocktake.review.cli import review
from stocktake.site.cli import analyse
from stocktake.site.cli_thread import thread
from stocktake.summary.cli import summaries

app = typer.Typer(
    name="stocktake",
    cls=SpokenGroup,
    help="stocktake: consultation, stocktaking, negotiation, follow-up and review of a compact.",
    no_args_is_help=True,
    add_completion=False,
)


@app.callback()
def starting() -> None:
    # before any command: the messages' language, refused when it is none of the six
    warn_unknown_language()


def register_commands() -> None:
    app.command(name="demo")(demo)
    app.command(name="serve")(serve)
    app.command(name="analyse")(analyse)
    app.command(name="evaluate")(evaluate)
    app.command(name="backup")(backup_command)
    app.command(name="restore")(restore_command)
    app.add_typer(db, name="db")
    app.add_typer(process, name="process")
    app.add_typer(actors, name="actors")
    app.add_typer(meetings, name="meetings")
    app.add_typer(news, name="news")
    app.add_typer(inputs, name="inputs")
    app.add_typer(frameworks, name="frameworks")
    app.add_typer(summaries, name="summary")
    app.add_typer(drafts, name="drafts")
    app.add_typer(users, name="users")
    app.add_typer(review, name="review")
    app.add_typer(thread, name="thread")
    app.add_typer(mail, name="mail")


register_commands()


def main() -> None:
    sys.exit(app())

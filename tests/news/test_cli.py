"""The news from the command line: listed, withdrawn and published again."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from stocktake.cli import app

runner = CliRunner()


def test_the_secretariat_lists_withdraws_and_publishes_news(cli_db: str) -> None:
    env = {"STOCKTAKE_DATABASE_URL": cli_db, "COLUMNS": "200"}
    listed = runner.invoke(app, ["news", "list"], env=env)
    assert listed.exit_code == 0, listed.output
    assert "Zero draft released" in listed.output
    assert "draft (waits)" in listed.output  # Rev.1 of the demo, issued, not published
    zero = re.search(r"│ (\d+) +│ published +│[^│]+│ Zero draft released", listed.output)
    assert zero, listed.output
    withdrawn = runner.invoke(app, ["news", "withdraw", zero.group(1)], env=env)
    assert withdrawn.exit_code == 0, withdrawn.output
    assert "Withdrawn: Zero draft released" in withdrawn.output
    assert (
        "Zero draft released"
        in runner.invoke(app, ["news", "list", "--status", "withdrawn"], env=env).output
    )
    again = runner.invoke(app, ["news", "publish", zero.group(1)], env=env)
    assert again.exit_code == 0, again.output
    missing = runner.invoke(app, ["news", "publish", "999999"], env=env)
    assert missing.exit_code == 1
    assert "news item 999999 does not exist" in missing.output
    unknown = runner.invoke(app, ["meetings", "cancel", "no-such-meeting"], env=env)
    assert unknown.exit_code == 1
    assert "does not exist" in unknown.output

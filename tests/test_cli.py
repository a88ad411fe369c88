"""The command line against its own database (commands commit, so not the shared test one)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from stocktake.audit.models import AuditEvent
from stocktake.cli import app
from stocktake.commands import own_address
from stocktake.core.db import create_db_engine
from stocktake.process.models import Process
from stocktake.registry.models import Actor

runner = CliRunner()


def count(url: str, model: type) -> int:
    engine = create_db_engine(url)
    with Session(engine) as session:
        value = session.scalar(select(func.count()).select_from(model)) or 0
    engine.dispose()
    return value


def run(url: str, *args: str, input: str | None = None) -> tuple[int, str]:  # noqa: A002
    result = runner.invoke(app, list(args), env={"STOCKTAKE_DATABASE_URL": url}, input=input)
    return result.exit_code, result.output


def test_meetings_stats_prints_the_puerto_vallarta_figures(cli_db: str) -> None:
    code, output = run(cli_db, "meetings", "stats", "puerto-vallarta-2017")
    assert code == 0
    assert "136 delegations, 897 participants, 115 non-governmental stakeholders" in output
    assert "By regional group" in output
    code, output = run(cli_db, "meetings", "stats", "puerto-vallarta-2017", "--json")
    assert code == 0
    assert '"delegations": 136' in output


def test_demo_twice_changes_nothing(cli_db: str) -> None:
    events, actors = count(cli_db, AuditEvent), count(cli_db, Actor)
    code, output = run(cli_db, "demo")
    assert code == 0
    assert "already loaded; nothing changed" in output
    assert "secretariat@gcm.example" in output
    assert (count(cli_db, AuditEvent), count(cli_db, Actor)) == (events, actors)


def test_an_unknown_meeting_is_a_clear_error(cli_db: str) -> None:
    code, output = run(cli_db, "meetings", "stats", "atlantis-1999")
    assert code == 1
    assert "meeting 'atlantis-1999' does not exist" in output


def test_a_bad_process_definition_is_refused_and_loads_nothing(cli_db: str, tmp_path: Path) -> None:
    from stocktake.process.definition import default_definition_path

    text = default_definition_path().read_text(encoding="utf-8")
    bad = tmp_path / "plastics.toml"
    bad.write_text(
        text.replace('slug = "gcm"', 'slug = "plastics"')
        .replace("end = 2018-02-04", "end = 2018-03-01")
        .replace('short_name = "GCM"', 'short_name = "GCM"\nchair = "x"'),
        encoding="utf-8",
    )
    before = count(cli_db, Process)
    code, output = run(cli_db, "process", "load", str(bad))
    assert code == 1
    assert "plastics.toml: refused, nothing stored" in output
    assert "line 9, process.chair: unknown key" in output
    assert count(cli_db, Process) == before
    good = tmp_path / "refugees.toml"
    good.write_text(text.replace('slug = "gcm"', 'slug = "refugees"'), encoding="utf-8")
    code, output = run(cli_db, "process", "load", str(good), "--check")
    assert (code, count(cli_db, Process)) == (0, before)
    code, output = run(cli_db, "process", "load", str(good))
    assert code == 0, output
    assert count(cli_db, Process) == before + 1
    code, output = run(cli_db, "process", "load", str(tmp_path / "missing.toml"))
    assert code == 1
    assert "cannot read" in output


def test_actors_import_all_or_nothing(cli_db: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "code,name,category,country\nCLI-1,Good One,academia,KEN\nCLI-2,Bad Country,academia,Narnia\n",
        encoding="utf-8",
    )
    before = count(cli_db, Actor)
    code, output = run(cli_db, "actors", "import", str(bad))
    assert code == 1
    assert "row 3, field country: unknown country 'Narnia'" in output
    assert count(cli_db, Actor) == before
    good = tmp_path / "good.csv"
    good.write_text("code,name,category,country\nCLI-1,Good One,academia,KEN\n", encoding="utf-8")
    code, output = run(cli_db, "actors", "import", str(good))
    assert (code, count(cli_db, Actor)) == (0, before + 1), output
    code, output = run(cli_db, "actors", "import", str(good))
    assert code == 1
    assert "duplicate code 'CLI-1'" in output


def test_users_add_and_token(cli_db: str) -> None:
    code, output = run(
        cli_db,
        "users",
        "add",
        "officer@kenya.example",
        "--role",
        "delegation_member",
        "--actor",
        "KEN",
        input="a long password\na long password\n",
    )
    assert code == 0, output
    assert "Added officer@kenya.example (delegation_member)" in output
    code, output = run(cli_db, "users", "token", "officer@kenya.example")
    assert code == 0
    assert output.strip().startswith("stk_")
    code, output = run(
        cli_db,
        "users",
        "add",
        "x@example.org",
        "--role",
        "stakeholder",
        "--actor",
        "KEN",
        input="0123456789\n0123456789\n",
    )
    assert code == 1
    assert "cannot be bound to a member_state" in output


def test_db_upgrade_is_idempotent(cli_db: str) -> None:
    code, output = run(cli_db, "db", "upgrade")
    assert code == 0
    assert "Database at revision head" in output


def test_inputs_import_and_export(cli_db: str, tmp_path: Path) -> None:
    from stocktake.consultation.models import Input

    bad = tmp_path / "cards.csv"
    bad.write_text(
        "submitter,text,dimensions\nKEN,Good card,human\nKEN,Bad card,underwater\n",
        encoding="utf-8",
    )
    before = count(cli_db, Input)
    code, output = run(cli_db, "inputs", "import", str(bad))
    assert code == 1
    assert "cards.csv: refused, nothing stored" in output
    assert "row 3, field dimensions: unknown dimension 'underwater'" in output
    assert count(cli_db, Input) == before
    good = tmp_path / "good.csv"
    good.write_text(
        "submitter,text,dimensions\nKEN,Good card about consular help,human\n", encoding="utf-8"
    )
    code, output = run(cli_db, "inputs", "import", str(good))
    assert (code, count(cli_db, Input)) == (0, before + 1), output
    code, output = run(cli_db, "inputs", "import", str(good))
    assert "Imported 0 inputs from good.csv; already there and left as they were: 1." in output
    out = tmp_path / "published.json"
    code, output = run(
        cli_db,
        "inputs",
        "export",
        "--format",
        "json",
        "--out",
        str(out),
        "--status",
        "published",
        "--language",
        "ru",
    )
    assert code == 0, output
    import json

    items = json.loads(out.read_text(encoding="utf-8"))["inputs"]
    assert items
    assert {i["language"] for i in items} == {"ru"}
    code, output = run(cli_db, "inputs", "export", "--format", "pdf")
    assert code == 1
    assert "unknown format 'pdf'" in output
    code, output = run(cli_db, "inputs", "import", str(tmp_path / "nothing.csv"))
    assert code == 1
    assert "cannot read" in output


def test_users_revoke_token_and_deactivate(cli_db: str) -> None:
    code, output = run(cli_db, "users", "token", "stakeholder@gcm.example", "--name", "script")
    assert code == 0, output
    token = output.strip()
    code, output = run(cli_db, "users", "revoke-token", token[:12])
    assert code == 0, output
    assert f"Revoked {token[:12]}" in output
    code, output = run(cli_db, "users", "revoke-token", "stk_nosuchtk")
    assert code == 1
    assert "does not exist" in output
    code, output = run(cli_db, "users", "deactivate", "stakeholder@gcm.example")
    assert (code, output.strip()) == (0, "Deactivated stakeholder@gcm.example.")
    code, output = run(cli_db, "users", "token", "stakeholder@gcm.example")
    assert code == 1
    assert "deactivated" in output
    code, output = run(cli_db, "users", "activate", "stakeholder@gcm.example")
    assert (code, output.strip()) == (0, "Activated stakeholder@gcm.example.")


def test_the_command_starts_without_the_heavy_libraries() -> None:
    """`stocktake --help` and every command pay only for what they use: scikit-learn, pandas, the
    SDMX library, MinHash, python-docx and openpyxl load in the commands that need them; the web
    framework never, and Babel only when a command speaks another language than English."""
    heavy = ("sklearn", "pandas", "sdmx", "datasketch", "docx", "openpyxl", "fastapi", "babel")
    probe = f"import sys, stocktake.cli; print(','.join(m for m in {heavy!r} if m in sys.modules))"
    result = subprocess.run(  # noqa: S603  (this interpreter, fixed arguments)
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
    code, output = run("sqlite://", "--help")
    assert code == 0
    assert "drafts" in output


@pytest.mark.parametrize(
    ("host", "port", "address"),
    [
        ("127.0.0.1", 8765, "http://127.0.0.1:8765"),
        ("0.0.0.0", 8080, "http://127.0.0.1:8080"),  # noqa: S104
        ("::", 8000, "http://[::1]:8000"),
        ("::1", 9000, "http://[::1]:9000"),
        ("stocktake.example.org", 8443, "http://stocktake.example.org:8443"),
    ],
)
def test_a_server_s_links_follow_the_port_it_serves_on(host: str, port: int, address: str) -> None:
    # without STOCKTAKE_PUBLIC_URL, the links in e-mails lead to the server `serve` started
    assert own_address(host, port) == address


@pytest.mark.parametrize(
    "args",
    [
        ("drafts", "compile", "9223372036854775808", "--format", "docx", "--queue"),
        ("drafts", "compile", "99999999999999999999999"),
        ("drafts", "show", "9223372036854775808"),
    ],
)
def test_an_id_beyond_64_bits_is_a_clear_error(cli_db: str, args: tuple[str, ...]) -> None:
    """As the pages and the API answer it: the number is refused, never a traceback."""
    code, output = run(cli_db, *args)
    assert code == 1, output
    assert "a number is out of range" in output
    assert "Traceback" not in output

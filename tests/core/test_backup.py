"""`stocktake backup` and `stocktake restore` on both backends: the demo round-trips table by table
and row by row (attachments are rows), an older schema is migrated, and a file that is damaged,
foreign, of another backend or from a newer version is refused before anything is changed."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, inspect, text
from typer.testing import CliRunner

from stocktake.cli import app
from stocktake.consultation.models import Input
from stocktake.core.backup import BackupRefused, backup, current_revision, restore, table_counts
from stocktake.core.db import create_db_engine
from stocktake.core.errors import Conflict
from stocktake.core.migrate import alembic_config, upgrade
from stocktake.site.health import check_health, expected_heads
from tests.databases import copy_of, scratch_url

runner = CliRunner()


def rows_of(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in primary-key order (all columns where a table has none)."""
    found: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as connection:
        inspector = inspect(connection)
        for name in sorted(inspector.get_table_names()):
            columns = [c["name"] for c in inspector.get_columns(name)]
            keys = inspector.get_pk_constraint(name)["constrained_columns"] or columns
            quote = engine.dialect.identifier_preparer.quote
            order = ", ".join(quote(k) for k in keys)
            found[name] = [
                tuple(row)
                # names read from the database itself, quoted
                for row in connection.execute(text(f"SELECT * FROM {quote(name)} ORDER BY {order}"))  # noqa: S608
            ]
    return found


@pytest.fixture
def demo_engine(backend: str, tmp_path: Path) -> Any:
    engine = create_db_engine(copy_of("demo", backend, "backup_source", tmp_path))
    yield engine
    engine.dispose()


@pytest.fixture
def empty_engine(backend: str, tmp_path: Path) -> Any:
    engine = create_db_engine(scratch_url("backup_target", tmp_path, backend))
    yield engine
    engine.dispose()


def test_the_demo_round_trips_through_the_commands_table_by_table(
    demo_engine: Engine, empty_engine: Engine, tmp_path: Path
) -> None:
    file = tmp_path / "demo.stocktake-backup"
    content = bytes(range(256)) * 1000  # a file attached to an input, every byte value in it
    with demo_engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO input_attachment (input_id, name, content_type, size, content, created_at, updated_at)"
                " SELECT min(id), 'note.bin', 'application/octet-stream', :size, :content, created_at, created_at"
                " FROM input GROUP BY created_at LIMIT 1"
            ),
            {"size": len(content), "content": content},
        )
    source = demo_engine.url.render_as_string(hide_password=False)
    result = runner.invoke(app, ["backup", str(file)], env={"STOCKTAKE_DATABASE_URL": source})
    assert result.exit_code == 0, result.output
    assert "Backed up" in result.output
    assert f"schema revision {current_revision(demo_engine)}" in result.output

    target = empty_engine.url.render_as_string(hide_password=False)
    result = runner.invoke(app, ["restore", str(file)], env={"STOCKTAKE_DATABASE_URL": target})
    assert result.exit_code == 0, result.output
    assert "Restored" in result.output
    before, after = rows_of(demo_engine), rows_of(empty_engine)
    assert set(before) == set(after)
    for name in before:
        assert before[name] == after[name], f"table {name} differs after the restore"
    with empty_engine.connect() as connection:
        attached = connection.execute(
            text("SELECT content FROM input_attachment WHERE name = 'note.bin'")
        ).scalar_one()
    assert bytes(attached) == content  # the files that came with inputs are in the backup
    assert check_health(empty_engine).ok

    # a second restore into the same database is refused: it holds data now
    result = runner.invoke(app, ["restore", str(file)], env={"STOCKTAKE_DATABASE_URL": target})
    assert result.exit_code == 1
    assert "not empty" in result.output


def test_replace_puts_back_what_was_deleted(demo_engine: Engine, tmp_path: Path) -> None:
    file = tmp_path / "before.tar"
    backup(demo_engine, file)
    before = rows_of(demo_engine)
    with demo_engine.begin() as connection:
        connection.execute(text("DELETE FROM input_tag"))
        connection.execute(text("UPDATE input SET title = 'changed' WHERE id < 10"))
    with pytest.raises(Conflict):
        restore(demo_engine, file)
    restored = restore(demo_engine, file, replace=True)
    assert not restored.migrated
    assert rows_of(demo_engine) == before


def _rewritten(source: Path, target: Path, change: Any) -> None:
    """A copy of a backup whose manifest or payload `change(name, data)` rewrites."""
    with tarfile.open(source) as original, tarfile.open(target, "w") as copy:
        for member in original.getmembers():
            handle = original.extractfile(member)
            data = change(member.name, handle.read() if handle else b"")
            info = tarfile.TarInfo(member.name)
            info.size = len(data)
            copy.addfile(info, io.BytesIO(data))


def _manifest(change: dict[str, Any]) -> Any:
    def rewrite(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        return json.dumps({**json.loads(data), **change}).encode()

    return rewrite


def test_a_damaged_foreign_or_newer_file_is_refused_and_nothing_changes(
    demo_engine: Engine, empty_engine: Engine, tmp_path: Path
) -> None:
    good = tmp_path / "good.tar"
    backup(demo_engine, good)
    target_before = table_counts(demo_engine)

    damaged = tmp_path / "damaged.tar"

    def flip(name: str, data: bytes) -> bytes:
        if name == "manifest.json":
            return data
        middle = len(data) // 2
        return data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :]

    _rewritten(good, damaged, flip)
    newer = tmp_path / "newer.tar"
    _rewritten(good, newer, _manifest({"revision": "ffffffffffff"}))
    other = tmp_path / "other-backend.tar"
    backend = demo_engine.url.get_backend_name()
    _rewritten(
        good, other, _manifest({"backend": "postgresql" if backend == "sqlite" else "sqlite"})
    )
    future_format = tmp_path / "future-format.tar"
    _rewritten(good, future_format, _manifest({"version": 99}))
    foreign = tmp_path / "foreign.tar"
    foreign.write_bytes(b"\x00NUL and \xff bytes, not an archive" * 100)
    no_manifest = tmp_path / "no-manifest.tar"
    with tarfile.open(no_manifest, "w") as archive:
        info = tarfile.TarInfo("notes.txt")
        info.size = 5
        archive.addfile(info, io.BytesIO(b"hello"))

    expected = {
        damaged: "damaged",
        newer: "made by a newer stocktake",
        other: "cannot be restored into",
        future_format: "is not one this version reads",
        foreign: "not a stocktake backup",
        no_manifest: "not a stocktake backup",
        tmp_path / "missing.tar": "no such file",
    }
    for file, reason in expected.items():
        for engine, replace in ((demo_engine, True), (empty_engine, False)):
            with pytest.raises(BackupRefused, match=reason):
                restore(engine, file, replace=replace)
    assert table_counts(demo_engine) == target_before
    assert not any(rows for rows in table_counts(empty_engine).values())


def test_a_backup_of_an_older_schema_is_migrated(
    backend: str, empty_engine: Engine, tmp_path: Path
) -> None:
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(alembic_config(empty_engine))
    (head,) = expected_heads()
    older = next(iter(scripts.iterate_revisions(head, "base"))).down_revision
    older_revision = older[0] if isinstance(older, tuple) else older
    assert older_revision
    old = create_db_engine(scratch_url("backup_old", tmp_path, backend))
    try:
        upgrade(old, older_revision)
        assert not check_health(old).ok  # the health check sees the schema is behind
        file = tmp_path / "old.tar"
        backup(old, file)
    finally:
        old.dispose()
    restored = restore(empty_engine, file)
    assert restored.migrated
    assert restored.manifest.revision == older_revision
    assert current_revision(empty_engine) == head
    assert check_health(empty_engine).ok


def test_health_reports_the_database_the_migrations_and_the_queue(client: Any) -> None:
    answer = client.get("/health")
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "no-store"
    body = answer.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"]
    assert body["migrations"]["current"] == list(expected_heads())
    assert body["queue"]["ok"]


def test_inputs_survive_in_the_backup_file_itself(demo_engine: Engine, tmp_path: Path) -> None:
    """The file holds the data, not a pointer to it: the source may be gone when it is restored."""
    file = tmp_path / "kept.tar"
    manifest = backup(demo_engine, file)
    assert manifest.tables[Input.__tablename__] > 0
    with tarfile.open(file) as archive:
        names = archive.getnames()
    assert names[0] == "manifest.json"
    assert len(names) == 2

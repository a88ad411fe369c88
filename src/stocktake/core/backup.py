"""Backup and restore of a whole stocktake database, attachments included (they are stored in it).

A backup is one file: a tar archive holding `manifest.json` (what made it, from which backend, at
which schema revision, how many rows each table held, the payload's SHA-256) and the payload, made by
the backend's own tool: SQLite's online backup API (a consistent copy while the app serves), or
`pg_dump --format=custom` for PostgreSQL.

A restore checks everything before it changes anything: that the file is a stocktake backup, not
damaged (the checksum), of the same backend, from a schema this version knows (a file from a newer
stocktake is refused; one from an older is migrated), and that the target database is empty unless
`replace` is asked. Then it restores in one step: on SQLite the copy is migrated and counted first and
copied in whole by the backup API; on PostgreSQL the dump runs through `psql --single-transaction`,
so that either all of it is restored or nothing changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, func, inspect, select, text
from sqlalchemy.engine import URL

from stocktake import __version__
from stocktake.core.errors import Conflict, StocktakeError
from stocktake.core.migrate import alembic_config, upgrade
from stocktake.core.translation import Text

FORMAT = "stocktake-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
PAYLOADS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
MANIFEST_LIMIT = 1 << 20


class BackupRefused(StocktakeError):
    """The file cannot be restored here; nothing was changed."""


@dataclass(frozen=True)
class Manifest:
    backend: str
    revision: str
    tables: dict[str, int]
    sha256: str
    created_at: str
    made_by: str = f"stocktake {__version__}"
    format: str = FORMAT
    version: int = FORMAT_VERSION

    @property
    def payload(self) -> str:
        return PAYLOADS[self.backend]

    def to_json(self) -> bytes:
        return json.dumps(self.__dict__, indent=2, sort_keys=True).encode()


@dataclass
class Restored:
    manifest: Manifest
    revision: str
    migrated: bool
    tables: dict[str, int] = field(default_factory=dict)


def backend_of(engine: Engine) -> str:
    name = engine.url.get_backend_name()
    if name not in PAYLOADS:
        raise StocktakeError(
            Text("backups of %(backend)s databases are not supported", backend=name)
        )
    return name


def current_revision(engine: Engine) -> str:
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return ""
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar() or ""


def table_counts(engine: Engine) -> dict[str, int]:
    """Rows of every table of the database (migrations' own table included), by name."""
    with engine.connect() as connection:
        names = sorted(inspect(connection).get_table_names())
        return {
            name: connection.execute(
                select(func.count()).select_from(text(_quoted(engine, name)))
            ).scalar_one()
            for name in names
        }


def _quoted(engine: Engine, name: str) -> str:
    return engine.dialect.identifier_preparer.quote(name)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- backup -------------------------------------------------------------------------------


def backup(engine: Engine, target: Path) -> Manifest:
    """Write a backup of the whole database to `target` (written beside it, then moved in place,
    so that a failed backup never leaves a half file under the name asked for)."""
    backend = backend_of(engine)
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".stocktake-backup-") as work:
        payload = Path(work) / PAYLOADS[backend]
        if backend == "sqlite":
            _sqlite_copy(engine, payload)
            counted = create_engine(f"sqlite:///{payload}")
            try:
                revision, tables = current_revision(counted), table_counts(counted)
            finally:
                counted.dispose()
        else:
            # the dump is one snapshot; the counts are taken in a snapshot of their own just before
            revision, tables = current_revision(engine), table_counts(engine)
            _pg_dump(engine.url, payload)
        manifest = Manifest(
            backend=backend,
            revision=revision,
            tables=tables,
            sha256=_sha256(payload),
            created_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        )
        partial = Path(work) / "backup.tar"
        with tarfile.open(partial, "w") as archive:
            data = manifest.to_json()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(dt.datetime.now(dt.UTC).timestamp())
            archive.addfile(info, io.BytesIO(data))
            archive.add(payload, arcname=payload.name)
        partial.replace(target)
    return manifest


def _sqlite_copy(engine: Engine, payload: Path) -> None:
    raw = engine.raw_connection()
    try:
        source: sqlite3.Connection = raw.driver_connection  # type: ignore[assignment]
        with sqlite3.connect(payload) as copy:
            source.backup(copy)
        copy.close()
    finally:
        raw.close()


def _libpq(url: URL) -> tuple[list[str], dict[str, str]]:
    """Connection arguments for PostgreSQL's own tools; the password goes by environment, never argv."""
    args = ["--dbname", str(url.database or "")]
    if url.host:
        args += ["--host", url.host]
    if url.port:
        args += ["--port", str(url.port)]
    if url.username:
        args += ["--username", url.username]
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return args, env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise StocktakeError(
            Text(
                "%(tool)s is not installed: it is PostgreSQL's client (Debian: postgresql-client)",
                tool=name,
            )
        )
    return found


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    # the tools are found on PATH by name; their arguments come from the configured database URL
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise StocktakeError(
            Text("%(tool)s failed: %(reason)s", tool=what, reason=done.stderr.strip()[:2000])
        )


def _pg_dump(url: URL, payload: Path) -> None:
    args, env = _libpq(url)
    _run(
        [
            _tool("pg_dump"),
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            "--file",
            str(payload),
            *args,
        ],
        env,
        "pg_dump",
    )


# --- restore ------------------------------------------------------------------------------


@contextmanager
def _opened(source: Path, backend: str) -> Iterator[tuple[Manifest, Path]]:
    """The manifest and the checked payload of a backup of `backend`, extracted to a folder of its own."""
    try:
        archive = tarfile.open(source, "r:")  # noqa: SIM115 - closed by the `with` below
    except (tarfile.TarError, OSError) as exc:
        raise BackupRefused(
            Text("%(file)s: not a stocktake backup (%(reason)s)", file=source.name, reason=str(exc))
        ) from exc
    with archive, tempfile.TemporaryDirectory(prefix=".stocktake-restore-") as work:
        manifest = _manifest(archive, source)
        if manifest.backend != backend:
            raise BackupRefused(
                Text(
                    "%(file)s: a backup of a %(backend)s database cannot be restored into "
                    "%(target)s",
                    file=source.name,
                    backend=manifest.backend,
                    target=backend,
                )
            )
        member = _member(archive, manifest.payload, source)
        payload = Path(work) / manifest.payload
        extracted = archive.extractfile(member)
        if extracted is None:  # pragma: no cover - _member checked it is a file
            raise BackupRefused(
                Text("%(file)s: no %(part)s in it", file=source.name, part=manifest.payload)
            )
        with extracted, payload.open("wb") as out:
            shutil.copyfileobj(extracted, out, 1 << 20)
        if _sha256(payload) != manifest.sha256:
            raise BackupRefused(
                Text(
                    "%(file)s: damaged (its %(part)s does not match its checksum)",
                    file=source.name,
                    part=manifest.payload,
                )
            )
        yield manifest, payload


def _member(archive: tarfile.TarFile, name: str, source: Path) -> tarfile.TarInfo:
    try:
        member = archive.getmember(name)
    except KeyError as exc:
        raise BackupRefused(
            Text(
                "%(file)s: not a stocktake backup (no %(part)s in it)", file=source.name, part=name
            )
        ) from exc
    if not member.isfile():
        raise BackupRefused(
            Text(
                "%(file)s: not a stocktake backup (%(part)s is not a file)",
                file=source.name,
                part=name,
            )
        )
    return member


def _manifest(archive: tarfile.TarFile, source: Path) -> Manifest:
    member = _member(archive, MANIFEST, source)
    if member.size > MANIFEST_LIMIT:
        raise BackupRefused(
            Text("%(file)s: not a stocktake backup (its manifest is too large)", file=source.name)
        )
    raw = archive.extractfile(member)
    try:
        data: Any = json.loads(raw.read() if raw else b"")
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupRefused(
            Text("%(file)s: not a stocktake backup (unreadable manifest)", file=source.name)
        ) from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupRefused(Text("%(file)s: not a stocktake backup", file=source.name))
    if data.get("version") != FORMAT_VERSION:
        raise BackupRefused(
            Text(
                "%(file)s: backup format %(version)r is not one this version reads",
                file=source.name,
                version=data.get("version"),
            )
        )
    try:
        manifest = Manifest(
            backend=str(data["backend"]),
            revision=str(data["revision"]),
            tables={str(k): int(v) for k, v in dict(data["tables"]).items()},
            sha256=str(data["sha256"]),
            created_at=str(data["created_at"]),
            made_by=str(data.get("made_by", "")),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise BackupRefused(
            Text("%(file)s: not a stocktake backup (incomplete manifest)", file=source.name)
        ) from exc
    if manifest.backend not in PAYLOADS:
        raise BackupRefused(
            Text(
                "%(file)s: a backup of a %(backend)r database",
                file=source.name,
                backend=manifest.backend,
            )
        )
    return manifest


def check_revision(engine: Engine, revision: str, source: str) -> bool:
    """Whether the backup's schema is older than this version's (it will be migrated); refuse a
    revision this version does not know: a newer stocktake made the file."""
    from alembic.script import ScriptDirectory
    from alembic.util.exc import CommandError

    scripts = ScriptDirectory.from_config(alembic_config(engine))
    if not revision:
        raise BackupRefused(
            Text("%(file)s: the backed-up database has no schema revision", file=source)
        )
    try:
        known = scripts.get_revision(revision)
    except CommandError:
        known = None
    if known is None:
        raise BackupRefused(
            Text(
                "%(file)s: made by a newer stocktake (schema revision %(revision)s is unknown "
                "here); upgrade stocktake first",
                file=source,
                revision=revision,
            )
        )
    return revision not in scripts.get_heads()


def is_empty(engine: Engine) -> bool:
    """No data in it: no tables, or only tables without rows (a database just migrated)."""
    counts = table_counts(engine)
    return not any(rows for name, rows in counts.items() if name != "alembic_version")


def restore(engine: Engine, source: Path, *, replace: bool = False) -> Restored:
    """Restore the backup `source` into the database of `engine` (see the module's text)."""
    backend = backend_of(engine)
    if not source.is_file():
        raise BackupRefused(Text("%(file)s: no such file", file=str(source)))
    with _opened(source, backend) as (manifest, payload):
        older = check_revision(engine, manifest.revision, source.name)
        if not replace and not is_empty(engine):
            raise Conflict(
                Text(
                    "the database is not empty: restore into an empty database, or ask to "
                    "replace it"
                )
            )
        if backend == "sqlite":
            _sqlite_restore(engine, payload, manifest, source.name)
        else:
            _pg_restore(engine, payload)
            _check_counts(engine, manifest, source.name)
            if older:
                upgrade(engine)
    return Restored(
        manifest=manifest,
        revision=current_revision(engine),
        migrated=older,
        tables=table_counts(engine),
    )


def _check_counts(engine: Engine, manifest: Manifest, source: str) -> None:
    found = table_counts(engine)
    if found != manifest.tables:
        differ = sorted(
            name
            for name in set(found) | set(manifest.tables)
            if found.get(name) != manifest.tables.get(name)
        )
        raise BackupRefused(
            Text(
                "%(file)s: the restored tables do not hold what the backup lists (%(tables)s)",
                file=source,
                tables=", ".join(differ[:10]),
            )
        )


def _sqlite_restore(engine: Engine, payload: Path, manifest: Manifest, source: str) -> None:
    copy = create_engine(f"sqlite:///{payload}")
    try:
        try:
            with copy.connect() as connection:
                connection.execute(text("PRAGMA integrity_check")).scalar_one()
        except Exception as exc:
            raise BackupRefused(
                Text("%(file)s: damaged (%(reason)s)", file=source, reason=str(exc))
            ) from exc
        _check_counts(copy, manifest, source)
        upgrade(copy)  # an older schema is migrated on the copy, before the target is touched
    finally:
        copy.dispose()
    engine.dispose()
    raw = engine.raw_connection()
    try:
        target: sqlite3.Connection = raw.driver_connection  # type: ignore[assignment]
        with sqlite3.connect(payload) as migrated:
            migrated.backup(target)  # one step: the target is replaced whole, or not at all
        migrated.close()
    finally:
        raw.close()
    engine.dispose()


def _pg_restore(engine: Engine, payload: Path) -> None:
    """Turn the dump into SQL first (a damaged dump fails here, before anything is changed), then run
    it with psql in one transaction that first empties the schema (the target holds no data, or the
    user asked to replace it): all of it is restored, or nothing changed."""
    args, env = _libpq(engine.url)
    script = payload.with_suffix(".sql")
    _run(
        [_tool("pg_restore"), "--no-owner", "--no-privileges", "--file", str(script), str(payload)],
        env,
        "pg_restore",
    )
    prelude = payload.with_name("prelude.sql")
    prelude.write_text("DROP SCHEMA IF EXISTS public CASCADE;\nCREATE SCHEMA public;\n")
    engine.dispose()
    _run(
        [
            _tool("psql"),
            "--no-psqlrc",
            "--quiet",
            "--single-transaction",
            "--set",
            "ON_ERROR_STOP=1",
            "--file",
            str(prelude),
            "--file",
            str(script),
            *args,
        ],
        env,
        "psql",
    )
    engine.dispose()

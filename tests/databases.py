"""The suite's databases: each kind built once per run and backend, then copied for whoever needs it.

Two templates exist per backend: `demo` (what `stocktake demo`
loads: the GCM process, the registry, the demo data, a first analysis and a draft summary) and
`bare` (the GCM process and the reference registry only). The first process that needs one builds it,
under a file lock, so that pytest-xdist's workers build each template once between them; when the
suite is spread over workers the controller builds all four at the start, the two demos side by side
in their own processes. A test database is then a copy: a file copy (through SQLite's backup API) or
`CREATE DATABASE … TEMPLATE` on PostgreSQL, which takes a second where loading the demo takes a
minute.

Every database a worker makes is named after the worker (`test_gw0_demo`, `…_gw1_cli`), so workers
never share one.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, make_url, text
from sqlalchemy.orm import Session

from stocktake.core.db import create_db_engine
from stocktake.core.migrate import upgrade
from stocktake.core.permissions import Principal
from stocktake.process.definition import default_definition_path, load_definition_file
from stocktake.process.services import load_process
from stocktake.registry.services import load_reference_actors

PG_URL = os.environ.get("STOCKTAKE_TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])
SHARED = Path(__file__).resolve().parents[2] / "shared"
OPENSDG_UK = SHARED / "data" / "opensdg-uk"
KINDS = ("demo", "bare")
# where the templates of this run live; set by the first pytest process, inherited by its workers
TEMPLATES_ENV = "STOCKTAKE_TEST_TEMPLATES"


def worker() -> str:
    """This process's name among pytest-xdist's workers (`main` without them)."""
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def templates_dir() -> Path:
    return Path(os.environ[TEMPLATES_ENV])


def postgresql_url(name: str) -> str:
    assert PG_URL
    return make_url(PG_URL).set(database=name).render_as_string(hide_password=False)


def postgresql_name(suffix: str) -> str:
    assert PG_URL
    return f"{make_url(PG_URL).database}_{suffix}"


@contextmanager
def admin() -> Iterator[Connection]:
    engine = create_db_engine(PG_URL or "")
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            yield connection
    finally:
        engine.dispose()


@contextmanager
def locked(name: str) -> Iterator[None]:
    """Held by one process of the run at a time."""
    with (templates_dir() / f"{name}.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def empty_postgresql(name: str, template: str | None = None) -> str:
    """A PostgreSQL database of this name, dropped first if it was there: empty, or a copy of
    `template`."""
    with admin() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        copy = f' TEMPLATE "{template}"' if template else ""
        connection.execute(text(f'CREATE DATABASE "{name}"{copy}'))
    return postgresql_url(name)


def template_url(kind: str, backend: str) -> str:
    if backend == "sqlite":
        return f"sqlite:///{templates_dir() / f'{kind}.sqlite3'}"
    return postgresql_url(postgresql_name(f"template_{kind}"))


def _build_demo(url: str) -> None:
    """`stocktake demo` itself, in a process of its own, as a user runs it."""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from stocktake.cli import main; main()",
            "demo",
        ],
        # in English whatever the developer's locale: the output is checked below
        env={**os.environ, "STOCKTAKE_DATABASE_URL": url, "STOCKTAKE_LANGUAGE": "en"},
        capture_output=True,
        text=True,
        check=False,
    )
    log = templates_dir() / f"demo-{make_url(url).get_backend_name()}.log"
    log.write_text(result.stdout + result.stderr)
    if result.returncode != 0 or "Demo data loaded" not in result.stdout:
        raise RuntimeError(f"`stocktake demo` failed ({log}):\n{result.stdout}\n{result.stderr}")


_ALEMBIC = threading.Lock()
"""Alembic keeps the migration being run in module-level state: one upgrade at a time in a process."""


def _build_bare(url: str) -> None:
    engine = create_db_engine(url)
    with _ALEMBIC:
        upgrade(engine)
    with Session(engine) as session:
        system = Principal.system()
        load_process(
            session, load_definition_file(default_definition_path()), by=system, source="gcm.toml"
        )
        load_reference_actors(session, by=system)
    engine.dispose()


BUILDERS = {"demo": _build_demo, "bare": _build_bare}


def ensure_template(kind: str, backend: str) -> str:
    """The URL of this run's template of `kind` on `backend`, built by whoever asks first."""
    done = templates_dir() / f"{kind}-{backend}.done"
    with locked(f"{kind}-{backend}"):
        if not done.exists():
            if backend == "sqlite":
                Path(make_url(template_url(kind, backend)).database or "").unlink(missing_ok=True)
            else:
                empty_postgresql(postgresql_name(f"template_{kind}"))
            BUILDERS[kind](template_url(kind, backend))
            done.touch()
    return template_url(kind, backend)


def build_all_templates() -> None:
    """Every template of the run, the heavy ones side by side (the controller, before the workers
    start)."""
    with ThreadPoolExecutor(len(KINDS) * len(BACKENDS)) as pool:
        jobs = [
            pool.submit(ensure_template, kind, backend) for kind in KINDS for backend in BACKENDS
        ]
        for job in jobs:
            job.result()


def copy_of(kind: str, backend: str, name: str, folder: Path) -> str:
    """A new database of this worker's, a copy of the template of `kind`: a SQLite file in `folder`,
    or a PostgreSQL database named after the test database, the worker and `name`."""
    template = ensure_template(kind, backend)
    if backend == "sqlite":
        target = folder / f"{name}.sqlite3"
        source = sqlite3.connect(make_url(template).database or "")
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
        return f"sqlite:///{target}"
    # PostgreSQL copies from a template only while nobody else is connected to it
    with locked(f"{kind}-{backend}"):
        return empty_postgresql(
            postgresql_name(f"{worker()}_{name}"), postgresql_name(f"template_{kind}")
        )


def scratch_url(name: str, folder: Path, backend: str) -> str:
    """An empty database of this worker's, for tests that migrate and load it themselves."""
    if backend == "sqlite":
        return f"sqlite:///{folder / f'{name}.sqlite3'}"
    return empty_postgresql(postgresql_name(f"{worker()}_{name}"))

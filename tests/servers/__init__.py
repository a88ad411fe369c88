"""Helpers for tests that serve the app on a real port, and the harness that starts several app
processes (and workers) against one database, as a deployment runs them."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx2 as httpx

# how long a process may take to answer its first /health on a busy machine
START_SECONDS = 120.0
STOP_SECONDS = 15.0


def free_port() -> int:
    """A port of 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Started:
    """A `stocktake` command running in a process of its own, its output in `log`."""

    name: str
    command: list[str]
    process: subprocess.Popen[bytes]
    log: Path
    port: int | None = None

    @property
    def url(self) -> str:
        assert self.port is not None, f"{self.name} serves no port"
        return f"http://127.0.0.1:{self.port}"

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        """Ask it to stop (SIGTERM, as systemd does), and kill it if it does not."""
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(STOP_SECONDS)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(STOP_SECONDS)

    def kill(self) -> None:
        """Kill it at once, as a crash or the kernel's OOM killer would."""
        if self.alive():
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(STOP_SECONDS)


@dataclass
class Fleet:
    """App processes (`stocktake serve`) and workers started from the same environment: one
    database, one session secret, one settings file. Tests start what they need; `stop_all` ends
    them."""

    database_url: str
    folder: Path
    settings: Mapping[str, str] = field(default_factory=dict)
    servers: list[Started] = field(default_factory=list)
    workers: list[Started] = field(default_factory=list)

    def environment(self, **more: str) -> dict[str, str]:
        """The processes' environment: this one's without its stocktake settings, then the
        fleet's, then `more` (STOCKTAKE_<NAME>=value)."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("STOCKTAKE_")}
        env.update(
            STOCKTAKE_LANGUAGE="en",
            STOCKTAKE_ENVIRONMENT="test",
            STOCKTAKE_DATABASE_URL=self.database_url,
            STOCKTAKE_SECRET_KEY="one-secret-for-every-server",
            STOCKTAKE_DATA_DIR=str(self.folder),
            STOCKTAKE_ANALYSIS_VECTORS="tfidf",
        )
        env.update(self.settings)
        env.update(more)
        return env

    def start(
        self, name: str, command: Sequence[str], *, port: int | None = None, **settings: str
    ) -> Started:
        """`stocktake COMMAND…` in a process of its own (the cwd is the fleet's folder, so that
        no developer's .env is read)."""
        log = self.folder / f"{name}.log"
        argv = [sys.executable, "-c", "from stocktake.cli import main; main()", *command]
        with log.open("ab") as out:
            process = subprocess.Popen(  # noqa: S603  (this interpreter, our own command)
                argv,
                cwd=self.folder,
                env=self.environment(**settings),
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        return Started(name, list(command), process, log, port)

    def start_server(self, name: str = "", *, port: int = 0, **settings: str) -> Started:
        """`stocktake serve` on a free port (or `port`), once it answers /health with 200;
        `settings` are this server's own (STOCKTAKE_… names)."""
        port = port or free_port()
        name = name or f"server-{len(self.servers) + 1}"
        server = self.start(name, ["serve", "--port", str(port)], port=port, **settings)
        wait_until(server, lambda: _healthy(server.url))
        self.servers.append(server)
        return server

    def start_worker(
        self,
        command: Sequence[str],
        *,
        name: str = "",
        ready: Callable[[Started], bool] | None = None,
        **settings: str,
    ) -> Started:
        """A worker: `stocktake COMMAND…` (such as `["worker"]`) with the fleet's environment,
        returned once `ready(worker)` is true (at once without it)."""
        worker = self.start(name or f"worker-{len(self.workers) + 1}", command, **settings)
        if ready is not None:
            wait_until(worker, lambda: ready(worker))
        self.workers.append(worker)
        return worker

    def restart(self, server: Started, **settings: str) -> Started:
        """The same server again, on its port, after it stopped or was killed."""
        server.stop()
        self.servers.remove(server)
        return self.start_server(server.name, port=server.port or 0, **settings)

    def stop_all(self) -> None:
        for started in [*self.workers, *self.servers]:
            started.stop()
        self.workers.clear()
        self.servers.clear()


def _healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/health", timeout=5).status_code == 200
    except httpx.HTTPError:
        return False


def wait_until(started: Started, ready: Callable[[], bool]) -> None:
    """Until `ready()`; fails with the process's output when it ends first or takes too long."""
    deadline = time.monotonic() + START_SECONDS
    while not ready():
        if not started.alive():
            raise AssertionError(
                f"{started.name} ended ({started.process.returncode}):\n{started.output()}"
            )
        if time.monotonic() > deadline:
            started.kill()
            raise AssertionError(f"{started.name} was not ready in time:\n{started.output()}")
        time.sleep(0.2)


@contextmanager
def fleet(
    database_url: str, folder: Path, *, servers: int = 2, settings: Mapping[str, str] = {}
) -> Iterator[Fleet]:
    """`servers` app processes on free ports against one database, all started at once (each
    migrates the database first, as `stocktake serve` does), stopped at the end."""
    started = Fleet(database_url, folder, dict(settings))
    try:
        for number in range(1, servers + 1):
            port = free_port()
            command = ["serve", "--port", str(port)]
            started.servers.append(started.start(f"server-{number}", command, port=port))
        for server in started.servers:
            wait_until(server, lambda url=server.url: _healthy(url))
        yield started
    finally:
        started.stop_all()

"""Load benchmark: simulated visitors browse, search and submit against a server on 127.0.0.1.

It loads the demo into a fresh database (a SQLite file, or the PostgreSQL database named with
--database-url, which it empties), serves it with `stocktake serve --workers N` on a free local
port, and lets --users visitors click every 0.5–1.5 s for --duration seconds: the home page, the
inputs list, a search, the Puerto Vallarta meeting, the actors, the API; one click in twenty
submits an input through the API. It prints throughput, p50/p95/p99 and the errors, as a row for
docs/benchmarks.md. Bounded on purpose: at most 500 users, 600 seconds and 500,000 requests, and
only ever against 127.0.0.1.

    .venv/bin/python -m bench.load --users 200 --duration 120
    .venv/bin/python -m bench.load --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench
    STOCKTAKE_PUBLIC_CACHE_SECONDS=0 .venv/bin/python -m bench.load  # without the readers' cache
    .venv/bin/python -m bench.load --signed-in --users 100   # delegates, signed in, browsing and writing

With --signed-in every visitor is a delegate of a member state of their own (the benchmark adds the
users), signed in through the sign-in form, so that no page comes from the anonymous readers' cache:
they read their delegation's items, the inputs, the draft and its amendments, the pledges and the
meeting's registrations, and one click in ten writes (an input, as their delegation, through the API
with their own token).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx2
from sqlalchemy import make_url, select
from sqlalchemy.orm import Session

from bench import fresh_database
from stocktake.accounts.services import get_user, issue_token
from stocktake.core.db import create_db_engine
from stocktake.core.permissions import Principal
from stocktake.demo.generator import load_demo

MAX_USERS, MAX_SECONDS, MAX_REQUESTS = 500, 600, 500_000
TIMEOUT = 30  # seconds a visitor waits for an answer
BROWSING = [
    ("home", "/"),
    ("inputs", "/inputs"),
    ("search", "/inputs?q=migrant+workers"),
    ("meeting", "/meetings/puerto-vallarta-2017"),
    ("actors", "/actors"),
    ("api", "/api/v1/inputs"),
    ("api", "/api/v1/meetings"),
]


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    requests: int = 0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


SIGNED_IN = [
    ("mine", "/mine"),
    ("inputs", "/inputs"),
    ("search", "/inputs?q=migrant+workers"),
    ("draft", "/drafts/1"),
    ("amendments", "/drafts/1/amendments"),
    ("pledges", "/review/pledges"),
    ("registrations", "/meetings/puerto-vallarta-2017/registrations"),
    ("home", "/"),
]
DELEGATE_PASSWORD = "load-benchmark-delegate"  # noqa: S105 - a throwaway database of the benchmark


@dataclass
class Visitor:
    token: str
    cookie: str = ""


def delegates(url: str, count: int) -> list[tuple[str, str]]:
    """`count` delegates, each of a member state of their own: (e-mail, API token)."""
    from stocktake.accounts.services import add_user
    from stocktake.core.permissions import Role
    from stocktake.registry.models import Actor

    engine = create_db_engine(url)
    made = []
    with Session(engine) as session:
        states = session.scalars(
            select(Actor.code).where(Actor.kind == "member_state").order_by(Actor.code)
        ).all()
        for i, code in enumerate(states[:count]):
            user = add_user(
                session,
                email=f"delegate-{i}@load.example",
                password=DELEGATE_PASSWORD,
                role=Role.DELEGATION_MEMBER,
                actor_code=code,
                by=Principal.system(),
            )
            made.append((user.email, issue_token(session, user, by=Principal.system())))
    engine.dispose()
    return made


def sign_in_all(base: str, users: list[tuple[str, str]]) -> list[Visitor]:
    """Each delegate signed in through the sign-in form, as a browser does: their session cookie."""
    signed = []
    for email, token in users:
        with httpx2.Client(base_url=base, timeout=60) as client:
            page = client.get("/login").text
            csrf = page.split('name="csrf" value="', 1)[1].split('"', 1)[0]
            answer = client.post(
                "/login", data={"csrf": csrf, "email": email, "password": DELEGATE_PASSWORD}
            )
            assert answer.status_code in (200, 303), f"{email} could not sign in"
            cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
        signed.append(Visitor(token, cookie))
    return signed


def prepare(url: str) -> str:
    """A fresh database with the demo (no analysis) and an API token of a delegation."""
    engine = fresh_database(url)
    with Session(engine) as session:
        load_demo(session, by=Principal.system())
        user = get_user(session, "mexico@gcm.example")
        token = issue_token(session, user, name="load benchmark", by=Principal.system())
    engine.dispose()
    return token


class Connection:
    """One visitor's keep-alive HTTP/1.1 connection, as a browser holds one.

    Written on asyncio streams because the load and the server share this machine's two cores: a
    full client library spends several milliseconds of CPU per request, which the server then
    lacks. It reads what the server sends (Content-Length or chunked) and nothing more.
    """

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(
        self, method: str, path: str, body: bytes = b"", token: str = "", cookie: str = ""
    ) -> int:
        if self.writer is None or self.reader is None or self.writer.is_closing():
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        head = [
            f"{method} {path} HTTP/1.1",
            f"Host: {self.host}:{self.port}",
            "Accept-Encoding: gzip",
            f"Content-Length: {len(body)}",
        ]
        if body:
            head.append("Content-Type: application/json")
        if token:
            head.append(f"Authorization: Bearer {token}")
        if cookie:
            head.append(f"Cookie: {cookie}")
        self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        try:
            return await self._response(self.reader)
        except BaseException:
            await self.close()
            raise

    async def _response(self, reader: asyncio.StreamReader) -> int:
        status_line = await reader.readline()
        if not status_line:
            raise ConnectionResetError("the server closed the connection")
        status = int(status_line.split()[1])
        length, chunked, close = 0, False, False
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            name, value = name.strip().lower(), value.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding" and "chunked" in value:
                chunked = True
            elif name == "connection" and value == "close":
                close = True
        if chunked:
            while size := int((await reader.readline()).split(b";")[0], 16):
                await reader.readexactly(size + 2)
            await reader.readline()
        elif length:
            await reader.readexactly(length)
        if close:
            await self.close()
        return status

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None


async def visitor(
    connection: Connection, who: Visitor, until: float, tally: Tally, rng: random.Random
) -> None:
    await asyncio.sleep(rng.uniform(0, 1.5))  # visitors arrive over the first seconds
    pages, writes = (SIGNED_IN, 0.1) if who.cookie else (BROWSING, 0.05)
    token = who.token
    while time.monotonic() < until and tally.requests < MAX_REQUESTS:
        start = time.perf_counter()
        try:
            if rng.random() < writes:
                text = f"Load test input {rng.random()} on portable social security."
                body = json.dumps({"text": text}).encode()
                code = await asyncio.wait_for(
                    connection.request("POST", "/api/v1/inputs", body, token), TIMEOUT
                )
            else:
                _label, path = rng.choice(pages)
                code = await asyncio.wait_for(
                    connection.request("GET", path, cookie=who.cookie), TIMEOUT
                )
            status = str(code)
        except TimeoutError:
            status = "timeout"
        except (OSError, ValueError, IndexError, asyncio.IncompleteReadError) as exc:
            status = type(exc).__name__
        tally.latencies.append(time.perf_counter() - start)
        tally.statuses[status] += 1
        tally.requests += 1
        await asyncio.sleep(rng.uniform(0.5, 1.5))
    await connection.close()


async def crowd(port: int, visitors: list[Visitor], seconds: float) -> tuple[Tally, float]:
    tally = Tally()
    rng = random.Random(8)
    start = time.monotonic()
    await asyncio.gather(
        *(
            visitor(
                Connection("127.0.0.1", port),
                who,
                start + seconds,
                tally,
                random.Random(rng.random()),
            )
            for who in visitors
        )
    )
    return tally, time.monotonic() - start


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def report(label: str, users: int, tally: Tally, elapsed: float) -> str:
    ok = sum(n for s, n in tally.statuses.items() if s.startswith(("2", "3")))
    errors = {s: n for s, n in tally.statuses.items() if not s.startswith(("2", "3"))}
    return (
        f"| {label} | {users} | {elapsed:.0f} s | {tally.requests:,} | "
        f"{tally.requests / elapsed:.1f}/s | {statistics.median(tally.latencies) * 1000:.0f} ms | "
        f"{_percentile(tally.latencies, 0.95) * 1000:.0f} ms | "
        f"{_percentile(tally.latencies, 0.99) * 1000:.0f} ms | "
        f"{ok:,} | {', '.join(f'{n:,} × {s}' for s, n in sorted(errors.items())) or 'none'} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=200, help=f"visitors (at most {MAX_USERS})")
    parser.add_argument("--duration", type=int, default=120, help=f"seconds (≤ {MAX_SECONDS})")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="server processes")
    parser.add_argument(
        "--database-url", default="", help="PostgreSQL URL (emptied); default: SQLite"
    )
    parser.add_argument(
        "--signed-in", action="store_true", help="delegates signed in, browsing and writing"
    )
    args = parser.parse_args()
    users, seconds = min(args.users, MAX_USERS), min(args.duration, MAX_SECONDS)
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'load.sqlite3'}"
        backend = make_url(url).get_backend_name()
        print(f"Preparing the demo on {backend}…", file=sys.stderr)
        token = prepare(url)
        users_made = delegates(url, users) if args.signed_in else []
        port = _free_port()
        env = {
            **os.environ,
            "STOCKTAKE_DATABASE_URL": url,
            "STOCKTAKE_DATA_DIR": folder,
            "STOCKTAKE_ENVIRONMENT": "development",
        }
        server = subprocess.Popen(  # noqa: S603  (this interpreter's own command)
            [
                str(Path(sys.executable).parent / "stocktake"),
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                str(args.workers),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 180
            while True:
                try:
                    if httpx2.get(f"{base}/health", timeout=2).status_code == 200:
                        break
                except httpx2.HTTPError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.5)
            if args.signed_in:
                print(f"Signing in {len(users_made)} delegates…", file=sys.stderr)
                visitors = sign_in_all(base, users_made)
            else:
                visitors = [Visitor(token) for _ in range(users)]
            users = len(visitors)
            print(f"{users} visitors for {seconds} s on {base}…", file=sys.stderr)
            tally, elapsed = asyncio.run(crowd(port, visitors, seconds))
        finally:
            server.terminate()
            server.wait(30)
    print(
        "| backend | users | time | requests | throughput | p50 | p95 | p99 | answered | errors |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    who = "signed-in delegates" if args.signed_in else "visitors"
    print(report(f"{backend}, {args.workers} workers, {who}", users, tally, elapsed))


if __name__ == "__main__":
    main()

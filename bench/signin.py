"""Sign-in benchmark: a crowd of delegates signs in at the same moment while readers browse.

It loads the demo (no analysis) into a fresh SQLite database, adds --delegates accounts of
delegations, serves it with `stocktake serve` on a free port of 127.0.0.1, and has every delegate
open the sign-in page, then all send their e-mail and password at the same moment (a barrier).
Meanwhile --readers anonymous readers fetch searches one after another, each a different one, so
that none is shared from the readers' cache. It prints, as rows for docs/benchmarks.md, how long
the last sign-in took and the statuses of the sign-ins and of the page views. Bounded: at most 200
delegates, 20 readers and 120 seconds, and only ever against 127.0.0.1.

    .venv/bin/python -m bench.signin
    .venv/bin/python -m bench.signin --delegates 50 --readers 4 --workers 2
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from stocktake.accounts.services import add_user
from stocktake.core.db import create_db_engine
from stocktake.core.migrate import upgrade
from stocktake.core.permissions import Principal, Role
from stocktake.demo.generator import load_demo
from stocktake.registry.models import Actor

MAX_DELEGATES, MAX_READERS, MAX_SECONDS = 200, 20, 120
PASSWORD = "a delegate's own passphrase"  # noqa: S105  (a benchmark's made-up accounts)
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_args: object, **_kwargs: object) -> None:
        return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def prepare(url: str, delegates: int) -> list[str]:
    """The demo and `delegates` accounts, one per member state: their e-mail addresses."""
    engine = create_db_engine(url)
    upgrade(engine)
    system = Principal.system()
    with Session(engine) as session:
        load_demo(session, by=system)
        codes = session.scalars(
            select(Actor.code).where(Actor.kind == "member_state").order_by(Actor.code)
        ).all()
        emails = []
        for number in range(delegates):
            email = f"delegate{number}@bench.example"
            add_user(
                session,
                email=email,
                password=PASSWORD,
                role=Role.DELEGATION_MEMBER,
                actor_code=codes[number % len(codes)],
                by=system,
            )
            emails.append(email)
    engine.dispose()
    return emails


def _open(opener: urllib.request.OpenerDirector, request: urllib.request.Request) -> int:
    try:
        with opener.open(request, timeout=MAX_SECONDS) as response:
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def sign_in(base: str, email: str, start: threading.Barrier) -> tuple[int, float]:
    """Open the sign-in page, wait for everyone, then sign in: the status and the seconds."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    with opener.open(f"{base}/login", timeout=MAX_SECONDS) as response:
        match = CSRF.search(response.read().decode())
    assert match, "no CSRF token on the sign-in page"
    form = {"csrf": match.group(1), "email": email, "password": PASSWORD, "next": "/"}
    request = urllib.request.Request(  # noqa: S310  (the local server)
        f"{base}/login", data=urllib.parse.urlencode(form).encode(), method="POST"
    )
    start.wait()
    began = time.perf_counter()
    status = _open(opener, request)
    return status, time.perf_counter() - began


def read(base: str, reader: int, done: threading.Event, seen: list[tuple[int, float]]) -> None:
    """Anonymous searches one after another, each different, until the sign-ins are done."""
    opener = urllib.request.build_opener()
    deadline = time.monotonic() + MAX_SECONDS
    number = 0
    while not done.is_set() and time.monotonic() < deadline:
        number += 1
        request = urllib.request.Request(f"{base}/inputs?q=pathways+{reader}+{number}")  # noqa: S310
        began = time.perf_counter()
        status = _open(opener, request)
        seen.append((status, time.perf_counter() - began))


def cpu_seconds(pid: int) -> float:
    """Processor time used so far by a server process and its worker processes (Linux)."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        total = 0.0
        for one in [pid, *map(int, children)]:
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return float("nan")
    return total


def crowd(base: str, emails: list[str], readers: int) -> tuple[list[tuple[int, float]], ...]:
    start = threading.Barrier(len(emails))
    done = threading.Event()
    views: list[tuple[int, float]] = []
    reading = [threading.Thread(target=read, args=(base, r, done, views)) for r in range(readers)]
    for thread in reading:
        thread.start()
    results: list[tuple[int, float]] = [(0, 0.0)] * len(emails)

    def one(index: int) -> None:
        results[index] = sign_in(base, emails[index], start)

    signing = [threading.Thread(target=one, args=(i,)) for i in range(len(emails))]
    for thread in signing:
        thread.start()
    for thread in signing:
        thread.join(MAX_SECONDS + 30)
    done.set()
    for thread in reading:
        thread.join(MAX_SECONDS + 30)
    return results, views


def _statuses(results: list[tuple[int, float]]) -> str:
    return ", ".join(f"{n} × {s}" for s, n in sorted(Counter(s for s, _ in results).items()))


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] if ordered else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--delegates", type=int, default=50, help=f"at most {MAX_DELEGATES}")
    parser.add_argument("--readers", type=int, default=4, help=f"at most {MAX_READERS}")
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    args = parser.parse_args()
    delegates, readers = min(args.delegates, MAX_DELEGATES), min(args.readers, MAX_READERS)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'signin.sqlite3'}"
        print(f"Preparing the demo and {delegates} delegates…", file=sys.stderr)
        emails = prepare(url, delegates)
        port = _free_port()
        env = {**os.environ, "STOCKTAKE_DATABASE_URL": url, "STOCKTAKE_DATA_DIR": folder}
        server = subprocess.Popen(  # noqa: S603  (this interpreter's own command)
            [
                *(str(Path(sys.executable).parent / "stocktake"), "serve"),
                *("--host", "127.0.0.1", "--port", str(port), "--workers", str(args.workers)),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    if _open(urllib.request.build_opener(), urllib.request.Request(base)) == 200:
                        break
                except OSError:
                    time.sleep(0.5)
            print(f"{delegates} sign-ins at once, {readers} readers, on {base}…", file=sys.stderr)
            used = cpu_seconds(server.pid)
            began = time.perf_counter()
            results, views = crowd(base, emails, readers)
            elapsed = time.perf_counter() - began
            used = cpu_seconds(server.pid) - used
        finally:
            server.terminate()
            server.wait(30)
    times = [seconds for _, seconds in results]
    view_times = [seconds for _, seconds in views]
    load = os.getloadavg()[0]
    print("| sign-ins | workers | last sign-in | median | sign-in answers | page views | "
          "page p95 | page answers | server CPU | load average |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|")
    print(
        f"| {delegates} | {args.workers} | {max(times):.1f} s | {statistics.median(times):.1f} s "
        f"| {_statistics(results)} | {len(views)} | {_p95(view_times) * 1000:.0f} ms "
        f"| {_statistics(views)} | {used:.1f} s in {elapsed:.1f} s | {load:.1f} |"
    )


def _statistics(results: list[tuple[int, float]]) -> str:
    return _statuses(results) or "none"


if __name__ == "__main__":
    main()

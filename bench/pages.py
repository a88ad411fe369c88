"""Per-page server time for signed-in users: every main page, as each role sees it.

It loads the demo (with its analysis, as `stocktake demo` does) into a fresh database — a SQLite file,
or the PostgreSQL database named with --database-url, which it empties — builds the app in this
process, signs in through the sign-in form as the secretariat, a delegation (Mexico) and a
stakeholder, and asks each of the role's pages --repeat times after two warm-up visits. The time
counted is the server's: from the moment the request enters the app (its whole middleware stack)
to the last byte of the answer, without the client's own work. It prints a table of median
and p95 per page and role, for docs/benchmarks.md.

The requests are made in the app's own event loop (`Client`), and the answer's body is taken as the
app sends it, as a server's socket takes it. Starlette's TestClient, which the benchmark used
before, runs the app in a thread of its own and makes it wait, between the answer's head and its
body, until the client's thread has read the head and asked for the body: two thread switches, and
the client's own reading, inside every time counted (about 0.3 ms a page on this machine).

    .venv/bin/python -m bench.pages
    .venv/bin/python -m bench.pages --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench
    .venv/bin/python -m bench.pages --page /review --role secretariat --profile  # where the time goes
    .venv/bin/python -m bench.pages --calls  # Python calls per page: the same on every machine

Times move with the machine and its hour (the same commit gave 5.0 and 11.9 ms on two days); the
Python function calls a page makes do not, so `--calls` adds a column of them (cProfile over one
visit after the warm-up), and their median over every page and role.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable, Coroutine, Iterator, MutableMapping
from contextlib import AbstractAsyncContextManager, contextmanager
from pathlib import Path
from typing import Any

import httpx2
from sqlalchemy import make_url, text
from sqlalchemy.orm import Session

from bench import fresh_database
from stocktake.app import create_app
from stocktake.config import get_settings
from stocktake.core.permissions import Principal
from stocktake.demo.generator import DEMO_PASSWORD, load_demo

Scope = MutableMapping[str, Any]
Asgi = Callable[
    [Scope, Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]], Awaitable[None]
]

# The main pages every role reads (the public's pages of tests/browser/test_pages.py), and those of
# each role besides.
MAIN = [
    "/",
    "/meetings",
    "/meetings/puerto-vallarta-2017",
    "/inputs",
    "/inputs?q=migrant+workers",
    "/actors",
    "/actors/MEX",
    "/actors/MEX/inputs",
    "/summary",
    "/drafts",
    "/drafts/1",
    "/drafts/1/coverage",
    "/drafts/1/paragraphs/para_12/thread",
    "/review",
    "/review/indicators",
    "/review/pledges",
    "/review/cycles",
    "/review/cycles/imrf-2022-review",
    "/review/objectives/1/thread",
    "/news",
    "/news/1",
]
ROLES = {
    "secretariat": (
        "secretariat@gcm.example",
        [
            "/inputs/queue",
            "/analysis",
            "/analysis/clusters",
            "/analysis/review",
            "/drafts/1/revisions",
            "/drafts/1/compilation",
            "/drafts/1/amendment-list",
            "/drafts/1/decisions",
            "/drafts/1/compare",
            "/users",
            "/audit",
            "/review/capacity",
            "/review/practices",
            "/meetings/puerto-vallarta-2017/registrations",
            "/notifications",
        ],
    ),
    "delegation": (
        "mexico@gcm.example",
        [
            "/mine",
            "/inputs/new",
            "/review/pledges/new",
            "/drafts/1/amendments",
            "/drafts/1/amendments/new",
            "/meetings/puerto-vallarta-2017/registrations",
            "/notifications",
            "/account/notifications",
        ],
    ),
    "stakeholder": (
        "stakeholder@gcm.example",
        ["/mine", "/inputs/new", "/notifications", "/account/notifications"],
    ),
}
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


class Client:
    """A client that makes each request in the app's own event loop, through httpx's ASGI
    transport (which keeps the answer's body as the app sends it), with the app's lifespan run
    around it, as a server runs it; used as a context manager, like TestClient."""

    def __init__(self, app: Any, *, lifespan: Any, base_url: str = "http://127.0.0.1") -> None:
        self.loop = asyncio.new_event_loop()
        self.client = httpx2.AsyncClient(transport=httpx2.ASGITransport(app), base_url=base_url)
        self.lifespan: AbstractAsyncContextManager[Any] = lifespan

    def _run(self, work: Coroutine[Any, Any, Any]) -> Any:
        return self.loop.run_until_complete(work)

    def __enter__(self) -> Client:
        self._run(self.lifespan.__aenter__())
        return self

    def __exit__(self, *exc: object) -> None:
        self._run(self.lifespan.__aexit__(None, None, None))
        self._run(self.client.aclose())
        self.loop.close()

    def get(self, path: str) -> httpx2.Response:
        return self._run(self.client.get(path))  # type: ignore[no-any-return]

    def post(self, path: str, **kwargs: Any) -> httpx2.Response:
        return self._run(self.client.post(path, **kwargs))  # type: ignore[no-any-return]


def client_of(app: Any, timed: Timed) -> Client:
    """A client of the timed app, with the app's lifespan."""
    return Client(timed, lifespan=app.router.lifespan_context(app))


class Timed:
    """The app, with the time of each HTTP request it serves kept in `times`."""

    def __init__(self, app: Asgi) -> None:
        self.app = app
        self.times: list[float] = []
        self.cpu: list[float] = []
        self.profiler: Any = None

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.profiler is not None:
            self.profiler.start()
        start, cpu = time.perf_counter(), time.thread_time()
        try:
            await self.app(scope, receive, send)
        finally:
            self.times.append(time.perf_counter() - start)
            self.cpu.append(time.thread_time() - cpu)
            if self.profiler is not None:
                self.profiler.stop()


def prepare(url: str) -> None:
    """A fresh database with the demo and its analysis, as `stocktake demo` leaves it; on
    PostgreSQL with its statistics gathered (ANALYZE), as autovacuum gathers them within a minute
    of the load on a server that runs it: without them the planner takes every table for almost
    empty and, for one, sorts all of a process's inputs for each page of the inputs list instead of
    reading the page from the index in its order."""
    engine = fresh_database(url)
    with Session(engine) as session:
        load_demo(session, by=Principal.system(), analyse=True)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))
    engine.dispose()


def sign_in(client: Client, email: str) -> None:
    match = CSRF.search(client.get("/login").text)
    assert match, "no sign-in form"
    answer = client.post(
        "/login",
        data={"csrf": match.group(1), "email": email, "password": DEMO_PASSWORD, "next": "/"},
        follow_redirects=False,
    )
    assert answer.status_code == 303, f"{email} could not sign in"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


class Counting:
    """A profiler for `Timed` that counts the Python function calls of the requests it sees."""

    def __init__(self) -> None:
        import cProfile

        self.profile = cProfile.Profile()

    def start(self) -> None:
        self.profile.enable()

    def stop(self) -> None:
        self.profile.disable()

    def calls(self) -> int:
        import pstats

        return int(pstats.Stats(self.profile).total_calls)  # type: ignore[attr-defined]


def count_calls(client: Client, timed: Timed, path: str) -> int:
    """The Python function calls of one visit of `path` (after the warm-up visits)."""
    counting = Counting()
    timed.profiler = counting
    try:
        client.get(path)
    finally:
        timed.profiler = None
    return counting.calls()


def measure(
    client: Client, timed: Timed, path: str, repeat: int
) -> tuple[int, list[float], list[float]]:
    """The answer's status, and the server's wall and processor time of each timed visit."""
    for _ in range(2):  # the first visits fill the process's caches
        status = client.get(path).status_code
    timed.times.clear()
    timed.cpu.clear()
    for _ in range(repeat):
        client.get(path)
    return status, list(timed.times), list(timed.cpu)


@contextmanager
def inline() -> Iterator[None]:
    """The app's sync work (handlers, dependencies) run in the event loop's thread rather than
    handed to a worker thread: so that one thread's processor time, and one profiler, see all the
    server's work on a request."""
    from anyio import to_thread

    async def run_here(func: Callable[..., Any], *args: Any, **_: Any) -> Any:
        return func(*args)

    threaded = to_thread.run_sync
    to_thread.run_sync = run_here  # type: ignore[assignment]
    try:
        yield
    finally:
        to_thread.run_sync = threaded


def profile(client: Client, timed: Timed, path: str, repeat: int) -> None:
    """Where the server's time goes on `path` (pyinstrument, installed by hand: it is no
    dependency). The app's sync work runs in the event loop's thread meanwhile, so that one
    profiler sees all of it."""
    from pyinstrument import Profiler

    client.get(path)
    timed.profiler = Profiler(async_mode="disabled", interval=0.0005)
    try:
        for _ in range(repeat):
            client.get(path)
    finally:
        profiler, timed.profiler = timed.profiler, None
    print(profiler.output_text(unicode=True, color=False, show_all=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", help="a PostgreSQL database to empty and use")
    parser.add_argument("--repeat", type=int, default=30, help="timed visits per page")
    parser.add_argument("--role", choices=list(ROLES), action="append", help="only these roles")
    parser.add_argument("--page", action="append", help="only these pages")
    parser.add_argument(
        "--profile", action="store_true", help="profile the pages (needs pyinstrument)"
    )
    parser.add_argument(
        "--reuse", action="store_true", help="use the database as it is (demo already loaded)"
    )
    parser.add_argument(
        "--calls", action="store_true", help="count each page's Python function calls too"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'pages.sqlite3'}"
        backend = make_url(url).get_backend_name()
        if not args.reuse:
            prepare(url)
        settings = get_settings(
            environment="development",
            secret_key="pages-benchmark-secret-of-a-throwaway-database",  # noqa: S106
            database_url=url,
        )
        app = create_app(settings, served=True)  # as `stocktake serve` runs it
        timed = Timed(app)
        rows = []
        every: list[float] = []
        every_cpu: list[float] = []
        every_calls: list[int] = []
        for role in args.role or list(ROLES):
            email, own = ROLES[role]
            with client_of(app, timed) as client, inline():
                sign_in(client, email)
                for path in args.page or (MAIN + own):
                    if args.profile:
                        print(f"== {role} {path}")
                        profile(client, timed, path, args.repeat)
                        continue
                    status, times, cpu = measure(client, timed, path, args.repeat)
                    if status != 200:
                        rows.append(f"| {role} | `{path}` | answered {status} | | |")
                        continue
                    every.extend(times)
                    every_cpu.extend(cpu)
                    calls = ""
                    if args.calls:
                        every_calls.append(count_calls(client, timed, path))
                        calls = f" {every_calls[-1]:,} |"
                    rows.append(
                        f"| {role} | `{path}` | {ms(statistics.median(times))} | "
                        f"{ms(p95(times))} | {ms(statistics.median(cpu))} |{calls}"
                    )
        app.state.engine.dispose()
    if args.profile:
        return
    print(f"Server time per page, {backend}, {args.repeat} visits each after two warm-up visits:\n")
    print(
        "| role | page | median | p95 | processor (median) |" + (" calls |" if args.calls else "")
    )
    print("|---|---|---|---|---|" + ("---|" if args.calls else ""))
    print("\n".join(rows))
    if every:
        print(
            f"\nAll pages: median {ms(statistics.median(every))}, p95 {ms(p95(every))}, "
            f"processor median {ms(statistics.median(every_cpu))} over {len(every)} visits"
            + (
                f"; Python calls, median {statistics.median(every_calls):,.0f}"
                if every_calls
                else ""
            )
        )


if __name__ == "__main__":
    main()

"""The commands that stand on the whole application: load the demo, serve the app."""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import Progress

from stocktake.config import SECRET_FILE, Settings
from stocktake.core.commands import _, err, ngettext, open_session, reports_errors, settings
from stocktake.core.db import create_db_engine
from stocktake.core.migrate import upgrade
from stocktake.core.permissions import Principal
from stocktake.core.translation import translatable

out = Console(soft_wrap=True)
# the notes of the demo's logins (demo/generator.py), which `demo` prints in the messages' language
DEMO_NOTES = (
    translatable("runs the process"),
    translatable("delegation of Mexico"),
    translatable("delegation of the Philippines"),
    translatable("a civil society organisation"),
)


@reports_errors
def demo(
    frameworks: Path | None = typer.Option(
        None,
        help="An Open SDG translations folder to import the SDG framework from, instead of the copy shipped with stocktake",
    ),
    analyse: bool = typer.Option(
        True, help="Run the analysis and draft a summary if none exists yet"
    ),
    opensdg: Path | None = typer.Option(
        None, help="An Open SDG data folder to import indicator data from (once)"
    ),
) -> None:
    """Migrate the database, load the default process, the registry and the demo data (idempotent)."""
    from stocktake.demo.generator import DEMO_LOGINS, DEMO_PASSWORD, load_demo

    with open_session() as session, Progress(console=out, transient=True) as progress:
        task = progress.add_task(_("Loading demo data"), total=3 + 22 + 3)
        report = load_demo(
            session,
            by=Principal.system(),
            progress=lambda _l, n: progress.advance(task, n),
            frameworks=frameworks,
            analyse=analyse,
            opensdg=opensdg,
        )
    if report.changed:
        loaded = _(
            "Demo data loaded: %(organisations)s organisations, %(meetings)s meetings, "
            "%(registrations)s registrations, %(users)s users, %(inputs)s inputs",
            organisations=report.organisations,
            meetings=report.meetings,
            registrations=report.participants,
            users=report.users,
            inputs=report.inputs,
        )
        if report.framework_items:
            loaded += _(", %(num)s SDG framework items", num=report.framework_items)
        if report.review:
            loaded += _(
                ", %(num)s review items (objectives, indicators, pledges)", num=report.review
            )
        if report.analysed:
            out.print(_("%(loaded)s, a first analysis run and a draft summary.", loaded=loaded))
        else:
            out.print(_("%(loaded)s.", loaded=loaded))
    else:
        out.print(_("Demo data already loaded; nothing changed."))
    password = f"[bold]{DEMO_PASSWORD}[/]"
    out.print("\n" + _("Sign in with (password for all: %(password)s):", password=password))
    for login in DEMO_LOGINS:
        out.print(f"  {login.role.value:<18} {login.email:<28} {_(login.note)}")
    anonymous, reads = _("(no login)"), _("reads what is published")
    out.print(f"  {'public':<18} {anonymous:<28} {reads}")


def server_options() -> dict[str, object]:
    """What uvicorn is run with besides the app, the address and the workers. Its own handling of
    X-Forwarded-For is off: it trusts 127.0.0.1 by default and replaces the peer's address, which
    stocktake needs to tell whether the header comes from a trusted proxy (web/proxies.py)."""
    return {"proxy_headers": False, "forwarded_allow_ips": "", "log_level": "info"}


def own_address(host: str, port: int) -> str:
    """The address of a server listening on `host` and `port`, as a link on this machine gives
    it: a wildcard address is reached through the loopback, an IPv6 address in brackets."""
    if host in ("", "0.0.0.0"):  # noqa: S104 (a name for the wildcard, not a binding)
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


@reports_errors
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on"),
    port: int = typer.Option(8000, help="Port to listen on"),
    workers: int = typer.Option(
        1, min=1, max=64, help="Server processes; one per core uses every core"
    ),
) -> None:
    """Serve the web app and the API."""
    import uvicorn

    from stocktake.app import create_app

    try:
        config = settings()
    except ValidationError as exc:
        messages = "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())
        err.print("[bold red]" + _("error:") + f"[/] {messages}", highlight=False)
        raise typer.Exit(1) from exc
    if "public_url" not in config.model_fields_set:
        # links in e-mails lead to this server unless STOCKTAKE_PUBLIC_URL names the public address
        config.public_url = own_address(host, port)
        os.environ["STOCKTAKE_PUBLIC_URL"] = config.public_url  # for the other processes too
    engine = create_db_engine(config.resolved_database_url)
    upgrade(engine)
    engine.dispose()
    if not config.secret_key:
        config.session_secret()
        out.print(
            _(
                "Session cookies are signed with this installation's own key, kept in "
                "%(path)s; set STOCKTAKE_SECRET_KEY to use another.",
                path=config.data_dir / SECRET_FILE,
            )
        )
    out.print(
        ngettext(
            "stocktake is serving on %(address)s with %(num)s process (API docs: /api/docs). "
            "Ctrl+C stops it.",
            "stocktake is serving on %(address)s with %(num)s processes (API docs: /api/docs). "
            "Ctrl+C stops it.",
            workers,
            address=f"[bold]http://{host}:{port}[/]",
        )
    )
    if workers > 1:
        # each process builds its own app, settings and engine from the environment
        uvicorn.run(
            "stocktake.app:create_served_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            # a process importing the app on a busy machine is slow to answer, not dead
            timeout_worker_healthcheck=60,
            **server_options(),  # type: ignore[arg-type]
        )
    else:
        uvicorn.run(create_app(config, served=True), host=host, port=port, **server_options())  # type: ignore[arg-type]


@reports_errors
def worker(
    concurrency: int = typer.Option(
        1, min=1, max=64, help="Jobs run at once by this worker (threads)"
    ),
    queue: list[str] = typer.Option(
        [],
        "--queue",
        help="Take jobs only from this queue (analysis, imports, reports, default); repeat for "
        "several; default: every queue",
    ),
    once: bool = typer.Option(
        False, "--once", help="Run the jobs waiting now, one after the other, then stop"
    ),
) -> None:
    """Run a worker for the jobs: analysis runs, imports, reports, compilations as Word documents.

    It runs until Ctrl+C or SIGTERM: on PostgreSQL a procrastinate worker, on SQLite the same loop
    the server runs. Start as many as needed, on any machine that reaches the database; the
    database is migrated by `stocktake db upgrade` or `stocktake serve`, not by the workers.
    With --once it runs the jobs waiting now and stops (a cron job, a script)."""
    from stocktake.core.jobs import run_worker, worker_name

    config = settings()
    if once:
        _run_once(config, tuple(queue))
        return
    # no migration here: the servers (or `stocktake db upgrade`) migrate; a worker started before
    # the database answers waits for it
    name = worker_name()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("stocktake.jobs").info("worker %s is waiting for jobs", name)
    with contextlib.suppress(KeyboardInterrupt):
        run_worker(config, concurrency=concurrency, queues=tuple(queue), name=name)


def _run_once(config: Settings, queues: tuple[str, ...]) -> None:
    from stocktake.core.db import session_factory
    from stocktake.core.jobs import policy_of, run_pending, worker_name

    engine = create_db_engine(config.resolved_database_url)
    try:
        ran = run_pending(
            session_factory(engine),
            worker=worker_name(),
            policy=policy_of(config),
            queues=queues,
        )
    finally:
        engine.dispose()
    typer.echo(_("Jobs run: %(num)s.", num=ran))

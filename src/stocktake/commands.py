"""The commands that stand on the whole application: load the demo, serve the app."""

from __future__ import annotations

from pathlib import Path

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import Progress

from stocktake.config import SECRET_FILE
from stocktake.core.commands import err, open_session, reports_errors, settings
from stocktake.core.db import create_db_engine
from stocktake.core.migrate import upgrade
from stocktake.core.permissions import Principal

out = Console(soft_wrap=True)


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
        task = progress.add_task("Loading demo data", total=3 + 22 + 3)
        report = load_demo(
            session,
            by=Principal.system(),
            progress=lambda _l, n: progress.advance(task, n),
            frameworks=frameworks,
            analyse=analyse,
            opensdg=opensdg,
        )
    if report.changed:
        out.print(
            f"Demo data loaded: {report.organisations} organisations, {report.meetings} meetings, "
            f"{report.participants} registrations, {report.users} users, {report.inputs} inputs"
            + (f", {report.framework_items} SDG framework items" if report.framework_items else "")
            + (
                f", {report.review} review items (objectives, indicators, pledges)"
                if report.review
                else ""
            )
            + (", a first analysis run and a draft summary." if report.analysed else ".")
        )
    else:
        out.print("Demo data already loaded; nothing changed.")
    out.print("\nSign in with (password for all: [bold]" + DEMO_PASSWORD + "[/]):")
    for login in DEMO_LOGINS:
        out.print(f"  {login.role.value:<18} {login.email:<28} {login.note}")
    out.print("  public             (no login)                   reads what is published")


def server_options() -> dict[str, object]:
    """What uvicorn is run with besides the app, the address and the workers. Its own handling of
    X-Forwarded-For is off: it trusts 127.0.0.1 by default and replaces the peer's address, which
    stocktake needs to tell whether the header comes from a trusted proxy (web/proxies.py)."""
    return {"proxy_headers": False, "forwarded_allow_ips": "", "log_level": "info"}


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
        err.print(f"[bold red]error:[/] {messages}", highlight=False)
        raise typer.Exit(1) from exc
    engine = create_db_engine(config.resolved_database_url)
    upgrade(engine)
    engine.dispose()
    if not config.secret_key:
        config.session_secret()
        out.print(
            f"Session cookies are signed with this installation's own key, kept in "
            f"{config.data_dir / SECRET_FILE}; set STOCKTAKE_SECRET_KEY to use another."
        )
    out.print(
        f"stocktake is serving on [bold]http://{host}:{port}[/] with {workers} process"
        f"{'es' if workers > 1 else ''} (API docs: /api/docs). Ctrl+C stops it."
    )
    if workers > 1:
        # each process builds its own app, settings and engine from the environment
        uvicorn.run(
            "stocktake.app:create_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            # a process importing the app on a busy machine is slow to answer, not dead
            timeout_worker_healthcheck=60,
            **server_options(),  # type: ignore[arg-type]
        )
    else:
        uvicorn.run(create_app(config), host=host, port=port, **server_options())  # type: ignore[arg-type]

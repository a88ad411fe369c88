"""The application factory: the table of contents of the web app."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from anyio import to_thread
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from sqlalchemy import Engine
from starlette.middleware.gzip import GZipMiddleware
from starlette.middleware.sessions import SessionMiddleware

from stocktake import __version__
from stocktake.accounts import routes as accounts
from stocktake.accounts.services import password_checks_at_once
from stocktake.analysis import routes as analysis
from stocktake.audit import routes as audit
from stocktake.config import Settings, get_settings
from stocktake.consultation import routes as consultation
from stocktake.core.db import create_db_engine, session_factory
from stocktake.core.jobs import start_app_worker
from stocktake.frameworks import routes as frameworks
from stocktake.meetings import routes as meetings
from stocktake.negotiation import routes as negotiation
from stocktake.news import routes as news
from stocktake.notifications import routes as notifications
from stocktake.notifications.mail import Sender
from stocktake.process import routes as process
from stocktake.registry import routes as registry
from stocktake.review import routes as review
from stocktake.site import routes as site
from stocktake.summary import routes as summary
from stocktake.web import errors
from stocktake.web.admission import Admission
from stocktake.web.middleware import BodyLimit, InputGuard, PublicCache, SecurityHeaders
from stocktake.web.proxies import TrustedProxies
from stocktake.web.routing import index_routes

STATIC = Path(__file__).resolve().parent / "static"
DOMAINS = (
    process,
    registry,
    news,
    meetings,
    consultation,
    frameworks,
    analysis,
    summary,
    negotiation,
    review,
    accounts,
    notifications,
    audit,
    site,  # last: pages that span the domains above
)

SESSION_COOKIE = "stocktake_session"


def create_served_app() -> FastAPI:
    """The app as `stocktake serve` runs it in each of its processes (uvicorn's factory)."""
    return create_app(served=True)


def create_app(
    settings: Settings | None = None, engine: Engine | None = None, *, served: bool = False
) -> FastAPI:
    """The app. `served`: it is a server process's only app, which may tune the process: the
    objects its start made (the modules, the app, the settings) are set aside from the garbage
    collector, whose full passes over them took a request 100–400 ms now and then."""
    settings = settings or get_settings()
    # sign-ins are at work besides the other requests, one per core (admission)
    sign_ins = password_checks_at_once()
    engine = engine or create_db_engine(
        settings.resolved_database_url, pool_size=settings.db_pool_size + sign_ins
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # a thread for every request at work and for the background work the pool keeps two
        # connections for: no request waits for a thread while it holds a connection
        threads = settings.db_pool_size + sign_ins + 2
        to_thread.current_default_thread_limiter().total_tokens = threads
        if served:
            gc.collect()
            gc.freeze()
        # the outbox is delivered in the background, never by the request that wrote it
        sender = Sender(app.state.sessions, settings) if settings.smtp_host else None
        if sender is not None:
            sender.start()
        # the jobs (analysis runs, imports, reports) are run by a worker beside the pages, unless
        # `jobs_in_app` is off and `stocktake worker` runs them
        worker = start_app_worker(settings, engine)
        try:
            yield
        finally:
            if worker is not None:
                worker.stop(timeout=10)
            if sender is not None:
                sender.stop()

    app = FastAPIOffline(
        lifespan=lifespan,
        title="stocktake",
        version=__version__,
        description="The JSON API of stocktake: process, registry of actors, meetings, audit.",
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
        swagger_ui_oauth2_redirect_url="/api/docs/oauth2-redirect",
        static_url="/static/api-docs",
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = session_factory(engine)
    # the last added runs first: the client's address behind trusted proxies, headers on every
    # answer, then the size limit, then the anonymous readers' cache, then admission (a cached
    # answer takes no worker), then the check of every text and JSON body the request brings
    # level 6, zlib's own default: the pages come out the same size as at 9 (within 0.3 %), in
    # three quarters of the time
    app.add_middleware(GZipMiddleware, minimum_size=800, compresslevel=6)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.session_secret(),
        session_cookie=SESSION_COOKIE,
        max_age=settings.session_max_age,
        same_site="lax",
        https_only=settings.https_only_cookies,
    )
    app.add_middleware(InputGuard)
    app.add_middleware(
        Admission,
        limit=settings.db_pool_size,
        queue=settings.max_queued_requests,
        wait=settings.queue_timeout,
        write_wait=settings.write_queue_timeout,
        sign_ins=sign_ins,
        session_cookie=SESSION_COOKIE,
    )
    app.add_middleware(
        PublicCache, seconds=settings.public_cache_seconds, session_cookie=SESSION_COOKIE
    )
    app.add_middleware(
        BodyLimit, upload_bytes=settings.max_upload_bytes, body_bytes=settings.max_body_bytes
    )
    app.add_middleware(SecurityHeaders, hsts=settings.https_only_cookies)
    app.add_middleware(TrustedProxies, trusted=settings.trusted_networks)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    errors.install(app)
    for domain in DOMAINS:
        domain.register(app)
    index_routes(app)  # a request asks only the routers whose paths begin as its own
    return app

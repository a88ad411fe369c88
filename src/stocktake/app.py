"""The application factory: the table of contents of the web app."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from sqlalchemy import Engine
from starlette.middleware.gzip import GZipMiddleware
from starlette.middleware.sessions import SessionMiddleware

from stocktake import __version__
from stocktake.accounts import routes as accounts
from stocktake.analysis import routes as analysis
from stocktake.audit import routes as audit
from stocktake.config import Settings, get_settings
from stocktake.consultation import routes as consultation
from stocktake.core.db import create_db_engine, session_factory
from stocktake.frameworks import routes as frameworks
from stocktake.meetings import routes as meetings
from stocktake.negotiation import routes as negotiation
from stocktake.process import routes as process
from stocktake.registry import routes as registry
from stocktake.summary import routes as summary
from stocktake.web import errors

STATIC = Path(__file__).resolve().parent / "static"
DOMAINS = (
    process,
    registry,
    meetings,
    consultation,
    frameworks,
    analysis,
    summary,
    negotiation,
    accounts,
    audit,
)


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    settings = settings or get_settings()
    engine = engine or create_db_engine(settings.resolved_database_url)
    app = FastAPIOffline(
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
    app.add_middleware(GZipMiddleware, minimum_size=800)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie="stocktake_session",
        max_age=settings.session_max_age,
        same_site="lax",
        https_only=settings.https_only_cookies,
    )
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    errors.install(app)
    for domain in DOMAINS:
        domain.register(app)
    return app

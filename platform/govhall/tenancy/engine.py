"""Engine and session configuration (Advanced Alchemy), shared by the app, the CLI, migrations and tests.

It lives with tenancy because every engine is made with the ORM tenant guard installed: there is no way to get
an engine of this app that does not scope tenant-owned rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from advanced_alchemy.extensions.litestar import AsyncSessionConfig, EngineConfig, SQLAlchemyAsyncConfig
from litestar.connection import ASGIConnection
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine

from govhall.tenancy.guard import install_tenant_guard


def _prepare_sqlite(url: str) -> None:
    db = make_url(url).database
    if db and db != ":memory:":
        Path(db).parent.mkdir(parents=True, exist_ok=True)


def _sqlite_pragmas(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_conn, _record):
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")  # composite tenant FKs are enforced on SQLite too
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=5000")
        cur.close()


def create_engine(url: str, **kw) -> AsyncEngine:
    install_tenant_guard()
    is_sqlite = url.startswith("sqlite")
    if is_sqlite:
        _prepare_sqlite(url)
    else:
        kw.setdefault("pool_pre_ping", True)
    # Statement parameters (password hashes, names, punches) never go into exception messages or logs.
    kw.setdefault("hide_parameters", True)
    engine = create_async_engine(url, **kw)
    if is_sqlite:
        _sqlite_pragmas(engine)
    return engine


def alchemy_config(url: str, session_info: dict[str, Any] | None = None) -> SQLAlchemyAsyncConfig:
    """The Litestar plugin config: one session per request, committed when the handler returns 2xx.
    ``session_info`` goes into every session's ``info`` (the app's per-worker caches)."""
    return SQLAlchemyAsyncConfig(
        engine_instance=create_engine(url),
        session_config=AsyncSessionConfig(expire_on_commit=False, info=dict(session_info or {})),
        before_send_handler="autocommit",
        engine_config=EngineConfig(),
    )


REQUEST_SESSIONS = "govhall_request_sessions"
"""App-state key of the ``SQLAlchemyAsyncConfig`` whose request session ``request_session`` hands out."""


def request_session(connection: ASGIConnection[Any, Any, Any, Any]) -> AsyncSession:
    """The request's one session: the very session its handler gets as ``db_session`` (created here if the
    handler's dependency has not made it yet), committed or rolled back and closed once when the response starts.
    Middleware that needs the database before the handler (the session user) reads through it, so a request
    is one transaction on one pooled connection instead of one per reader."""
    config: SQLAlchemyAsyncConfig = connection.app.state[REQUEST_SESSIONS]
    return config.provide_session(connection.app.state, connection.scope)

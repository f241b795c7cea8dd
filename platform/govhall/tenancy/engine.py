"""Engine and session configuration (Advanced Alchemy), shared by the app, the CLI, migrations and tests.

It lives with tenancy because every engine is made with the ORM tenant guard installed: there is no way to get
an engine of this app that does not scope tenant-owned rows."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from advanced_alchemy.extensions.litestar import AsyncSessionConfig, EngineConfig, SQLAlchemyAsyncConfig
from advanced_alchemy.utils.serialization import decode_json, encode_json
from litestar.connection import ASGIConnection
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
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


IDLE_PING_SECONDS = 30.0
"""A pooled connection is pinged at checkout only when it sat idle in the pool longer than this (a server or a
firewall may have closed it meanwhile). SQLAlchemy's ``pool_pre_ping`` pings at every checkout, which on asyncpg
is a ``BEGIN; ROLLBACK`` round trip per request; a connection in steady use needs none: if it broke anyway, that
one request fails and SQLAlchemy invalidates the connection (and, on a disconnect, the pool), so the next request
gets a fresh one."""


def _ping_when_idle(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "checkin")
    def _on_checkin(_dbapi_conn: Any, record: Any) -> None:
        record.info["govhall_idle_since"] = time.monotonic()

    @event.listens_for(engine.sync_engine, "checkout")
    def _on_checkout(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get("govhall_idle_since")
        if since is None or time.monotonic() - since < IDLE_PING_SECONDS:
            return  # new, or in use moments ago
        try:
            dbapi_conn.ping()
        except Exception as exc:  # the pool throws this connection away and checks out another (up to 3 tries)
            raise DisconnectionError("stale pooled connection") from exc


def create_engine(url: str, *, pool_size: int | None = None, max_overflow: int | None = None, **kw) -> AsyncEngine:
    """An engine with the tenant guard. ``pool_size`` / ``max_overflow`` (PostgreSQL): the connections a worker
    keeps open and may open beyond them for a burst (``GOVHALL_DB_POOL_SIZE`` / ``GOVHALL_DB_MAX_OVERFLOW`` for the
    app); SQLAlchemy's defaults (5 + 10) otherwise."""
    install_tenant_guard()
    is_sqlite = url.startswith("sqlite")
    if is_sqlite:
        _prepare_sqlite(url)
    elif kw.get("poolclass") is None:
        if pool_size is not None:
            kw["pool_size"] = pool_size
        if max_overflow is not None:
            kw["max_overflow"] = max_overflow
    # Statement parameters (password hashes, names, punches) never go into exception messages or logs.
    kw.setdefault("hide_parameters", True)
    # JSON columns through Advanced Alchemy's serializer (msgspec), as its EngineConfig would: the stdlib's
    # json.dumps cost a month close a tenth of its time on SQLite (one call per scorecard and per line list)
    kw.setdefault("json_serializer", encode_json)
    kw.setdefault("json_deserializer", decode_json)
    engine = create_async_engine(url, **kw)
    if is_sqlite:
        _sqlite_pragmas(engine)
    elif not kw.get("pool_pre_ping"):
        _ping_when_idle(engine)
    return engine


def alchemy_config(url: str, session_info: dict[str, Any] | None = None, *, pool_size: int | None = None,
                   max_overflow: int | None = None) -> SQLAlchemyAsyncConfig:
    """The Litestar plugin config: one session per request, committed when the handler returns 2xx.
    ``session_info`` goes into every session's ``info`` (the app's per-worker caches)."""
    return SQLAlchemyAsyncConfig(
        engine_instance=create_engine(url, pool_size=pool_size, max_overflow=max_overflow),
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

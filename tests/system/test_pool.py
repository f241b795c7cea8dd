"""The connection pool (issue 16): sized by settings, and pinged only after 30 s idle, never per checkout."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import event, text

from govhall.tenancy.engine import IDLE_PING_SECONDS, create_engine


async def test_pool_size_from_settings(app_settings) -> None:  # type: ignore[no-untyped-def]
    if not app_settings.database_url.startswith("postgresql"):
        pytest.skip("SQLite has no connection pool to size")
    from govhall.app import create_app

    app = create_app(replace(app_settings, db_pool_size=7, db_max_overflow=3))
    pool = app.state.store.engine.sync_engine.pool
    assert pool.size() == 7 and pool._max_overflow == 3


async def test_idle_connection_is_pinged_and_a_dead_one_replaced(test_db, owner_engine, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    if not test_db.is_postgres:
        pytest.skip("PostgreSQL only")
    pings = []
    engine = create_engine(test_db.app_url, pool_size=1, max_overflow=0)
    records: list = []
    event.listen(engine.sync_engine, "checkin", lambda _conn, record: records.append(record))
    try:
        async with engine.connect() as conn:
            pid = await conn.scalar(text("SELECT pg_backend_pid()"))
        from sqlalchemy.dialects.postgresql.asyncpg import AsyncAdapt_asyncpg_connection as Adapter

        real_ping = Adapter.ping

        def counting_ping(self):  # type: ignore[no-untyped-def]
            pings.append(1)
            return real_ping(self)

        monkeypatch.setattr(Adapter, "ping", counting_ping)
        for _ in range(5):  # steady use: no ping at all
            async with engine.connect() as conn:
                assert await conn.scalar(text("SELECT pg_backend_pid()")) == pid
        assert pings == []
        async with owner_engine.connect() as owner:  # the server drops the connection while it sits in the pool
            await owner.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
            await owner.commit()
        for record in records:  # as if it had sat in the pool for longer than IDLE_PING_SECONDS
            record.info["govhall_idle_since"] -= IDLE_PING_SECONDS + 1
        async with engine.connect() as conn:  # pinged, found dead, replaced: the request does not fail
            assert await conn.scalar(text("SELECT pg_backend_pid()")) != pid
        assert pings == [1]
    finally:
        await engine.dispose()

"""Several workers without Redis: sessions and login counters live in the database (issue 16, "Several workers out
of the box").

Two app instances on one database stand for two worker processes: each has its own store cache, Casbin enforcer and
change-bus listener (PostgreSQL NOTIFY, or on SQLite the journal file beside the database). A session made on one is
honoured by the other, and a logout, a rotation at login or a revocation on one answers 401 on the very next request
on the other; the login throttle counts across both.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from litestar.testing import AsyncTestClient
from sqlalchemy import event, select

from govhall.app import create_app
from govhall.store import CACHE_SECONDS, DatabaseStore, StoreState, store_entry
from tests.conftest import csrf_headers, login

COUNTY = "421121"
COOKIE = "govhall_session"


@asynccontextmanager
async def two_workers(settings) -> AsyncIterator[tuple[AsyncTestClient, AsyncTestClient, object, object]]:  # type: ignore[no-untyped-def]
    app_a, app_b = create_app(settings), create_app(settings)
    async with AsyncTestClient(app=app_a, base_url="http://testserver.local") as a, \
            AsyncTestClient(app=app_b, base_url="http://testserver.local") as b:
        assert app_a.state.store is not app_b.state.store  # separate caches, as in two processes
        assert app_a.state.policy.backend != "local"
        yield a, b, app_a, app_b


def _share(a: AsyncTestClient, b: AsyncTestClient) -> None:
    """The browser's cookies, now sent to the other worker (a load balancer's next pick)."""
    b.cookies.clear()
    for name in (COOKIE, "csrftoken"):
        if value := a.cookies.get(name):
            b.cookies.set(name, value, domain="testserver.local")


async def test_logout_on_one_worker_is_401_on_the_other(app_settings, demo) -> None:  # type: ignore[no-untyped-def]
    async with two_workers(app_settings) as (a, b, _app_a, app_b):
        await login(a, "county_clerk")
        _share(a, b)
        for _ in range(3):  # B reads the session from the database once, then from its cache
            assert (await b.get("/api/auth/me")).status_code == 200
        assert f"govhall:sessions:{a.cookies.get(COOKIE)}" in app_b.state.store.cache
        r = await a.post("/api/auth/logout", headers=csrf_headers(a))
        assert r.status_code == 200
        r = await b.get("/api/auth/me")
        assert r.status_code == 401, r.text  # at once: B's cached copy was dropped through the change bus
        # a request of that session still running on B cannot write it back
        assert (await b.get("/api/auth/me")).status_code == 401


async def test_rotation_at_login_ends_the_old_id_in_every_worker(app_settings, demo) -> None:  # type: ignore[no-untyped-def]
    async with two_workers(app_settings) as (a, b, _app_a, _app_b):
        await login(a, "county_clerk")
        old = a.cookies.get(COOKIE)
        _share(a, b)
        assert (await b.get("/api/auth/me")).status_code == 200
        await login(a, "county_clerk")  # same browser logs in again: a new id, the old one deleted
        assert a.cookies.get(COOKIE) != old
        assert (await b.get("/api/auth/me")).status_code == 401  # B still presents the old id
        _share(a, b)
        assert (await b.get("/api/auth/me")).status_code == 200


async def test_disabling_an_account_ends_its_sessions_in_every_worker(app_settings, demo) -> None:  # type: ignore[no-untyped-def]
    t = demo[COUNTY].id
    async with two_workers(app_settings) as (a, b, _app_a, _app_b):
        await login(a, "county_admin")
        username = f"shared_{uuid.uuid4().hex[:8]}"
        r = await a.post(f"/api/t/{t}/users", json={"username": username, "displayName": "共享会话", "roles": ["clerk"]},
                         headers=csrf_headers(a))
        assert r.status_code == 201, r.text
        uid, otp = r.json()["user"]["id"], r.json()["oneTimePassword"]
        await login(b, username, otp)
        assert (await b.get("/api/auth/me")).status_code == 200
        r = await a.post(f"/api/t/{t}/users/{uid}/disable", headers=csrf_headers(a))
        assert r.status_code in (200, 204), r.text
        assert (await b.get("/api/auth/me")).status_code == 401


async def test_login_throttle_counts_across_workers(app_settings, demo) -> None:  # type: ignore[no-untyped-def]
    """Five wrong passwords for one name from one address (throttle.PAIR_FAILURES = 5), spread over two workers,
    refuse the sixth attempt on either: the counters are rows of store_entry, not per process."""
    async with two_workers(app_settings) as (a, b, _app_a, _app_b):
        await a.get("/healthz")
        _share(a, b)
        name = f"nobody_{uuid.uuid4().hex[:6]}"
        for i in range(5):
            c = a if i % 2 == 0 else b
            r = await c.post("/api/auth/login", json={"username": name, "password": "wrong-Password1"},
                             headers=csrf_headers(a))
            assert r.status_code == 401, r.text
        r = await b.post("/api/auth/login", json={"username": name, "password": "wrong-Password1"},
                         headers=csrf_headers(a))
        assert r.status_code == 429 and r.json()["code"] == "login_throttled"


async def test_login_rate_limit_counts_across_workers(app_settings, demo) -> None:  # type: ignore[no-untyped-def]
    """GOVHALL_LOGIN_RATE_PER_MINUTE = 4 per client address: two attempts on each worker use it up."""
    settings = replace(app_settings, login_rate_per_minute=4)
    async with two_workers(settings) as (a, b, _app_a, _app_b):
        await a.get("/healthz")
        _share(a, b)
        statuses = []
        for i in range(6):
            c = a if i % 2 == 0 else b
            r = await c.post("/api/auth/login", json={"username": f"rate{i}", "password": "x"}, headers=csrf_headers(a))
            statuses.append(r.status_code)
        assert statuses[:4] == [401] * 4 and statuses[4:] == [429] * 2, statuses


async def test_expired_rows_are_purged_and_never_served(app_engine) -> None:  # type: ignore[no-untyped-def]
    state = StoreState(app_engine)
    store = DatabaseStore(state).with_namespace(f"t{uuid.uuid4().hex[:6]}").cached(CACHE_SECONDS)
    await store.set("old", b"x", expires_in=1)
    await store.set("live", b"y", expires_in=3600)
    async with app_engine.begin() as conn:  # age "old" by two seconds instead of sleeping
        await conn.execute(store_entry.update().where(store_entry.c.key == f"{store.namespace}:old")
                           .values(expires_at=datetime.now(UTC) - timedelta(seconds=2)))
    state.cache.clear()
    assert await store.get("old") is None and await store.get("live") == b"y"
    assert await state.purge_expired() >= 1
    async with app_engine.connect() as conn:
        keys = set((await conn.scalars(select(store_entry.c.key).where(
            store_entry.c.key.startswith(store.namespace)))).all())
    assert keys == {f"{store.namespace}:live"}


async def test_a_cached_session_read_runs_no_statement(app_settings, demo) -> None:  # type: ignore[no-untyped-def]
    """The session is read from the database once per worker and CACHE_SECONDS; the session is written back at most
    once a minute ("seen") and its expiry renewed at most every RENEW_SLACK seconds."""
    app = create_app(app_settings)
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as c:
        await login(c, "county_clerk")
        await c.get("/api/auth/me")
        before = app.state.store.statements
        t0 = time.monotonic()
        for _ in range(5):
            assert (await c.get("/api/auth/me")).status_code == 200
        if time.monotonic() - t0 < CACHE_SECONDS:
            assert app.state.store.statements == before


async def test_auth_me_statement_count(app_settings, demo) -> None:  # type: ignore[no-untyped-def]
    """GET /api/auth/me on a warm worker: the account (with its revocation time) and the home tenant, nothing else:
    no session read (cached), no session write (unchanged), no empty BEGIN/ROLLBACK pairs."""
    app = create_app(app_settings)
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as c:
        await login(c, "county_clerk")
        assert (await c.get("/api/auth/me")).status_code == 200  # warms Casbin and the session cache
        statements: list[str] = []
        engine = app.state.store.engine.sync_engine

        def count(_conn, _cursor, statement, _params, _context, _many):  # type: ignore[no-untyped-def]
            statements.append(" ".join(statement.split())[:90])

        event.listen(engine, "before_cursor_execute", count)
        try:
            assert (await c.get("/api/auth/me")).status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", count)
        print(f"\nGET /api/auth/me statements: {statements}")
        selects = [s for s in statements if s == "SELECT"]
        assert len(selects) <= 2, statements
        assert len(statements) <= 3, statements

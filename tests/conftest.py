"""Test databases: SQLite by default; PostgreSQL when GOVHALL_TEST_DATABASE_URL names a server.

On PostgreSQL each test session creates a fresh database, migrates it as the owner (the URL's user, a
superuser in CI) and runs the app as ``govhall_app``: not owner, not superuser, no BYPASSRLS, so RLS applies.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

os.environ.setdefault("GOVHALL_ENV", "test")
os.environ.setdefault("GOVHALL_LOG_LEVEL", "WARNING")

from govhall.cli import DEMO_PASSWORD
from govhall.config import Settings
from govhall.db.migrate import upgrade
from govhall.tenancy.engine import create_engine

PG_URL = os.environ.get("GOVHALL_TEST_DATABASE_URL", "")
APP_ROLE = "govhall_app"
CALENDAR_LAST_YEAR = 2026
"""The last year of the statutory calendar the tests see, whatever chinesecalendar is installed (see below)."""


class _PinnedCalendar:
    """chinesecalendar cut at ``CALENDAR_LAST_YEAR``: the tests of "a year not entered yet" (2027: clock-in 409,
    coverage warnings, working-day counts across new year) keep meaning the same when a newer chinesecalendar adds
    the State Council's 2027 arrangement. Years up to 2026 answer exactly as the installed package does."""

    def __init__(self, real: object) -> None:
        from types import SimpleNamespace

        self._real = real
        holidays = {d: v for d, v in real.constants.holidays.items() if d.year <= CALENDAR_LAST_YEAR}  # type: ignore[attr-defined]
        self.constants = SimpleNamespace(holidays=holidays)

    def get_holiday_detail(self, day):  # type: ignore[no-untyped-def]
        if day.year > CALENDAR_LAST_YEAR:
            raise NotImplementedError(f"no holiday data for {day.year} (tests pin the calendar at {CALENDAR_LAST_YEAR})")
        return self._real.get_holiday_detail(day)  # type: ignore[attr-defined]


@pytest.fixture(scope="session", autouse=True)
def calendar_pinned_at_2026() -> Iterator[None]:
    from govhall_packs.work_hours import logic

    real = logic.chinese_calendar
    logic.chinese_calendar = _PinnedCalendar(real)  # type: ignore[assignment]
    logic._statutory.cache_clear()
    logic.package_covers.cache_clear()
    yield
    logic.chinese_calendar = real
    logic._statutory.cache_clear()
    logic.package_covers.cache_clear()


@dataclass(frozen=True)
class TestDatabase:
    owner_url: str
    app_url: str

    @property
    def is_postgres(self) -> bool:
        return self.owner_url.startswith("postgresql")


def _pg_exec(url, *statements: str) -> None:  # type: ignore[no-untyped-def]
    """Run set-up statements (CREATE DATABASE cannot run in a transaction) with asyncpg directly."""
    import asyncio

    import asyncpg

    async def run() -> None:
        conn = await asyncpg.connect(user=url.username, password=url.password, host=url.host,
                                     port=url.port or 5432, database=url.database)
        try:
            for statement in statements:
                await conn.execute(statement)
        finally:
            await conn.close()

    asyncio.run(run())


def _create_pg_database() -> TestDatabase:
    base = make_url(PG_URL)
    name = f"govhall_test_{uuid.uuid4().hex[:10]}"
    _pg_exec(base.set(database="postgres"), f'CREATE DATABASE "{name}"')
    owner = base.set(database=name)
    upgrade(owner.render_as_string(hide_password=False))
    _pg_exec(owner, f'ALTER ROLE "{APP_ROLE}" LOGIN')
    app = owner.set(username=APP_ROLE, password=None)
    return TestDatabase(owner.render_as_string(hide_password=False), app.render_as_string(hide_password=False))


def _create_sqlite_database(tmp: Path) -> TestDatabase:
    url = f"sqlite+aiosqlite:///{tmp / 'test.db'}"
    upgrade(url)
    return TestDatabase(url, url)


def fresh_database() -> Iterator[TestDatabase]:
    """A new migrated database (PostgreSQL when configured, else a temporary SQLite file), dropped afterwards."""
    if PG_URL:
        db = _create_pg_database()
        yield db
        name = make_url(db.owner_url).database
        _pg_exec(make_url(PG_URL).set(database="postgres"), f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        with tempfile.TemporaryDirectory() as tmp:
            yield _create_sqlite_database(Path(tmp))


@pytest.fixture(scope="session")
def test_db() -> Iterator[TestDatabase]:
    yield from fresh_database()


@pytest.fixture(scope="session")
async def owner_engine(test_db: TestDatabase) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(test_db.owner_url)
    yield engine
    await engine.dispose()


@pytest.fixture(scope="session")
async def app_engine(test_db: TestDatabase) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(test_db.app_url)
    yield engine
    await engine.dispose()


@pytest.fixture(scope="session")
async def demo(owner_engine: AsyncEngine) -> dict[str, object]:
    """The demo tenants from tenants/, loaded once per test session."""
    from sqlalchemy import select

    from govhall.domain.org.tenant_files import load
    from govhall.tenancy import system_scope
    from govhall.tenancy.models import Tenant

    async with async_sessionmaker(owner_engine, expire_on_commit=False)() as session:
        await load(session, DEMO_PASSWORD)
        with system_scope():
            tenants = (await session.scalars(select(Tenant))).all()
    return {t.division_code: t for t in tenants}


@pytest.fixture
async def owner_session(owner_engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    async with async_sessionmaker(owner_engine, expire_on_commit=False)() as session:
        yield session


@pytest.fixture
async def app_session(app_engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    async with async_sessionmaker(app_engine, expire_on_commit=False)() as session:
        yield session


@pytest.fixture(scope="session")
def app_settings(test_db: TestDatabase, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return replace(Settings(), env="test", database_url=test_db.app_url, migration_database_url=test_db.owner_url,
                   secret_key="test-secret", redis_url="", var_dir=tmp_path_factory.mktemp("var"))


def clear_store(db: TestDatabase) -> None:
    """Sessions and login counters live in the database (``store_entry``): each test starts without the previous
    tests' (as it did with a store per app), so one test's failed logins cannot throttle the next one's."""
    if db.is_postgres:
        _pg_exec(make_url(db.owner_url), "DELETE FROM store_entry")
        return
    import sqlite3

    with sqlite3.connect(make_url(db.owner_url).database or "") as conn:
        conn.execute("PRAGMA busy_timeout=5000")
        conn.execute("DELETE FROM store_entry")


@pytest.fixture(autouse=True)
def _fresh_store(request: pytest.FixtureRequest) -> None:
    """Every test that makes an app starts with an empty ``store_entry`` (see ``clear_store``)."""
    if "app_settings" in request.fixturenames:
        clear_store(request.getfixturevalue("test_db"))


@pytest.fixture
async def client(app_settings: Settings, demo):  # type: ignore[no-untyped-def]
    from litestar.testing import AsyncTestClient

    from govhall.app import create_app

    async with AsyncTestClient(app=create_app(app_settings), base_url="http://testserver.local") as c:
        yield c


async def login(client, username: str, password: str = DEMO_PASSWORD) -> dict:  # type: ignore[no-untyped-def]
    """Log in through the real endpoint (CSRF cookie first, like the browser)."""
    await client.get("/healthz")
    r = await client.post("/api/auth/login", json={"username": username, "password": password},
                          headers=csrf_headers(client))
    assert r.status_code == 200, r.text
    return r.json()


def csrf_headers(client) -> dict[str, str]:  # type: ignore[no-untyped-def]
    token = client.cookies.get("csrftoken")
    return {"x-csrftoken": token} if token else {}

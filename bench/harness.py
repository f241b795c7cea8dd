"""Shared pieces: a real server on a free port, a bounded HTTP load loop, and a ratio table.

Load goes only to 127.0.0.1, is bounded in count and time, and stops by itself.
"""

from __future__ import annotations

import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Self

import httpx

DEMO_PASSWORD = "Demo@12345"


@dataclass
class Result:
    name: str
    requests: int
    seconds: float
    latencies: list[float]
    errors: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def pct(self, p: float) -> float:
        data = sorted(self.latencies)
        return data[min(len(data) - 1, int(len(data) * p))] * 1000 if data else 0.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerURL(str):
    """The server's base URL, carrying the database URLs it runs on (owner: migrations/setup; app: the server)."""

    owner_url: str
    app_url: str
    pid: int | None
    """The server process (its CPU time is measured beside the load)."""

    def __new__(cls, url: str, owner_url: str, app_url: str, pid: int | None = None) -> Self:
        obj = super().__new__(cls, url)
        obj.owner_url, obj.app_url, obj.pid = owner_url, app_url, pid
        return obj


def _pg(url: str, *statements: str) -> None:
    import asyncpg
    from sqlalchemy.engine import make_url

    u = make_url(url)

    async def go() -> None:
        conn = await asyncpg.connect(user=u.username, password=u.password, host=u.host, port=u.port or 5432,
                                     database=u.database)
        try:
            for st in statements:
                await conn.execute(st)
        finally:
            await conn.close()

    asyncio.run(go())


@contextmanager
def fresh_database(database_url: str | None, tmp: str) -> Iterator[tuple[str, str]]:
    """(owner URL, app URL): a SQLite file, or a new PostgreSQL database whose app role is neither owner nor
    superuser (so row-level security applies, as in production); dropped afterwards."""
    if not database_url or not database_url.startswith("postgresql"):
        url = database_url or f"sqlite+aiosqlite:///{tmp}/bench.db"
        yield url, url
        return
    import uuid

    from sqlalchemy.engine import make_url

    base = make_url(database_url)
    name = f"govhall_bench_{uuid.uuid4().hex[:8]}"
    admin = base.set(database="postgres").render_as_string(hide_password=False)
    _pg(admin, f'CREATE DATABASE "{name}"')
    owner = base.set(database=name)
    try:
        subprocess.run([sys.executable, "-m", "govhall", "db", "upgrade"], check=True, capture_output=True,
                       env={**os.environ, "GOVHALL_DATABASE_URL": owner.render_as_string(hide_password=False)})
        _pg(owner.render_as_string(hide_password=False), 'ALTER ROLE "govhall_app" LOGIN')
        app = owner.set(username="govhall_app", password=None)
        yield owner.render_as_string(hide_password=False), app.render_as_string(hide_password=False)
    finally:
        _pg(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def server(database_url: str | None = None) -> Iterator[ServerURL]:
    """Migrate a fresh database, load the demo, serve it; yield the base URL (with the database URLs)."""
    with tempfile.TemporaryDirectory() as tmp, fresh_database(database_url, tmp) as (owner_url, app_url):
        env = {**os.environ, "GOVHALL_ENV": "test", "GOVHALL_LOG_LEVEL": "WARNING",
               "GOVHALL_DATABASE_URL": app_url, "GOVHALL_MIGRATION_DATABASE_URL": owner_url,
               "GOVHALL_BENCH_ENDPOINTS": "1", "GOVHALL_LOGIN_RATE_PER_MINUTE": "100000",
               # every bench terminal sends from 127.0.0.1: the per-address terminal throttle (600/min) would
               # answer 429 to the later rounds (fast refusals counted as errors) instead of measuring them
               "GOVHALL_DEVICE_RATE_PER_MINUTE": "1000000", "GOVHALL_DEVICE_SERIAL_RATE_PER_MINUTE": "1000000"}
        env.pop("GOVHALL_TEST_NOW", None)
        run = [sys.executable, "-m", "govhall"]
        subprocess.run([*run, "db", "upgrade"], env=env, check=True, capture_output=True)
        subprocess.run([*run, "demo"], env=env, check=True, capture_output=True)
        port = free_port()
        log = open(Path(tmp) / "server.log", "w")
        proc = subprocess.Popen([*run, "serve", "--port", str(port)], env=env, stdout=log, stderr=log)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.time() + 60
            while time.time() < deadline:
                try:
                    if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            yield ServerURL(url, owner_url, app_url, proc.pid)
        finally:
            proc.terminate()
            proc.wait(timeout=20)
            log.close()


async def logged_in_client(url: str, username: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=url, timeout=30)
    await client.get("/healthz")
    r = await client.post("/api/auth/login", json={"username": username, "password": DEMO_PASSWORD},
                          headers={"x-csrftoken": client.cookies.get("csrftoken", "")})
    r.raise_for_status()
    return client


async def load(name: str, call: Callable[[int], Awaitable[httpx.Response]], *, total: int = 2000,
               concurrency: int = 16, max_seconds: float = 60.0) -> Result:
    latencies: list[float] = []
    errors = 0
    counter = iter(range(total))
    start = time.perf_counter()

    async def worker() -> None:
        nonlocal errors
        for i in counter:
            if time.perf_counter() - start > max_seconds:
                return
            t0 = time.perf_counter()
            r = await call(i)
            latencies.append(time.perf_counter() - t0)
            if r.status_code >= 400:
                errors += 1

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return Result(name, len(latencies), time.perf_counter() - start, latencies, errors)


def report(title: str, baseline: Result, others: list[Result]) -> str:
    lines = [f"## {title}", "", "| endpoint | requests | rps | p50 ms | p99 ms | errors | rps vs baseline | p99 vs baseline |",
             "|---|---|---|---|---|---|---|---|"]
    for r in [baseline, *others]:
        lines.append(
            f"| {r.name} | {r.requests} | {r.rps:,.0f} | {r.pct(0.5):.1f} | {r.pct(0.99):.1f} | {r.errors} | "
            f"{r.rps / baseline.rps:.2f} | {r.pct(0.99) / max(baseline.pct(0.99), 1e-9):.2f} |"
        )
    text = "\n".join(lines) + "\n"
    print(text)
    return text


def median(xs: list[float]) -> float:
    return statistics.median(xs)

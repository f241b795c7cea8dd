"""Policy changes take effect at once in every worker process (ASVS 8.3.2, promise P2c).

Two app instances with their own enforcer, session store and watcher — two workers — on one database:
a center admin revokes a role through instance A; the very next request of that user on instance B is
denied. PostgreSQL: LISTEN/NOTIFY. Redis: pub/sub (a throwaway redis-server is started when the binary
exists). SQLite: the journal file beside the database, read at the start of every request (issue 16: several
workers on SQLite); an in-memory SQLite database is one process, and there the bus only invalidates locally.
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import statistics
import subprocess
import time
import uuid
from dataclasses import replace

import pytest
from litestar.testing import AsyncTestClient

from govhall.app import create_app
from govhall.bus import ChangeBus
from tests.conftest import csrf_headers, login

COUNTY = "421121"


async def _make_user(admin, t) -> tuple[str, str, str]:  # type: ignore[no-untyped-def]
    username = f"prop_{uuid.uuid4().hex[:8]}"
    r = await admin.post(f"/api/t/{t}/users", json={"username": username, "displayName": "传播测试", "roles": ["clerk"]},
                         headers=csrf_headers(admin))
    assert r.status_code == 201, r.text
    return username, r.json()["user"]["id"], r.json()["oneTimePassword"]


async def _two_workers_scenario(settings, demo, rounds: int = 5, peers: bool = True) -> list[float]:  # type: ignore[no-untyped-def]
    t = demo[COUNTY].id
    app_a, app_b = create_app(settings), create_app(settings)
    latencies: list[float] = []
    async with AsyncTestClient(app=app_a, base_url="http://a.local") as a, \
            AsyncTestClient(app=app_b, base_url="http://b.local") as b:
        assert app_a.state.policy.backend == app_b.state.policy.backend != "local"
        assert app_a.state.authz is not app_b.state.authz
        await login(a, "county_admin")
        username, uid, otp = await _make_user(a, t)
        await login(b, username, otp)
        await b.post("/api/auth/password", json={"currentPassword": otp, "newPassword": "Prop#2026ok"},
                     headers=csrf_headers(b))
        for _ in range(rounds):
            r = await a.post(f"/api/t/{t}/roles", json={"userId": uid, "role": "duty_officer"}, headers=csrf_headers(a))
            assert r.status_code == 201, r.text
            assert (await b.get(f"/api/t/{t}/staff")).status_code == 200  # B loads and caches the grant
            assert (await b.get(f"/api/t/{t}/staff")).status_code == 200
            start = time.perf_counter()
            r = await a.delete(f"/api/t/{t}/roles/{r.json()['id']}", headers=csrf_headers(a))
            assert r.status_code == 204
            # the very next request on the other worker is denied
            assert (await b.get(f"/api/t/{t}/staff")).status_code == 403
            latencies.append(time.perf_counter() - start)
        received = app_b.state.policy.received
        assert received >= rounds * 2  # B heard every assign and revoke through the bus
        if peers:  # A waited for B's acknowledgement (B applies a notice before it acknowledges), not for a time window
            assert app_b.state.policy.instance in app_a.state.policy.peers()
            assert app_a.state.policy.instance in app_b.state.policy.peers()
    # shutdown left no watcher behind
    for app in (app_a, app_b):
        bus: ChangeBus = app.state.policy
        assert bus._task is None and bus._conn is None
    return latencies


async def test_revoke_on_one_worker_denies_next_request_on_another_postgres(test_db, app_settings, demo) -> None:  # type: ignore[no-untyped-def]
    if not test_db.is_postgres:
        pytest.skip("LISTEN/NOTIFY needs PostgreSQL (set GOVHALL_TEST_DATABASE_URL); SQLite runs one process")
    lat = await _two_workers_scenario(app_settings, demo)
    print(f"\npolicy propagation (PostgreSQL NOTIFY, revoke request incl. echo): median {statistics.median(lat)*1000:.1f} ms, "
          f"max {max(lat)*1000:.1f} ms over {len(lat)} revocations")


@pytest.fixture(scope="module")
def redis_url():  # type: ignore[no-untyped-def]
    exe = shutil.which("redis-server")
    if exe is None:
        pytest.skip("redis-server is not installed")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


async def test_revoke_on_one_worker_denies_next_request_on_another_redis(redis_url, app_settings, demo) -> None:  # type: ignore[no-untyped-def]
    lat = await _two_workers_scenario(replace(app_settings, redis_url=redis_url), demo)
    print(f"\npolicy propagation (Redis pub/sub): median {statistics.median(lat)*1000:.1f} ms, max {max(lat)*1000:.1f} ms")


async def test_watcher_reconnects_after_losing_its_connection(test_db, app_settings, demo, owner_session) -> None:  # type: ignore[no-untyped-def]
    if not test_db.is_postgres:
        pytest.skip("PostgreSQL only")
    from sqlalchemy import text

    t = demo[COUNTY].id
    app_a, app_b = create_app(app_settings), create_app(app_settings)
    async with AsyncTestClient(app=app_a) as a, AsyncTestClient(app=app_b) as b:
        bus_b: ChangeBus = app_b.state.policy
        pid = bus_b._conn.get_server_pid()
        await owner_session.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
        await owner_session.commit()
        await login(a, "county_admin")
        username, uid, otp = await _make_user(a, t)
        # B reconnects on its own (within its backoff) and starts clean
        for _ in range(100):
            if bus_b._conn is not None and bus_b._conn.get_server_pid() != pid and bus_b._connected.is_set():
                break
            await asyncio.sleep(0.1)
        assert bus_b._conn is not None and bus_b._conn.get_server_pid() != pid
        await login(b, username, otp)
        await b.post("/api/auth/password", json={"currentPassword": otp, "newPassword": "Prop#2026ok"},
                     headers=csrf_headers(b))
        r = await a.post(f"/api/t/{t}/roles", json={"userId": uid, "role": "duty_officer"}, headers=csrf_headers(a))
        assert (await b.get(f"/api/t/{t}/staff")).status_code == 200
        await a.delete(f"/api/t/{t}/roles/{r.json()['id']}", headers=csrf_headers(a))
        assert (await b.get(f"/api/t/{t}/staff")).status_code == 403


async def test_revoke_on_one_worker_denies_next_request_on_another_sqlite(test_db, app_settings, demo) -> None:  # type: ignore[no-untyped-def]
    """SQLite (issue 16): the committing worker appends the notice to ``<db>-bus`` before it answers; the other reads
    the journal at the start of its next request (one ``stat`` when nothing changed), so it is denied at once."""
    if test_db.is_postgres:
        pytest.skip("SQLite only")
    lat = await _two_workers_scenario(app_settings, demo, peers=False)
    print(f"\npolicy propagation (SQLite journal): median {statistics.median(lat)*1000:.1f} ms, max {max(lat)*1000:.1f} ms")


async def test_sqlite_bus_starts_no_task(test_db, app_settings) -> None:  # type: ignore[no-untyped-def]
    if test_db.is_postgres:
        pytest.skip("SQLite only")
    app = create_app(app_settings)
    async with AsyncTestClient(app=app):
        assert app.state.policy.backend == "file" and app.state.policy._task is None and app.state.policy.listening
    memory = ChangeBus(database_url="sqlite+aiosqlite:///:memory:")
    assert memory.backend == "local" and memory.listening


def test_sqlite_journal_restart_drops_everything(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A reader that finds the journal started afresh (a new generation line) cannot know what it missed: it drops
    everything it holds, once; whole lines only; its own lines are skipped."""
    from govhall.bus import Journal

    path = tmp_path / "db-bus"
    writer, reader = Journal(path, "w"), Journal(path, "r")
    assert reader.read_new() == []  # absent: nothing
    writer.append(['{"topic": "store", "keys": ["a"], "from": "w"}'])
    assert reader.read_new() == ['{"topic": "store", "keys": ["a"], "from": "w"}']  # appeared: read from the start
    assert reader.read_new() == []
    writer.append(['{"topic": "store", "keys": ["b"], "from": "w"}', '{"keys": ["c"], "from": "r"}'])
    assert reader.read_new() == ['{"topic": "store", "keys": ["b"], "from": "w"}']
    path.write_bytes(b"#new\n")  # started afresh by a writer
    assert reader.read_new() is None
    assert reader.read_new() == []

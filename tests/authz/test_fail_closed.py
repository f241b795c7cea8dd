"""Revocation fails closed (issue 8 item 3), with two app instances (two workers) on one PostgreSQL database.

Before: while B's policy listener was down, A's revoke answered 204 after a 2 s timeout and B went on serving
the revoked role from its cache (61 of 61 requests allowed over 20 s); a worker that stopped was waited for by
every save for 90 s.
"""

from __future__ import annotations

import asyncio

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import text

from govhall.app import create_app
from govhall.bus import ChangeBus
from tests.authz.test_policy_propagation import COUNTY, _make_user
from tests.conftest import csrf_headers, login


async def _until(check, tries: int = 200) -> bool:  # type: ignore[no-untyped-def]
    for _ in range(tries):
        if check():
            return True
        await asyncio.sleep(0.05)
    return False


async def _clerk_on_b(a, b, t):  # type: ignore[no-untyped-def]
    await login(a, "county_admin")
    username, uid, otp = await _make_user(a, t)
    await login(b, username, otp)
    await b.post("/api/auth/password", json={"currentPassword": otp, "newPassword": "Prop#2026ok"},
                 headers=csrf_headers(b))
    r = await a.post(f"/api/t/{t}/roles", json={"userId": uid, "role": "duty_officer"}, headers=csrf_headers(a))
    assert r.status_code == 201, r.text
    assert (await b.get(f"/api/t/{t}/staff")).status_code == 200  # B caches the grant
    return r.json()["id"]


async def test_worker_not_listening_does_not_trust_its_cache_and_admin_is_told(test_db, app_settings, demo,
                                                                              owner_session) -> None:  # type: ignore[no-untyped-def]
    if not test_db.is_postgres:
        pytest.skip("two workers need PostgreSQL (SQLite runs one process)")
    t = demo[COUNTY].id
    app_a, app_b = create_app(app_settings), create_app(app_settings)
    async with AsyncTestClient(app=app_a, base_url="http://a.local") as a, \
            AsyncTestClient(app=app_b, base_url="http://b.local") as b:
        bus_a: ChangeBus = app_a.state.policy
        bus_b: ChangeBus = app_b.state.policy
        assert await _until(lambda: bus_b.instance in bus_a.peers())
        assignment = await _clerk_on_b(a, b, t)

        async def down() -> None:  # B's listener cannot reconnect (database unreachable for it)
            raise OSError("listener down")

        bus_b._listen_postgres = down  # type: ignore[method-assign]
        pid = bus_b._conn.get_server_pid()
        await owner_session.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
        await owner_session.commit()
        assert await _until(lambda: not bus_b.listening)

        r = await a.delete(f"/api/t/{t}/roles/{assignment}", headers=csrf_headers(a))
        assert r.status_code == 200, r.text  # saved, but B did not confirm: the admin is told
        body = r.json()
        assert body["code"] == "revoke_unconfirmed" and body["confirmed"] is False
        assert body["unconfirmedWorkers"] == 1 and body["message"]["zh"] and body["message"]["en"]

        reads = app_b.state.authz.fresh_reads
        for _ in range(5):  # B missed the notice, yet denies: it reads assignments afresh while not listening
            assert (await b.get(f"/api/t/{t}/staff")).status_code == 403
        assert app_b.state.authz.fresh_reads > reads
        assert (await a.get(f"/api/t/{t}/staff")).status_code == 200  # A (listening) uses its cache as before


async def test_stopping_worker_says_goodbye(test_db, app_settings, demo) -> None:  # type: ignore[no-untyped-def]
    if not test_db.is_postgres:
        pytest.skip("two workers need PostgreSQL (SQLite runs one process)")
    t = demo[COUNTY].id
    app_a, app_b = create_app(app_settings), create_app(app_settings)
    async with AsyncTestClient(app=app_a, base_url="http://a.local") as a, \
            AsyncTestClient(app=app_b, base_url="http://b.local") as b:
        bus_a: ChangeBus = app_a.state.policy
        bus_b: ChangeBus = app_b.state.policy
        assert await _until(lambda: bus_b.instance in bus_a.peers())
        assignment = await _clerk_on_b(a, b, t)
        await bus_b.stop()  # a rolling restart stops B
        assert await _until(lambda: bus_b.instance not in bus_a.peers())  # not after PEER_TTL (90 s): at once
        r = await a.delete(f"/api/t/{t}/roles/{assignment}", headers=csrf_headers(a))
        assert r.status_code == 204, r.text  # confirmed by every live peer: nobody left to wait for
        assert (await b.get(f"/api/t/{t}/staff")).status_code == 403  # B, still draining, reads afresh

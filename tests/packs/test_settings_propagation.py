"""A settings save through the API reaches the next request at once: in the same worker (the next clock-in
follows the new attendance rule) and in another worker (two app instances on one database, like
``tests/authz/test_policy_propagation.py``; PostgreSQL LISTEN/NOTIFY, or Redis pub/sub when redis-server
exists). A province's change reaches the tenants below it."""

from __future__ import annotations

import datetime as dt
import statistics
import time
from dataclasses import replace

import pytest
from litestar.testing import AsyncTestClient

from govhall.app import create_app
from govhall.packs.cache import ChainCache
from tests.attendance.centers import make_center
from tests.authz.test_policy_propagation import redis_url  # noqa: F401  (the throwaway redis-server fixture)
from tests.conftest import csrf_headers, login
from tests.packs.conftest import add_user


async def _save(client, tenant_id, pack: str, today: dt.date, overrides: dict, *, enabled: bool = True):  # type: ignore[no-untyped-def]
    r = await client.post(f"/api/t/{tenant_id}/packs/{pack}/versions", headers=csrf_headers(client), json={
        "effectiveFrom": today.isoformat(), "enabled": enabled, "overrides": overrides})
    assert r.status_code == 201, r.text


async def test_a_rule_saved_through_the_api_applies_to_the_next_clock_in(app_settings, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """No TTL any more: the clerk's next punch after the admin switched web clock-in off is refused."""
    c = await make_center(owner_session, demo)
    app = create_app(app_settings)
    chains: ChainCache = app.state.pack_chains
    url = f"/api/t/{c.id}/attendance/clock-in"
    async with AsyncTestClient(app=app) as client:
        await login(client, c.users["clerk"])
        assert (await client.post(url, json={}, headers=csrf_headers(client))).status_code == 200
        assert c.id in chains  # the clock-in resolved the rules through the cache
        client.cookies.clear()
        await login(client, c.users["admin"])
        today = dt.date.fromisoformat((await client.get(f"/api/t/{c.id}/packs/attendance_rules")).json()["today"])
        await _save(client, c.id, "attendance_rules", today, {"web_clock_in": False})
        client.cookies.clear()
        await login(client, c.users["clerk"])
        r = await client.post(url, json={}, headers=csrf_headers(client))
        assert (r.status_code, r.json()["code"]) == (403, "web_clock_in_disabled")


async def test_a_province_change_reaches_the_tenants_below_through_the_api(client, tree, owner_session) -> None:  # type: ignore[no-untyped-def]
    tag = tree.province.division_code
    await add_user(owner_session, tree.province, f"sp{tag}", "provincial_admin")
    await add_user(owner_session, tree.township, f"sc{tag}", "center_admin")
    chains: ChainCache = client.app.state.pack_chains
    await login(client, f"sc{tag}")
    base = f"/api/t/{tree.township.id}/packs/work_hours"
    body = (await client.get(base)).json()
    assert body["values"]["late_grace_minutes"] == 0 and tree.township.id in chains
    today = dt.date.fromisoformat(body["today"])
    await client.post("/api/auth/logout", headers=csrf_headers(client))
    await login(client, f"sp{tag}")
    await _save(client, tree.province.id, "work_hours", today, {"late_grace_minutes": 7}, enabled=False)
    assert tree.township.id not in chains
    await client.post("/api/auth/logout", headers=csrf_headers(client))
    await login(client, f"sc{tag}")
    late = next(f for f in (await client.get(base)).json()["fields"] if f["name"] == "late_grace_minutes")
    assert late["state"] == "inherited" and late["source"]["tenantId"] == str(tree.province.id)
    assert (await client.get(base)).json()["values"]["late_grace_minutes"] == 7


async def _two_workers(settings, tree, owner_session, rounds: int = 3) -> list[float]:  # type: ignore[no-untyped-def]
    tag = tree.province.division_code
    await add_user(owner_session, tree.province, f"wp{tag}", "provincial_admin")
    await add_user(owner_session, tree.township, f"wc{tag}", "center_admin")
    app_a, app_b = create_app(settings), create_app(settings)
    chains_b: ChainCache = app_b.state.pack_chains
    latencies = []
    async with AsyncTestClient(app=app_a, base_url="http://a.local") as a, \
            AsyncTestClient(app=app_b, base_url="http://b.local") as b:
        assert app_a.state.policy.backend == app_b.state.policy.backend != "local"
        assert chains_b is not app_a.state.pack_chains
        await login(a, f"wp{tag}")
        await login(b, f"wc{tag}")
        base = f"/api/t/{tree.township.id}/packs/work_hours"
        today = dt.date.fromisoformat((await b.get(base)).json()["today"])
        for grace in range(1, rounds + 1):
            assert tree.township.id in chains_b  # B answers from its cache...
            heard = app_b.state.policy.received
            start = time.perf_counter()
            await _save(a, tree.province.id, "work_hours", today, {"late_grace_minutes": grace}, enabled=False)
            # ...and its very next request sees what A saved for the province
            assert (await b.get(base)).json()["values"]["late_grace_minutes"] == grace
            latencies.append(time.perf_counter() - start)
            assert app_b.state.policy.received > heard
    return latencies


async def test_a_save_on_one_worker_reaches_the_next_request_on_another_postgres(test_db, app_settings, tree,
                                                                                  owner_session) -> None:  # type: ignore[no-untyped-def]
    if not test_db.is_postgres:
        pytest.skip("LISTEN/NOTIFY needs PostgreSQL (set GOVHALL_TEST_DATABASE_URL); SQLite runs one process")
    lat = await _two_workers(app_settings, tree, owner_session)
    print(f"\nsettings propagation (PostgreSQL NOTIFY, save request incl. echo): median "
          f"{statistics.median(lat) * 1000:.1f} ms over {len(lat)} saves")


async def test_a_save_on_one_worker_reaches_the_next_request_on_another_redis(redis_url, app_settings, tree,  # noqa: F811
                                                                               owner_session) -> None:  # type: ignore[no-untyped-def]
    await _two_workers(replace(app_settings, redis_url=redis_url), tree, owner_session)

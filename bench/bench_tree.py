"""The tenant tree at the scale of a province (issue 16): ``GET /api/tenants`` a level at a time, with 1,000 and
10,000 centers below the demo province (10 cities of N/10 counties each, plus the demo's own), for the provincial
admin (visibility through 10,000 explicit role rows) and the platform admin. Goal: under 300 ms per answer.
Before paging, the whole subtree came at once: 3-7 s for 1,009 centers, 78-82 s for 10,018 (issue 16).
``python -m bench.bench_tree`` runs it alone (SQLite, or ``GOVHALL_DATABASE_URL``)."""

from __future__ import annotations

import asyncio
import os
import statistics
import time
import uuid
from datetime import UTC, datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bench.harness import ServerURL, logged_in_client, server

CITIES = 10


async def _grow(owner_url: str, total: int, have: int) -> None:
    """Add centers below the demo province until it holds ``total`` new ones (owner connection: setup only)."""
    engine = create_async_engine(owner_url)
    now = datetime.now(UTC)
    async with engine.begin() as conn:
        prov_id, prov_path = (await conn.execute(text(
            "SELECT id, path FROM tenant WHERE division_code = '420000'"))).one()
        admin = (await conn.execute(text("SELECT id FROM user_account WHERE username = 'prov_admin'"))).scalar_one()
        cities = (await conn.execute(text(
            "SELECT id, path FROM tenant WHERE division_code LIKE '43%' ORDER BY division_code"))).all()
        tenants, grants = [], []
        if not cities:
            for c in range(CITIES):
                cid = uuid.uuid4()
                cities.append((cid, f"{prov_path}{cid}/"))
                tenants.append({"id": cid, "name": f"压测市{c:02d}政务服务中心", "level": "city",
                                "division_code": f"43{c:02d}00", "parent_id": prov_id,
                                "path": f"{prov_path}{cid}/", "created_at": now, "updated_at": now})
                grants.append({"id": uuid.uuid4(), "tenant_id": cid, "user_id": admin, "role": "provincial_admin",
                               "created_at": now, "updated_at": now})
        for i in range(have, total):
            cid_parent, ppath = cities[i % CITIES]
            tid = uuid.uuid4()
            tenants.append({"id": tid, "name": f"压测县{i:05d}便民服务中心", "level": "county",
                            "division_code": f"43{i % CITIES:02d}00-{i:05d}", "parent_id": cid_parent,
                            "path": f"{ppath}{tid}/", "created_at": now, "updated_at": now})
            grants.append({"id": uuid.uuid4(), "tenant_id": tid, "user_id": admin, "role": "provincial_admin",
                           "created_at": now, "updated_at": now})
        def raw(v: object) -> object:  # GUID columns: 16 bytes on SQLite, uuid on PostgreSQL
            if "sqlite" in owner_url:
                return v.bytes if isinstance(v, uuid.UUID) else v
            return uuid.UUID(bytes=v) if isinstance(v, bytes) else v

        keys = ("id", "parent_id", "tenant_id", "user_id")
        await conn.execute(text("INSERT INTO tenant (id, name, level, division_code, parent_id, path, timezone, "
                                "created_at, updated_at) VALUES (:id, :name, :level, :division_code, :parent_id, "
                                ":path, 'Asia/Shanghai', :created_at, :updated_at)"),
                           [{k: raw(v) if k in keys else v for k, v in t.items()} for t in tenants])
        await conn.execute(text("INSERT INTO role_assignment (id, tenant_id, user_id, role, created_at, updated_at) "
                                "VALUES (:id, :tenant_id, :user_id, :role, :created_at, :updated_at)"),
                           [{k: raw(v) if k in keys else v for k, v in g.items()} for g in grants])
    async with engine.connect() as conn:  # after a bulk load, as PostgreSQL's "Populating a Database" advises
        await conn.execute(text("ANALYZE tenant" if "sqlite" not in owner_url else "ANALYZE"))
        if "sqlite" not in owner_url:
            await conn.execute(text("ANALYZE role_assignment"))
        await conn.commit()
    await engine.dispose()


async def _median_ms(client, path: str, params: dict[str, str], n: int = 5) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    times, count = [], 0
    for _ in range(n):
        t = time.perf_counter()
        r = await client.get(path, params=params)
        times.append((time.perf_counter() - t) * 1000)
        assert r.status_code == 200, r.text
        count = len(r.json()["tenants"])
    return statistics.median(times), count


async def measure(url: ServerURL) -> list[str]:
    lines = ["| tenant tree answer (median of 5) | 1,000 centers | 10,000 centers | goal |", "|---|---|---|---|"]
    results: dict[str, list[str]] = {}
    have = 0
    for total in (1_000, 10_000):
        await _grow(url.owner_url, total, have)
        have = total
        prov = await logged_in_client(url, "prov_admin")
        plat = await logged_in_client(url, "platform_admin")
        top = (await prov.get("/api/tenants")).json()["tenants"][0]
        city = (await prov.get("/api/tenants", params={"searchString": "430000"})).json()["tenants"][0]
        asks = [
            ("provincial admin: the top (province + counts)", prov, {}),
            ("provincial admin: the province's children", prov, {"parent": top["id"]}),
            ("provincial admin: a city's centers (first 100)", prov, {"parent": city["id"]}),
            ("provincial admin: search by name", prov, {"searchString": "便民服务中心"}),
            ("provincial admin: search by division code", prov, {"searchString": "4305"}),
            ("platform admin: the top (provinces + counts)", plat, {}),
        ]
        for label, client, params in asks:
            ms, n = await _median_ms(client, "/api/tenants", params)
            results.setdefault(label, []).append(f"{ms:.0f} ms ({n} rows)")
        await prov.aclose()
        await plat.aclose()
    for label, cells in results.items():
        lines.append(f"| {label} | {' | '.join(cells)} | < 300 ms |")
    lines.append(f"\nload average {os.getloadavg()[0]:.1f}")
    return lines


def report(lines: list[str]) -> str:
    text_ = "\n".join(["## Tenant tree (GET /api/tenants, a level at a time)", "", *lines, ""])
    print(text_)
    return text_


async def run(url: ServerURL) -> str:
    return report(await measure(url))


if __name__ == "__main__":
    with server(os.environ.get("GOVHALL_DATABASE_URL")) as u:
        asyncio.run(run(u))

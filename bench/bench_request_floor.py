"""The request floor: /healthz (no auth, no DB) vs an authenticated, authorized, DB-reading endpoint."""

from __future__ import annotations

from bench.harness import load, logged_in_client, report


async def run(url: str) -> str:
    client = await logged_in_client(url, "county_admin")
    me = (await client.get("/api/auth/me")).json()
    tenant = me["tenant"]["id"]
    try:
        floor = await load("GET /healthz (floor)", lambda i: client.get("/healthz"))
        me_r = await load("GET /api/auth/me (session + Casbin)", lambda i: client.get("/api/auth/me"))
        staff = await load("GET /api/t/{t}/staff (guard + tenant-scoped query)",
                           lambda i: client.get(f"/api/t/{tenant}/staff"))
    finally:
        await client.aclose()
    return report("Request floor", floor, [me_r, staff])

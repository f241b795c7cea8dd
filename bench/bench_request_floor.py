"""The request floor: /healthz (no auth, no DB) vs an authenticated, authorized, DB-reading endpoint.

The client is wrk (a C process of its own, ``bench/wrkload.py``), so the figures are the server's; the table says
when the client was the limit. Without wrk the bench says so and measures nothing (an in-process Python client
topped out below the server and measured itself)."""

from __future__ import annotations

import asyncio

import httpx

from bench import wrkload
from bench.harness import DEMO_PASSWORD, ServerURL

DURATION = 4.0


async def run(url: ServerURL) -> str:
    if not wrkload.have_wrk():
        text = "## Request floor\n\nSkipped: `wrk` is not installed (`apt-get install -y wrk`).\n"
        print(text)
        return text
    async with httpx.AsyncClient(base_url=url, timeout=30) as c:
        await c.get("/healthz")
        r = await c.post("/api/auth/login", json={"username": "county_admin", "password": DEMO_PASSWORD},
                         headers={"x-csrftoken": c.cookies.get("csrftoken", "")})
        r.raise_for_status()
        tenant = (await c.get("/api/auth/me")).json()["tenant"]["id"]
        cookie = "; ".join(f"{k}={v}" for k, v in c.cookies.items())

    def job(name: str, path: str) -> wrkload.WrkJob:
        return wrkload.WrkJob(name, url, {"BENCH_MODE": "get", "BENCH_PATH": path, "BENCH_COOKIE": cookie},
                              duration=DURATION, connections=16)

    jobs = [job("GET /healthz (floor)", "/healthz"), job("GET /api/auth/me (session + Casbin)", "/api/auth/me"),
            job("GET /api/t/{t}/staff (guard + tenant-scoped query)", f"/api/t/{tenant}/staff")]
    results = [(await asyncio.to_thread(wrkload.run_together, [j], url.pid))[0] for j in jobs]
    floor = results[0]
    lines = ["## Request floor", "", (f"wrk, 2 threads, 16 connections, {DURATION:g} s each; one server process."), "",
             ("| endpoint | requests | rps | p50 ms | p99 ms | errors | rps vs floor | p99 vs floor | server CPU ms "
              "per request | client CPU | server CPU | load avg |"), "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        bound = " **client-bound**" if r.client_bound else ""
        lines.append(f"| {r.name} | {r.requests} | {r.rps:,.0f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} | {r.errors} | "
                     f"{r.rps / floor.rps:.2f} | {r.p99_ms / max(floor.p99_ms, 1e-9):.2f} | "
                     f"{r.server_cpu * 1000 / max(r.requests, 1):.2f} | "
                     f"{r.client_share:.0%}{bound} | {r.server_share:.0%} | {wrkload.load_text(r.load)} |")
    text = "\n".join(lines) + "\n"
    print(text)
    return text

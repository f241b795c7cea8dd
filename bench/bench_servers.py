"""`python -m bench.bench_servers [--database-url URL] [--seconds S]`: granian vs uvicorn, 1 and 2 workers.

wrk (a separate process that outruns the server: `apt-get install -y wrk`) drives `/healthz` and a logged-in
`GET /api/auth/me` (session + Casbin + the account and home tenant reads) over 16 keep-alive connections for a
bounded time, against 127.0.0.1 only. Prints requests/s and p99 per server and worker count, with the load average
beside them; `govhall serve` ships the faster server as its default (govhall.cli.DEFAULT_SERVER).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from bench.harness import DEMO_PASSWORD, free_port, fresh_database

CONNECTIONS = 16


@contextmanager
def serving(env: dict[str, str], server: str, workers: int, tmp: str) -> Iterator[str]:
    port = free_port()
    log = open(Path(tmp) / f"server-{server}-{workers}.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "govhall", "serve", "--port", str(port), "--server", server,
                             "--workers", str(workers)], env=env, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 240
        ok = 0
        while time.time() < deadline and ok < 20:  # 20 answers in a row: every worker has started
            try:
                with httpx.Client(headers={"connection": "close"}) as c:
                    ok = ok + 1 if c.get(f"{url}/readyz", timeout=2).status_code == 200 else 0
            except httpx.HTTPError:
                ok = 0
                time.sleep(0.5)
        time.sleep(3 * workers)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()


def _cookie(url: str) -> str:
    with httpx.Client(base_url=url, timeout=30) as c:
        c.get("/healthz")
        r = c.post("/api/auth/login", json={"username": "county_clerk", "password": DEMO_PASSWORD},
                   headers={"x-csrftoken": c.cookies.get("csrftoken", "")})
        r.raise_for_status()
        return "; ".join(f"{k}={v}" for k, v in c.cookies.items())


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(url: str, seconds: int, cookie: str | None = None) -> tuple[float, float, int]:
    """(requests/s, p99 ms, non-2xx answers)."""
    cmd = ["wrk", "-t", "2", "-c", str(CONNECTIONS), "-d", f"{seconds}s", "--latency", url]
    if cookie:
        cmd[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return rps, _ms(p99.group(1), p99.group(2)) if p99 else 0.0, int(bad.group(1)) if bad else 0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=os.environ.get("GOVHALL_BENCH_DATABASE_URL"))
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install -y wrk")
    rows = []
    with tempfile.TemporaryDirectory() as tmp, fresh_database(args.database_url, tmp) as (owner_url, app_url):
        env = {**os.environ, "GOVHALL_ENV": "test", "GOVHALL_LOG_LEVEL": "WARNING", "GOVHALL_DATABASE_URL": app_url,
               "GOVHALL_MIGRATION_DATABASE_URL": owner_url, "GOVHALL_LOGIN_RATE_PER_MINUTE": "100000",
               "GOVHALL_REDIS_URL": ""}
        run = [sys.executable, "-m", "govhall"]
        subprocess.run([*run, "db", "upgrade"], env=env, check=True, capture_output=True)
        subprocess.run([*run, "demo"], env=env, check=True, capture_output=True)
        for _round in range(args.rounds):
            for workers in (int(w) for w in args.workers.split(",")):
                for server in ("granian", "uvicorn"):
                    with serving(env, server, workers, tmp) as url:
                        cookie = _cookie(url)
                        wrk(f"{url}/healthz", 2)  # warm-up
                        wrk(f"{url}/api/auth/me", 2, cookie)
                        load = os.getloadavg()[0]
                        h = wrk(f"{url}/healthz", args.seconds)
                        m = wrk(f"{url}/api/auth/me", args.seconds, cookie)
                        rows.append((server, workers, h, m, load))
                        print(f"{server:8} {workers}w  /healthz {h[0]:8.0f} rps p99 {h[1]:7.1f} ms | "
                              f"/api/auth/me {m[0]:7.0f} rps p99 {m[1]:7.1f} ms non-2xx {m[2]} | load {load:.1f}",
                              flush=True)
    db = "PostgreSQL" if (args.database_url or "").startswith("postgresql") else "SQLite"
    print(f"\n| server | workers | /healthz rps | p99 ms | /api/auth/me rps | p99 ms | non-2xx | load avg |  ({db}, "
          f"wrk -c {CONNECTIONS}, {args.seconds} s)")
    print("|---|---|---|---|---|---|---|---|")
    for server, workers, h, m, load in rows:
        print(f"| {server} | {workers} | {h[0]:.0f} | {h[1]:.1f} | {m[0]:.0f} | {m[1]:.1f} | {m[2]} | {load:.1f} |")


if __name__ == "__main__":
    main()

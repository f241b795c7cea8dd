"""`govhall serve --workers 2` on a fresh setup, without Redis: every logged-in request answers (issue 16, "Several
workers out of the box"; before, 52% of logged-in requests on two workers answered 401 because sessions lived in
one process).

Two real worker processes (the default server, granian) on the test database (SQLite file, or PostgreSQL as the app
role). Each request opens a new connection, so the server hands them to both workers; a logout then answers 401 on
every later request, whichever worker takes it.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from govhall.cli import DEFAULT_SERVER, DEMO_PASSWORD

READY_SECONDS = 240.0  # two workers import the app at once; on a loaded 2-core machine that takes a while
REQUESTS = 40


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _worker_pids(main_pid: int) -> set[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(main_pid)], capture_output=True, text=True, check=False)
    return {int(p) for p in out.stdout.split()}


def test_two_workers_answer_every_logged_in_request(app_settings, demo, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    port = _free_port()
    env = {**os.environ, "GOVHALL_DATABASE_URL": app_settings.database_url, "GOVHALL_ENV": "test",
           "GOVHALL_REDIS_URL": "", "GOVHALL_SECRET_KEY": "", "GOVHALL_VAR_DIR": str(tmp_path / "var"),
           "GOVHALL_LOG_LEVEL": "WARNING", "GOVHALL_LOGIN_RATE_PER_MINUTE": "1000"}
    log = (tmp_path / "server.log").open("wb")
    proc = subprocess.Popen([sys.executable, "-m", "govhall", "serve", "--port", str(port), "--workers", "2"],
                            env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + READY_SECONDS
        server_log = tmp_path / "server.log"
        while True:  # both workers started (granian says so for each), not just the first
            assert proc.poll() is None, server_log.read_text(errors="replace")[-3000:]
            text = server_log.read_text(errors="replace")
            if "Started worker-1" in text and "Started worker-2" in text:
                break
            assert time.monotonic() < deadline, f"workers not started:\n{text[-3000:]}"
            time.sleep(0.5)
        assert httpx.get(f"{base}/readyz", timeout=10).status_code == 200
        assert len(_worker_pids(proc.pid)) == 2

        with httpx.Client(base_url=base) as browser:
            browser.get("/healthz")
            r = browser.post("/api/auth/login", json={"username": "county_clerk", "password": DEMO_PASSWORD},
                             headers={"x-csrftoken": browser.cookies.get("csrftoken") or ""})
            assert r.status_code == 200, r.text
            cookies = dict(browser.cookies)

        def fresh_get(path: str) -> int:
            with httpx.Client(base_url=base, cookies=cookies, headers={"connection": "close"}) as c:
                return c.get(path).status_code

        statuses = [fresh_get("/api/auth/me") for _ in range(REQUESTS)]
        assert statuses == [200] * REQUESTS, statuses  # not one 401

        with httpx.Client(base_url=base, cookies=cookies) as c:  # unsafe requests: CSRF signed by one worker
            r = c.post("/api/auth/logout", headers={"x-csrftoken": cookies.get("csrftoken", "")})
            assert r.status_code == 200, r.text
        statuses = [fresh_get("/api/auth/me") for _ in range(REQUESTS // 2)]
        assert statuses == [401] * (REQUESTS // 2), statuses
        print(f"\n{DEFAULT_SERVER}, 2 workers on {app_settings.database_url.split(':')[0]}: "
              f"{REQUESTS} logged-in requests 200, {REQUESTS // 2} after logout 401")
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            for pid in _worker_pids(proc.pid):
                os.kill(pid, signal.SIGKILL)
            proc.kill()
            proc.wait(timeout=10)
        log.close()

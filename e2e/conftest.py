"""Fixtures for the e2e suite: the real govhall server on a free port with the demo data, Debian's Chromium
through Playwright's sync API, and screenshots plus the server log of failed tests in e2e/artifacts/.

Run with `pytest e2e` (the default testpaths hold only tests/). The tests are plain sync functions: the
sync Playwright API must not run inside an asyncio loop.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from e2e.helpers import DEMO_PASSWORD, DEMO_USERS, current_user, login

__all__ = ["DEMO_PASSWORD", "DEMO_USERS", "current_user", "login"]

REPO = Path(__file__).resolve().parent.parent
FRONTEND = REPO / "frontend"
WEB_BUILD = REPO / "platform" / "govhall" / "static" / "web"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

CHROMIUM = os.environ.get("GOVHALL_E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# Bounds a hung start only (a server that exits fails at once): importing the app costs some 4 s of CPU, and on a
# 2-core machine under load the first answer was seen to take more than 60 s.
READY_TIMEOUT = 120.0
COMMAND_TIMEOUT = 300.0

expect.set_options(timeout=10_000)


# ---- reports on the item, for screenshots of failed tests ------------------------------------------------


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def _artifact_name(item: pytest.Item) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", item.name).strip("_")


def _failed(item: pytest.Item) -> bool:
    report = getattr(item, "rep_call", None)
    return bool(report and report.failed)


# ---- the built web UI ----------------------------------------------------------------------------------


def _newest_mtime(paths: list[Path]) -> float:
    newest = 0.0
    for path in paths:
        if path.is_dir():
            for sub in path.rglob("*"):
                if sub.is_file():
                    newest = max(newest, sub.stat().st_mtime)
        elif path.exists():
            newest = max(newest, path.stat().st_mtime)
    return newest


def _ensure_web_build() -> None:
    """Build frontend/ into platform/govhall/static/web when the build is missing or older than its sources.

    GOVHALL_E2E_SKIP_BUILD=1 uses whatever is there (CI that built it in an earlier step).
    """
    index = WEB_BUILD / "index.html"
    if os.environ.get("GOVHALL_E2E_SKIP_BUILD") == "1":
        assert index.exists(), f"{index} is missing: run `npm ci && npm run build` in frontend/"
        return
    sources = [
        FRONTEND / "src",
        FRONTEND / "index.html",
        FRONTEND / "vite.config.ts",
        FRONTEND / "package-lock.json",
    ]
    if index.exists() and index.stat().st_mtime >= _newest_mtime(sources):
        return
    npm = shutil.which("npm")
    assert npm, f"npm is not installed and {index} is missing or stale"
    if not (FRONTEND / "node_modules").is_dir():
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"], cwd=FRONTEND, check=True, timeout=COMMAND_TIMEOUT
        )
    subprocess.run([npm, "run", "build"], cwd=FRONTEND, check=True, timeout=COMMAND_TIMEOUT)


# ---- the server ------------------------------------------------------------------------------------------


@dataclass
class Server:
    url: str
    log_path: Path
    tmp_dir: Path
    env: dict[str, str] = field(repr=False)
    process: subprocess.Popen[bytes] = field(repr=False)

    def log_tail(self, lines: int = 60) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_env(tmp_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["GOVHALL_DATABASE_URL"] = os.environ.get(
        "GOVHALL_E2E_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_dir / 'e2e.db'}"
    )
    env["GOVHALL_ENV"] = "test"
    env["GOVHALL_VAR_DIR"] = str(tmp_dir / "var")  # audit checkpoints of this run, not the working tree's var/
    env.setdefault("GOVHALL_LOGIN_RATE_PER_MINUTE", "1000")  # many logins per minute from one test browser
    env["PYTHONUNBUFFERED"] = "1"
    # The working tree's package, also when the environment has no (editable) install of it.
    if importlib.util.find_spec("govhall") is None:
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO / "platform"), env.get("PYTHONPATH")) if p)
    return env


def _run_cli(args: list[str], env: dict[str, str], log_path: Path) -> None:
    cmd = [sys.executable, "-m", "govhall", *args]
    result = subprocess.run(
        cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=COMMAND_TIMEOUT, check=False
    )
    with log_path.open("a") as log:
        log.write(f"$ {' '.join(cmd)}\n{result.stdout}{result.stderr}\n")
    if result.returncode != 0:
        pytest.fail(
            f"`govhall {' '.join(args)}` exited {result.returncode}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}",
            pytrace=False,
        )


def _wait_ready(server: Server) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    last = "no answer"
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(
                f"the server exited with {server.process.returncode} before it was ready\n{server.log_tail()}",
                pytrace=False,
            )
        try:
            response = httpx.get(f"{server.url}/readyz", timeout=2.0)
            if response.status_code == 200:
                return
            last = f"HTTP {response.status_code}"
        except httpx.HTTPError as exc:
            last = repr(exc)
        time.sleep(0.25)
    pytest.fail(
        f"{server.url}/readyz not ready after {READY_TIMEOUT:.0f} s ({last})\n{server.log_tail()}",
        pytrace=False,
    )


@contextmanager
def running_server(prefix: str = "govhall-e2e-", **extra_env: str) -> Iterator[Server]:
    """A fresh database with the demo, the real server on a free port; stopped and removed afterwards."""
    _ensure_web_build()
    tmp_dir = Path(tempfile.mkdtemp(prefix=prefix))
    log_path = tmp_dir / "server.log"
    env = {**_server_env(tmp_dir), **extra_env}
    _run_cli(["db", "upgrade"], env, log_path)
    _run_cli(["demo"], env, log_path)

    port = _free_port()
    cmd = [sys.executable, "-m", "govhall", "serve", "--host", "127.0.0.1", "--port", str(port)]
    with log_path.open("ab") as log:
        log.write(f"$ {' '.join(cmd)}\n".encode())
        log.flush()
        process = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    srv = Server(url=f"http://127.0.0.1:{port}", log_path=log_path, tmp_dir=tmp_dir, env=env, process=process)
    try:
        _wait_ready(srv)
        yield srv
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        if os.environ.get("GOVHALL_E2E_KEEP_TMP") != "1":
            shutil.rmtree(tmp_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    with running_server() as srv:
        yield srv


# ---- the browser -----------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: apt-get install -y chromium fonts-noto-cjk"
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


def _open_page(
    request: pytest.FixtureRequest, browser: Browser, server: Server, **context_options
) -> Iterator[Page]:
    """A fresh context and page; requests that leave the server are blocked and fail the test."""
    context: BrowserContext = browser.new_context(locale="zh-CN", **context_options)
    context.set_default_timeout(15_000)
    external: list[str] = []
    console: list[str] = []

    def is_external(url: str) -> bool:
        return not url.startswith((server.url, "data:", "blob:", "about:"))

    def block(route) -> None:
        external.append(route.request.url)
        route.abort()

    context.route(is_external, block)
    page = context.new_page()
    page.on("console", lambda msg: console.append(f"[{msg.type}] {msg.text}"))
    page.on("pageerror", lambda exc: console.append(f"[pageerror] {exc}"))
    try:
        yield page
    finally:
        if _failed(request.node):
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            name = _artifact_name(request.node)
            suffix = "" if request.fixturename == "page" else f".{request.fixturename}"
            try:
                page.screenshot(path=str(ARTIFACTS / f"{name}{suffix}.png"), full_page=True)
            except PlaywrightError as exc:  # the page may have crashed; the log still helps
                console.append(f"[screenshot failed] {exc}")
            (ARTIFACTS / f"{name}{suffix}.console.log").write_text("\n".join(console) + "\n")
            if server.log_path.exists():
                shutil.copyfile(server.log_path, ARTIFACTS / f"{name}.server.log")
        context.close()
    assert not external, f"the page tried to load assets from outside the server: {external}"


@pytest.fixture
def page(request: pytest.FixtureRequest, browser: Browser, server: Server) -> Iterator[Page]:
    """A desktop page (1280x800, zh-CN) in a new browser context."""
    yield from _open_page(request, browser, server, viewport={"width": 1280, "height": 800})


@pytest.fixture
def phone_page(request: pytest.FixtureRequest, browser: Browser, server: Server) -> Iterator[Page]:
    """A phone-sized page (iPhone-like, 390x844, touch) in a new browser context."""
    yield from _open_page(
        request,
        browser,
        server,
        viewport={"width": 390, "height": 844},
        device_scale_factor=3,
        is_mobile=True,
        has_touch=True,
        user_agent=(
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
        ),
    )

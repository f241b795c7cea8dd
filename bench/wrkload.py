"""Load from a separate client process: wrk (https://github.com/wg/wrk, Debian package ``wrk``) with a Lua script.

The client runs outside the bench's Python process, in C, so it can outrun one server worker; every run also
measures the CPU time the client and the server used, so a table can say when the client was the limit
(a client near 100% of its threads while the server idles) instead of silently measuring the client.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

SCRIPT = Path(__file__).with_name("punch.lua")
TICK = os.sysconf("SC_CLK_TCK")


def have_wrk() -> bool:
    return shutil.which("wrk") is not None


def process_tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by ``pid`` and its descendants (a server with worker children)."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            raw = (entry / "stat").read_text()
        except OSError:
            continue
        rest = raw[raw.rindex(")") + 2:].split()
        parents[int(entry.name)] = int(rest[1])
        times[int(entry.name)] = (int(rest[11]) + int(rest[12])) / TICK
    tree, frontier = {pid}, [pid]
    while frontier:
        p = frontier.pop()
        for child, parent in parents.items():
            if parent == p and child not in tree:
                tree.add(child)
                frontier.append(child)
    return sum(times.get(p, 0.0) for p in tree)


@dataclass
class WrkResult:
    name: str
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int
    duplicates: int
    wrapped: int
    client_cpu: float
    """CPU seconds of the wrk process (user + system)."""
    threads: int
    server_cpu: float = 0.0
    load: tuple[float, float, float] = (0.0, 0.0, 0.0)
    raw: dict = field(default_factory=dict)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def client_share(self) -> float:
        """How busy the client was: CPU seconds per wall second per thread (1.0 = every thread saturated)."""
        return self.client_cpu / (self.seconds * self.threads) if self.seconds else 0.0

    @property
    def server_share(self) -> float:
        """Server CPU seconds per wall second (1.0 = one core)."""
        return self.server_cpu / self.seconds if self.seconds else 0.0

    @property
    def client_bound(self) -> bool:
        return self.client_share >= 0.85


@dataclass
class WrkJob:
    name: str
    url: str
    env: dict[str, str]
    duration: float = 6.0
    connections: int = 16
    threads: int = 2
    path: str = "/"


def _start(job: WrkJob, out: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, **job.env, "BENCH_THREADS": str(job.threads)}
    cmd = ["wrk", "-t", str(job.threads), "-c", str(job.connections), "-d", f"{job.duration:g}s", "--timeout", "20s",
           "-s", str(SCRIPT), job.url + job.path]
    return subprocess.Popen(cmd, env=env, stdout=out.open("wb"), stderr=subprocess.STDOUT)


def run_together(jobs: list[WrkJob], server_pid: int | None = None, profile: Path | None = None) -> list[WrkResult]:
    """Run the jobs at the same time (one wrk process each); one result per job. With ``profile`` (and py-spy
    on ``GOVHALL_BENCH_PYSPY`` or the PATH) the server is sampled meanwhile into that file (collapsed stacks), its
    worker processes included (granian serves from a child process even with one worker: without
    ``--subprocesses`` the profile was empty)."""
    with tempfile.TemporaryDirectory() as tmp:
        outs = [Path(tmp) / f"{i}.out" for i in range(len(jobs))]
        cpu0 = process_tree_cpu(server_pid) if server_pid else 0.0
        spy = None
        pyspy = os.environ.get("GOVHALL_BENCH_PYSPY") or shutil.which("py-spy")
        if profile is not None and server_pid and pyspy:
            spy = subprocess.Popen([pyspy, "record", "--pid", str(server_pid), "--duration",
                                    str(int(max(job.duration for job in jobs))), "--rate", "250", "--format", "raw",
                                    "--nonblocking", "--subprocesses", "--output", str(profile)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        t0 = time.perf_counter()
        procs = [_start(job, out) for job, out in zip(jobs, outs, strict=True)]
        usage: dict[int, float] = {}
        for proc in procs:
            _pid, status, ru = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
            usage[proc.pid] = ru.ru_utime + ru.ru_stime
        wall = time.perf_counter() - t0
        if spy is not None:
            spy.wait(timeout=60)
        server_cpu = (process_tree_cpu(server_pid) - cpu0) if server_pid else 0.0
        load = os.getloadavg()
        results = []
        for job, proc, out in zip(jobs, procs, outs, strict=True):
            text = out.read_text(errors="replace")
            line = next((ln for ln in text.splitlines() if ln.startswith("WRKJSON ")), None)
            if proc.returncode != 0 or line is None:
                raise RuntimeError(f"wrk failed for {job.name}: {text[-2000:]}")
            d = json.loads(line[len("WRKJSON "):])
            seconds = d["duration_us"] / 1e6 or wall
            results.append(WrkResult(
                job.name, d["requests"], seconds, d["p50_us"] / 1000, d["p99_us"] / 1000,
                d["status_errors"] + d["socket_errors"] + d["timeouts"] + d["bad"], d["duplicates"], d["wrapped"],
                usage[proc.pid], job.threads, server_cpu, load, d))
        return results


def run(job: WrkJob, server_pid: int | None = None) -> WrkResult:
    return run_together([job], server_pid)[0]


def load_text(load: tuple[float, float, float]) -> str:
    return f"{load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}"


PROFILE_GROUPS = [
    ("database driver (asyncpg, aiosqlite)", ("asyncpg", "aiosqlite", "sqlite3")),
    ("SQLAlchemy (compile, ORM, pool, events)", ("sqlalchemy",)),
    ("Advanced Alchemy", ("advanced_alchemy",)),
    ("Casbin", ("casbin",)),
    ("Litestar (routing, middleware, DI, responses)", ("litestar",)),
    ("HTTP server (uvicorn, h11, httptools, granian)", ("uvicorn", "h11", "httptools", "granian")),
    ("msgspec / json", ("msgspec", "json")),
    ("structlog / logging", ("structlog", "logging")),
    ("govhall (our code)", ("govhall",)),
    ("asyncio / event loop", ("asyncio", "uvloop", "selectors")),
]


def summarise_profile(path: Path) -> list[tuple[str, float]]:
    """Share of the server's samples whose innermost frame lies in each group (self time), from py-spy's raw
    (collapsed) output; the rest is "other"."""
    counts: dict[str, int] = {}
    total = 0
    for line in path.read_text(errors="replace").splitlines():
        stack, _, n = line.rpartition(" ")
        if not n.isdigit():
            continue
        total += int(n)
        leaf = stack.split(";")[-1]
        group = next((name for name, keys in PROFILE_GROUPS
                      if any(f"/{k}/" in leaf or f"({k}/" in leaf or f"{k}." in leaf.split(" ")[0] for k in keys)),
                     "other (stdlib, idle)")
        counts[group] = counts.get(group, 0) + int(n)
    return sorted(((g, c / total) for g, c in counts.items()), key=lambda x: -x[1]) if total else []

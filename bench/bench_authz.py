"""Authorization in-process: building a center's role assignments, and one decision, at several sizes.

Issue 16 goals: a center of 10,000 accounts loads in well under a second (it grew with the square of the accounts
before: 25 s at 6,000), and one decision costs at most 60 µs p99, flat from 1 to 10,000 tenants held. Each tenant
held is its own small Casbin ``FastEnforcer`` (``govhall.authz.enforcer.build_enforcer``), so a decision touches
one tenant's rows only. Baseline measured in the same run: a Python set lookup of the same (role, permission)
pair, the floor any in-process check has to pay. ``python -m bench.bench_authz`` runs it alone.
"""

from __future__ import annotations

import os
import random
import time
import uuid

from govhall.authz.enforcer import build_enforcer
from govhall.authz.permissions import ROLE_PERMISSIONS, Role

ROLES = [r.value for r in (Role.clerk, Role.chief_representative, Role.duty_officer, Role.center_admin)]


def _center(accounts: int) -> tuple[str, list[list[str]]]:
    domain = str(uuid.uuid4())
    rnd = random.Random(accounts)
    return domain, [[str(uuid.UUID(int=rnd.getrandbits(128))), rnd.choice(ROLES), domain] for _ in range(accounts)]


def _pct(data: list[float], p: float) -> float:
    data = sorted(data)
    return data[min(len(data) - 1, int(len(data) * p))] * 1e6


def measure() -> list[str]:
    lines = ["| what | figure | goal |", "|---|---|---|"]
    for accounts in (1_000, 6_000, 10_000):
        _d, rows = _center(accounts)
        t = time.perf_counter()
        build_enforcer(rows)
        lines.append(f"| load a center of {accounts:,} accounts | {(time.perf_counter() - t) * 1000:.0f} ms | "
                     "well under 1 s |")
    perms = {r.value: {(p.obj, p.act) for p in ps} for r, ps in ROLE_PERMISSIONS.items()}
    for tenants in (1, 1_000, 10_000):
        held = [_center(20) for _ in range(tenants)]
        enforcers = {d: build_enforcer(rows) for d, rows in held}
        rnd = random.Random(7)
        asks = [(d, rows[rnd.randrange(20)]) for d, rows in (held[rnd.randrange(tenants)] for _ in range(5000))]
        times, floor = [], []
        for d, (user, role, _) in asks:
            t = time.perf_counter()
            enforcers[d].enforce(user, "attendance", "board", d)
            times.append(time.perf_counter() - t)
            t = time.perf_counter()
            _ = ("attendance", "board") in perms[role]
            floor.append(time.perf_counter() - t)
        lines.append(f"| one decision, {tenants:,} tenants held | p50 {_pct(times, .5):.0f} µs, p99 "
                     f"{_pct(times, .99):.0f} µs ({_pct(times, .5) / max(_pct(floor, .5), 1e-3):.0f}x a set lookup) | "
                     "p99 ≤ 60 µs, flat |")
    lines.append(f"\nload average {os.getloadavg()[0]:.1f} (2 cores here: decisions' p99 follows the machine's load)")
    return lines


def report(lines: list[str]) -> str:
    text = "\n".join(["## Authorization (in-process)", "", *lines, ""])
    print(text)
    return text


async def run(_url: str) -> str:
    return report(measure())


if __name__ == "__main__":
    report(measure())

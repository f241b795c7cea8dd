"""Authorization in-process: building a center's role assignments, and one decision, at several sizes.

Issue 16 goals: a center of 10,000 accounts loads in well under a second (it grew with the square of the accounts
before: 25 s at 6,000), and one decision costs at most 60 µs p99, flat from 1 to 10,000 tenants held. Each tenant
held is its own small Casbin ``FastEnforcer`` (``govhall.authz.enforcer.build_enforcer``), so a decision touches
one tenant's rows only, and a decision asks the enforcer's role manager for the links of the few roles holding
the permission (``govhall.authz.enforcer.decide``) instead of evaluating the matcher per row. Baseline measured in the same run: a Python set lookup of the same (role, permission)
pair, the floor any in-process check has to pay. ``python -m bench.bench_authz`` runs it alone.
"""

from __future__ import annotations

import gc
import os
import random
import time
import uuid

from govhall.authz.enforcer import build_enforcer, decide
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
        e = build_enforcer(rows)
        lines.append(f"| load a center of {accounts:,} accounts | {(time.perf_counter() - t) * 1000:.0f} ms | "
                     "well under 1 s |")
        # A role change: one user's links replaced in the loaded center (what a ``<tenant>/<user>`` notice does).
        user, _role, dom = rows[accounts // 2]
        t = time.perf_counter()
        e.remove_named_grouping_policies("g", e.get_filtered_named_grouping_policy("g", 0, user, "", dom))
        e.add_named_grouping_policies("g", [[user, Role.center_admin.value, dom], [user, Role.clerk.value, dom]])
        lines.append(f"| role change in a loaded center of {accounts:,} accounts (one user's links replaced) | "
                     f"{(time.perf_counter() - t) * 1000:.1f} ms | incremental, no reload |")
    small = [_center(20)[1] for _ in range(200)]
    builds = []
    for rows in small:
        t = time.perf_counter()
        build_enforcer(rows)
        builds.append(time.perf_counter() - t)
    lines.append(f"| load one tenant of 20 accounts on demand (build, without the DB read) | p50 "
                 f"{_pct(builds, .5) / 1000:.2f} ms, p99 {_pct(builds, .99) / 1000:.2f} ms | < 5 ms |")
    perms = {r.value: {(p.obj, p.act) for p in ps} for r, ps in ROLE_PERMISSIONS.items()}
    for tenants in (1, 1_000, 10_000):
        held = [_center(20) for _ in range(tenants)]
        enforcers = {d: build_enforcer(rows) for d, rows in held}
        gc.collect()  # the tenants a worker holds are old objects by the time requests ask them
        for frozen in (False, True):
            if frozen:  # what the app does after startup and after loading a tenant (govhall.gc_tuning)
                gc.freeze()
            lines.append(_decisions(tenants, held, enforcers, perms, frozen))
            if frozen:
                gc.unfreeze()
        del enforcers, held
        gc.collect()
    lines.append(f"\nload average {os.getloadavg()[0]:.1f} (2 cores here: decisions' p99 follows the machine's load)")
    return lines


def _decisions(tenants: int, held: list, enforcers: dict, perms: dict, frozen: bool) -> str:
    rnd = random.Random(7)
    asks = [(d, rows[rnd.randrange(20)]) for d, rows in (held[rnd.randrange(tenants)] for _ in range(5000))]
    times, floor, casbin_times = [], [], []
    before = [g["collections"] for g in gc.get_stats()]
    for i, (d, (user, role, _)) in enumerate(asks):
        t = time.perf_counter()
        decide(enforcers[d], user, "attendance", "board", d)
        times.append(time.perf_counter() - t)
        if i % 5 == 0:  # Casbin's own enforce() on the same enforcers, for comparison (a sample: it is slow)
            t = time.perf_counter()
            enforcers[d].enforce(user, "attendance", "board", d)
            casbin_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        _ = ("attendance", "board") in perms[role]
        floor.append(time.perf_counter() - t)
    after = [g["collections"] for g in gc.get_stats()]
    gcs, gc2 = sum(after) - sum(before), after[2] - before[2]
    how = "after `gc.freeze()`" if frozen else "no freeze"
    return (f"| one decision, {tenants:,} tenants held, {how} | p50 {_pct(times, .5):.0f} µs, p99 "
            f"{_pct(times, .99):.0f} µs, max {_pct(times, 1):.0f} µs "
            f"({_pct(times, .5) / max(_pct(floor, .5), 1e-3):.0f}x a set lookup; "
            f"Casbin enforce() p50 {_pct(casbin_times, .5):.0f} µs; {gcs} collections, {gc2} full) | "
            "p99 ≤ 60 µs, flat |")


def report(lines: list[str]) -> str:
    text = "\n".join(["## Authorization (in-process)", "", *lines, ""])
    print(text)
    return text


async def run(_url: str) -> str:
    return report(measure())


if __name__ == "__main__":
    report(measure())

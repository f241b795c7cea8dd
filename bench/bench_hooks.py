"""Pack hooks on a tenant-month: one batch hook call vs a plain Python loop over the same staff-days.

The shape the pack host is built for (performance-anchors rows 20 and 24): month-end work calls each hook once
per tenant-month (per span of unchanged rules), never once per staff-day. This bench measures, in-process,
for 100 staff over the working days of June 2026 (about 2,100 staff-days):

- the plain loop: the packs' pure functions called directly, one staff member / day at a time (no pluggy);
- the batch hook: one call through the tenant's pluggy subset hook caller (only enabled packs) for the month;
- the anti-pattern: one hook call per staff-day (the shape the host avoids).

Reported as microseconds per staff-day and as ratios to the plain loop measured in the same run.
``python -m bench.bench_hooks`` runs it alone; ``python -m bench`` runs it with the others.
"""

from __future__ import annotations

import datetime as dt
import random
import time
import uuid
from collections.abc import Callable

from govhall.packs.manager import get_host
from govhall.packs.resolve import Chain, ChainLevel, VersionRow, resolve
from govhall.packs.services import hooks_for
from govhall.packs.types import StaffMonth, ViolationEvent
from govhall_packs.point_values import logic as points
from govhall_packs.work_hours import logic as hours

STAFF, REPEAT = 100, 7
MONTH = dt.date(2026, 6, 1)
TENANT = uuid.UUID(int=1)


def _tenant_hooks():  # type: ignore[no-untyped-def]
    """A county with work_hours and point_values enabled (as ``enabled_hooks`` would resolve it)."""
    rows = {name: (VersionRow(id=uuid.uuid4(), tenant_id=TENANT, pack=name, version=1,
                              effective_from=dt.date(2026, 1, 1), enabled=True, overrides={}, locks=()),)
            for name in ("work_hours", "point_values")}
    chain = Chain((ChainLevel(TENANT, "bench county", "county", rows),))
    resolved = {name: resolve(p.spec, chain, MONTH) for name, p in get_host().packs.items()}
    return hooks_for(TENANT, resolved)


def _month_input(workdays: list[dt.date]) -> list[StaffMonth]:
    rnd = random.Random(42)
    kinds = (("late", 0.08), ("early_leave", 0.04), ("missed_punch", 0.03), ("off_post", 0.01))
    out = []
    for i in range(STAFF):
        events = tuple(ViolationEvent(kind=k, day=d) for d in workdays for k, p in kinds if rnd.random() < p)
        out.append(StaffMonth(staff_id=f"s{i:03d}", violations=events))
    return out


def _best(fn: Callable[[], object]) -> float:
    times = []
    for _ in range(REPEAT):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def measure() -> list[tuple[str, float, float]]:
    hooks = _tenant_hooks()
    days = [MONTH + dt.timedelta(days=i) for i in range(30)]
    settings_h = hooks.rules.of("work_hours")
    workdays = [d for d, s in hours.calendar(settings_h, days).items() if s.workday]
    staff = _month_input(workdays)
    staff_days = STAFF * len(workdays)
    settings_p = hooks.rules.of("point_values")
    by_day = [(m, d) for m in staff for d in workdays]

    def plain_scores() -> None:  # the same computation, plain Python, no hook machinery
        compiled = points.CompiledPoints(settings_p)
        for m in staff:
            points.score_one(compiled, MONTH, m)

    def batch_scores() -> None:
        hooks.hook.govhall_score_month(rules=hooks.rules, month=MONTH, staff=staff)

    def per_day_scores() -> None:  # anti-pattern: one hook call per staff-day
        for m, d in by_day:
            one = StaffMonth(staff_id=m.staff_id, violations=tuple(e for e in m.violations if e.day == d))
            hooks.hook.govhall_score_month(rules=hooks.rules, month=MONTH, staff=[one])

    def plain_calendar() -> None:  # the month's days, plain Python (what the batch call computes)
        compiled = hours.CompiledHours(settings_h)
        for d in days:
            hours.schedule(compiled, d)

    def batch_calendar() -> None:  # the tenant's month in one call, shared by all its staff
        hooks.hook.govhall_work_calendar(rules=hooks.rules, days=days)

    def per_day_calendar() -> None:
        for _m, d in by_day:
            hooks.hook.govhall_work_calendar(rules=hooks.rules, days=[d])

    results = []
    for name, fn in (("score_month: plain loop", plain_scores), ("score_month: 1 batch hook call", batch_scores),
                     ("score_month: 1 hook call per staff-day", per_day_scores),
                     ("work_calendar: plain loop", plain_calendar),
                     ("work_calendar: 1 batch hook call", batch_calendar),
                     ("work_calendar: 1 hook call per staff-day", per_day_calendar)):
        seconds = _best(fn)
        results.append((name, seconds, seconds / staff_days * 1e6))
    global SHAPE
    SHAPE = (STAFF, len(workdays))
    return results


SHAPE = (STAFF, 0)


def report(results: list[tuple[str, float, float]]) -> str:
    n_staff, n_days = SHAPE
    title = (f"## Pack hooks: a tenant-month ({n_staff} staff x {n_days} working days = {n_staff * n_days:,} "
             f"staff-days), in-process")
    lines = [title, "",
             "| case | ms | µs per staff-day | vs plain loop |", "|---|---|---|---|"]
    base = {}
    for name, seconds, per in results:
        family = name.split(":")[0]
        base.setdefault(family, seconds)
        lines.append(f"| {name} | {seconds * 1000:.2f} | {per:.3f} | {seconds / base[family]:.2f} |")
    lines.append("")
    lines.append(f"Best of {REPEAT} runs, pluggy {__import__('pluggy').__version__}. The calendar is one per tenant-day "
                 f"(30 days), shared by the tenant's staff; its per-staff-day figure divides by the staff-days all the same.")
    text = "\n".join(lines) + "\n"
    print(text)
    return text


async def run(_url: str) -> str:
    return report(measure())


if __name__ == "__main__":
    report(measure())

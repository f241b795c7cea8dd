"""What-if budget (issue 12): previewing a rule change on a month vs evaluating that month.

In-process, on a fresh database (SQLite in a temp dir, or ``GOVHALL_BENCH_DATABASE_URL`` / ``--database-url``,
an owner URL of an empty PostgreSQL database): a county with STAFF staff and a full month of punches (4 a workday,
some late). Measured, best of REPEAT, in the same run:

- ``evaluate_month`` (read, evaluate, write the derived rows; rolled back, so every run starts alike);
- ``impact`` of a candidate (late grace 5 -> 15 minutes): the month evaluated twice in memory, nothing written.

The budget is impact <= 2x evaluate_month. ``python -m bench.bench_impact [--database-url URL]``.

Also the event loop's longest stall while ``impact`` runs (a 5 ms ticker on the same loop): with the evaluation
inline, as a request runs it, and with it in a worker thread (``offload=asyncio.to_thread``), as the background
job ``packs.impact_subtree`` runs each center (issue 16).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import tempfile
import time
from pathlib import Path

STAFF, REPEAT = 200, 3
MONTH = dt.date(2026, 3, 1)
HOURS = [{"label": "上午", "start": "08:30", "end": "12:00", "weekdays": [1, 2, 3, 4, 5]},
         {"label": "下午", "start": "14:30", "end": "18:00", "weekdays": [1, 2, 3, 4, 5]}]


async def run_bench(url: str) -> str:
    from sqlalchemy.ext.asyncio import async_sessionmaker

    from govhall.clock import set_clock, utcnow
    from govhall.db.migrate import upgrade
    from govhall.domain.attendance.evaluation import evaluate_month
    from govhall.domain.attendance.ingest import RawPunch, store_punches
    from govhall.domain.attendance.models import PunchSource
    from govhall.domain.attendance.rules import AttendanceRules
    from govhall.domain.org.models import Department, Staff
    from govhall.domain.org.tenant_files import load
    from govhall.domain.org.tenants import create_tenant
    from govhall.domain.rulescode.impact import impact
    from govhall.packs.services import Actor, save_version
    from govhall.tenancy import system_scope, tenant_scope
    from govhall.tenancy.engine import create_engine
    from govhall.tenancy.models import Tenant, TenantLevel

    await asyncio.to_thread(upgrade, url)
    engine = create_engine(url)
    set_clock(dt.datetime(2026, 4, 2, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    maker = async_sessionmaker(engine, expire_on_commit=False)
    async with maker() as s:
        await load(s, "Bench#2026pw")
        with system_scope():
            from sqlalchemy import select

            city = await s.scalar(select(Tenant).where(Tenant.division_code == "421100"))
            county = await create_tenant(s, name="基准县", level=TenantLevel.county, division_code="421199",
                                         parent=city)
            await s.commit()
        tid = county.id
        with tenant_scope(tid):
            dept = Department(name="基准局")
            s.add(dept)
            await s.flush()
            s.add_all([Staff(name=f"员工{i}", employee_no=f"B{i:04d}", department_id=dept.id) for i in range(STAFF)])
            await s.commit()
            for pack, over in (("work_hours", {"weekly_sessions": HOURS, "late_grace_minutes": 5}),
                               ("attendance_rules", {})):
                await save_version(s, tid, pack, effective_from=dt.date(2026, 1, 1), enabled=True, overrides=over,
                                   actor=Actor(None, "bench"), can_lock=False, allow_past=True)
            await s.commit()
            rnd = random.Random(7)
            d = MONTH
            while d.month == MONTH.month:
                if d.weekday() < 5:
                    punches = []
                    for i in range(STAFF):
                        late = rnd.random() < 0.1
                        for j, t in enumerate(("08:%02d" % (rnd.randint(36, 44) if late else rnd.randint(10, 29)),
                                               "12:01", "14:25", "18:03")):
                            punches.append(RawPunch(j, f"B{i:04d}", dt.datetime.combine(d, dt.time.fromisoformat(t))))
                    await store_punches(s, source=PunchSource.device_api, device_key="BENCH", punches=punches,
                                        tz="Asia/Shanghai", now=utcnow(), rules=AttendanceRules())
                    await s.commit()
                d += dt.timedelta(days=1)

            async def evaluate() -> None:
                await evaluate_month(s, tid, MONTH, commit=False)
                await s.rollback()

            async def preview(offload=None) -> object:  # type: ignore[no-untyped-def]
                r = await impact(s, tid, "work_hours", enabled=True,
                                 overrides={"weekly_sessions": HOURS, "late_grace_minutes": 15}, locks=None,
                                 month=MONTH, can_lock=False, offload=offload)
                await s.rollback()
                return r

            async def stall(offload=None) -> float:  # type: ignore[no-untyped-def]
                """The longest gap between two ticks of a 5 ms ticker while one preview runs, in seconds."""
                gaps: list[float] = []
                running = True

                async def tick() -> None:
                    last = time.perf_counter()
                    while running:
                        await asyncio.sleep(0.005)
                        now = time.perf_counter()
                        gaps.append(now - last)
                        last = now

                ticker = asyncio.create_task(tick())
                await asyncio.sleep(0.02)
                gaps.clear()
                await preview(offload)
                running = False
                await ticker
                return max(gaps, default=0.0)

            async def best(fn) -> float:  # type: ignore[no-untyped-def]
                times = []
                for _ in range(REPEAT):
                    t0 = time.perf_counter()
                    await fn()
                    times.append(time.perf_counter() - t0)
                return min(times)

            ev, im = await best(evaluate), await best(preview)
            r = await preview()
            inline = sorted([await stall() for _ in range(REPEAT)])[REPEAT // 2]
            threaded = sorted([await stall(asyncio.to_thread) for _ in range(REPEAT)])[REPEAT // 2]
    await engine.dispose()
    staff_days = STAFF * 22
    return (f"## What-if vs month-end ({STAFF} staff, {staff_days} staff-days, {engine.dialect.name})\n\n"
            f"| step | seconds | ratio |\n|---|---|---|\n| evaluate_month (rolled back) | {ev:.3f} | 1.00 |\n"
            f"| impact (two in-memory evaluations) | {im:.3f} | **{im / ev:.2f}** |\n\n"
            f"people changed: {len(r.people)}, changed staff-days: {r.changed_days}\n\n"  # type: ignore[attr-defined]
            f"Longest event-loop stall during one impact (median of {REPEAT}): inline {inline * 1000:.0f} ms, "
            f"evaluation in a worker thread (the job) {threaded * 1000:.0f} ms\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=os.environ.get("GOVHALL_BENCH_DATABASE_URL"))
    args = parser.parse_args()
    os.environ.setdefault("GOVHALL_ENV", "test")
    os.environ.setdefault("GOVHALL_LOG_LEVEL", "WARNING")
    if args.database_url:
        print(asyncio.run(run_bench(args.database_url)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        print(asyncio.run(run_bench(f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}")))


if __name__ == "__main__":
    main()

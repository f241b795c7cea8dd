"""Assessment month close for 1,000 staff, as a ratio to a plain SQL aggregate of the same records.

A synthetic center (1,000 staff, 22 working days, 88,000 punches with ~8% late arrivals, evaluated once outside
the timing) with 3,000 recorded violations of March. ``close_month`` locks the month, checks the attendance is
final, turns the month's findings into records (ONE ``govhall_attendance_violations`` call, bulk insert), scores
every staff member (ONE ``govhall_score_month`` call) and writes 1,000 scorecards in bulk, plus the audit event.
Baselines, same run: a plain SQL aggregate of the same records (points per staff member and category), fetched,
and the same aggregate written back into a keyed table.
"""

from __future__ import annotations

import gc
import random
import statistics
import time
import uuid
from datetime import date, datetime

from bench.bench_attendance import MONTH, STAFF, _fill_month, _owner_sql, setup_center
from bench.harness import ServerURL

RECORDS_PER_STAFF = 3
KINDS = (("quarrel", "service", 4.0), ("untidy", "hygiene_safety", 1.0), ("late_entry", "performance", 1.0),
         ("no_badge", "service", 1.0), ("shirking", "integrity", 2.0))


async def _records(owner_url: str, tenant_id: uuid.UUID) -> int:
    from advanced_alchemy.mixins.uuid import uuid7
    from sqlalchemy import select
    from sqlalchemy.ext.asyncio import async_sessionmaker

    from govhall.domain.assessment.models import ViolationRecord
    from govhall.domain.org.models import Staff
    from govhall.packs.services import Actor, save_version
    from govhall.tenancy import tenant_scope
    from govhall.tenancy.engine import create_engine

    rnd = random.Random(11)
    engine = create_engine(owner_url)
    now = datetime.now().astimezone()
    try:
        async with async_sessionmaker(engine)() as s:
            with tenant_scope(tenant_id):
                await save_version(s, tenant_id, "point_values", effective_from=date(2026, 1, 1), enabled=True,
                                   overrides={}, actor=Actor(None, "bench"), can_lock=True, allow_past=True)
                staff = (await s.execute(select(Staff.id, Staff.department_id))).all()
                rows = []
                for sid, dept in staff:
                    for _ in range(RECORDS_PER_STAFF):
                        kind, cat, _p = KINDS[rnd.randrange(len(KINDS))]
                        rows.append({"id": uuid7(), "tenant_id": tenant_id, "subject": "staff", "staff_id": sid,
                                     "window_id": None, "department_id": dept, "kind": kind, "name": kind,
                                     "category": cat, "clause": "000 篇七 十一", "day": date(2026, 3, rnd.randrange(2, 28)),
                                     "quantity": 1.0, "points": None, "source": "patrol", "source_ref": None,
                                     "evidence": [], "note": None, "recorded_by": None, "status": "recorded",
                                     "amends_id": None, "void_reason": None, "sanction": None,
                                     "reduced_points": None, "created_at": now, "updated_at": now})
                await s.execute(ViolationRecord.__table__.insert(), rows)
                await s.commit()
                return len(rows)
    finally:
        await engine.dispose()


async def month_close(url: ServerURL, runs: int = 5) -> str:
    from advanced_alchemy.types import GUID
    from sqlalchemy import Date, bindparam, delete, text, update
    from sqlalchemy.ext.asyncio import async_sessionmaker

    from govhall.clock import set_clock
    from govhall.domain.assessment.closing import close_month
    from govhall.domain.assessment.models import AssessmentMonth, Scorecard, ViolationRecord
    from govhall.domain.assessment.services import Actor
    from govhall.domain.attendance.evaluation import evaluate_month
    from govhall.domain.org.rules import Reach, StaffScope
    from govhall.tenancy import tenant_scope
    from govhall.tenancy.engine import create_engine

    tag = f"{random.randrange(16**4):04x}"
    center = await setup_center(url.owner_url, staff=STAFF, clerks=0, devices=0, tag=tag)
    n_punches = await _fill_month(url.owner_url, center)
    n_records = await _records(url.owner_url, center.tenant_id)
    await _owner_sql(url.owner_url, "ANALYZE" if url.app_url.startswith("postgresql") else None)
    set_clock(datetime(2026, 4, 3, 10, 0).astimezone())
    engine = create_engine(url.app_url)
    is_pg = url.app_url.startswith("postgresql")
    typed = (bindparam("t", type_=GUID(length=16)), bindparam("a", type_=Date()), bindparam("b", type_=Date()))
    params = {"t": center.tenant_id, "a": MONTH, "b": date(2026, 3, 31)}
    points = "CASE kind " + " ".join(f"WHEN '{k}' THEN {p}" for k, _c, p in KINDS) + " ELSE 1 END"
    agg = text(f"""SELECT staff_id, category, SUM(quantity * {points}) FROM assessment_violation
                   WHERE tenant_id = :t AND day BETWEEN :a AND :b AND status IN ('recorded', 'upheld', 'reduced')
                   GROUP BY staff_id, category""").bindparams(*typed)
    create = ("CREATE TABLE bench_score (tenant_id uuid, staff_id uuid, category varchar(40), points float, "
              "PRIMARY KEY (tenant_id, staff_id, category))" if is_pg else
              "CREATE TABLE bench_score (tenant_id, staff_id, category, points, PRIMARY KEY (tenant_id, staff_id, "
              "category))")
    await _owner_sql(url.owner_url, "DROP TABLE IF EXISTS bench_score", create,
                     'GRANT ALL ON bench_score TO "govhall_app"' if is_pg else None)
    write = text(f"""INSERT INTO bench_score SELECT tenant_id, staff_id, category, SUM(quantity * {points})
                     FROM assessment_violation WHERE tenant_id = :t AND day BETWEEN :a AND :b
                     AND status IN ('recorded', 'upheld', 'reduced')
                     GROUP BY tenant_id, staff_id, category""").bindparams(*typed)
    actor = Actor(uuid.uuid4(), frozenset({"center_admin"}), None, StaffScope(reach=Reach.center))
    t_sql, t_sql_w, t_close, summary = [], [], [], None
    try:
        maker = async_sessionmaker(engine, expire_on_commit=False)
        with tenant_scope(center.tenant_id):
            async with maker() as s:  # the attendance of March, once, outside the timing
                await evaluate_month(s, center.tenant_id, MONTH)

            async def reset() -> None:
                async with maker() as s:
                    await s.execute(delete(Scorecard))
                    await s.execute(delete(ViolationRecord).where(ViolationRecord.source == "attendance"))
                    await s.execute(update(AssessmentMonth).values(status="open"))
                    await s.execute(text("DELETE FROM bench_score"))
                    await s.commit()

            await reset()
            async with maker() as s:  # warm the caches once (settings chain, calendar, statements)
                await close_month(s, actor, MONTH)
            for _ in range(runs):
                await reset()
                gc.collect()
                async with maker() as s:
                    t0 = time.perf_counter()
                    rows = len((await s.execute(agg, params)).all())
                    t_sql.append(time.perf_counter() - t0)
                    await s.rollback()
                gc.collect()
                async with maker() as s:
                    t0 = time.perf_counter()
                    await s.execute(write, params)
                    await s.commit()
                    t_sql_w.append(time.perf_counter() - t0)
                gc.collect()
                async with maker() as s:
                    t0 = time.perf_counter()
                    summary = await close_month(s, actor, MONTH)
                    t_close.append(time.perf_counter() - t0)
    finally:
        set_clock(None)
        await engine.dispose()
        await _owner_sql(url.owner_url, "DROP TABLE IF EXISTS bench_score")
    sql, sql_w, close = statistics.median(t_sql), statistics.median(t_sql_w), statistics.median(t_close)
    assert summary is not None
    out = "\n".join([
        "## Assessment: month close", "",
        (f"{STAFF:,} staff, {n_records:,} recorded violations of March 2026 and {n_punches:,} punches (evaluated "
         f"once before); each close also turns the month's attendance findings into {summary.attendance_records:,} "
         f"records and writes {summary.scorecards:,} scorecards; median of {runs} runs, app role "
         f"({'PostgreSQL, RLS on' if is_pg else 'SQLite'})."), "",
        "| what | seconds | ratio to SQL aggregate | ratio to SQL aggregate + write |", "|---|---|---|---|",
        (f"| plain SQL aggregate of the records (points per staff member and category), {rows:,} rows fetched | "
        f"{sql:.3f} | 1.00 | — |"),
        f"| the same aggregate written to a keyed table | {sql_w:.3f} | {sql_w / sql:.2f} | 1.00 |",
        (f"| `close_month` (lock, attendance check, bridge hook + records, score hook, scorecards, window scorecards, "
         f"return cases, audit) | "
        f"{close:.3f} | {close / sql:.2f} | {close / sql_w:.2f} |"), "",
    ])
    print(out)
    return out


async def run(url: ServerURL) -> str:
    return await month_close(url)

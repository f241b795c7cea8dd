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

from bench.bench_attendance import MONTH, STAFF, _fill_month, _owner_sql, setup_center, table_copies
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
    from govhall.packs.cache import CACHE_KEY, ChainCache
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
    # The honest baseline: the close's own work done by plain SQL, same row shapes, one transaction, one commit.
    # (1) the month's attendance findings written as records shaped like assessment_violation (one row per finding
    # kind and day, quantity = the day's count); (2) one row per staff member shaped like assessment_scorecard:
    # categories, total, deducted, pay, and the lines (record id, kind, name, category, clause, day, occurrence,
    # points) of every record behind it, the attendance ones included.
    new_id = "gen_random_uuid()" if is_pg else "randomblob(16)"
    now_sql = "now()" if is_pg else "CURRENT_TIMESTAMP"
    cols = ("id, tenant_id, subject, staff_id, window_id, department_id, kind, name, category, clause, day, quantity, "
            "points, source, source_ref, evidence, note, recorded_by, status, amends_id, void_reason, sanction, "
            "reduced_points, created_at, updated_at")
    findings = " UNION ALL ".join(
        f"""SELECT d.staff_id, d.work_date, '{kind}' AS kind, d.{col} AS n FROM attendance_day d
            WHERE d.tenant_id = :t AND d.work_date BETWEEN :a AND :b AND d.{col} > 0"""
        for kind, col in (("late", "late_count"), ("early_leave", "early_count"),
                          ("missed_punch", "missed_punches"), ("absence_half_day", "absence_half_days")))
    bridge_sql = text(f"""INSERT INTO bench_violation ({cols})
        SELECT {new_id}, :t, 'staff', f.staff_id, s.window_id, s.department_id, f.kind, f.kind, 'schedule',
               '十一(一)1', f.work_date, f.n, NULL, 'attendance', f.kind || '/' || f.work_date, '[]', NULL, NULL,
               'recorded', NULL, NULL, NULL, NULL, {now_sql}, {now_sql}
        FROM ({findings}) f JOIN staff s ON s.id = f.staff_id AND s.tenant_id = :t""").bindparams(*typed)
    rid = "id" if is_pg else "lower(hex(id))"
    obj, arr, objagg = (("jsonb_build_object", "jsonb_agg", "jsonb_object_agg") if is_pg else
                        ("json_object", "json_group_array", "json_group_object"))
    cards_sql = text(f"""INSERT INTO bench_scorecard (id, tenant_id, month, staff_id, department_id, window_id,
            categories, total, deducted, bonus, pay_yuan, fines_yuan, return_to_unit, return_reasons, award_eligible,
            year_deductions, lines, created_at, updated_at)
        WITH v AS (SELECT id, staff_id, kind, name, category, clause, day, quantity * ({points}) AS pts
                   FROM assessment_violation WHERE tenant_id = :t AND day BETWEEN :a AND :b
                   AND status IN ('recorded', 'upheld', 'reduced') AND subject = 'staff'
                   UNION ALL SELECT id, staff_id, kind, name, category, clause, day, quantity FROM bench_violation),
        n AS (SELECT v.*, row_number() OVER (PARTITION BY staff_id, kind ORDER BY day, id) AS occurrence FROM v),
        c AS (SELECT staff_id, category, SUM(pts) AS d FROM v GROUP BY staff_id, category),
        cat AS (SELECT staff_id, {objagg}(category, MAX(0, 20 - d)) AS categories, SUM(d) AS deducted
                FROM c GROUP BY staff_id),
        l AS (SELECT staff_id, {arr}({obj}('recordId', {rid}, 'kind', kind, 'name', name, 'category', category,
                     'clause', clause, 'day', day, 'occurrence', occurrence, 'points', -pts)) AS lines
              FROM n GROUP BY staff_id)
        SELECT {new_id}, :t, :a, s.id, s.department_id, s.window_id, COALESCE(cat.categories, '{{}}'),
               100 - COALESCE(cat.deducted, 0), COALESCE(cat.deducted, 0), 0,
               1.5 * (100 - COALESCE(cat.deducted, 0)), 0, false, '[]', true, 0, COALESCE(l.lines, '[]'),
               {now_sql}, {now_sql}
        FROM staff s LEFT JOIN cat ON cat.staff_id = s.id LEFT JOIN l ON l.staff_id = s.id
        WHERE s.tenant_id = :t""".replace("MAX(0,", "GREATEST(0," if is_pg else "MAX(0,")).bindparams(*typed)
    # the baseline's tables are copies of the real ones with everything a write pays for: columns, defaults,
    # indexes and unique keys, foreign keys, and on PostgreSQL row-level security with the same policy
    await _owner_sql(url.owner_url, *(await table_copies(url.owner_url, is_pg, {
        "assessment_violation": "bench_violation", "assessment_scorecard": "bench_scorecard"})))
    actor = Actor(uuid.uuid4(), frozenset({"center_admin"}), None, StaffScope(reach=Reach.center))
    t_sql, t_sql_w, t_same, t_close, summary = [], [], [], [], None
    try:
        # sessions as the app's: with the worker's settings-chain cache (the rules of a month come from memory)
        maker = async_sessionmaker(engine, expire_on_commit=False, info={CACHE_KEY: ChainCache(64)})
        with tenant_scope(center.tenant_id):
            async with maker() as s:  # the attendance of March, once, outside the timing
                await evaluate_month(s, center.tenant_id, MONTH)

            async def reset() -> None:
                async with maker() as s:
                    await s.execute(delete(Scorecard))
                    await s.execute(delete(ViolationRecord).where(ViolationRecord.source == "attendance"))
                    await s.execute(update(AssessmentMonth).values(status="open"))
                    await s.execute(text("DELETE FROM bench_score"))
                    await s.execute(text("DELETE FROM bench_violation"))
                    await s.execute(text("DELETE FROM bench_scorecard"))
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
                    await s.execute(bridge_sql, params)
                    await s.execute(cards_sql, params)
                    await s.commit()
                    t_same.append(time.perf_counter() - t0)
                gc.collect()
                async with maker() as s:
                    t0 = time.perf_counter()
                    summary = await close_month(s, actor, MONTH)
                    t_close.append(time.perf_counter() - t0)
    finally:
        set_clock(None)
        await engine.dispose()
        await _owner_sql(url.owner_url, "DROP TABLE IF EXISTS bench_score", "DROP TABLE IF EXISTS bench_violation",
                         "DROP TABLE IF EXISTS bench_scorecard")
    sql, sql_w, close = statistics.median(t_sql), statistics.median(t_sql_w), statistics.median(t_close)
    same = statistics.median(t_same)
    assert summary is not None
    out = "\n".join([
        "## Assessment: month close", "",
        (f"{STAFF:,} staff, {n_records:,} recorded violations of March 2026 and {n_punches:,} punches (evaluated "
         f"once before); each close also turns the month's attendance findings into {summary.attendance_records:,} "
         f"records and writes {summary.scorecards:,} scorecards; median of {runs} runs, app role "
         f"({'PostgreSQL, RLS on' if is_pg else 'SQLite'})."), "",
        "| what | seconds | ratio to SQL aggregate + write | ratio to SQL, same rows |", "|---|---|---|---|",
        (f"| plain SQL aggregate of the records (points per staff member and category), {rows:,} rows fetched | "
         f"{sql:.3f} | {sql / sql_w:.2f} | {sql / same:.2f} |"),
        f"| the same aggregate written to a keyed table | {sql_w:.3f} | 1.00 | {sql_w / same:.2f} |",
        ("| plain SQL doing the close's writes with the same row shapes (attendance findings -> records; one "
         "scorecard per staff member with categories, total, pay and every line with its record id and occurrence; "
         f"one transaction, committed) | {same:.3f} | {same / sql_w:.2f} | 1.00 |"),
        (f"| `close_month` (lock, attendance check, bridge hook + records, score hook, scorecards, window scorecards, "
         f"return cases, audit) | {close:.3f} | {close / sql_w:.2f} | **{close / same:.2f}** |"), "",
    ])
    print(out)
    return out


async def run(url: ServerURL) -> str:
    return await month_close(url)

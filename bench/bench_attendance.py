"""Attendance benchmarks, each reported as ratios to a baseline measured in the same run.

(a) Morning burst against the real server: web clock-ins (session + CSRF + Casbin + staff lookup + rules +
    INSERT) and terminal batches (JSON with device token; ZKTeco ADMS ATTLOG) — alone and all at once — against
    the bench-only bare endpoint that performs the same committed INSERT of the same rows and nothing else.
(b) Month-end evaluation of a synthetic center (1,000 staff x 22 working days x 4 punches = 88,000 punches):
    ``evaluate_month`` (calendar, rules, every staff-day, conversions hook, write-back of 22,000 day rows)
    against a plain SQL aggregate of the same punches (first/last punch per staff-day), with and without
    writing the aggregate back.

Everything goes to 127.0.0.1 only, with bounded request counts and time limits.
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

import httpx

from bench.harness import DEMO_PASSWORD, Result, ServerURL

STAFF = 1000
CLERKS = 300
DEVICES = 20
BATCH = 20
CONCURRENCY = 16
REQUESTS = 1500
MAX_SECONDS = 40.0
LOGIN_CONCURRENCY = 1


@dataclass
class BenchCenter:
    tenant_id: UUID
    pins: list[str]
    clerks: list[str]
    devices: list[tuple[str, str]] = field(default_factory=list)


async def setup_center(owner_url: str, *, staff: int, clerks: int, devices: int, tag: str) -> BenchCenter:
    """A center under the demo province with ``staff`` people, ``clerks`` accounts, ``devices`` terminals and the
    work_hours + attendance_rules packs enabled (their defaults)."""
    from sqlalchemy import select
    from sqlalchemy.ext.asyncio import async_sessionmaker

    from govhall.authz.models import RoleAssignment
    from govhall.domain.devices.models import Device
    from govhall.domain.devices.services import hash_token
    from govhall.domain.identity.models import User
    from govhall.domain.identity.passwords import hash_password
    from govhall.domain.org.models import Department, Staff
    from govhall.domain.org.tenants import create_tenant
    from govhall.packs.services import Actor, save_version
    from govhall.tenancy import system_scope, tenant_scope
    from govhall.tenancy.engine import create_engine
    from govhall.tenancy.models import Tenant, TenantLevel

    engine = create_engine(owner_url)
    pw = hash_password(DEMO_PASSWORD)
    try:
        async with async_sessionmaker(engine, expire_on_commit=False)() as session:
            with system_scope():
                province = await session.scalar(select(Tenant).where(Tenant.division_code == "420000"))
                tenant = await create_tenant(session, name=f"压测中心 {tag}", level=TenantLevel.county,
                                             division_code=f"429999-{tag}", parent=province)
                await session.commit()
            with tenant_scope(tenant.id):
                dept = Department(name="压测局")
                session.add(dept)
                await session.flush()
                people = [Staff(name=f"员工{i}", employee_no=f"E{i:04d}", department_id=dept.id)
                          for i in range(1, staff + 1)]
                session.add_all(people)
                await session.flush()
                names = []
                for i, person in enumerate(people[:clerks]):
                    user = User(username=f"bench_{tag}_{i}", display_name=person.name, password_hash=pw,
                                must_change_password=False, staff_id=person.id)
                    session.add(user)
                    names.append(user.username)
                await session.flush()
                users = (await session.scalars(select(User).where(User.username.in_(names)))).all()
                session.add_all([RoleAssignment(user_id=u.id, role="clerk") for u in users])
                devs = [(f"BENCH{tag}{i:03d}", f"ghd_bench_{tag}_{i}") for i in range(devices)]
                session.add_all([Device(serial_number=s, name=s, token_hash=hash_token(t)) for s, t in devs])
                await session.commit()
                for pack in ("work_hours", "attendance_rules"):
                    await save_version(session, tenant.id, pack, effective_from=date(2026, 1, 1), enabled=True,
                                       overrides={}, actor=Actor(None, "bench"), can_lock=True, allow_past=True)
                await session.commit()
            return BenchCenter(tenant.id, [p.employee_no for p in people], names, devs)
    finally:
        await engine.dispose()


# ---- (a) the morning burst ------------------------------------------------------------------------------------


async def _login_all(url: str, usernames: list[str]) -> list[dict[str, str]]:
    """Log every clerk in once (bounded concurrency); return the headers that carry each one's session."""
    sem = asyncio.Semaphore(LOGIN_CONCURRENCY)

    async def one(name: str) -> dict[str, str]:
        async with sem, httpx.AsyncClient(base_url=url, timeout=60) as c:
            await c.get("/healthz")
            token = c.cookies.get("csrftoken", "")
            r = await c.post("/api/auth/login", json={"username": name, "password": DEMO_PASSWORD},
                             headers={"x-csrftoken": token})
            r.raise_for_status()
            cookie = "; ".join(f"{k}={v}" for k, v in c.cookies.items())
            return {"cookie": cookie, "x-csrftoken": c.cookies.get("csrftoken", token)}

    return list(await asyncio.gather(*(one(n) for n in usernames)))


class Clock:
    """Unique punch times for terminal batches: one second apart, starting 30 hours ago (inside the window)."""

    def __init__(self) -> None:
        from zoneinfo import ZoneInfo

        self.t0 = datetime.now(ZoneInfo("Asia/Shanghai")).replace(tzinfo=None, microsecond=0) - timedelta(hours=30)
        self.n = 0

    def next(self) -> datetime:
        self.n += 1
        return self.t0 + timedelta(seconds=self.n)


async def _run(name: str, calls: list, concurrency: int = CONCURRENCY, max_seconds: float = MAX_SECONDS) -> Result:
    """Run the prepared calls (each an ``async () -> httpx.Response``) with bounded concurrency."""
    latencies: list[float] = []
    errors = 0
    it = iter(calls)
    start = time.perf_counter()

    async def worker() -> None:
        nonlocal errors
        for call in it:
            if time.perf_counter() - start > max_seconds:
                return
            t0 = time.perf_counter()
            try:
                r = await call()
                ok = r.status_code < 400
            except httpx.HTTPError:
                ok = False
            latencies.append(time.perf_counter() - t0)
            errors += 0 if ok else 1

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return Result(name, len(latencies), time.perf_counter() - start, latencies, errors)


def _attlog(rows: list[tuple[str, datetime]]) -> bytes:
    return "".join(f"{pin}\t{at:%Y-%m-%d %H:%M:%S}\t0\t15\t0\t0\t0\n" for pin, at in rows).encode()


async def burst(url: ServerURL) -> str:
    center = await setup_center(url.owner_url, staff=STAFF, clerks=CLERKS, devices=DEVICES,
                                tag=f"{random.randrange(16**4):04x}")
    tid = str(center.tenant_id)
    sessions = await _login_all(url, center.clerks)
    clock = Clock()
    rnd = random.Random(5)
    limits = httpx.Limits(max_connections=CONCURRENCY * 2, max_keepalive_connections=CONCURRENCY * 2)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as c:
        clerk_pins = center.pins[:CLERKS]

        def bare_one(i: int):  # type: ignore[no-untyped-def]
            return lambda: c.post("/api/devices/punches/bench-bare",
                                  json={"tenant": tid, "device": "web", "pin": clerk_pins[i % CLERKS]})

        def clock_in(i: int):  # type: ignore[no-untyped-def]
            return lambda: c.post(f"/api/t/{tid}/attendance/clock-in", headers=sessions[i % CLERKS])

        def batch_rows() -> list[tuple[str, datetime]]:
            return [(rnd.choice(center.pins), clock.next()) for _ in range(BATCH)]

        def bare_batch(i: int):  # type: ignore[no-untyped-def]
            rows = batch_rows()
            return lambda: c.post("/api/devices/punches/bench-bare", json={
                "tenant": tid, "device": center.devices[i % DEVICES][0],
                "punches": [{"pin": p, "time": t.isoformat()} for p, t in rows]})

        def json_batch(i: int):  # type: ignore[no-untyped-def]
            serial, token = center.devices[i % DEVICES]
            rows = batch_rows()
            return lambda: c.post("/api/devices/punches", json={
                "punches": [{"pin": p, "time": t.isoformat(), "verify": 15} for p, t in rows]},
                headers={"X-Device-Serial": serial, "Authorization": f"Bearer {token}"})

        def iclock_batch(i: int):  # type: ignore[no-untyped-def]
            serial = center.devices[i % DEVICES][0]
            body = _attlog(batch_rows())
            return lambda: c.post("/iclock/cdata", params={"SN": serial, "table": "ATTLOG", "Stamp": "1"},
                                  content=body)

        # warm-up: Casbin loads the tenant, the pools fill, the rules cache fills
        await _run("warm-up", [clock_in(i) for i in range(64)] + [json_batch(i) for i in range(32)]
                   + [iclock_batch(i) for i in range(32)] + [bare_batch(i) for i in range(32)])
        bare1 = await _run("bare INSERT, 1 punch at server time (baseline)", [bare_one(i) for i in range(REQUESTS)])
        web = await _run("web clock-in: session + CSRF + Casbin + staff + rules + INSERT",
                         [clock_in(i) for i in range(REQUESTS)])
        bare_b = await _run(f"bare INSERT, batch of {BATCH} (baseline)", [bare_batch(i) for i in range(REQUESTS)])
        jsonb = await _run(f"terminal JSON batch of {BATCH}: device token + parse + inbox + sync",
                           [json_batch(i) for i in range(REQUESTS)])
        adms = await _run(f"terminal ADMS ATTLOG batch of {BATCH}", [iclock_batch(i) for i in range(REQUESTS)])
        # the burst: clock-ins and terminal batches at the same time
        mixed_calls = []
        for i in range(REQUESTS):
            mixed_calls.append(("web", clock_in(i)))
            if i % 3 == 0:
                mixed_calls.append(("json", json_batch(i)))
            if i % 3 == 1:
                mixed_calls.append(("adms", iclock_batch(i)))
        kinds: dict[str, list[float]] = {"web": [], "json": [], "adms": []}
        errors = 0
        it = iter(mixed_calls)
        t_start = time.perf_counter()

        async def worker() -> None:
            nonlocal errors
            for kind, call in it:
                if time.perf_counter() - t_start > MAX_SECONDS:
                    return
                t0 = time.perf_counter()
                r = await call()
                kinds[kind].append(time.perf_counter() - t0)
                errors += r.status_code >= 400

        await asyncio.gather(*(worker() for _ in range(CONCURRENCY * 2)))
        mixed_s = time.perf_counter() - t_start
    count = await _count_punches(url.app_url, center.tenant_id)
    mixed = {k: Result(f"burst: {k}", len(v), mixed_s, v, 0) for k, v in kinds.items()}
    lines = ["## Attendance (a): morning burst", "",
             (f"One server process (uvicorn), database `{url.app_url.split('@')[-1].split('?')[0]}` as the app role; "
              f"{CONCURRENCY} concurrent clients; {CLERKS} clerks logged in, {DEVICES} terminals, batches of {BATCH}."),
             "", "| endpoint | requests | rps | punches/s | p50 ms | p99 ms | errors | rps vs baseline | p99 vs baseline |",
             "|---|---|---|---|---|---|---|---|---|"]

    def row(r: Result, base: Result, per: int) -> str:
        return (f"| {r.name} | {r.requests} | {r.rps:,.0f} | {r.rps * per:,.0f} | {r.pct(0.5):.1f} | {r.pct(0.99):.1f} "
                f"| {r.errors} | {r.rps / base.rps:.2f} | {r.pct(0.99) / max(base.pct(0.99), 1e-9):.2f} |")

    lines += [row(bare1, bare1, 1), row(web, bare1, 1), row(bare_b, bare_b, BATCH), row(jsonb, bare_b, BATCH),
              row(adms, bare_b, BATCH)]
    lines += ["", f"Burst, all at once ({CONCURRENCY * 2} clients, {mixed_s:.1f} s, {errors} errors):", "",
              "| kind | requests | rps | p50 ms | p99 ms | p99 vs its baseline alone |", "|---|---|---|---|---|---|"]
    for kind, base in (("web", bare1), ("json", bare_b), ("adms", bare_b)):
        r = mixed[kind]
        lines.append(f"| {kind} | {r.requests} | {r.rps:,.0f} | {r.pct(0.5):.1f} | {r.pct(0.99):.1f} | "
                     f"{r.pct(0.99) / max(base.pct(0.99), 1e-9):.2f} |")
    lines += ["", (f"Punches stored for the bench center: {count:,} (terminal punches are unique: nothing lost or "
                   "doubled means this equals the bare + terminal punches sent plus the distinct clock-in seconds).")]
    text = "\n".join(lines) + "\n"
    print(text)
    return text


async def _count_punches(app_url: str, tenant_id: UUID) -> int:
    from sqlalchemy import func, select
    from sqlalchemy.ext.asyncio import async_sessionmaker

    from govhall.domain.attendance.models import Punch
    from govhall.tenancy import tenant_scope
    from govhall.tenancy.engine import create_engine

    engine = create_engine(app_url)
    try:
        async with async_sessionmaker(engine)() as s:
            with tenant_scope(tenant_id):
                return int(await s.scalar(select(func.count()).select_from(Punch)) or 0)
    finally:
        await engine.dispose()


# ---- (b) month-end evaluation ---------------------------------------------------------------------------------

MONTH = date(2026, 3, 1)  # 22 working days, no holiday
MONTH_END_STAFF = (1000, 10000)


def _baseline_sql(is_pg: bool, bounds: tuple[tuple[int, int, int, int, int], ...], starts: list[int],
                  ends: list[int]) -> list[str]:
    """The aggregate of the same punches written back as the same rows: per staff-day the first arrival and last
    departure of each session (conditional MIN/MAX over the same windows), the days that are not on time as rows
    shaped like ``attendance_day`` (finding, counts, minutes, a ``details`` JSON with the sessions), and one row per
    staff member shaped like ``attendance_month`` (the sums), into copies of the real tables. On PostgreSQL one
    statement (a data-modifying CTE); SQLite has none, so two statements, each aggregating."""
    obj, arr = ("jsonb_build_object", "jsonb_build_array") if is_pg else ("json_object", "json_array")
    new_id = "gen_random_uuid()" if is_pg else "randomblob(16)"
    cols = []
    for i, (lo, mid, hi, _li, _lo) in enumerate(bounds):
        cols.append(f"MIN(CASE WHEN local_seconds >= {lo} AND local_seconds < {mid} THEN local_seconds END) AS in{i}")
        cols.append(f"MAX(CASE WHEN local_seconds >= {mid} AND local_seconds <= {hi} THEN local_seconds END) AS out{i}")
    late = " + ".join(f"(CASE WHEN in{i} > {b[3]} THEN 1 ELSE 0 END)" for i, b in enumerate(bounds))
    early = " + ".join(f"(CASE WHEN out{i} < {b[4]} THEN 1 ELSE 0 END)" for i, b in enumerate(bounds))
    missed = " + ".join(f"(CASE WHEN in{i} IS NULL OR out{i} IS NULL THEN 1 ELSE 0 END)" for i in range(len(bounds)))
    late_min = " + ".join(f"(CASE WHEN in{i} > {b[3]} THEN (in{i} - {starts[i]}) / 60 ELSE 0 END)"
                          for i, b in enumerate(bounds))
    early_min = " + ".join(f"(CASE WHEN out{i} < {b[4]} THEN ({ends[i]} - out{i} + 59) / 60 ELSE 0 END)"
                           for i, b in enumerate(bounds))
    sessions = ", ".join(f"{obj}('label', 's{i}', 'in', in{i}, 'out', out{i})" for i in range(len(bounds)))
    day_agg = f"""SELECT staff_id, work_date, {", ".join(cols)} FROM attendance_punch
                  WHERE tenant_id = :t AND work_date BETWEEN :a AND :b AND staff_id IS NOT NULL
                  GROUP BY staff_id, work_date"""
    judged = f"""SELECT staff_id, work_date, {late} AS late, {early} AS early, {missed} AS missed,
                        {late_min} AS late_min, {early_min} AS early_min, {arr}({sessions}) AS sessions FROM d"""
    insert_days = f"""INSERT INTO bench_day (id, tenant_id, staff_id, work_date, finding, late_count, early_count,
                          late_minutes, early_minutes, missed_punches, absence_half_days, leave_half_days, details,
                          created_at, updated_at)
                      SELECT {new_id}, :t, staff_id, work_date,
                             CASE WHEN missed > 0 THEN 'missed_punch' WHEN late > 0 AND early > 0 THEN 'late_early'
                                  WHEN late > 0 THEN 'late' ELSE 'early_leave' END,
                             late, early, late_min, early_min, missed, 0, 0, {obj}('sessions', sessions), :now, :now
                      FROM j WHERE late + early + missed > 0"""
    insert_months = f"""INSERT INTO bench_month (id, tenant_id, staff_id, month, workdays, on_time_days, late_count,
                            early_count, late_minutes, early_minutes, missed_punches, absence_half_days,
                            converted_half_days, total_absence_half_days, leave_half_days, pending_days, details,
                            created_at, updated_at)
                        SELECT {new_id}, :t, staff_id, :a, COUNT(*),
                               SUM(CASE WHEN late + early + missed = 0 THEN 1 ELSE 0 END), SUM(late), SUM(early),
                               SUM(late_min), SUM(early_min), SUM(missed), 0, 0, 0, 0, 0,
                               {obj}('converted', {obj}(), 'offPost', {arr}(), 'leaveByType', {obj}(),
                                     'unclosedLeaveHalfDays', 0), :now, :now
                        FROM j GROUP BY staff_id"""
    if is_pg:
        return [f"""WITH d AS ({day_agg}), j AS ({judged}), w AS ({insert_days} RETURNING 1)
                    {insert_months}"""]
    return [f"WITH d AS ({day_agg}), j AS ({judged}) {insert_days}",
            f"WITH d AS ({day_agg}), j AS ({judged}) {insert_months}"]


async def _derived_copies(owner_url: str, is_pg: bool) -> list[str]:
    """Empty copies ``bench_day`` / ``bench_month`` of ``attendance_day`` / ``attendance_month`` with everything a
    write pays for: columns, defaults, indexes and unique keys, the foreign keys, and on PostgreSQL row-level
    security (ENABLE + FORCE, the same policy) and the app role's grant."""
    from sqlalchemy import text

    from govhall.tenancy.engine import create_engine

    out: list[str] = []
    engine = create_engine(owner_url)
    try:
        async with engine.connect() as conn:
            for table, copy in (("attendance_day", "bench_day"), ("attendance_month", "bench_month")):
                out.append(f"DROP TABLE IF EXISTS {copy}")
                if is_pg:
                    out.append(f"CREATE TABLE {copy} (LIKE {table} INCLUDING ALL)")
                    for name, definition in (await conn.execute(text(
                            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                            "WHERE conrelid = CAST(:t AS regclass) AND contype = 'f'"), {"t": table})).all():
                        out.append(f"ALTER TABLE {copy} ADD CONSTRAINT bench_{name} {definition}")
                    for (policy,) in (await conn.execute(text(
                            "SELECT 'CREATE POLICY ' || quote_ident(policyname) || ' ON {copy} USING (' || qual || "
                            "') WITH CHECK (' || with_check || ')' FROM pg_policies WHERE tablename = :t"
                            .replace("{copy}", copy)), {"t": table})).all():
                        out += [f"ALTER TABLE {copy} ENABLE ROW LEVEL SECURITY",
                                f"ALTER TABLE {copy} FORCE ROW LEVEL SECURITY", policy]
                    out.append(f'GRANT ALL ON {copy} TO "govhall_app"')
                else:
                    for (sql,) in (await conn.execute(text(
                            "SELECT sql FROM sqlite_master WHERE tbl_name = :t AND sql IS NOT NULL "
                            "ORDER BY type DESC"), {"t": table})).all():
                        out.append(sql.replace(f'"{table}"', copy).replace(f" {table} ", f" {copy} ")
                                   .replace("uq_", "bench_uq_").replace("ix_", "bench_ix_"))
    finally:
        await engine.dispose()
    return out


def _profile_lines(prof: Any, limit: int = 14) -> list[str]:
    import io
    import pstats

    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(limit)
    keep = [ln for ln in buf.getvalue().splitlines() if ln.strip() and not ln.startswith(("   Ordered", "   List"))]
    return ["```", *keep[:limit + 6], "```"]


async def month_end(url: ServerURL, runs: int = 5, staff: int = 1000, profile: bool = True) -> str:
    import cProfile
    import gc

    from advanced_alchemy.types import GUID
    from sqlalchemy import Date, bindparam, delete, text
    from sqlalchemy.ext.asyncio import async_sessionmaker

    from govhall.clock import set_clock
    from govhall.domain.attendance.evaluation import evaluate_month, month_context
    from govhall.domain.attendance.models import AttendanceDay, AttendanceMonth
    from govhall.domain.attendance.plain import session_bounds
    from govhall.tenancy import tenant_scope
    from govhall.tenancy.engine import create_engine

    tag = f"{random.randrange(16**4):04x}"
    center = await setup_center(url.owner_url, staff=staff, clerks=0, devices=0, tag=tag)
    n_punches = await _fill_month(url.owner_url, center)
    # Statistics, as autovacuum would gather them after a bulk load (it may be off on a test box). Without them
    # PostgreSQL checks each derived row's staff foreign key by scanning the tenant's staff (a wrong index).
    await _owner_sql(url.owner_url, "ANALYZE")
    set_clock(datetime(2026, 4, 2, 9, 0))
    engine = create_engine(url.app_url)
    now_type = AttendanceDay.__table__.c.created_at.type
    typed = (bindparam("t", type_=GUID(length=16)), bindparam("a", type_=Date()), bindparam("b", type_=Date()))
    agg = text("""SELECT staff_id, work_date, MIN(local_seconds), MAX(local_seconds), COUNT(*)
                  FROM attendance_punch WHERE tenant_id = :t AND work_date BETWEEN :a AND :b
                  GROUP BY staff_id, work_date""").bindparams(*typed)
    params: dict[str, Any] = {"t": center.tenant_id, "a": MONTH, "b": date(2026, 3, 31)}
    is_pg = url.app_url.startswith("postgresql")
    await _owner_sql(url.owner_url, *(await _derived_copies(url.owner_url, is_pg)))
    t_sql, t_sql_w, t_eval, rows, timings, written, base_rows = [], [], [], 0, [], 0, 0
    cpu_sql, cpu_sql_w, cpu_eval = [], [], []  # this process only (on SQLite the database's work is in it too)
    prof = None
    try:
        maker = async_sessionmaker(engine, expire_on_commit=False)
        with tenant_scope(center.tenant_id):
            async with maker() as s:  # warm the caches once (settings chain, calendar, statement cache)
                await evaluate_month(s, center.tenant_id, MONTH)
                ctx = await month_context(s, center.tenant_id, MONTH)
                plan = ctx.plan(date(2026, 3, 2))
                await s.rollback()
            bounds = session_bounds(plan)
            req = [x for x in plan.sessions if x.required]
            writes = [text(sql).bindparams(*typed, bindparam("now", type_=now_type))
                      for sql in _baseline_sql(is_pg, bounds, [x.start for x in req], [x.end for x in req])]
            for i in range(runs + (1 if profile else 0)):
                # Each measurement starts with a clean collector, so a full collection that the garbage of the
                # one before made due is not charged to this one (it used to land in the SQL fetch).
                gc.collect()
                async with maker() as s:
                    t0, c0 = time.perf_counter(), time.process_time()
                    rows = len((await s.execute(agg, params)).all())
                    t_sql.append(time.perf_counter() - t0)
                    cpu_sql.append(time.process_time() - c0)
                    await s.rollback()
                async with maker() as s:  # the baseline's tables and the derived ones start empty
                    await s.execute(text("DELETE FROM bench_day"))
                    await s.execute(text("DELETE FROM bench_month"))
                    await s.execute(delete(AttendanceDay))
                    await s.execute(delete(AttendanceMonth))
                    await s.commit()
                gc.collect()
                async with maker() as s:
                    # the same transaction shape as evaluate_month: synchronous commit off, the month's rows
                    # deleted, then written
                    t0, c0 = time.perf_counter(), time.process_time()
                    if is_pg:
                        await s.execute(text("SET LOCAL synchronous_commit TO OFF"))
                    await s.execute(text("DELETE FROM bench_day WHERE work_date BETWEEN :a AND :b")
                                    .bindparams(*typed[1:]), {"a": params["a"], "b": params["b"]})
                    await s.execute(text("DELETE FROM bench_month WHERE month = :a").bindparams(typed[1]),
                                    {"a": params["a"]})
                    for w in writes:
                        await s.execute(w, {**params, "now": datetime.now().astimezone()})
                    await s.commit()
                    t_sql_w.append(time.perf_counter() - t0)
                    cpu_sql_w.append(time.process_time() - c0)
                    base_rows = int((await s.execute(text(
                        "SELECT (SELECT COUNT(*) FROM bench_day) + (SELECT COUNT(*) FROM bench_month)"))).scalar()
                        or 0)
                    await s.commit()
                gc.collect()
                profiling = profile and i == runs
                async with maker() as s:
                    if profiling:  # one more run under the profiler, not counted in the figures
                        prof = cProfile.Profile()
                        prof.enable()
                    t0, c0 = time.perf_counter(), time.process_time()
                    summary = await evaluate_month(s, center.tenant_id, MONTH)
                    if profiling:
                        assert prof is not None
                        prof.disable()
                        t_sql.pop()
                        cpu_sql.pop()
                        t_sql_w.pop()
                        cpu_sql_w.pop()
                        continue
                    t_eval.append(time.perf_counter() - t0)
                    cpu_eval.append(time.process_time() - c0)
                    timings.append(summary.timings)
                    written = summary.staff_days
    finally:
        set_clock(None)
        await engine.dispose()
        await _owner_sql(url.owner_url, "DROP TABLE IF EXISTS bench_day", "DROP TABLE IF EXISTS bench_month")
    sql, sql_w, ev = statistics.median(t_sql), statistics.median(t_sql_w), statistics.median(t_eval)
    phase = {k: statistics.median(t[k] for t in timings) for k in timings[0]}
    load = os.getloadavg()
    text_ = "\n".join([
        f"## Attendance (b): month-end evaluation, {staff:,} staff", "",
        (f"{staff:,} staff x 22 working days x 4 punches = {n_punches:,} punches -> {rows:,} staff-days "
         f"(March 2026), {'PostgreSQL as the app role (RLS on)' if is_pg else 'SQLite'}, "
         f"statistics gathered after the load, the garbage collector cleared before each measurement; median of "
         f"{runs} runs; load average {load[0]:.1f} / {load[1]:.1f}."), "",
        "| what | seconds | ratio to SQL aggregate | ratio to SQL aggregate + write |", "|---|---|---|---|",
        f"| plain SQL aggregate (first/last punch per staff-day), rows fetched | {sql:.3f} | 1.00 | — |",
        (f"| the aggregate written back: the same windows, the {base_rows:,} rows of the same shape (days not on "
         f"time + month rows) into copies of the derived tables (same indexes and foreign keys"
         f"{', RLS; synchronous commit off' if is_pg else ''}), one transaction | {sql_w:.3f} | {sql_w / sql:.2f} "
         f"| 1.00 |"),
        (f"| `evaluate_month` (calendar, rules, plain days in SQL, the other staff-days through the day rules, "
         f"conversions hook; writes the {written:,} exception days + {staff:,} month rows) | {ev:.3f} | "
         f"{ev / sql:.2f} | **{ev / sql_w:.2f}** |"), "",
        "Phases of `evaluate_month` (median): " + ", ".join(f"{k} {v:.3f} s" for k, v in phase.items()), "",
        (f"CPU time of this process (median): SQL aggregate {statistics.median(cpu_sql):.3f} s, written back "
         f"{statistics.median(cpu_sql_w):.3f} s, `evaluate_month` {statistics.median(cpu_eval):.3f} s"
         + (" (the rest of each figure is the database's work and waiting)." if is_pg else
            f" (SQLite works in this process: a ratio of {statistics.median(cpu_eval) / statistics.median(cpu_sql_w):.2f}"
            " to the aggregate written back, less disturbed by other processes on the machine than the wall clock).")),
        "",
        *(["Profile of one more `evaluate_month` (cumulative):", "", *_profile_lines(prof), ""] if prof else []),
    ])
    print(text_)
    return text_


async def _owner_sql(owner_url: str, *statements: str | None) -> None:
    from sqlalchemy import text

    from govhall.tenancy.engine import create_engine

    engine = create_engine(owner_url)
    try:
        async with engine.begin() as conn:
            for st in statements:
                if st:
                    await conn.execute(text(st))
    finally:
        await engine.dispose()


async def _fill_month(owner_url: str, center: BenchCenter) -> int:
    """Four punches per staff-day around the default sessions (08:30-11:30, 14:30-17:30); ~8% late arrivals."""
    from zoneinfo import ZoneInfo

    from advanced_alchemy.mixins.uuid import uuid7
    from sqlalchemy import select
    from sqlalchemy.ext.asyncio import async_sessionmaker

    from govhall.domain.attendance.models import Punch, PunchSource
    from govhall.domain.org.models import Staff
    from govhall.tenancy import tenant_scope
    from govhall.tenancy.engine import create_engine

    tz = ZoneInfo("Asia/Shanghai")
    rnd = random.Random(7)
    engine = create_engine(owner_url)
    now = datetime.now(tz)
    total = 0
    try:
        async with async_sessionmaker(engine)() as s:
            with tenant_scope(center.tenant_id):
                staff = (await s.execute(select(Staff.id, Staff.employee_no))).all()
                rows: list[dict[str, Any]] = []
                d = MONTH
                while d.month == MONTH.month:
                    if d.weekday() < 5:
                        for sid, pin in staff:
                            late = rnd.random() < 0.08
                            for base, spread in ((30600 - 600, 540), (41400, 900), (52200 - 900, 840),
                                                 (63000, 1200)):
                                sec = base + rnd.randrange(spread) + (900 if late and base < 31000 else 0)
                                at = datetime.combine(d, datetime.min.time()) + timedelta(seconds=sec)
                                rows.append({"id": uuid7(), "tenant_id": center.tenant_id,
                                             "source": PunchSource.device_api, "device_key": "BENCH-FILL",
                                             "pin": pin, "staff_id": sid, "punched_at": at.replace(tzinfo=tz),
                                             "work_date": d, "local_seconds": sec, "created_at": now,
                                             "updated_at": now})
                            if len(rows) >= 5000:  # in chunks: 10,000 staff make 880,000 punches
                                await s.execute(Punch.__table__.insert(), rows)
                                total += len(rows)
                                rows = []
                    d += timedelta(days=1)
                if rows:
                    await s.execute(Punch.__table__.insert(), rows)
                    total += len(rows)
                await s.commit()
    finally:
        await engine.dispose()
    return total


async def run(url: ServerURL) -> str:
    """Both parts; ``GOVHALL_BENCH_ATTENDANCE=a`` or ``=b`` runs one of them; ``GOVHALL_BENCH_MONTHEND_STAFF``
    (default ``1000,10000``) the center sizes of part (b)."""
    parts = os.environ.get("GOVHALL_BENCH_ATTENDANCE", "a,b").split(",")
    out = []
    if "a" in parts:
        out.append(await burst(url))
    if "b" in parts:
        sizes = os.environ.get("GOVHALL_BENCH_MONTHEND_STAFF", ",".join(map(str, MONTH_END_STAFF)))
        for n in (int(x) for x in sizes.split(",") if x.strip()):
            out.append(await month_end(url, runs=5 if n <= 2000 else 3, staff=n))
    return "\n".join(out)

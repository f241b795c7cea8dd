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
import random
import statistics
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from uuid import UUID

import httpx

from bench.harness import DEMO_PASSWORD, ServerURL

STAFF = 1000
CLERKS = 300
DEVICES = 20
BATCH = 20
CONCURRENCY = 16


@dataclass
class BenchCenter:
    tenant_id: UUID
    pins: list[str]
    clerks: list[str]
    devices: list[tuple[str, str]] = field(default_factory=list)
    staff_ids: list[UUID] = field(default_factory=list)


async def setup_center(owner_url: str, *, staff: int, clerks: int, devices: int, tag: str,
                       password_hash: str | None = None) -> BenchCenter:
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
    pw = password_hash or hash_password(DEMO_PASSWORD)
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
            return BenchCenter(tenant.id, [p.employee_no for p in people], names, devs, [p.id for p in people])
    finally:
        await engine.dispose()


# ---- (a) the morning burst ------------------------------------------------------------------------------------

WEB_SOLO = 2400
"""Clerks for the clock-in run alone: each clocks in once (a clerk's second click within 60 s inserts nothing, so
every measured clock-in is a different person); the run is short enough that none comes round twice."""
WEB_MIXED = 800
WEB_WARM = 100
DURATION = 5.0


def cheap_hash(password: str) -> str:
    """An argon2id hash with the lowest cost argon2 allows: bench clerks log in by the thousand (argon2 verifies
    any hash with the parameters stored in it); never used for a real account."""
    from argon2 import PasswordHasher

    return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(password)


async def _login_all(url: str, usernames: list[str], concurrency: int = 8) -> list[tuple[str, str]]:
    """Log every clerk in once; (cookie header, CSRF token) of each one's session."""
    sem = asyncio.Semaphore(concurrency)

    async def one(name: str) -> tuple[str, str]:
        async with sem, httpx.AsyncClient(base_url=url, timeout=60) as c:
            await c.get("/healthz")
            token = c.cookies.get("csrftoken", "")
            r = await c.post("/api/auth/login", json={"username": name, "password": DEMO_PASSWORD},
                             headers={"x-csrftoken": token})
            r.raise_for_status()
            cookie = "; ".join(f"{k}={v}" for k, v in c.cookies.items())
            return cookie, c.cookies.get("csrftoken", token)

    return list(await asyncio.gather(*(one(n) for n in usernames)))


def _write(path, rows) -> str:  # type: ignore[no-untyped-def]
    path.write_text("".join("\t".join(str(x) for x in row) + "\n" for row in rows), encoding="utf-8")
    return str(path)


async def burst(url: ServerURL) -> str:
    import tempfile
    from pathlib import Path
    from zoneinfo import ZoneInfo

    from bench import wrkload

    if not wrkload.have_wrk():
        msg = "## Attendance (a): morning burst\n\nSkipped: `wrk` is not installed (`apt-get install -y wrk`).\n"
        print(msg)
        return msg
    clerks = WEB_WARM + WEB_SOLO + WEB_MIXED
    center = await setup_center(url.owner_url, staff=max(STAFF, clerks), clerks=clerks, devices=DEVICES,
                                tag=f"{random.randrange(16**4):04x}", password_hash=cheap_hash(DEMO_PASSWORD))
    tid = str(center.tenant_id)
    t_login = time.perf_counter()
    sessions = await _login_all(url, center.clerks)
    t_login = time.perf_counter() - t_login
    path = f"/api/t/{tid}/attendance/clock-in"
    local_now = datetime.now(ZoneInfo("Asia/Shanghai")).replace(tzinfo=None, microsecond=0)
    epoch = datetime(1970, 1, 1)
    t0 = int((local_now - timedelta(hours=9) - epoch).total_seconds())
    limit = int((local_now - timedelta(minutes=2) - epoch).total_seconds())
    tmp = Path(tempfile.mkdtemp(prefix="govhall-bench-"))
    staff_file = _write(tmp / "staff.tsv", zip(center.pins, center.staff_ids, strict=True))
    devs = center.devices

    def web_file(name: str, lo: int, hi: int) -> str:
        return _write(tmp / name, [(path, cookie, csrf) for cookie, csrf in sessions[lo:hi]])

    warm_f = web_file("warm.tsv", 0, WEB_WARM)
    solo_f = web_file("solo.tsv", WEB_WARM, WEB_WARM + WEB_SOLO)
    mixed_f = web_file("mixed.tsv", WEB_WARM + WEB_SOLO, clerks)

    def dev_file(name: str, pairs: list[tuple[str, str]]) -> str:
        return _write(tmp / name, pairs)

    def job(name: str, mode: str, data: str, dev: str | None = None, duration: float = DURATION,
            connections: int = CONCURRENCY) -> wrkload.WrkJob:
        env = {"BENCH_MODE": mode, "BENCH_DATA": data, "BENCH_TENANT": tid, "BENCH_T0": str(t0),
               "BENCH_LIMIT": str(limit), "BENCH_BATCH": str(BATCH), "BENCH_DEV": dev or dev_file("none", [("x", "x")])}
        return wrkload.WrkJob(name, url, env, duration=duration, connections=connections)

    async def measured(jobs: list[wrkload.WrkJob]) -> tuple[list[wrkload.WrkResult], int]:
        before = await _count_punches(url.app_url, center.tenant_id)
        results = await asyncio.to_thread(wrkload.run_together, jobs, url.pid)
        return results, await _count_punches(url.app_url, center.tenant_id) - before

    # warm-up: Casbin loads the center, the pools fill, the caches fill (own clerks and terminals)
    await measured([job("warm web", "web", warm_f, duration=2),
                    job("warm json", "json", staff_file, dev_file("wj", devs[0:2]), duration=2),
                    job("warm adms", "adms", staff_file, dev_file("wa", devs[2:4]), duration=2),
                    job("warm bare", "barebatch", staff_file, dev_file("wb", [("WARM0", ""), ("WARM1", "")]),
                        duration=2)])
    (bare1,), n_bare1 = await measured([job("bare INSERT, 1 punch at server time (baseline)", "bare1", staff_file,
                                            dev_file("b1", [("B1a", ""), ("B1b", "")]))])
    (web,), n_web = await measured([job("web clock-in: session + CSRF + Casbin + rules + INSERT ... SELECT", "web",
                                        solo_f)])
    (bare_b,), n_bare_b = await measured([job(f"bare INSERT, batch of {BATCH} (baseline)", "barebatch", staff_file,
                                              dev_file("bb", [("BBa", ""), ("BBb", "")]))])
    (jsonb,), n_json = await measured([job(f"terminal JSON batch of {BATCH}: device token + parse + inbox + sync",
                                           "json", staff_file, dev_file("j", devs[4:6]))])
    (adms,), n_adms = await measured([job(f"terminal ADMS ATTLOG batch of {BATCH}", "adms", staff_file,
                                          dev_file("a", devs[6:8]))])
    # the burst: clock-ins and terminal batches at the same time, one client process each
    mixed, n_mixed = await measured([job("burst: web", "web", mixed_f),
                                     job("burst: json", "json", staff_file, dev_file("mj", devs[8:10])),
                                     job("burst: adms", "adms", staff_file, dev_file("ma", devs[10:12]))])
    lines = ["## Attendance (a): morning burst", "",
             (f"One server process (`govhall serve`), database `{url.app_url.split('@')[-1].split('?')[0]}` as the app "
              f"role; the client is wrk (C, a process of its own: 2 threads, {CONCURRENCY} connections, "
              f"{DURATION:g} s per run, `bench/punch.lua`). Every measured request inserts rows of its own: "
              f"{WEB_SOLO} clerks logged in for the clock-in run (each clocks in once; {len(sessions)} logins took "
              f"{t_login:.1f} s), the baselines insert rows of the same shape (PIN and staff id, committed, one "
              f"transaction per request) under a device key of their own, terminal batches carry distinct "
              f"times (the last 9 hours, never the future)."), "",
             ("| endpoint | requests | rps | punches/s | p50 ms | p99 ms | errors | rows inserted / expected | "
              "rps vs baseline | p99 vs baseline | client CPU | server CPU | load avg |"),
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]

    def row(r: wrkload.WrkResult, base: wrkload.WrkResult, per: int, inserted: int) -> str:
        bound = " **client-bound**" if r.client_bound else ""
        return (f"| {r.name} | {r.requests} | {r.rps:,.0f} | {r.rps * per:,.0f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} "
                f"| {r.errors} | {inserted:,} / {r.requests * per:,} | **{r.rps / base.rps:.2f}** | "
                f"**{r.p99_ms / max(base.p99_ms, 1e-9):.2f}** | {r.client_share:.0%}{bound} | "
                f"{r.server_share:.0%} | {wrkload.load_text(r.load)} |")

    lines += [row(bare1, bare1, 1, n_bare1), row(web, bare1, 1, n_web), row(bare_b, bare_b, BATCH, n_bare_b),
              row(jsonb, bare_b, BATCH, n_json), row(adms, bare_b, BATCH, n_adms)]
    mw, mj, ma = mixed
    lines += ["", (f"Burst, all at once (three wrk processes of {CONCURRENCY} connections each, {DURATION:g} s, "
                   f"load average {wrkload.load_text(mw.load)}; {n_mixed:,} rows inserted of "
                   f"{mw.requests + (mj.requests + ma.requests) * BATCH:,} sent):"), "",
              "| kind | requests | rps | p50 ms | p99 ms | errors | p99 vs its baseline alone | p99 vs itself alone |",
              "|---|---|---|---|---|---|---|---|"]
    for r, base, alone in ((mw, bare1, web), (mj, bare_b, jsonb), (ma, bare_b, adms)):
        lines.append(f"| {r.name} | {r.requests} | {r.rps:,.0f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} | {r.errors} | "
                     f"{r.p99_ms / max(base.p99_ms, 1e-9):.2f} | {r.p99_ms / max(alone.p99_ms, 1e-9):.2f} |")
    honest = [r for r in (web, mw) if r.duplicates or r.wrapped]
    lines += ["", ("Every clock-in inserted a row." if not honest else
                   "NOT every clock-in inserted: " + "; ".join(f"{r.name}: {r.duplicates} duplicates, clerk list "
                                                             f"wrapped {r.wrapped} times" for r in honest)),
              ("The client was the limit in: " + ", ".join(r.name for r in (bare1, web, bare_b, jsonb, adms, *mixed)
                                                           if r.client_bound) + "."
               if any(r.client_bound for r in (bare1, web, bare_b, jsonb, adms, *mixed)) else
               "The client was never the limit (wrk below 85% of its threads' CPU in every run).")]
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


async def month_end(url: ServerURL, runs: int = 5) -> str:
    import gc

    from advanced_alchemy.types import GUID
    from sqlalchemy import Date, bindparam, delete, text
    from sqlalchemy.ext.asyncio import async_sessionmaker

    from govhall.clock import set_clock
    from govhall.domain.attendance.evaluation import evaluate_month
    from govhall.domain.attendance.models import AttendanceDay, AttendanceMonth
    from govhall.tenancy import tenant_scope
    from govhall.tenancy.engine import create_engine

    tag = f"{random.randrange(16**4):04x}"
    center = await setup_center(url.owner_url, staff=STAFF, clerks=0, devices=0, tag=tag)
    n_punches = await _fill_month(url.owner_url, center)
    # Statistics, as autovacuum would gather them after a bulk load (it may be off on a test box). Without them
    # PostgreSQL checks each derived row's staff foreign key by scanning the tenant's staff (a wrong index).
    await _owner_sql(url.owner_url, "ANALYZE")
    set_clock(datetime(2026, 4, 2, 9, 0))
    engine = create_engine(url.app_url)
    typed = (bindparam("t", type_=GUID(length=16)), bindparam("a", type_=Date()), bindparam("b", type_=Date()))
    agg = text("""SELECT staff_id, work_date, MIN(local_seconds), MAX(local_seconds), COUNT(*)
                  FROM attendance_punch WHERE tenant_id = :t AND work_date BETWEEN :a AND :b
                  GROUP BY staff_id, work_date""").bindparams(*typed)
    params = {"t": center.tenant_id, "a": MONTH, "b": date(2026, 3, 31)}
    is_pg = url.app_url.startswith("postgresql")
    # the written baseline goes into a regular (logged) table keyed like attendance_day, not a temp table
    create = ("CREATE TABLE bench_agg (tenant_id uuid, staff_id uuid, work_date date, first_s int, last_s int, "
              "n int, late bool, early bool, PRIMARY KEY (tenant_id, work_date, staff_id))" if is_pg else
              "CREATE TABLE bench_agg (tenant_id, staff_id, work_date, first_s, last_s, n, late, early, "
              "PRIMARY KEY (tenant_id, work_date, staff_id))")
    await _owner_sql(url.owner_url, create, 'GRANT ALL ON bench_agg TO "govhall_app"' if is_pg else None)
    write = text("""INSERT INTO bench_agg SELECT tenant_id, staff_id, work_date, MIN(local_seconds), MAX(local_seconds),
                    COUNT(*), MIN(local_seconds) > 30600, MAX(local_seconds) < 63000
                    FROM attendance_punch WHERE tenant_id = :t AND work_date BETWEEN :a AND :b
                    GROUP BY tenant_id, staff_id, work_date""").bindparams(*typed)
    t_sql, t_sql_w, t_eval, rows, timings, written = [], [], [], 0, [], 0
    cpu_sql, cpu_eval = [], []  # this process only: Python work, without the database's
    try:
        maker = async_sessionmaker(engine, expire_on_commit=False)
        with tenant_scope(center.tenant_id):
            async with maker() as s:  # warm the caches once (settings chain, calendar, statement cache)
                await evaluate_month(s, center.tenant_id, MONTH)
            for _ in range(runs):
                # Each measurement starts with a clean collector, so a full collection that the garbage of the
                # one before made due is not charged to this one (it used to land in the SQL fetch).
                gc.collect()
                async with maker() as s:
                    t0, c0 = time.perf_counter(), time.process_time()
                    rows = len((await s.execute(agg, params)).all())
                    t_sql.append(time.perf_counter() - t0)
                    cpu_sql.append(time.process_time() - c0)
                    await s.rollback()
                async with maker() as s:
                    await s.execute(text("DELETE FROM bench_agg"))
                    await s.commit()
                    gc.collect()
                    t0 = time.perf_counter()
                    await s.execute(write, params)
                    await s.commit()
                    t_sql_w.append(time.perf_counter() - t0)
                async with maker() as s:  # a first evaluation: no derived rows yet (cleared outside the timing)
                    await s.execute(delete(AttendanceDay))
                    await s.execute(delete(AttendanceMonth))
                    await s.commit()
                gc.collect()
                async with maker() as s:
                    t0, c0 = time.perf_counter(), time.process_time()
                    summary = await evaluate_month(s, center.tenant_id, MONTH)
                    t_eval.append(time.perf_counter() - t0)
                    cpu_eval.append(time.process_time() - c0)
                    timings.append(summary.timings)
                    written = summary.staff_days
    finally:
        set_clock(None)
        await engine.dispose()
        await _owner_sql(url.owner_url, "DROP TABLE IF EXISTS bench_agg")
    sql, sql_w, ev = statistics.median(t_sql), statistics.median(t_sql_w), statistics.median(t_eval)
    phase = {k: statistics.median(t[k] for t in timings) for k in timings[0]}
    text_ = "\n".join([
        "## Attendance (b): month-end evaluation", "",
        (f"{STAFF:,} staff x 22 working days x 4 punches = {n_punches:,} punches -> {rows:,} staff-days "
         f"(March 2026), database as the app role (RLS on PostgreSQL), statistics gathered after the load, the "
         f"garbage collector cleared before each measurement; median of {runs} runs."), "",
        "| what | seconds | ratio to SQL aggregate | ratio to SQL aggregate + write |", "|---|---|---|---|",
        f"| plain SQL aggregate (first/last punch per staff-day), rows fetched | {sql:.3f} | 1.00 | — |",
        (f"| the same aggregate written to a keyed table (INSERT ... SELECT, one transaction) | {sql_w:.3f} | "
         f"{sql_w / sql:.2f} | 1.00 |"),
        (f"| `evaluate_month` (calendar, rules, every staff-day, conversions hook; writes the {written:,} exception "
         f"days + {STAFF:,} month rows) | {ev:.3f} | {ev / sql:.2f} | {ev / sql_w:.2f} |"), "",
        "Phases of `evaluate_month` (median): " + ", ".join(f"{k} {v:.3f} s" for k, v in phase.items()), "",
        (f"CPU time of this process (median): SQL aggregate {statistics.median(cpu_sql):.3f} s, `evaluate_month` "
         f"{statistics.median(cpu_eval):.3f} s (the rest of each figure is the database's work and waiting)."), "",
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
                rows = []
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
                    d += timedelta(days=1)
                for i in range(0, len(rows), 5000):
                    await s.execute(Punch.__table__.insert(), rows[i:i + 5000])
                await s.commit()
                total = len(rows)
    finally:
        await engine.dispose()
    return total


async def run(url: ServerURL) -> str:
    """Both parts; ``GOVHALL_BENCH_ATTENDANCE=a`` or ``=b`` runs one of them."""
    import os

    parts = os.environ.get("GOVHALL_BENCH_ATTENDANCE", "a,b").split(",")
    out = []
    if "a" in parts:
        out.append(await burst(url))
    if "b" in parts:
        out.append(await month_end(url))
    return "\n".join(out)

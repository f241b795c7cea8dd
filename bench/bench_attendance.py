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

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

ROUNDS = 3
"""Rounds of (baseline, endpoint) pairs, run back to back; the tables give each ratio's median and range."""
WEB_ROUND = 1000
"""Clerks per clock-in round: each clocks in once (a clerk's second click within 60 s inserts nothing, so every
measured clock-in is a different person); a round that needs more wraps around, and the table says so."""
WEB_MIXED = 600
WEB_WARM = 100
WEB_PROFILE = 600
DURATION = 5.0


async def _sessions_for(url: str, usernames: list[str]) -> list[tuple[str, str]]:
    """A live session for every clerk (cookie header, CSRF token): minted by the bench-only endpoint into the
    server's session store (what a login stores), with one CSRF cookie shared by all (it is not tied to a
    session); one real login first proves the path."""
    async with httpx.AsyncClient(base_url=url, timeout=120) as c:
        await c.get("/healthz")
        csrf = c.cookies.get("csrftoken", "")
        r = await c.post("/api/auth/login", json={"username": usernames[0], "password": DEMO_PASSWORD},
                         headers={"x-csrftoken": csrf})
        r.raise_for_status()
        csrf = c.cookies.get("csrftoken", csrf)
        minted = {}
        for i in range(0, len(usernames), 1000):
            r = await c.post("/api/devices/punches/bench-sessions", json={"usernames": usernames[i:i + 1000]})
            r.raise_for_status()
            body = r.json()
            minted.update(body["sessions"])
    return [(f"{body['cookie']}={minted[u]}; csrftoken={csrf}", csrf) for u in usernames]


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
    clerks = WEB_WARM + WEB_ROUND * ROUNDS + WEB_MIXED + WEB_PROFILE
    center = await setup_center(url.owner_url, staff=max(STAFF, clerks), clerks=clerks, devices=DEVICES,
                                tag=f"{random.randrange(16**4):04x}")
    tid = str(center.tenant_id)
    sessions = await _sessions_for(url, center.clerks)
    path = f"/api/t/{tid}/attendance/clock-in"
    local_now = datetime.now(ZoneInfo("Asia/Shanghai")).replace(tzinfo=None, microsecond=0)
    epoch = datetime(1970, 1, 1)
    t0 = int((local_now - timedelta(hours=9) - epoch).total_seconds())
    limit = int((local_now - timedelta(minutes=2) - epoch).total_seconds())
    tmp = Path(tempfile.mkdtemp(prefix="govhall-bench-"))
    staff_file = _write(tmp / "staff.tsv", zip(center.pins, center.staff_ids, strict=True))
    devs = center.devices
    next_clerk = [0]

    def web_file(n: int) -> str:
        lo = next_clerk[0]
        next_clerk[0] += n
        return _write(tmp / f"web{lo}.tsv", [(path, cookie, csrf) for cookie, csrf in sessions[lo:lo + n]])

    slots = {"bare": 0, "device": 0}

    def dev_file(bare: bool = False) -> str:
        """Two device keys of their own (one per wrk thread): the bare endpoint's made-up keys, or two registered
        terminals never used before in this bench (so their punch times cannot collide)."""
        kind = "bare" if bare else "device"
        i = slots[kind]
        slots[kind] += 2
        if not bare and i + 2 > len(devs):
            raise RuntimeError("not enough bench terminals")
        pairs = [(f"BARE{i}", "x"), (f"BARE{i + 1}", "x")] if bare else devs[i:i + 2]
        return _write(tmp / f"{kind}{i}.tsv", pairs)

    def job(name: str, mode: str, data: str, dev: str | None = None, duration: float = DURATION
            ) -> wrkload.WrkJob:
        env = {"BENCH_MODE": mode, "BENCH_DATA": data, "BENCH_TENANT": tid, "BENCH_T0": str(t0),
               "BENCH_LIMIT": str(limit), "BENCH_BATCH": str(BATCH), "BENCH_DEV": dev or dev_file(bare=True)}
        return wrkload.WrkJob(name, url, env, duration=duration, connections=CONCURRENCY)

    async def settled() -> int:
        """The bench center's punch count once requests still in flight when wrk stopped have landed."""
        last = -1
        while True:
            n = await _count_punches(url.app_url, center.tenant_id)
            if n == last:
                return n
            last = n
            await asyncio.sleep(1.0)

    async def measured(jobs: list[wrkload.WrkJob], profile: Path | None = None
                       ) -> tuple[list[wrkload.WrkResult], int]:
        before = await settled()
        results = await asyncio.to_thread(wrkload.run_together, jobs, url.pid, profile)
        return results, await settled() - before

    # warm-up: Casbin loads the center, the pools fill, the caches fill (own clerks and terminals)
    await measured([job("warm web", "web", web_file(WEB_WARM), duration=2),
                    job("warm json", "json", staff_file, dev_file(), duration=2),
                    job("warm adms", "adms", staff_file, dev_file(), duration=2),
                    job("warm bare", "barebatch", staff_file, duration=2)])
    names = {"bare1": "bare INSERT, 1 punch at server time (baseline)",
             "web": "web clock-in: session + CSRF + Casbin + rules + INSERT ... SELECT",
             "bareb": f"bare INSERT, batch of {BATCH} (baseline)",
             "json": f"terminal JSON batch of {BATCH}: device token + parse + inbox + sync",
             "adms": f"terminal ADMS ATTLOG batch of {BATCH}"}
    per = {"bare1": 1, "web": 1, "bareb": BATCH, "json": BATCH, "adms": BATCH}
    runs: dict[str, list[tuple[wrkload.WrkResult, int]]] = {k: [] for k in names}
    for _ in range(ROUNDS):
        for key, mode in (("bare1", "bare1"), ("web", "web"), ("bareb", "barebatch"), ("json", "json"),
                          ("adms", "adms")):
            if mode == "web":
                data, dev = web_file(WEB_ROUND), None
            else:
                data, dev = staff_file, dev_file(bare=mode.startswith("bare"))
            (r,), n = await measured([job(names[key], mode, data, dev)])
            runs[key].append((r, n))
    # one more clock-in run with fresh clerks, sampled by py-spy (when installed): where the time goes
    prof = tmp / "web.prof"
    await measured([job("web clock-in (profiled)", "web", web_file(WEB_PROFILE))], prof)
    # the burst: clock-ins and terminal batches at the same time, one client process each
    mixed, n_mixed = await measured([job("burst: web", "web", web_file(WEB_MIXED)),
                                     job("burst: json", "json", staff_file, dev_file()),
                                     job("burst: adms", "adms", staff_file, dev_file())])
    lines = ["## Attendance (a): morning burst", "",
             (f"One server process (`govhall serve`), database `{url.app_url.split('@')[-1].split('?')[0]}` as the app "
              f"role; the client is wrk (C, a process of its own: 2 threads, {CONCURRENCY} connections, "
              f"{DURATION:g} s per run, `bench/punch.lua`); {ROUNDS} rounds of baseline and endpoint back to back, "
              "medians (range in brackets). Every measured request inserts rows of its own: each clock-in is "
              f"another clerk with a live session ({WEB_ROUND} per round), the baselines insert rows of the same "
              "shape (PIN and staff id; one committed transaction per request) under device keys of their own, "
              "terminal batches carry distinct times (the last 9 hours, never the future). Server CPU is the app "
              "process's (user + system, PostgreSQL's not included) per answered request: it does not depend on how "
              "much of the machine other work takes, unlike rps and latency."), "",
             ("| endpoint | requests | rps | punches/s | p50 ms | p99 ms | errors | rows inserted / answered "
              "| rps vs baseline | p99 vs baseline | server CPU ms per request | client CPU | server CPU | load avg |"),
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]

    def med(xs: list[float]) -> float:
        return statistics.median(xs)

    def rng(xs: list[float]) -> str:
        return f"{med(xs):.2f} ({min(xs):.2f}-{max(xs):.2f})"

    ratios: dict[str, tuple[list[float], list[float]]] = {}
    for key, base in (("bare1", "bare1"), ("web", "bare1"), ("bareb", "bareb"), ("json", "bareb"),
                      ("adms", "bareb")):
        rs = [r for r, _ in runs[key]]
        bs = [r for r, _ in runs[base]]
        pairs = [(r, b) for r, b in zip(rs, bs, strict=True) if r.requests and b.requests]  # a stalled run: no ratio
        rps_r = [r.rps / b.rps for r, b in pairs] or [float("nan")]
        p99_r = [r.p99_ms / max(b.p99_ms, 1e-9) for r, b in pairs] or [float("nan")]
        ratios[key] = (rps_r, p99_r)
        inserted = sum(n for _, n in runs[key])
        answered = sum(r.requests for r in rs) * per[key]
        bound = " **client-bound**" if any(r.client_bound for r in rs) else ""
        lines.append(
            f"| {names[key]} | {sum(r.requests for r in rs)} | {med([r.rps for r in rs]):,.0f} | "
            f"{med([r.rps for r in rs]) * per[key]:,.0f} | {med([r.p50_ms for r in rs]):.1f} | "
            f"{med([r.p99_ms for r in rs]):.1f} | {sum(r.errors for r in rs)} | {inserted:,} / {answered:,} | "
            f"**{rng(rps_r)}** | **{rng(p99_r)}** | "
            f"{med([r.server_cpu * 1000 / r.requests for r in rs if r.requests] or [float('nan')]):.2f} | "
            f"{med([r.client_share for r in rs]):.0%}{bound} | "
            f"{med([r.server_share for r in rs]):.0%} | {wrkload.load_text(rs[-1].load)} |")
    mw, mj, ma = mixed
    alone = {"web": runs["web"], "json": runs["json"], "adms": runs["adms"]}
    base_of = {"web": runs["bare1"], "json": runs["bareb"], "adms": runs["bareb"]}
    lines += ["", (f"Burst, all at once (three wrk processes of {CONCURRENCY} connections each, {DURATION:g} s, "
                   f"load average {wrkload.load_text(mw.load)}; {n_mixed:,} rows inserted, "
                   f"{mw.requests + (mj.requests + ma.requests) * BATCH:,} answered):"), "",
              "| kind | requests | rps | p50 ms | p99 ms | errors | p99 vs its baseline alone | p99 vs itself alone |",
              "|---|---|---|---|---|---|---|---|"]
    for kind, r in (("web", mw), ("json", mj), ("adms", ma)):
        b99 = med([x.p99_ms for x, _ in base_of[kind]])
        a99 = med([x.p99_ms for x, _ in alone[kind]])
        lines.append(f"| {r.name} | {r.requests} | {r.rps:,.0f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} | {r.errors} | "
                     f"{r.p99_ms / max(b99, 1e-9):.2f} | {r.p99_ms / max(a99, 1e-9):.2f} |")
    webs = [r for r, _ in runs["web"]] + [mw]
    short = [f"{r.name}: {r.duplicates} answered as duplicates, clerk list wrapped {r.wrapped} times"
             for r in webs if r.duplicates or r.wrapped]
    every = [*(r for k in runs for r, _ in runs[k]), *mixed]
    lines += ["", "Every clock-in inserted a row." if not short else "NOT every clock-in inserted: " + "; ".join(short),
              ("The client was the limit in: " + ", ".join(sorted({r.name for r in every if r.client_bound})) + "."
               if any(r.client_bound for r in every) else
               "The client was never the limit (wrk below 85% of its threads' CPU in every run).")]
    shares = wrkload.summarise_profile(prof) if prof.exists() else []
    if shares:
        lines += ["", ("Where the server's time goes in a clock-in run (py-spy, 250 samples/s, innermost frame "
                       "grouped by package):"), "", "| where | share of samples |", "|---|---|"]
        lines += [f"| {g} | {share:.0%} |" for g, share in shares]
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


DERIVED = {"attendance_day": "bench_day", "attendance_month": "bench_month"}


async def table_copies(owner_url: str, is_pg: bool, names: dict[str, str] = DERIVED) -> list[str]:
    """Empty copies of tables (``names``: table -> copy; by default ``bench_day`` / ``bench_month`` of
    ``attendance_day`` / ``attendance_month``) with everything a write pays for: columns, defaults, indexes and
    unique keys, the foreign keys, and on PostgreSQL row-level security (ENABLE + FORCE, the same policy) and the
    app role's grant."""
    from sqlalchemy import text

    from govhall.tenancy.engine import create_engine

    out: list[str] = []
    engine = create_engine(owner_url)
    try:
        async with engine.connect() as conn:
            for table, copy in names.items():
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
    await _owner_sql(url.owner_url, *(await table_copies(url.owner_url, is_pg)))
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

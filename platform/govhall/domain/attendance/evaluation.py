"""Month-end evaluation, a tenant-month at a time, without ORM entities on the hot path.

1. Lock the tenant-month (the first statement writes its ``attendance_month_state`` row, so a punch, leave or
   补卡 arriving meanwhile marks it dirty again only after this evaluation committed).
2. Read the inputs as plain tuples: the work calendar (work_hours pack, one batch hook call per span of
   unchanged settings), the attendance rules per day, the staff, the punches of the final days (one row per
   staff member with their days and local seconds as two arrays — one indexed range scan), approved leave
   and off-post records.
3. Evaluate every staff-day with the pure rules (``rules.py``), one staff member at a time; add up each month
   and keep only the days that are stored; apply the monthly conversions with ONE hook call for the whole
   tenant-month (attendance_rules pack).
4. Replace the derived rows (``attendance_day``, ``attendance_month``) in one transaction.

A day is *final*, and only then evaluated and stored, when every active terminal of the tenant has delivered
its records past the end of that day (``attendance_device_sync.synced_until``) or the configured cut-off after
the day has passed. Later days are shown provisionally ("pending") and are evaluated when they become final.
"""

from __future__ import annotations

import hashlib
import time as _time
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, cast
from uuid import UUID

from advanced_alchemy.mixins.uuid import uuid7
from sqlalchemy import Table, delete, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.clock import utcnow, zone
from govhall.domain.attendance.ingest import dialect_insert, tenant_timezone
from govhall.domain.attendance.inputs import (
    Corrections,
    CorrectionSpan,
    StaffPunches,
    StaffRow,
    absences_of,
    leave_kind_on,
    leave_on,
    load_corrections,
    load_effects,
    load_excused,
    load_leaves,
    load_off_post,
    load_staff,
    load_staff_punches,
    load_start_offsets,
    with_corrections,
)
from govhall.domain.attendance.models import (
    AttendanceDay,
    AttendanceMonth,
    DeviceSync,
    MonthState,
)
from govhall.domain.attendance.plain import MAX_SPECIAL, late_mapped_punches, load_plain_split
from govhall.domain.attendance.rules import (
    AttendanceRules,
    DayPlan,
    DayResult,
    Finding,
    MonthResult,
    compile_day,
    evaluate_day,
    mark_corrections,
    shift_start,
    summarize_month,
)
from govhall.domain.attendance.settings import PACK
from govhall.domain.devices.models import Device
from govhall.domain.org.models import Staff
from govhall.log import get_logger
from govhall.packs.calendar import work_calendar
from govhall.packs.services import TenantHooks, hooks_by_span
from govhall.packs.types import AttendanceTally, DaySchedule
from govhall.tenancy.bulk import bulk_insert
from govhall.tenancy.guard import ROWS_CHECKED, tenant_rows

log = get_logger(__name__)

_EMPTY: tuple[Any, ...] = ()  # no punches, no leave parts, no off-post minutes


def month_bounds(month: date) -> tuple[date, date]:
    start = month.replace(day=1)
    nxt = (start + timedelta(days=32)).replace(day=1)
    return start, nxt - timedelta(days=1)


def day_end_utc(d: date, tz: str) -> datetime:
    return datetime.combine(d + timedelta(days=1), datetime.min.time(), zone(tz)).astimezone(UTC)


@dataclass
class MonthContext:
    """What evaluating (or showing) a tenant-month needs besides the punches."""

    tenant_id: UUID
    tz: str
    month: date
    start: date
    end: date
    now: datetime
    today: date
    calendar: dict[date, DaySchedule]
    rules_by_day: dict[date, AttendanceRules]
    month_end_hooks: TenantHooks | None
    final_through: date | None
    fingerprint: str
    plans: dict[date, DayPlan] = field(default_factory=dict)

    def plan(self, d: date) -> DayPlan:
        p = self.plans.get(d)
        if p is None:
            p = self.plans[d] = compile_day(self.calendar[d], self.rules_by_day[d])
        return p

    def rules(self, d: date) -> AttendanceRules:
        return self.rules_by_day[d]


async def final_through(session: AsyncSession, tz: str, start: date, end: date, now: datetime,
                        cutoff_hours: int) -> date | None:
    """The last day of [start, end] whose data is complete: every active terminal delivered past its end, or
    the cut-off after it has passed. Days are final in order, so this is a prefix of the range."""
    today = now.astimezone(zone(tz)).date()
    last = min(end, today - timedelta(days=1))
    if last < start:
        return None
    active = (await session.scalars(select(Device.serial_number).where(Device.revoked_at.is_(None)))).all()
    watermark: datetime | None
    if not active:
        watermark = datetime.max.replace(tzinfo=UTC)
    else:
        synced = dict((await session.execute(
            select(DeviceSync.device_key, DeviceSync.synced_until).where(DeviceSync.device_key.in_(active))
        )).all())
        marks = [synced.get(serial) for serial in active]
        watermark = None if any(m is None for m in marks) else min(m for m in marks if m is not None)
    cutoff = timedelta(hours=cutoff_hours)
    d = last
    while d >= start:
        end_utc = day_end_utc(d, tz)
        if (watermark is not None and watermark >= end_utc) or now >= end_utc + cutoff:
            return d
        d -= timedelta(days=1)
    return None


async def _staff_fingerprint(session: AsyncSession) -> str:
    n, latest = (await session.execute(select(func.count(Staff.id), func.max(Staff.updated_at)))).one()
    return f"{n}:{latest.isoformat() if latest else '-'}"


async def month_context(session: AsyncSession, tenant_id: UUID, month: date, now: datetime | None = None,
                        spans: list[tuple[date, date, TenantHooks]] | None = None) -> MonthContext:
    """``spans``: candidate rules instead of the saved ones (the what-if preview, ``packs/impact.py``)."""
    now = now or utcnow()
    tz = await tenant_timezone(session, tenant_id)
    start, end = month_bounds(month)
    if spans is None:
        spans = await hooks_by_span(session, tenant_id, start, end)
    calendar = await work_calendar(session, tenant_id, start, end, spans=spans)
    rules_by_day: dict[date, AttendanceRules] = {}
    for s, e, hooks in spans:
        rules = AttendanceRules.from_settings(hooks.rules.settings.get(PACK))
        d = s
        while d <= e:
            rules_by_day[d] = rules
            d += timedelta(days=1)
    month_end_hooks = spans[-1][2] if spans else None
    cutoff = rules_by_day[end].evaluation_cutoff_hours
    final = await final_through(session, tz, start, end, now, cutoff)
    digest = hashlib.sha256(repr((
        [h.rules.fingerprint for _s, _e, h in spans], [(s, e) for s, e, _h in spans],
        await _staff_fingerprint(session),
    )).encode()).hexdigest()
    return MonthContext(tenant_id, tz, start, start, end, now, now.astimezone(zone(tz)).date(), calendar,
                        rules_by_day, month_end_hooks, final, digest)


# ---- evaluating ---------------------------------------------------------------------------------------------


def evaluate_staff_days(ctx: MonthContext, staff: Sequence[StaffRow], days: Sequence[date],
                        punches: Mapping[UUID, StaffPunches],
                        leaves: Mapping[UUID, list[tuple[datetime, datetime, str]]],
                        off_post: Mapping[tuple[UUID, date], list[int]], *, live: bool = False,
                        absences: Mapping[tuple[UUID, date], int] | None = None,
                        starts: Mapping[tuple[UUID, date], int] | None = None,
                        excused: Mapping[tuple[UUID, date], list[tuple[int, int]]] | None = None,
                        corrections: Corrections | None = None,
                        ) -> Iterator[tuple[UUID, list[DayResult]]]:
    """Every staff member on every one of ``days``, one staff member at a time (the month-end keeps only what it
    stores of each, so a center-month's results never pile up in memory). ``punches`` were loaded from
    ``ctx.start``; ``live``: today is judged as of now; ``starts``: (staff, day) -> minutes that person's sessions
    start earlier (the duty officer on duty days, ``load_start_offsets``); ``excused``: approved outings
    (``load_excused``); ``corrections``: the center's corrections (``load_corrections``): the sessions they cover
    need no punch and show as corrected."""
    now_local = ctx.now.astimezone(zone(ctx.tz))
    now_sec = now_local.hour * 3600 + now_local.minute * 60 + now_local.second
    offsets = [(d - ctx.start).days for d in days]
    n = max(offsets, default=-1) + 1
    # what is the same for every staff member, once per day: the compiled schedule and the rules
    per_day = [(d, i, ctx.plan(d), ctx.rules(d), now_sec if live and d == ctx.today else None)
               for d, i in zip(days, offsets, strict=True)]
    no_punches = [_EMPTY] * n
    off_by_staff: dict[UUID, dict[date, list[int]]] = defaultdict(dict)  # few: looked up per staff, not per day
    for (sid, d), minutes in off_post.items():
        off_by_staff[sid][d] = minutes
    earlier: dict[UUID, dict[date, int]] = defaultdict(dict)
    for (sid, d), start_minute in (starts or {}).items():
        earlier[sid][d] = start_minute
    shifted: dict[tuple[date, int], DayPlan] = {}

    def plan_of(sid: UUID, d: date, plan: DayPlan) -> DayPlan:
        minutes = earlier[sid].get(d, 0) if sid in earlier else 0
        if not minutes:
            return plan
        key = (d, minutes)
        if key not in shifted:
            shifted[key] = shift_start(plan, minutes)
        return shifted[key]

    for s in staff:
        mine = punches.get(s.id)
        by_day = mine.by_day(n) if mine is not None else no_punches
        leave = leaves.get(s.id)
        off = off_by_staff.get(s.id)
        results = [evaluate_day(plan_of(s.id, d, plan), by_day[i], leave_on(leave, d) if leave else _EMPTY, rules,
                                off_post=off.get(d, _EMPTY) if off else _EMPTY, now=now,
                                excused=excused.get((s.id, d), _EMPTY) if excused else _EMPTY)
                   if not corrections or (s.id, d) not in corrections else
                   corrected_day(plan_of(s.id, d, plan), by_day[i], leave_on(leave, d) if leave else _EMPTY, rules,
                                 off.get(d, _EMPTY) if off else _EMPTY, now,
                                 excused.get((s.id, d), _EMPTY) if excused else _EMPTY, corrections[(s.id, d)])
                   for d, i, plan, rules, now in per_day]
        if leave:
            for r in results:
                if r.leave_half_days:
                    r.leave_type = leave_kind_on(leave, r.day)
        if absences:
            for r in results:
                extra = absences.get((s.id, r.day))
                if extra and r.finding not in (Finding.rest_day, Finding.pending):
                    apply_absence(r, extra)
        yield s.id, results


def corrected_day(plan: DayPlan, punches: Sequence[int], leaves: Sequence[tuple[int, int]], rules: AttendanceRules,
                  off_post: Sequence[int], now: int | None, excused: Sequence[tuple[int, int]],
                  spans: Sequence[CorrectionSpan]) -> DayResult:
    """A staff-day the center corrected (考勤更正): the sessions a correction covers need no punch (evaluated as
    excused) and are marked corrected, with the correction, for the sheet, the board and the person's month."""
    r = evaluate_day(plan, punches, leaves, rules, off_post=off_post, now=now,
                     excused=with_corrections(excused, spans))
    mark_corrections(plan, r, [(sp.lo, sp.hi, sp.mark()) for sp in spans])
    return r


def apply_absence(r: DayResult, half_days: int) -> None:
    """A leave rule's absence on a day (未销假的按旷工一天处理): the day counts as unexcused absence."""
    r.absence_half_days = max(r.absence_half_days, min(2, half_days))
    r.finding = Finding.absence
    r.effect = "unclosed_leave"


def convert_months(ctx: MonthContext, months: dict[UUID, MonthResult]) -> None:
    """One hook call for the whole tenant-month: the attendance_rules pack's conversions (none if not enabled)."""
    hooks = ctx.month_end_hooks
    if hooks is None or not months:
        return
    tallies = [AttendanceTally(staff_id=str(sid), workdays=m.workdays, late_count=m.late_count,
                               early_count=m.early_count, late_minutes=m.late_minutes,
                               early_minutes=m.early_minutes, missed_punches=m.missed_punches,
                               absence_half_days=m.absence_half_days, off_post_minutes=tuple(m.off_post_minutes))
               for sid, m in months.items()]
    answer = hooks.hook.govhall_attendance_conversions(rules=hooks.rules, month=ctx.month, tallies=tallies)
    for sid, m in months.items():
        m.converted = dict((answer or {}).get(str(sid), {}))


@dataclass
class EvaluationSummary:
    month: date
    staff: int
    days: int
    staff_days: int
    final_through: date | None
    seconds: float
    timings: dict[str, float]


def is_stored(r: DayResult) -> bool:
    """Whether the day gets an ``attendance_day`` row: not plain, and a rest day only with an off-post record."""
    return not is_plain(r) and (r.finding is not Finding.rest_day or bool(r.off_post_minutes))


def is_plain(r: DayResult) -> bool:
    """An ordinary day: a workday on time, no leave, no off-post record, no correction. Plain days are not stored: a final
    workday without a row is on time (``attendance_month_state.final_through`` says which days are final), and
    its sessions are read again from its punches when someone looks at it. Storing the exceptions only keeps
    the month-end write (and the table) about ten times smaller."""
    return (r.finding is Finding.on_time and not r.off_post_minutes and not r.leave_half_days
            and not r.corrections)


def _day_row(tenant_id: UUID, sid: UUID, r: DayResult, now: datetime) -> dict[str, Any]:
    details = {"sessions": r.sessions, **({"offPost": list(r.off_post_minutes)} if r.off_post_minutes else {}),
               **({"leaveType": r.leave_type} if r.leave_type else {}), **({"effect": r.effect} if r.effect else {}),
               **({"corrections": r.corrections} if r.corrections else {})}
    return {"id": uuid7(), "tenant_id": tenant_id, "staff_id": sid, "work_date": r.day, "finding": r.finding.value,
            "late_count": r.late_count, "early_count": r.early_count, "late_minutes": r.late_minutes,
            "early_minutes": r.early_minutes, "missed_punches": r.missed_punches,
            "absence_half_days": r.absence_half_days, "leave_half_days": r.leave_half_days,
            "details": details, "created_at": now, "updated_at": now}


def month_row(tenant_id: UUID, month: date, sid: UUID, m: MonthResult, now: datetime) -> dict[str, Any]:
    return {"id": uuid7(), "tenant_id": tenant_id, "staff_id": sid, "month": month, "workdays": m.workdays,
            "on_time_days": m.on_time_days, "late_count": m.late_count, "early_count": m.early_count,
            "late_minutes": m.late_minutes, "early_minutes": m.early_minutes, "missed_punches": m.missed_punches,
            "absence_half_days": m.absence_half_days, "converted_half_days": m.converted_half_days,
            "total_absence_half_days": m.total_absence_half_days, "leave_half_days": m.leave_half_days,
            "pending_days": m.pending_days, "details": {"converted": m.converted, "offPost": m.off_post_minutes,
                                                         "leaveByType": m.leave_by_type,
                                                         "unclosedLeaveHalfDays": m.unclosed_leave_half_days},
            "created_at": now, "updated_at": now}


async def _lock_month(session: AsyncSession, tenant_id: UUID, month: date, now: datetime) -> None:
    stmt = dialect_insert(session, MonthState.__table__).values(tenant_rows([dict(
        id=uuid7(), tenant_id=tenant_id, month=month, dirty=True, evaluated_days=0, created_at=now, updated_at=now)],
        "attendance_month_state"))
    await session.execute(stmt.on_conflict_do_update(index_elements=["tenant_id", "month"],
                                                     set_={"updated_at": now}).execution_options(**ROWS_CHECKED))


async def evaluate_month(session: AsyncSession, tenant_id: UUID, month: date, *, now: datetime | None = None,
                         commit: bool = True, fast: bool = True) -> EvaluationSummary:
    """Evaluate and store the final days of a tenant-month (in the caller's tenant scope) and its monthly totals.

    ``fast`` (the default): the database finds the plain days and only the others go through the day rules
    (``plain.py``); ``fast=False`` is the reference path, every staff-day through the day rules. Both store the
    same rows (``tests/attendance/test_month_end_fast_path.py``)."""
    t0 = _time.perf_counter()
    timings: dict[str, float] = {}
    now = now or utcnow()
    month = month.replace(day=1)
    if session.get_bind().dialect.name == "postgresql":
        # Everything written here is derived and recomputable: no need to wait for the WAL flush at commit.
        await session.execute(text("SET LOCAL synchronous_commit TO OFF"))
    await _lock_month(session, tenant_id, month, now)
    ctx = await month_context(session, tenant_id, month, now)
    timings["context"] = _time.perf_counter() - t0
    staff = await load_staff(session)
    days: list[date] = []
    if ctx.final_through is not None:
        d = ctx.start
        while d <= ctx.final_through:
            days.append(d)
            d += timedelta(days=1)
    t = _time.perf_counter()
    last = ctx.final_through or ctx.start
    leaves = await load_leaves(session, ctx.start, last, ctx.tz) if days else {}
    off_post = await load_off_post(session, ctx.start, last) if days else {}
    absences = absences_of(await load_effects(session, ctx.start, last)) if days else {}
    starts = await load_start_offsets(session, ctx.start, last) if days else {}
    excused = await load_excused(session, ctx.start, last) if days else {}
    corrections = await load_corrections(session, ctx.start, last) if days else {}
    pending = max(0, (ctx.end - (ctx.final_through or ctx.start - timedelta(days=1))).days)
    months: dict[UUID, MonthResult] = {}
    rows: list[dict[str, Any]] = []
    special: set[UUID] = set()
    late_mapped: dict[UUID, tuple[list[int], list[int]]] = {}
    if fast and days:
        late_mapped = await late_mapped_punches(session, ctx.start, last, staff)
        special = {*leaves, *(k[0] for k in off_post), *(k[0] for k in absences), *(k[0] for k in starts),
                   *(k[0] for k in excused), *(k[0] for k in corrections), *late_mapped}
        fast = len(special) <= MAX_SPECIAL
    if not fast:  # the reference path: every staff-day through the pure rules
        punches = await load_staff_punches(session, ctx.start, last, staff) if days else {}
        timings["fetch"] = _time.perf_counter() - t
        t = _time.perf_counter()
        for sid, results in evaluate_staff_days(ctx, staff, days, punches, leaves, off_post, absences=absences,
                                                starts=starts, excused=excused, corrections=corrections):
            m = months[sid] = summarize_month(results)
            m.pending_days = pending
            rows.extend(_day_row(tenant_id, sid, r, now) for r in results if is_stored(r))
    else:
        split = await load_plain_split(session, tenant_id, ctx.start, last, [(d, ctx.plan(d)) for d in days],
                                       special)
        timings["fetch"] = _time.perf_counter() - t
        t = _time.perf_counter()
        special_punches: dict[UUID, StaffPunches] = {}
        for sid in special:
            mine = StaffPunches([], [])
            for off, secs in split.other.get(sid, {}).items():
                mine.days.extend([off] * len(secs))
                mine.seconds.extend(secs)
            extra = late_mapped.get(sid)
            if extra:
                mine.days.extend(extra[0])
                mine.seconds.extend(extra[1])
            special_punches[sid] = mine
        special_results = dict(evaluate_staff_days(
            ctx, [s for s in staff if s.id in special], days, special_punches, leaves, off_post, absences=absences,
            starts=starts, excused=excused, corrections=corrections))
        # Rest days are skipped for everyone else: without an off-post record (special) a rest day is neither
        # stored nor counted. Plain days are only counted (on time, not stored, see plain.py).
        work = [(i, ctx.plan(d), ctx.rules(d)) for i, d in enumerate(days) if not ctx.plan(d).is_rest_day]
        for s in staff:
            got = special_results.get(s.id)
            if got is None:
                plain = split.plain.get(s.id, ())
                other = split.other.get(s.id, {})
                skip = set(plain)
                results = [evaluate_day(plan, other.get(i, _EMPTY), _EMPTY, rules)
                           for i, plan, rules in work if i not in skip]
                m = months[s.id] = summarize_month(results)
                m.workdays += len(plain)
                m.on_time_days += len(plain)
            else:
                results = got
                m = months[s.id] = summarize_month(results)
            m.pending_days = pending
            rows.extend(_day_row(tenant_id, s.id, r, now) for r in results if is_stored(r))
    convert_months(ctx, months)
    timings["evaluate"] = _time.perf_counter() - t
    t = _time.perf_counter()
    await session.execute(delete(AttendanceDay).where(AttendanceDay.work_date >= ctx.start,
                                                      AttendanceDay.work_date <= ctx.end)
                          .execution_options(synchronize_session=False))
    await session.execute(delete(AttendanceMonth).where(AttendanceMonth.month == month)
                          .execution_options(synchronize_session=False))
    timings["delete"] = _time.perf_counter() - t
    t1 = _time.perf_counter()
    await bulk_insert(session, AttendanceDay.__table__, rows)
    timings["insert_days"] = _time.perf_counter() - t1
    await bulk_insert(session, AttendanceMonth.__table__,
                      [month_row(tenant_id, month, sid, m, now) for sid, m in months.items()])
    await session.execute(cast(Table, MonthState.__table__).update().where(
        MonthState.__table__.c.tenant_id == tenant_id, MonthState.__table__.c.month == month,
    ).values(dirty=False, fingerprint=ctx.fingerprint, final_through=ctx.final_through, evaluated_at=now,
             evaluated_days=len(days), updated_at=now))
    timings["write"] = _time.perf_counter() - t
    if commit:
        await session.commit()
    summary = EvaluationSummary(month, len(staff), len(days), len(rows), ctx.final_through,
                                _time.perf_counter() - t0, timings)
    log.info("attendance_month_evaluated", month=month.isoformat(), staff=len(staff), days=len(days),
             seconds=round(summary.seconds, 3))
    return summary


async def month_state(session: AsyncSession, month: date) -> MonthState | None:
    return await session.scalar(select(MonthState).where(MonthState.month == month.replace(day=1))
                                .execution_options(populate_existing=True))


async def ensure_month(session: AsyncSession, tenant_id: UUID, month: date, now: datetime | None = None
                       ) -> MonthContext:
    """The month's context, after re-evaluating it if anything changed since it was last stored (late punches,
    leave, 补卡, rules, staff, or days that became final)."""
    now = now or utcnow()
    ctx = await month_context(session, tenant_id, month, now)
    state = await month_state(session, month)
    stale = (state is None or state.dirty or state.fingerprint != ctx.fingerprint
             or state.final_through != ctx.final_through)
    if stale and (ctx.final_through is not None or state is not None):
        await evaluate_month(session, tenant_id, month, now=now)
        ctx = await month_context(session, tenant_id, month, now)
    return ctx

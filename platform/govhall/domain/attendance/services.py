"""Attendance for people: the clerk's clock-in, today and month; whose records a user may see (per-record rules).

Record rules (next to the Casbin check of each route): a clerk sees and requests only for their own staff
record; a chief representative sees their own department; duty officers and center (or provincial) admins see
the whole center.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.clock import utcnow, zone
from govhall.domain.attendance import schemas as s
from govhall.domain.attendance.evaluation import (
    MonthContext,
    corrected_day,
    ensure_month,
    evaluate_staff_days,
    month_bounds,
)
from govhall.domain.attendance.ingest import RawPunch, store_punches, tenant_timezone
from govhall.domain.attendance.inputs import (
    StaffRow,
    absences_of,
    leave_on,
    load_corrections,
    load_effects,
    load_excused,
    load_leaves,
    load_off_post,
    load_punches,
    load_staff_punches,
    load_start_offsets,
)
from govhall.domain.attendance.models import (
    WEB_DEVICE,
    AttendanceDay,
    AttendanceMonth,
    MissedPunchRequest,
    Punch,
    PunchSource,
    RequestStatus,
)
from govhall.domain.attendance.rules import (
    DayPlan,
    DayResult,
    Finding,
    compile_day,
    evaluate_day,
    hhmm,
    outside_windows,
)
from govhall.domain.attendance.settings import rules_for
from govhall.domain.identity.models import User
from govhall.domain.org.models import Staff
from govhall.domain.org.rules import StaffScope, staff_scope
from govhall.errors import AppError, field_error
from govhall.packs.calendar import dress_codes, work_calendar
from govhall.tenancy.context import current_tenant_id


@dataclass(frozen=True)
class Viewer:
    """Whose attendance a user may see in this tenant: the one staff-visibility rule
    (``govhall.authz.visibility``, through ``govhall.domain.org.rules.staff_scope``), decided once per request."""

    user_id: UUID
    staff: StaffRow | None
    scope: StaffScope

    def may_see(self, staff: StaffRow) -> bool:
        return self.scope.allows(staff)


def tenant() -> UUID:
    tid = current_tenant_id()
    if tid is None:  # pragma: no cover - every route is guarded
        raise AppError("forbidden", "您没有执行此操作的权限", "You are not allowed to do this", status=403)
    return tid


async def my_staff(session: AsyncSession, user_id: UUID) -> StaffRow | None:
    row = (await session.execute(
        select(Staff.id, Staff.employee_no, Staff.name, Staff.department_id, Staff.window_id)
        .join(User, User.staff_id == Staff.id).where(User.id == user_id)
    )).first()
    return StaffRow(*row) if row else None


def no_staff_record() -> AppError:
    return AppError("no_staff_record", "您的账号未关联本中心的工作人员档案，无法考勤",
                    "Your account is not linked to a staff record of this center", status=403)


async def viewer(session: AsyncSession, authz: Any, user: Any) -> Viewer:
    tid = tenant()
    staff = await my_staff(session, user.id)
    return Viewer(user.id, staff, await staff_scope(session, authz, user, tid, own=staff))


# ---- clock-in -------------------------------------------------------------------------------------------------


REPEAT_CLICK = timedelta(seconds=60)
"""Web clock-ins of one person this close together count once (double clicks, retries on a slow network)."""


async def clock_in(session: AsyncSession, user_id: UUID, data: s.ClockIn) -> s.ClockInResult:
    tid = tenant()
    staff = await my_staff(session, user_id)
    if staff is None:
        raise no_staff_record()
    tz = await tenant_timezone(session, tid)
    now = utcnow()
    local = now.astimezone(zone(tz)).replace(tzinfo=None, microsecond=0)
    rules = await rules_for(session, tid, local.date())
    if not rules.web_clock_in:
        raise AppError("web_clock_in_disabled", "本中心未开放网页打卡，请使用考勤机",
                       "This center does not allow clock-in from the web; use the terminal", status=403)
    if rules.web_location_required and (data.latitude is None or data.longitude is None):
        zh, en = "本中心网页打卡须提供位置，请允许浏览器获取位置后重试", "This center needs your location to clock in"
        raise AppError("location_required", zh, en, status=400, fields=[field_error("latitude", zh, en)])
    last = await session.scalar(
        select(Punch.punched_at).where(Punch.staff_id == staff.id, Punch.source == PunchSource.web)
        .order_by(Punch.punched_at.desc()).limit(1)
    )
    if last is not None and timedelta(0) <= now - last < REPEAT_CLICK:
        # A repeated click (or a retry after a slow answer) is the same clock-in, not a second punch.
        earlier = last.astimezone(zone(tz)).replace(tzinfo=None)
        return s.ClockInResult(punched_at=earlier.replace(tzinfo=zone(tz)), work_date=earlier.date(),
                               time=earlier.strftime("%H:%M:%S"), duplicate=True)
    punch = RawPunch(0, staff.employee_no, local, latitude=data.latitude, longitude=data.longitude,
                     accuracy_m=data.accuracy)
    report = await store_punches(session, source=PunchSource.web, device_key=WEB_DEVICE, punches=[punch], tz=tz,
                                 now=now, rules=rules, known_staff={staff.employee_no: staff.id})
    outside = None
    try:
        plan = compile_day((await work_calendar(session, tid, local.date(), local.date()))[local.date()], rules)
    except AppError:
        plan = None  # the year's calendar is missing: the punch is stored, the day is judged once it is entered
    if plan is not None:
        found = outside_views(plan, [local.hour * 3600 + local.minute * 60 + local.second])
        outside = found[0] if found else None
    return s.ClockInResult(punched_at=local.replace(tzinfo=zone(tz)), work_date=local.date(),
                           time=local.strftime("%H:%M:%S"), duplicate=report.accepted == 0, outside=outside)


# ---- views ------------------------------------------------------------------------------------------------------


def session_views(result: DayResult, plan_sessions: Any = None) -> list[s.SessionView]:
    out = []
    for row in result.sessions:
        out.append(s.SessionView(
            label=row["label"], start=row["start"], end=row["end"], status=row.get("status", ""),
            in_time=row.get("in"), out_time=row.get("out"), late_minutes=row.get("lateMinutes", 0),
            early_minutes=row.get("earlyMinutes", 0), partial_leave=bool(row.get("partialLeave")),
            missing=row.get("missing"), correction=row.get("correction"),
        ))
    if plan_sessions is not None:
        for view, sess in zip(out, plan_sessions):
            view.open_to_public = sess.open_to_public
    return out


def day_view(ctx: MonthContext, d: date, result: DayResult | None, punches: list[int], *, final: bool
             ) -> s.DayView:
    sched = ctx.calendar[d]
    if result is None:  # a future day: what the calendar says
        plan = ctx.plan(d)
        finding = Finding.rest_day.value if plan.is_rest_day else "future"
        sessions = [s.SessionView(label=p.label, start=hhmm(p.start) or "", end=hhmm(p.end) or "",
                                  status="upcoming", open_to_public=p.open_to_public) for p in plan.sessions]
        return s.DayView(date=d, finding=finding, workday=sched.workday, reason=sched.reason, sessions=sessions,
                         punches=[], final=False)
    return s.DayView(
        date=d, finding=result.finding.value, workday=sched.workday, reason=sched.reason,
        sessions=session_views(result, ctx.plan(d).sessions), punches=[hhmm(p) or "" for p in sorted(punches)],
        late_minutes=result.late_minutes, early_minutes=result.early_minutes, missed_punches=result.missed_punches,
        absence_half_days=result.absence_half_days, leave_half_days=result.leave_half_days, final=final,
        leave_type=result.leave_type, effect=result.effect, outside_punches=outside_views(ctx.plan(d), punches),
        corrections=correction_marks(result.corrections),
    )


def correction_marks(raw: list[dict[str, str]] | None) -> list[s.CorrectionMark]:
    return [s.CorrectionMark(id=UUID(m["id"]), kind=m["kind"], sessions=m["sessions"], reason=m["reason"])
            for m in raw or ()]


def outside_views(plan: DayPlan, punches: list[int]) -> list[s.OutsidePunchView]:
    """The punches of a day that no punch window takes (stored, counted for no session), each with the nearest
    window, for the page to say plainly why (issue 13: a punch at 07:10 is not silently ignored)."""
    return [s.OutsidePunchView(time=hhmm(o.at) or "", reason=o.reason, label=o.label, window=o.window,
                               window_start=hhmm(o.window_start), window_end=hhmm(o.window_end))
            for o in outside_windows(plan, punches)]


def stored_result(row: AttendanceDay) -> DayResult:
    details = row.details or {}
    return DayResult(row.work_date, Finding(row.finding), late_count=row.late_count, early_count=row.early_count,
                     late_minutes=row.late_minutes, early_minutes=row.early_minutes,
                     missed_punches=row.missed_punches, absence_half_days=row.absence_half_days,
                     leave_half_days=row.leave_half_days, off_post_minutes=tuple(details.get("offPost", ())),
                     sessions=list(details.get("sessions", [])), leave_type=details.get("leaveType"),
                     effect=details.get("effect"), corrections=details.get("corrections"))


def totals_view(m: AttendanceMonth | None) -> s.MonthTotals:
    if m is None:
        return s.MonthTotals(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, {})
    return s.MonthTotals(
        workdays=m.workdays, on_time_days=m.on_time_days, late_count=m.late_count, early_count=m.early_count,
        late_minutes=m.late_minutes, early_minutes=m.early_minutes, missed_punches=m.missed_punches,
        absence_half_days=m.absence_half_days, converted_half_days=m.converted_half_days,
        total_absence_half_days=m.total_absence_half_days, leave_half_days=m.leave_half_days,
        pending_days=m.pending_days, converted=dict((m.details or {}).get("converted") or {}),
    )


async def staff_month(session: AsyncSession, staff: StaffRow, month: date) -> s.MyMonth:
    """One person's month: stored findings for final days, provisional ones after, the calendar ahead."""
    tid = tenant()
    ctx = await ensure_month(session, tid, month)
    stored = {r.work_date: r for r in (await session.scalars(
        select(AttendanceDay).where(AttendanceDay.staff_id == staff.id, AttendanceDay.work_date >= ctx.start,
                                    AttendanceDay.work_date <= ctx.end))).all()}
    totals = await session.scalar(select(AttendanceMonth).where(AttendanceMonth.staff_id == staff.id,
                                                                AttendanceMonth.month == ctx.month))
    loaded = await load_staff_punches(session, ctx.start, ctx.end, [staff])
    month_days = _days(ctx.start, ctx.end)
    mine = loaded.get(staff.id)
    punches = dict(zip(month_days, mine.by_day(len(month_days)), strict=True)) if mine else {}
    live_days = [d for d in _days(ctx.start, min(ctx.end, ctx.today))
                 if ctx.final_through is None or d > ctx.final_through]
    live: dict[date, DayResult] = {}
    if live_days:
        leaves = await load_leaves(session, live_days[0], live_days[-1], ctx.tz, {staff.id})
        off = await load_off_post(session, live_days[0], live_days[-1], {staff.id})
        absences = absences_of(await load_effects(session, live_days[0], live_days[-1], {staff.id}))
        starts = await load_start_offsets(session, live_days[0], live_days[-1], {staff.id})
        excused = await load_excused(session, live_days[0], live_days[-1], {staff.id})
        corrections = await load_corrections(session, live_days[0], live_days[-1], {staff.id})
        [(_sid, results)] = evaluate_staff_days(ctx, [staff], live_days, loaded, leaves, off, live=True,
                                                absences=absences, starts=starts, excused=excused,
                                                corrections=corrections)
        for r in results:
            if r.day < ctx.today and r.finding is not Finding.rest_day:
                r.finding = Finding.pending  # the terminals have not delivered this day yet
            live[r.day] = r
    views = []
    for d in month_days:
        p = punches.get(d, [])
        if d in live:
            views.append(day_view(ctx, d, live[d], p, final=False))
        elif d in stored:
            result = stored_result(stored[d])
            if not result.sessions:  # an ordinary day stored without details: read it again from its punches
                result = evaluate_day(ctx.plan(d), p, (), ctx.rules(d))
            views.append(day_view(ctx, d, result, p, final=True))
        elif ctx.final_through is not None and d <= ctx.final_through:
            plan = ctx.plan(d)
            views.append(day_view(ctx, d, evaluate_day(plan, p, (), ctx.rules(d)), p, final=True))
        else:
            views.append(day_view(ctx, d, None, p, final=False))
    rules = ctx.rules(ctx.end)
    used = await session.scalar(select(func.count()).select_from(MissedPunchRequest).where(
        MissedPunchRequest.staff_id == staff.id, MissedPunchRequest.work_date >= ctx.start,
        MissedPunchRequest.work_date <= ctx.end,
        MissedPunchRequest.status.in_([RequestStatus.pending, RequestStatus.approved])))
    return s.MyMonth(staff_id=staff.id, name=staff.name, month=ctx.month.strftime("%Y-%m"), days=views,
                     totals=totals_view(totals),
                     missed_punch_requests_left=max(0, rules.missed_punch_requests_per_month - int(used or 0)))


def _days(a: date, b: date) -> list[date]:
    return [a + timedelta(days=i) for i in range((b - a).days + 1)] if b >= a else []


def parse_month(raw: str | None, today: date) -> date:
    if not raw:
        return today.replace(day=1)
    try:
        value = datetime.strptime(raw, "%Y-%m").date()
    except ValueError:
        raise AppError("invalid_month", "月份格式应为 YYYY-MM", "Month must be YYYY-MM", status=400,
                       fields=[field_error("month", "月份格式应为 YYYY-MM", "Month must be YYYY-MM")]) from None
    if not 2000 <= value.year <= 2100:
        raise AppError("invalid_month", "月份超出范围", "Month out of range", status=400,
                       fields=[field_error("month", "月份超出范围", "Month out of range")])
    return value


async def today_view(session: AsyncSession, user_id: UUID) -> s.TodayView:
    tid = tenant()
    staff = await my_staff(session, user_id)
    if staff is None:
        raise no_staff_record()
    tz = await tenant_timezone(session, tid)
    now = utcnow()
    local = now.astimezone(zone(tz))
    today = local.date()
    rules = await rules_for(session, tid, today)
    sched = (await work_calendar(session, tid, today, today))[today]
    plan = compile_day(sched, rules)
    punches = (await load_punches(session, today, today, [staff])).get((staff.id, today), [])
    leaves = await load_leaves(session, today, today, tz, {staff.id})
    off = await load_off_post(session, today, today, {staff.id})
    now_sec = local.hour * 3600 + local.minute * 60 + local.second
    spans = (await load_corrections(session, today, today, {staff.id})).get((staff.id, today))
    if spans:
        result = corrected_day(plan, punches, leave_on(leaves.get(staff.id, ()), today), rules,
                               off.get((staff.id, today), ()), now_sec, (), spans)
    else:
        result = evaluate_day(plan, punches, leave_on(leaves.get(staff.id, ()), today), rules,
                              off_post=off.get((staff.id, today), ()), now=now_sec)
    dress = None
    try:
        code = (await dress_codes(session, tid, today, today, staff.employee_no)).get(today)
        if code is not None:
            dress = s.DressCodeView(season=code.season, season_name=code.season_name,
                                    season_name_en=code.season_name_en, dress=code.dress,
                                    badge_required=code.badge_required)
    except AppError:
        dress = None  # the uniform pack is not enabled here
    view = s.DayView(date=today, finding=result.finding.value, workday=sched.workday, reason=sched.reason,
                     sessions=session_views(result, plan.sessions), punches=[hhmm(p) or "" for p in sorted(punches)],
                     late_minutes=result.late_minutes, early_minutes=result.early_minutes,
                     missed_punches=result.missed_punches, absence_half_days=result.absence_half_days,
                     leave_half_days=result.leave_half_days, final=False,
                     outside_punches=outside_views(plan, punches),
                     corrections=correction_marks(result.corrections))
    return s.TodayView(staff_id=staff.id, name=staff.name, now=local, day=view, dress_code=dress,
                       web_clock_in=rules.web_clock_in, location_required=rules.web_location_required)


async def staff_by_id(session: AsyncSession, staff_id: UUID) -> StaffRow | None:
    row = (await session.execute(select(Staff.id, Staff.employee_no, Staff.name, Staff.department_id,
                                        Staff.window_id).where(Staff.id == staff_id))).first()
    return StaffRow(*row) if row else None


async def punches_of(session: AsyncSession, staff: StaffRow, d: date) -> list[Punch]:
    return list((await session.scalars(select(Punch).where(Punch.staff_id == staff.id, Punch.work_date == d)
                                       .order_by(Punch.local_seconds))).all())


def month_range(month: date) -> tuple[date, date]:
    return month_bounds(month)

"""Outings (外出报备) and off post (脱岗) timed on the phone.

- A staff member reports a business outing (reason, place, expected return); the patrols pack says whether it is
  merely reported to the duty officer (000 篇七 工作制度 二.2: 告知当日值班人员，由当值人员记入值班日志) or needs the duty
  officer's or a center admin's approval (002 四.4). An approved outing excuses attendance from its start to the
  return (the attendance evaluation gets the intervals through ``register_excused``).
- A patrol that finds someone away without a reported outing starts an off-post timer (000 篇七 十一(一)6: 因公事外出
  不报告者视为脱岗); stopping it records the length as an attendance off-post record, which the attendance
  conversions (脱岗超过2小时计旷工半天) and the assessment (≤0.5 h 1 point, >1 h 2 points) classify by the rules.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from uuid import UUID

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.audit import record_audit
from govhall.clock import local_today, utcnow, zone
from govhall.domain.assessment.services import Actor
from govhall.domain.attendance.ingest import mark_months_dirty, tenant_timezone
from govhall.domain.attendance.inputs import register_excused
from govhall.domain.attendance.models import OffPostRecord
from govhall.domain.org.models import Staff, StaffStatus
from govhall.domain.supervision import schemas as s
from govhall.domain.supervision.models import OffPostTimer, OutingReport
from govhall.domain.supervision.plans import patrol_plans
from govhall.domain.supervision.rota import bad, check_span, tenant
from govhall.errors import AppError, not_found
from govhall.log import get_logger

log = get_logger(__name__)

EXCUSING = ("approved", "returned")
SUPERVISORS = frozenset({"duty_officer", "center_admin", "provincial_admin"})


async def _staff(session: AsyncSession, a: Actor, staff_id: UUID | None) -> Staff:
    if staff_id is None or (a.staff is not None and staff_id == a.staff.id):
        if a.staff is None:
            raise bad("staff_required", "staffId", "您没有工作人员档案，请选择工作人员", "Choose a staff member")
        return a.staff
    if not a.roles & SUPERVISORS:
        raise AppError("forbidden", "只能为自己报备外出", "You may report your own outings only", status=403)
    staff = await session.get(Staff, staff_id)
    if staff is None or not a.scope.allows(staff):
        raise not_found("工作人员", "Staff member")
    return staff


def _view(o: OutingReport, name: str, now: datetime) -> s.Outing:
    return s.Outing(id=o.id, staff_id=o.staff_id, staff_name=name, day=o.day, reason=o.reason, place=o.place,
                    leaves_at=o.leaves_at, expected_back=o.expected_back, returned_at=o.returned_at, status=o.status,
                    overdue=o.status == "approved" and o.returned_at is None and o.expected_back < now)


async def report(session: AsyncSession, a: Actor, data: s.OutingIn) -> s.Outing:
    tid = tenant()
    tz = await tenant_timezone(session, tid)
    now = utcnow()
    staff = await _staff(session, a, data.staff_id)
    if staff.status is not StaffStatus.active:
        raise bad("staff_not_employed", "staffId", f"{staff.name} 不在岗", f"{staff.name} is not employed")
    leaves = (data.leaves_at or now)
    if leaves.tzinfo is None or data.expected_back.tzinfo is None:
        raise bad("invalid_time", "expectedBack", "时间须带时区", "Times need a time zone")
    day = leaves.astimezone(zone(tz)).date()
    if day != local_today(tz):
        raise bad("outing_not_today", "leavesAt", "只能报备今天的外出", "Only today's outings can be reported")
    if data.expected_back <= leaves:
        raise bad("invalid_return", "expectedBack", "预计返回时间须晚于外出时间", "The return must be after the start")
    if data.expected_back.astimezone(zone(tz)).date() != day:
        raise bad("invalid_return", "expectedBack", "外出须当天返回（跨天请请假）",
                  "An outing ends the same day (longer: ask for leave)")
    plans, _cal = await patrol_plans(session, tid, day, day)
    report_only = plans[day].outing_approval == "report"
    o = OutingReport(staff_id=staff.id, day=day, reason=data.reason.strip(), place=data.place.strip(),
                     leaves_at=leaves.astimezone(UTC), expected_back=data.expected_back.astimezone(UTC),
                     status="approved" if report_only or (a.roles & SUPERVISORS and a.staff is not staff) else "reported",
                     reported_by=a.user_id)
    if o.status == "approved":
        o.decided_by, o.decided_at = a.user_id, now
    session.add(o)
    await session.flush()
    await mark_months_dirty(session, tid, [day], now)
    await record_audit(session, action="outing.report", target_type="outing_report", target_id=str(o.id),
                       details={"staffId": str(staff.id), "day": day.isoformat(), "status": o.status,
                                "place": o.place})
    await session.commit()
    log.info("outing_reported", status=o.status)
    return _view(o, staff.name, now)


async def _load(session: AsyncSession, a: Actor, outing_id: UUID) -> tuple[OutingReport, Staff]:
    o = await session.get(OutingReport, outing_id)
    staff = await session.get(Staff, o.staff_id) if o else None
    if o is None or staff is None or not a.scope.allows(staff):
        raise not_found("外出报备", "Outing")
    return o, staff


async def decide(session: AsyncSession, a: Actor, outing_id: UUID, approve: bool) -> s.Outing:
    o, staff = await _load(session, a, outing_id)
    if o.status != "reported":
        raise AppError("outing_decided", "该外出报备已处理", "This outing was decided already", status=409)
    if a.staff is not None and a.staff.id == o.staff_id:
        raise AppError("own_outing", "不能审批自己的外出", "You cannot approve your own outing", status=403)
    now = utcnow()
    o.status, o.decided_by, o.decided_at = ("approved" if approve else "rejected"), a.user_id, now
    await mark_months_dirty(session, tenant(), [o.day], now)
    await record_audit(session, action="outing.decide", target_type="outing_report", target_id=str(o.id),
                       details={"status": o.status})
    await session.commit()
    return _view(o, staff.name, now)


async def returned(session: AsyncSession, a: Actor, outing_id: UUID) -> s.Outing:
    o, staff = await _load(session, a, outing_id)
    mine = a.staff is not None and a.staff.id == o.staff_id
    if not mine and not a.roles & SUPERVISORS:
        raise not_found("外出报备", "Outing")
    if o.status != "approved":
        raise AppError("outing_not_out", "该外出未获同意或已返回", "This outing is not approved or is over", status=409)
    now = utcnow()
    o.status, o.returned_at = "returned", max(now, o.leaves_at)
    await mark_months_dirty(session, tenant(), [o.day], now)
    await record_audit(session, action="outing.return", target_type="outing_report", target_id=str(o.id),
                       details={"returnedAt": o.returned_at.isoformat()})
    await session.commit()
    return _view(o, staff.name, now)


async def outings(session: AsyncSession, a: Actor, start: date, end: date) -> list[s.Outing]:
    check_span(start, end)
    stmt = select(OutingReport, Staff.name).join(Staff, Staff.id == OutingReport.staff_id).where(
        OutingReport.day >= start, OutingReport.day <= end).order_by(OutingReport.leaves_at.desc())
    stmt = stmt.where(a.scope.criteria(OutingReport, staff_column="staff_id"))
    now = utcnow()
    return [_view(o, name, now) for o, name in (await session.execute(stmt)).all()]


async def outing_covering(session: AsyncSession, staff_id: UUID, at: datetime) -> OutingReport | None:
    """The approved outing the person is on at ``at`` (until their return, or the expected return)."""
    rows = (await session.scalars(select(OutingReport).where(
        OutingReport.staff_id == staff_id, OutingReport.status.in_(EXCUSING), OutingReport.leaves_at <= at))).all()
    for o in rows:
        if (o.returned_at or o.expected_back) > at:
            return o
    return None


async def excused(session: AsyncSession, start: date, end: date, staff_ids: set[UUID] | None = None
                  ) -> dict[tuple[UUID, date], list[tuple[int, int]]]:
    """(staff, day) -> approved outings as local (lo, hi) seconds: attendance treats them as present."""
    tz = await tenant_timezone(session, tenant())
    stmt = select(OutingReport.staff_id, OutingReport.day, OutingReport.leaves_at, OutingReport.expected_back,
                  OutingReport.returned_at).where(OutingReport.day >= start, OutingReport.day <= end,
                                                  OutingReport.status.in_(EXCUSING))
    if staff_ids is not None:
        stmt = stmt.where(OutingReport.staff_id.in_(staff_ids))
    out: dict[tuple[UUID, date], list[tuple[int, int]]] = defaultdict(list)
    z = zone(tz)
    for sid, d, a, b, back in (await session.execute(stmt)).all():
        day0 = datetime.combine(d, datetime.min.time(), z)
        lo = int((a - day0).total_seconds())
        hi = int(((back or b) - day0).total_seconds())
        if lo < hi:
            out[(sid, d)].append((max(0, lo), min(86400, hi)))
    return out


register_excused(excused)


# ---- off post, timed on the phone -----------------------------------------------------------------------------


def _timer_view(t: OffPostTimer, name: str, now: datetime) -> s.OffPostTimerOut:
    end = t.stopped_at or now
    return s.OffPostTimerOut(id=t.id, staff_id=t.staff_id, staff_name=name, day=t.day, started_at=t.started_at,
                             stopped_at=t.stopped_at, minutes=t.minutes,
                             running_minutes=max(0, int((end - t.started_at).total_seconds() // 60)))


async def start_timer(session: AsyncSession, a: Actor, staff: Staff, at: datetime, patrol_id: UUID | None = None,
                      *, commit: bool = True) -> OffPostTimer:
    tid = tenant()
    tz = await tenant_timezone(session, tid)
    if await outing_covering(session, staff.id, at) is not None:
        raise bad("outing_reported", "staffId", f"{staff.name} 已报备外出，不算脱岗",
                  f"{staff.name} reported an outing: not off post", status=409)
    running = await session.scalar(select(OffPostTimer).where(OffPostTimer.staff_id == staff.id,
                                                              OffPostTimer.stopped_at.is_(None)))
    if running is not None:
        return running  # already timed (a second patrol finds the same absence)
    t = OffPostTimer(staff_id=staff.id, day=at.astimezone(zone(tz)).date(), started_at=at.astimezone(UTC),
                     patrol_id=patrol_id, started_by=a.user_id)
    session.add(t)
    await session.flush()
    await record_audit(session, action="off_post.start", target_type="off_post_timer", target_id=str(t.id),
                       details={"staffId": str(staff.id), "startedAt": t.started_at.isoformat()})
    if commit:
        await session.commit()
    return t


async def start(session: AsyncSession, a: Actor, data: s.OffPostStartIn) -> s.OffPostTimerOut:
    staff = await session.get(Staff, data.staff_id)
    if staff is None or not a.scope.allows(staff):
        raise not_found("工作人员", "Staff member")
    now = utcnow()
    at = data.started_at or now
    if at.tzinfo is None or at > now + timedelta(minutes=5):
        raise bad("invalid_time", "startedAt", "开始时间不正确", "Invalid start time")
    t = await start_timer(session, a, staff, at)
    return _timer_view(t, staff.name, now)


async def stop(session: AsyncSession, a: Actor, timer_id: UUID) -> s.OffPostTimerOut:
    t = await session.get(OffPostTimer, timer_id)
    staff = await session.get(Staff, t.staff_id) if t else None
    if t is None or staff is None or not a.scope.allows(staff):
        raise not_found("脱岗计时", "Off-post timer")
    if t.stopped_at is not None:
        raise AppError("timer_stopped", "该脱岗计时已停止", "This timer was stopped already", status=409)
    now = utcnow()
    tz = await tenant_timezone(session, tenant())
    day_end = datetime.combine(t.day + timedelta(days=1), datetime.min.time(), zone(tz)).astimezone(UTC)
    t.stopped_at, t.stopped_by = min(now, day_end), a.user_id
    t.minutes = max(1, int((t.stopped_at - t.started_at).total_seconds() // 60))
    rec = OffPostRecord(staff_id=t.staff_id, work_date=t.day, minutes=t.minutes, recorded_by=a.user_id,
                        note="巡查发现脱岗，现场计时")
    session.add(rec)
    await session.flush()
    t.off_post_id = rec.id
    await mark_months_dirty(session, tenant(), [t.day], now)
    await record_audit(session, action="off_post.stop", target_type="off_post_timer", target_id=str(t.id),
                       details={"staffId": str(t.staff_id), "minutes": t.minutes, "offPostId": str(rec.id)})
    await session.commit()
    log.info("off_post_timed", minutes=t.minutes)
    return _timer_view(t, staff.name, now)


async def timers(session: AsyncSession, a: Actor, start_: date, end: date) -> list[s.OffPostTimerOut]:
    check_span(start_, end)
    stmt = select(OffPostTimer, Staff.name).join(Staff, Staff.id == OffPostTimer.staff_id).where(
        or_(OffPostTimer.stopped_at.is_(None), (OffPostTimer.day >= start_) & (OffPostTimer.day <= end)),
        a.scope.criteria(OffPostTimer, staff_column="staff_id")).order_by(OffPostTimer.started_at.desc())
    now = utcnow()
    return [_timer_view(t, name, now) for t, name in (await session.execute(stmt)).all()]



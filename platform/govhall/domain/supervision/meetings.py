"""Monthly meetings (例会): on the rules' day of the month, moved to the next working day when it is a day off (000
篇七 工作制度 一.2-3: 每月3日为集中学习、召开例会日，遇节假日时间顺延); sign-in by the code shown in the room or marked
by the duty officer (一.6: 参加学习会议情况由值班人员负责登记); closing the meeting records late, early and absent staff as
violations (source ``meeting``; the point_values catalogue's meeting_late / meeting_absent)."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, timedelta
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.audit import record_audit
from govhall.clock import utcnow, zone
from govhall.domain.assessment import schemas as asm
from govhall.domain.assessment import services as assessment
from govhall.domain.assessment.services import Actor
from govhall.domain.attendance.ingest import tenant_timezone
from govhall.domain.org.models import Staff, StaffStatus
from govhall.domain.supervision import schemas as s
from govhall.domain.supervision.models import Meeting
from govhall.domain.supervision.plans import patrol_plans
from govhall.domain.supervision.rota import bad, tenant
from govhall.errors import AppError, not_found
from govhall.log import get_logger
from govhall.packs.calendar import add_working_days, work_calendar
from govhall.packs.types import PatrolPlan

log = get_logger(__name__)
RUNNERS = frozenset({"duty_officer", "center_admin", "provincial_admin"})


def parse_month(raw: str) -> date:
    y, m = raw.split("-")
    return date(int(y), int(m), 1)


async def meeting_day(session: AsyncSession, month: date) -> tuple[date, date, PatrolPlan]:
    """(the day, the rules' nominal day, the plan): the rules' day of ``month``, or the next working day."""
    tid = tenant()
    plans, _cal = await patrol_plans(session, tid, month, month)
    plan = plans[month]
    nominal = month.replace(day=plan.meeting_day or 1)
    cal = await work_calendar(session, tid, nominal, nominal)
    day = nominal if cal[nominal].workday else await add_working_days(session, tid, nominal, 1)
    return day, nominal, plan


async def _view(session: AsyncSession, a: Actor, month: date, m: Meeting | None) -> s.MeetingOut:
    day, nominal, plan = await meeting_day(session, month)
    tz = await tenant_timezone(session, tenant())
    starts = m.starts_at if m else datetime.combine(day, plan.meeting_time, zone(tz)).astimezone(UTC)
    runner = bool(a.roles & RUNNERS)
    staff = (await session.scalars(select(Staff).where(Staff.status == StaffStatus.active,
                                                       Staff.window_id.is_not(None)).order_by(Staff.name))).all()
    att = (m.attendance if m else {}) or {}
    attendees = [s.MeetingAttendee(staff_id=x.id, name=x.name, status=att.get(str(x.id), {}).get("status"),
                                   at=datetime.fromisoformat(att[str(x.id)]["at"]) if str(x.id) in att else None,
                                   violation_id=UUID(v) if (v := att.get(str(x.id), {}).get("violationId")) else None)
                 for x in staff if runner or (a.staff is not None and x.id == a.staff.id)]
    return s.MeetingOut(id=m.id if m else None, month=month, day=m.day if m else day, nominal_day=nominal,
                        moved=(m.day if m else day) != nominal, starts_at=starts, status=m.status if m else "planned",
                        code=m.code if m and runner else None, attendees=attendees,
                        signed_in=a.staff is not None and str(a.staff.id) in att)


async def get(session: AsyncSession, a: Actor, month: date) -> s.MeetingOut:
    m = await session.scalar(select(Meeting).where(Meeting.month == month))
    return await _view(session, a, month, m)


async def open_meeting(session: AsyncSession, a: Actor, month: date) -> s.MeetingOut:
    if await session.scalar(select(Meeting).where(Meeting.month == month)) is not None:
        raise AppError("meeting_exists", "本月例会已安排", "This month's meeting exists already", status=409)
    day, _nominal, plan = await meeting_day(session, month)
    tz = await tenant_timezone(session, tenant())
    m = Meeting(month=month, day=day, starts_at=datetime.combine(day, plan.meeting_time, zone(tz)).astimezone(UTC),
                code=f"{secrets.randbelow(10**6):06d}", status="open", attendance={})
    session.add(m)
    await session.flush()
    await record_audit(session, action="meeting.open", target_type="meeting", target_id=str(m.id),
                       details={"month": month.isoformat(), "day": day.isoformat()})
    await session.commit()
    return await _view(session, a, month, m)


async def _open(session: AsyncSession, meeting_id: UUID) -> Meeting:
    m = await session.get(Meeting, meeting_id)
    if m is None:
        raise not_found("例会", "Meeting")
    if m.status != "open":
        raise AppError("meeting_closed", "该例会已结束", "This meeting is closed", status=409)
    return m


def _status_at(m: Meeting, plan: PatrolPlan, at: datetime) -> str:
    return "late" if at > m.starts_at + timedelta(minutes=plan.meeting_late_after_minutes) else "present"


async def sign_in(session: AsyncSession, a: Actor, meeting_id: UUID, code: str) -> s.MeetingOut:
    m = await _open(session, meeting_id)
    if a.staff is None:
        raise bad("staff_required", "code", "您没有工作人员档案", "You have no staff record")
    now = utcnow()
    tz = await tenant_timezone(session, tenant())
    if now.astimezone(zone(tz)).date() != m.day:
        raise bad("not_meeting_day", "code", f"例会在 {m.day} 召开", f"The meeting is on {m.day}")
    if not secrets.compare_digest(code.strip(), m.code):
        raise bad("wrong_code", "code", "签到码不正确", "Wrong sign-in code")
    att = dict(m.attendance or {})
    if str(a.staff.id) not in att:
        _d, _n, plan = await meeting_day(session, m.month)
        att[str(a.staff.id)] = {"status": _status_at(m, plan, now), "at": now.isoformat(), "by": "code"}
        m.attendance = att
        await record_audit(session, action="meeting.sign_in", target_type="meeting", target_id=str(m.id),
                           details={"staffId": str(a.staff.id), "status": att[str(a.staff.id)]["status"]})
        await session.commit()
    return await _view(session, a, m.month, m)


async def mark(session: AsyncSession, a: Actor, meeting_id: UUID, data: s.MarkIn) -> s.MeetingOut:
    m = await _open(session, meeting_id)
    staff = await session.get(Staff, data.staff_id)
    if staff is None or not a.scope.allows(staff):
        raise not_found("工作人员", "Staff member")
    att = dict(m.attendance or {})
    att[str(staff.id)] = {"status": data.status, "at": utcnow().isoformat(), "by": str(a.user_id)}
    m.attendance = att
    await record_audit(session, action="meeting.mark", target_type="meeting", target_id=str(m.id),
                       details={"staffId": str(staff.id), "status": data.status})
    await session.commit()
    return await _view(session, a, m.month, m)


async def close(session: AsyncSession, a: Actor, meeting_id: UUID) -> s.MeetingOut:
    """Everyone expected and not signed in is absent; late, early and absent become violation records (source
    ``meeting``, one per person, a stable ref), in one transaction with the close."""
    m = await _open(session, meeting_id)
    _d, _n, plan = await meeting_day(session, m.month)
    staff = (await session.scalars(select(Staff).where(Staff.status == StaffStatus.active,
                                                       Staff.window_id.is_not(None)))).all()
    att = dict(m.attendance or {})
    now = utcnow()
    for x in staff:
        att.setdefault(str(x.id), {"status": "absent", "at": now.isoformat(), "by": "close"})
    kinds = {"late": plan.meeting_late_kind, "early": plan.meeting_late_kind, "absent": plan.meeting_absent_kind}
    hooks_ok = True
    try:
        await assessment.rules_on(session, m.day)
    except AppError as exc:
        if exc.code != "assessment_not_enabled":
            raise
        hooks_ok = False
    recorded = 0
    for sid, row in att.items():
        kind = kinds.get(row["status"])
        if not kind or not hooks_ok or row.get("violationId"):
            continue
        rec = await assessment.record(session, a, asm.RecordIn(
            kind=kind, day=m.day, staff_id=UUID(sid), source="meeting", source_ref=f"meeting/{m.id}",
            note={"late": "例会迟到", "early": "例会早退", "absent": "例会缺席"}[row["status"]]), commit=False)
        row = {**row, "violationId": str(rec.id)}
        att[sid] = row
        recorded += 1
    m.attendance, m.status = att, "closed"
    await record_audit(session, action="meeting.close", target_type="meeting", target_id=str(m.id),
                       details={"violations": recorded})
    await session.commit()
    log.info("meeting_closed", violations=recorded)
    return await _view(session, a, m.month, m)

"""补卡 (missed-punch) requests and their decision, approved-leave records, off-post records, the terminals page.

A decision is a single guarded transition (``UPDATE ... WHERE status = 'pending'``): two approvers clicking at
once produce exactly one decision. An approval writes the punch (device key ``missed_punch``), marks the month
for re-evaluation and records an audit event, all in one transaction.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from uuid import UUID

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.audit import record_audit
from govhall.clock import utcnow, zone
from govhall.db.locks import lock_name
from govhall.domain.attendance import schemas as s
from govhall.domain.attendance.ingest import RawPunch, mark_months_dirty, store_punches, tenant_timezone
from govhall.domain.attendance.inputs import StaffRow
from govhall.domain.attendance.models import (
    MISSED_PUNCH_DEVICE,
    DeviceSync,
    LeaveRecord,
    MissedPunchRequest,
    OffPostRecord,
    PunchInbox,
    PunchSource,
    RequestStatus,
)
from govhall.domain.attendance.services import Viewer, my_staff, no_staff_record, staff_by_id, tenant
from govhall.domain.attendance.settings import rules_for
from govhall.domain.devices.models import Device
from govhall.domain.org.models import Staff
from govhall.errors import AppError, field_error, not_found


def _bad(code: str, field: str, zh: str, en: str, status: int = 400) -> AppError:
    return AppError(code, zh, en, status=status, fields=[field_error(field, zh, en)])


async def request_missed_punch(session: AsyncSession, user_id: UUID, data: s.MissedPunchIn) -> s.MissedPunchView:
    tid = tenant()
    staff = await my_staff(session, user_id)
    if staff is None:
        raise no_staff_record()
    tz = await tenant_timezone(session, tid)
    now = utcnow()
    local_now = now.astimezone(zone(tz)).replace(tzinfo=None)
    at = datetime.combine(data.work_date, time.fromisoformat(data.time))
    rules = await rules_for(session, tid, data.work_date)
    if at > local_now:
        raise _bad("in_future", "time", "补卡时间不能晚于现在", "The punch time cannot be in the future")
    if at < local_now - timedelta(days=rules.backdate_days):
        raise _bad("too_old", "workDate", f"只能补 {rules.backdate_days} 天内的卡",
                   f"Only punches of the last {rules.backdate_days} days can be requested")
    month_start = data.work_date.replace(day=1)
    month_end = (month_start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    # One request per person and month at a time: twelve at once must not all pass the cap check below.
    await lock_name(session, f"missed_punch:{tid}:{staff.id}:{month_start:%Y-%m}")
    mine = (await session.execute(select(MissedPunchRequest.punch_at, MissedPunchRequest.status).where(
        MissedPunchRequest.staff_id == staff.id, MissedPunchRequest.work_date >= month_start,
        MissedPunchRequest.work_date <= month_end))).all()
    live = [(p, st) for p, st in mine if st in (RequestStatus.pending, RequestStatus.approved)]
    at_utc = at.replace(tzinfo=zone(tz))
    if any(p == at_utc for p, _ in live):
        raise _bad("duplicate_request", "time", "该时间已申请过补卡", "A request for this time already exists", 409)
    cap = rules.missed_punch_requests_per_month
    if len(live) >= cap:
        raise AppError("missed_punch_cap", f"本月补卡次数已达上限（{cap} 次）",
                       f"You have used this month's {cap} missed-punch requests", status=409)
    req = MissedPunchRequest(staff_id=staff.id, work_date=data.work_date, punch_at=at_utc,
                             reason=data.reason.strip(), requested_by=user_id)
    session.add(req)
    await session.flush()
    await record_audit(session, action="missed_punch.request", target_type="missed_punch", target_id=str(req.id),
                       details={"staffId": str(staff.id), "workDate": data.work_date.isoformat(), "time": data.time})
    await session.commit()
    return _view(req, staff.name, tz)


def _view(r: MissedPunchRequest, name: str, tz: str) -> s.MissedPunchView:
    return s.MissedPunchView(id=r.id, staff_id=r.staff_id, staff_name=name, work_date=r.work_date,
                             time=r.punch_at.astimezone(zone(tz)).strftime("%H:%M"), reason=r.reason,
                             status=r.status.value, created_at=r.created_at, decided_at=r.decided_at,
                             decision_note=r.decision_note)


async def list_missed_punches(session: AsyncSession, v: Viewer, *, status: str | None, mine: bool
                              ) -> list[s.MissedPunchView]:
    tid = tenant()
    tz = await tenant_timezone(session, tid)
    stmt = select(MissedPunchRequest, Staff.name, Staff.department_id).join(
        Staff, Staff.id == MissedPunchRequest.staff_id).order_by(MissedPunchRequest.created_at.desc()).limit(500)
    if status:
        try:
            stmt = stmt.where(MissedPunchRequest.status == RequestStatus(status))
        except ValueError:
            raise _bad("invalid_status", "status", "状态不正确", "Unknown status") from None
    if mine:
        if v.staff is None:
            raise no_staff_record()
        stmt = stmt.where(MissedPunchRequest.staff_id == v.staff.id)
    out = []
    for req, name, dept in (await session.execute(stmt)):
        if mine or v.may_see(StaffRow(req.staff_id, "", name, dept, None)):
            out.append(_view(req, name, tz))
    return out


async def decide_missed_punch(session: AsyncSession, v: Viewer, request_id: UUID, data: s.MissedPunchDecision
                              ) -> s.MissedPunchView:
    tid = tenant()
    req = await session.scalar(select(MissedPunchRequest).where(MissedPunchRequest.id == request_id))
    staff = await staff_by_id(session, req.staff_id) if req else None
    if req is None or staff is None or not v.may_see(staff):
        raise not_found("补卡申请", "Missed-punch request")
    if v.staff is not None and v.staff.id == staff.id:
        raise AppError("own_request", "不能审批自己的补卡申请", "You cannot decide your own request", status=403)
    now = utcnow()
    new = RequestStatus.approved if data.approve else RequestStatus.rejected
    done = await session.execute(
        update(MissedPunchRequest).where(MissedPunchRequest.id == request_id,
                                         MissedPunchRequest.status == RequestStatus.pending)
        .values(status=new, decided_by=v.user_id, decided_at=now, decision_note=(data.note or None), updated_at=now)
        .execution_options(synchronize_session=False))
    if done.rowcount != 1:  # type: ignore[attr-defined]  # an UPDATE answers a CursorResult (rowcount)
        raise AppError("already_decided", "该申请已处理", "This request has already been decided", status=409)
    tz = await tenant_timezone(session, tid)
    if new is RequestStatus.approved:
        local = req.punch_at.astimezone(zone(tz)).replace(tzinfo=None)
        rules = await rules_for(session, tid, local.date())
        # An approved 补卡 counts as a punch, whatever the back-dating window says (the request was in time).
        rules = replace(rules, backdate_days=3660)
        await store_punches(session, source=PunchSource.missed_punch, device_key=MISSED_PUNCH_DEVICE,
                            punches=[RawPunch(0, staff.employee_no, local)], tz=tz, now=now, rules=rules,
                            commit=False)
        await mark_months_dirty(session, tid, [req.work_date], now)
    await record_audit(session, action="missed_punch.approve" if data.approve else "missed_punch.reject",
                       target_type="missed_punch", target_id=str(req.id),
                       details={"staffId": str(staff.id), "workDate": req.work_date.isoformat(),
                                "time": req.punch_at.astimezone(zone(tz)).strftime("%H:%M"),
                                "decision": new.value, "note": data.note}, actor_id=v.user_id)
    await session.commit()
    await session.refresh(req)
    return _view(req, staff.name, tz)


# ---- approved leave (written by the leave workflow, domain/leave) -------------------------------------------


async def _dirty_range(session: AsyncSession, tid: UUID, a: datetime, b: datetime, tz: str, now: datetime) -> None:
    d0, d1 = a.astimezone(zone(tz)).date(), b.astimezone(zone(tz)).date()
    months, d = [], d0.replace(day=1)
    while d <= d1:
        months.append(d)
        d = (d + timedelta(days=32)).replace(day=1)
    await mark_months_dirty(session, tid, months, now)


async def list_leaves(session: AsyncSession, v: Viewer, start: date, end: date) -> list[s.LeaveView]:
    tid = tenant()
    tz = await tenant_timezone(session, tid)
    lo = datetime.combine(start, time.min, zone(tz))
    hi = datetime.combine(end + timedelta(days=1), time.min, zone(tz))
    rows = (await session.execute(select(LeaveRecord, Staff.department_id).join(Staff, Staff.id == LeaveRecord.staff_id)
                                  .where(LeaveRecord.starts_at < hi, LeaveRecord.ends_at > lo)
                                  .order_by(LeaveRecord.starts_at))).all()
    return [s.LeaveView(id=r.id, staff_id=r.staff_id, starts_at=r.starts_at, ends_at=r.ends_at, kind=r.kind,
                        note=r.note)
            for r, dept in rows if v.may_see(StaffRow(r.staff_id, "", "", dept, None))]


async def record_off_post(session: AsyncSession, v: Viewer, staff_id: UUID, work_date: date, minutes: int,
                          note: str | None) -> None:
    tid = tenant()
    staff = await staff_by_id(session, staff_id)
    if staff is None or not v.may_see(staff):
        raise _bad("invalid_reference", "staffId", "所选工作人员不存在", "Unknown staff member")
    rec = OffPostRecord(staff_id=staff.id, work_date=work_date, minutes=minutes, note=note, recorded_by=v.user_id)
    session.add(rec)
    await session.flush()
    await mark_months_dirty(session, tid, [work_date], utcnow())
    await record_audit(session, action="attendance_off_post.create", target_type="attendance_off_post",
                       target_id=str(rec.id), details={"staffId": str(staff.id), "workDate": work_date.isoformat(),
                                                       "minutes": minutes}, actor_id=v.user_id)
    await session.commit()


# ---- the terminals page -------------------------------------------------------------------------------------


async def terminals(session: AsyncSession) -> list[s.TerminalView]:
    devices = (await session.scalars(select(Device).order_by(Device.created_at))).all()
    syncs = {x.device_key: x for x in (await session.scalars(select(DeviceSync))).all()}
    since = utcnow() - timedelta(days=7)
    rejected = dict((await session.execute(
        select(PunchInbox.device_key, func.sum(PunchInbox.rejected)).where(PunchInbox.created_at >= since)
        .group_by(PunchInbox.device_key))).all())
    out = []
    for d in devices:
        sync = syncs.get(d.serial_number)
        backlog = None
        if sync is not None and sync.device_record_count is not None:
            backlog = max(0, sync.device_record_count - sync.received_count)
        elif sync is not None and sync.pending_count is not None:
            backlog = sync.pending_count
        out.append(s.TerminalView(
            device_id=d.id, serial_number=d.serial_number, name=d.name, revoked=d.revoked_at is not None,
            last_contact_at=sync.last_contact_at if sync else d.last_seen_at,
            last_upload_at=sync.last_upload_at if sync else None, last_punch_at=sync.last_punch_at if sync else None,
            synced_until=sync.synced_until if sync else None, received_count=sync.received_count if sync else 0,
            device_record_count=sync.device_record_count if sync else None,
            pending_count=sync.pending_count if sync else None, backlog=backlog,
            rejected_lines_7d=int(rejected.get(d.serial_number) or 0), last_error=sync.last_error if sync else None,
        ))
    return out

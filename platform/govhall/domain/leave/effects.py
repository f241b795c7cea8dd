"""What leave does to attendance: the approved request becomes the ``attendance_leave`` record (the only way one
is written), closure (销假) shortens it, and the rules' outcomes — sick without a note -> personal, unclosed past
the deadline -> a day of absence, no cover on post -> off post — run in one batch per tenant
(``govhall_leave_outcomes``) from the nightly job, ``govhall leave outcomes`` and on read of the leave pages.
Attendance reads absence and off-post outcomes through ``register_effect_loader`` (it never imports this module).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.audit import record_audit
from govhall.clock import utcnow
from govhall.domain.attendance.ingest import tenant_timezone
from govhall.domain.attendance.inputs import LeaveEffects, register_effect_loader
from govhall.domain.attendance.models import LeaveRecord, Punch
from govhall.domain.leave import schemas as s
from govhall.domain.leave.common import (
    Actor,
    bad,
    check_files,
    dirty,
    hooks_on,
    local_dt,
    now_local,
    settings_of,
    settle,
    to_pack,
)
from govhall.domain.leave.days import half_index, leave_span, noon
from govhall.domain.leave.models import LeaveOutcomeRow, LeaveRequest, LeaveStatus
from govhall.errors import AppError
from govhall.log import get_logger
from govhall.packs.calendar import add_working_days, work_calendar
from govhall.tenancy.context import current_tenant_id

log = get_logger(__name__)

EFFECT_STATUSES = (LeaveStatus.approved, LeaveStatus.closed, LeaveStatus.unclosed)


async def _write_record(session: AsyncSession, req: LeaveRequest, end: date, end_half: str) -> None:
    tz = await tenant_timezone(session, req.tenant_id)
    span = await leave_span(session, req.tenant_id, req.start_date, req.start_half, end, end_half)
    rec = None
    if req.attendance_leave_id is not None:
        rec = await session.scalar(select(LeaveRecord).where(LeaveRecord.id == req.attendance_leave_id))
    if rec is None:
        rec = LeaveRecord(staff_id=req.staff_id, source_ref=str(req.id))
        session.add(rec)
    rec.starts_at = local_dt(span.starts_at, tz)
    rec.ends_at = local_dt(span.ends_at, tz)
    rec.kind = req.leave_type
    rec.note = req.reason[:500]
    await session.flush()
    req.attendance_leave_id = rec.id


async def approve_effect(session: AsyncSession, req: LeaveRequest) -> None:
    """The approved request becomes attendance's leave record; its months are re-evaluated; the closure deadline
    is set in working days after its end when the rules require closure."""
    req = (await session.scalars(select(LeaveRequest).where(LeaveRequest.id == req.id)
                                 .execution_options(populate_existing=True))).one()
    assert req is not None
    await _write_record(session, req, req.end_date, req.end_half)
    settings = settings_of(await hooks_on(session, req.start_date))
    if settings.closure_required:
        await settle(session)
        req.closure_due = await add_working_days(session, req.tenant_id, req.end_date,
                                                 settings.closure_deadline_workdays)
    await session.flush()
    await dirty(session, req.start_date, req.end_date)


async def close(session: AsyncSession, a: Actor, request_id: UUID, data: s.ClosureIn, *,
                may_record: bool) -> LeaveRequest:
    """销假: the holder (channel ``app``) or someone who may record it (``in_person`` / ``phone``) reports the person
    back, possibly early (the leave shortens). A missing sick note may be handed in here."""
    from govhall.domain.leave.services import get_request

    req = await get_request(session, request_id, lock=True)
    if not a.owns(req) and not may_record:
        raise AppError("not_found", "请假申请不存在或无权访问", "Leave request not found", status=404)
    if req.status not in (LeaveStatus.approved, LeaveStatus.unclosed):
        raise AppError("not_closable", "只有已批准的请假可以销假", "Only an approved leave can be closed", status=409)
    settings = settings_of(await hooks_on(session, req.start_date))
    if data.channel not in settings.closure_channels:
        raise bad("channel_not_allowed", "channel", "本中心不接受这种销假方式",
                  f"This center does not accept closure by {data.channel}")
    if data.channel == "app" and not a.owns(req):
        raise bad("channel_not_allowed", "channel", "代为登记销假请选择“当面”或“电话”",
                  "Recording someone else's closure: choose in person or phone")
    if data.channel != "app" and not may_record:
        raise bad("channel_not_allowed", "channel", "当面或电话销假由审批人或中心登记",
                  "In-person and phone closures are recorded by an approver or the center")
    local = await now_local(session)
    today = local.date()
    if today < req.start_date:
        raise AppError("not_started", "请假尚未开始；如不再需要请取消", "The leave has not begun; cancel it instead",
                       status=409)
    end, end_half = req.end_date, req.end_half
    if data.actual_end is not None:
        half = data.actual_end_half or "pm"
        if half_index(data.actual_end, half) > half_index(req.end_date, req.end_half):
            raise bad("after_planned_end", "actualEnd", "实际结束不能晚于批准的结束时间；需延长请重新请假",
                      "The actual end cannot be after the approved end; ask for more leave instead")
        if half_index(data.actual_end, half) < half_index(req.start_date, req.start_half):
            raise bad("end_before_start", "actualEnd", "实际结束早于请假开始", "The actual end is before the start")
        end, end_half = data.actual_end, half
    if data.sick_note_file_id is not None:
        await check_files(session, [data.sick_note_file_id], "sickNoteFileId")
        req.sick_note_file_id = data.sick_note_file_id
    shortened = (end, end_half) != (req.end_date, req.end_half)
    if shortened:
        span = await leave_span(session, req.tenant_id, req.start_date, req.start_half, end, end_half)
        old_end = req.end_date
        req.half_days = span.half_days
        req.actual_end_date, req.actual_end_half = end, end_half
        await _write_record(session, req, end, end_half)
        await dirty(session, req.start_date, old_end)
    now = utcnow()
    req.status = LeaveStatus.closed
    req.closed_at, req.closed_on, req.closed_by = now, today, a.user_id
    req.closure_channel, req.closure_note = data.channel, data.note
    await session.flush()
    await record_audit(session, action="leave.close", target_type="leave_request", target_id=str(req.id),
                       details={"channel": data.channel, "actualEnd": f"{end} {end_half}", "shortened": shortened,
                                "sickNote": req.sick_note_file_id is not None,
                                "late": bool(req.closure_due and today > req.closure_due)})
    await run_outcomes(session, today, request_ids=[req.id], commit=False)
    await session.commit()
    return await get_request(session, request_id)


# ---- outcomes -----------------------------------------------------------------------------------------------


async def _uncovered(session: AsyncSession, reqs: list[LeaveRequest], today: date) -> dict[UUID, tuple[date, ...]]:
    """Working days before today on which a leave had no cover: no substitute at all, or a staff substitute without
    a punch that day (the rules say which of these count)."""
    out: dict[UUID, tuple[date, ...]] = {}
    if not reqs:
        return out
    await settle(session)
    lo = min(r.start_date for r in reqs)
    hi = min(max((r.actual_end_date or r.end_date) for r in reqs), today - timedelta(days=1))
    if hi < lo:
        return out
    cal = await work_calendar(session, current_tenant_id(), lo, hi)  # type: ignore[arg-type]  # a tenant route: the guard set the scope, so the id is not None
    subs = {r.substitute_staff_id for r in reqs if r.substitute_staff_id}
    punched: set[tuple[UUID | None, date]] = set()
    if subs:
        punched = {(sid, d) for sid, d in (await session.execute(
            select(Punch.staff_id, Punch.work_date).where(Punch.staff_id.in_(subs), Punch.work_date >= lo,
                                                          Punch.work_date <= hi).distinct())).all()}
    for r in reqs:
        if r.external_substitute is not None:
            continue  # the home unit's person: checked in person by the center, not by punches
        days = []
        d = r.start_date
        end = min(r.actual_end_date or r.end_date, hi)
        while d <= end:
            if cal[d].workday and (r.substitute_staff_id is None or (r.substitute_staff_id, d) not in punched):
                days.append(d)
            d += timedelta(days=1)
        if days:
            out[r.id] = tuple(days)
    return out


async def run_outcomes(session: AsyncSession, today: date, *, request_ids: list[UUID] | None = None,
                       commit: bool = True) -> tuple[int, int]:
    """One ``govhall_leave_outcomes`` call for the tenant's due requests; applies each new outcome once (unique
    per request, kind and day), audited, and marks the months concerned. Returns (requests asked, applied)."""
    stmt = select(LeaveRequest).where(LeaveRequest.status.in_(EFFECT_STATUSES), LeaveRequest.start_date <= today)
    if request_ids is not None:
        stmt = stmt.where(LeaveRequest.id.in_(request_ids))
    else:
        stmt = stmt.where(func.coalesce(LeaveRequest.closure_due, LeaveRequest.end_date) >= today - timedelta(days=62))
    reqs = list((await session.scalars(stmt.execution_options(populate_existing=True))).all())
    if not reqs:
        return 0, 0
    try:
        hooks = await hooks_on(session, today)
    except AppError:
        return len(reqs), 0
    uncovered = await _uncovered(session, reqs, today)
    outcomes = hooks.call("govhall_leave_outcomes",
                          requests=[to_pack(r, uncovered=uncovered.get(r.id, ())) for r in reqs], today=today)
    if not outcomes:
        return len(reqs), 0
    by_id = {str(r.id): r for r in reqs}
    done = {(o.request_id, o.kind, o.on_date) for o in (await session.scalars(select(LeaveOutcomeRow).where(
        LeaveOutcomeRow.request_id.in_([r.id for r in reqs])))).all()}
    applied = 0
    for o in outcomes:
        req = by_id.get(o.request_id)
        if req is None:
            continue
        on = o.on or req.start_date
        if (req.id, o.kind, on) in done:
            continue
        minutes = 0
        if o.kind == "convert_type" and o.leave_type:
            req.original_type = req.original_type or req.leave_type
            req.leave_type = o.leave_type
            rec = await session.scalar(select(LeaveRecord).where(LeaveRecord.id == req.attendance_leave_id))
            if rec is not None:
                rec.kind = o.leave_type
            await dirty(session, req.start_date, req.actual_end_date or req.end_date)
        elif o.kind == "absence":
            if req.status is LeaveStatus.approved:
                req.status = LeaveStatus.unclosed
            await dirty(session, on, on)
        elif o.kind == "off_post":
            minutes = await _leave_minutes(session, req, on)
            await dirty(session, on, on)
        else:
            continue
        session.add(LeaveOutcomeRow(request_id=req.id, staff_id=req.staff_id, kind=o.kind, on_date=on,
                                    half_days=o.half_days, minutes=minutes, leave_type=o.leave_type,
                                    clause=o.clause[:100], zh=o.zh[:300], en=o.en[:300]))
        done.add((req.id, o.kind, on))
        await session.flush()
        await record_audit(session, action=f"leave.outcome.{o.kind}", target_type="leave_request",
                           target_id=str(req.id), details={"on": on.isoformat(), "clause": o.clause,
                                                           "leaveType": o.leave_type, "halfDays": o.half_days,
                                                           "minutes": minutes})
        applied += 1
    if applied:
        log.info("leave_outcomes_applied", requests=len(reqs), applied=applied)
    if commit:
        await session.commit()
    return len(reqs), applied


async def _leave_minutes(session: AsyncSession, req: LeaveRequest, on: date) -> int:
    """The working minutes of the leave on ``on``: its sessions, only the morning or afternoon ones on a half day."""
    await settle(session)
    day = (await work_calendar(session, req.tenant_id, on, on))[on]
    cut = noon(day)
    am_only = on == (req.actual_end_date or req.end_date) and (req.actual_end_half or req.end_half) == "am"
    pm_only = on == req.start_date and req.start_half == "pm"
    total = 0
    for x in day.sessions:
        if (am_only and x.start >= cut) or (pm_only and x.start < cut):
            continue
        total += (x.end.hour * 60 + x.end.minute) - (x.start.hour * 60 + x.start.minute)
    return total


async def outcomes_for(session: AsyncSession, request_ids: list[UUID]) -> dict[UUID, list[s.Outcome]]:
    out: dict[UUID, list[s.Outcome]] = defaultdict(list)
    if not request_ids:
        return out
    for o in (await session.scalars(select(LeaveOutcomeRow).where(LeaveOutcomeRow.request_id.in_(request_ids))
                                    .order_by(LeaveOutcomeRow.on_date))).all():
        out[o.request_id].append(s.Outcome(kind=o.kind, on=o.on_date, half_days=o.half_days,
                                           leave_type=o.leave_type, clause=o.clause, zh=o.zh, en=o.en))
    return out


async def _effects(session: AsyncSession, start: date, end: date, staff_ids: set[UUID] | None) -> LeaveEffects:
    stmt = select(LeaveOutcomeRow.staff_id, LeaveOutcomeRow.on_date, LeaveOutcomeRow.kind,
                  LeaveOutcomeRow.half_days, LeaveOutcomeRow.minutes).where(
        LeaveOutcomeRow.kind.in_(("absence", "off_post")), LeaveOutcomeRow.on_date >= start,
        LeaveOutcomeRow.on_date <= end)
    if staff_ids is not None:
        stmt = stmt.where(LeaveOutcomeRow.staff_id.in_(staff_ids))
    out: LeaveEffects = defaultdict(list)
    for sid, d, kind, half_days, minutes in (await session.execute(stmt)):
        out[(sid, d)].append((kind, half_days if kind == "absence" else minutes))
    return out


register_effect_loader(_effects)


async def run_for_tenant(session: AsyncSession, tenant_id: UUID) -> tuple[int, int]:
    """The nightly batch for one tenant (in its scope)."""
    from govhall.clock import local_today

    today = local_today(await tenant_timezone(session, tenant_id))
    return await run_outcomes(session, today)

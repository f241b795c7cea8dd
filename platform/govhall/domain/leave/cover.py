"""Cover (顶岗 / AB岗): the named colleague confirms or declines in the app; after a decline the holder names
another colleague, or the chief representative or the center registers someone the home unit sent (备案,
000 篇六 七.三)2). Where the rules refuse leave without cover (``cover_rule = block``: 004 考勤 四
"及时确定顶岗人员，方可准假"; 000 篇七 十一(一)4 AB cover of single-staff windows) the last approval waits until the cover
is confirmed or registered. The duty board shows who covers whom today and whether they have punched in (000 篇六
七.三)1 "窗口顶岗人员到岗后，请假的工作人员才能离开工作岗位")."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import msgspec
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.audit import record_audit
from govhall.clock import utcnow
from govhall.domain.attendance.inputs import Cover, register_cover_loader
from govhall.domain.attendance.models import Punch
from govhall.domain.leave import schemas as s
from govhall.domain.leave.common import Actor, bad, hooks_on, now_local, settings_of
from govhall.domain.leave.models import LeaveRequest, LeaveStatus
from govhall.domain.org.models import Staff
from govhall.errors import AppError, not_found
from govhall.log import get_logger

log = get_logger(__name__)

COVERED = ("confirmed", "registered")
OPEN = (LeaveStatus.pending, LeaveStatus.approved)


def waits_for_cover(req: LeaveRequest) -> bool:
    """The rules refuse this leave without cover and the cover is not confirmed (or registered) yet."""
    return req.cover_rule == "block" and req.substitute_status not in COVERED


def may_answer(a: Actor, req: LeaveRequest) -> bool:
    return (req.status in OPEN and req.substitute_status == "pending" and req.substitute_staff_id is not None
            and a.staff is not None and a.staff.id == req.substitute_staff_id)


def may_name(a: Actor, req: LeaveRequest, holder: Staff, today: date) -> bool:
    if req.status not in OPEN or today > (req.actual_end_date or req.end_date):
        return False
    if a.is_admin or _registers(a, req, holder):
        return req.substitute_status != "registered" or req.external_substitute is None
    return a.owns(req) and req.substitute_status in ("none", "declined")


def _registers(a: Actor, req: LeaveRequest, holder: Staff) -> bool:
    """The chief representative registers cover for the department's requests, not for their own."""
    return _chief_of(a, holder) and not a.owns(req)


def _chief_of(a: Actor, holder: Staff) -> bool:
    return a.is_chief and a.staff is not None and a.staff.department_id is not None and (
        a.staff.department_id == holder.department_id)


async def to_answer(session: AsyncSession, a: Actor) -> int:
    if a.staff is None:
        return 0
    return await session.scalar(select(func.count()).select_from(LeaveRequest).where(
        LeaveRequest.substitute_staff_id == a.staff.id, LeaveRequest.substitute_status == "pending",
        LeaveRequest.status.in_(OPEN))) or 0


async def _load(session: AsyncSession, request_id: UUID) -> tuple[LeaveRequest, Staff]:
    from govhall.domain.leave.services import get_request

    req = await get_request(session, request_id, lock=True)
    holder = await session.scalar(select(Staff).where(Staff.id == req.staff_id))
    if holder is None:  # pragma: no cover - the FK cascades
        raise not_found("请假申请", "Leave request")
    return req, holder


async def answer(session: AsyncSession, a: Actor, request_id: UUID, data: s.SubstituteAnswerIn) -> None:
    """The named colleague confirms (顶岗确认) or declines; once, while the request is open."""
    req, _ = await _load(session, request_id)
    if a.staff is None or req.substitute_staff_id != a.staff.id:
        raise not_found("请假申请", "Leave request")
    if not may_answer(a, req):
        raise AppError("substitute_answered", "您已答复过这次顶岗，或该请假已结束",
                       "You have answered already, or the request is no longer open", status=409)
    req.substitute_status = "confirmed" if data.confirm else "declined"
    req.substitute_answered_at, req.substitute_answered_by = utcnow(), a.user_id
    req.substitute_note = data.note
    await session.flush()
    await record_audit(session, action="leave.substitute.confirm" if data.confirm else "leave.substitute.decline",
                       target_type="leave_request", target_id=str(req.id),
                       details={"substituteStaffId": str(req.substitute_staff_id), "note": data.note})
    await session.commit()
    log.info("leave_substitute_answered", request_id=str(req.id), confirm=data.confirm)


async def name(session: AsyncSession, a: Actor, request_id: UUID, data: s.SubstituteIn) -> None:
    """Name the cover again: the holder a colleague (who answers in the app); the chief representative of the
    holder's department or the center a colleague, or someone the home unit sent (registered at once)."""
    from govhall.domain.leave.services import check_substitute

    req, holder = await _load(session, request_id)
    today = (await now_local(session)).date()
    if not (a.owns(req) or a.is_admin or _chief_of(a, holder)):
        raise not_found("请假申请", "Leave request")
    if (data.substitute_staff_id is None) == (data.external_substitute is None):
        raise bad("substitute_required", "substituteStaffId", "请选择一位顶岗人员：本中心人员或原单位派驻人员",
                  "Name one substitute: a staff member or someone the home unit sends")
    if not may_name(a, req, holder, today):
        raise AppError("substitute_locked", "当前不能更换顶岗人员（顶岗人员尚未答复，或请假已结束）",
                       "The cover cannot be changed now (the substitute has not answered, or the leave is over)",
                       status=409)
    probe = s.LeaveIn(leave_type=req.leave_type, start=req.start_date, end=req.actual_end_date or req.end_date,
                      reason=req.reason, start_half=req.start_half,  # type: ignore[arg-type]  # DB columns are str; LeaveIn narrows them to its Literals (same values)
                      end_half=req.actual_end_half or req.end_half,  # type: ignore[arg-type]  # DB columns are str; LeaveIn narrows them to its Literals (same values)
                      substitute_staff_id=data.substitute_staff_id, external_substitute=data.external_substitute)
    await check_substitute(session, holder, probe)
    registers = data.external_substitute is not None and (a.is_admin or _registers(a, req, holder))
    req.substitute_staff_id = data.substitute_staff_id
    req.external_substitute = msgspec.to_builtins(data.external_substitute) if data.external_substitute else None
    req.substitute_status = "registered" if registers else "pending"
    req.substitute_answered_at = utcnow() if registers else None
    req.substitute_answered_by = a.user_id if registers else None
    req.substitute_note = data.note
    await session.flush()
    await record_audit(session, action="leave.substitute.register" if registers else "leave.substitute.name",
                       target_type="leave_request", target_id=str(req.id),
                       details={"substituteStaffId": str(data.substitute_staff_id) if data.substitute_staff_id
                                else None, "external": msgspec.to_builtins(data.external_substitute)
                                if data.external_substitute else None, "note": data.note})
    await session.commit()


async def _covers(session: AsyncSession, day: date, staff_ids: set[UUID]) -> dict[UUID, Cover]:
    """Who covers the people on leave on ``day``, for the board (a colleague's punch that day tells 顶岗 ✓/✗)."""
    if not staff_ids:
        return {}
    reqs = list((await session.scalars(select(LeaveRequest).where(
        LeaveRequest.staff_id.in_(staff_ids), LeaveRequest.status.in_(
            (LeaveStatus.approved, LeaveStatus.closed, LeaveStatus.unclosed)),
        LeaveRequest.start_date <= day, LeaveRequest.end_date >= day).order_by(LeaveRequest.start_date))).all())
    reqs = [r for r in reqs if r.substitute_staff_id or r.external_substitute]
    if not reqs:
        return {}
    subs = {r.substitute_staff_id for r in reqs if r.substitute_staff_id}
    names: dict[UUID, str] = {}
    punched: set[UUID] = set()
    if subs:
        names = {i: n for i, n in (await session.execute(select(Staff.id, Staff.name).where(Staff.id.in_(subs))))}
        punched = set(await session.scalars(select(Punch.staff_id).where(Punch.staff_id.in_(subs),
                                                                          Punch.work_date == day).distinct()))
    try:
        first = bool(settings_of(await hooks_on(session, day)).substitute_on_post_first)
    except AppError:
        first = False
    out: dict[UUID, Cover] = {}
    for r in reqs:
        if r.staff_id in out:
            continue
        if r.substitute_staff_id:
            out[r.staff_id] = Cover(name=names.get(r.substitute_staff_id, ""), external=False,
                                    on_post=r.substitute_staff_id in punched, on_post_first=first,
                                    status=r.substitute_status)
        else:
            ext = r.external_substitute or {}
            out[r.staff_id] = Cover(name=f"{ext.get('name', '')}（{ext.get('unit', '')}）", external=True,
                                    on_post=None, on_post_first=first, status=r.substitute_status)
    return out


register_cover_loader(_covers)

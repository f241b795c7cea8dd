"""Asking for leave: the live check (quota meter, chain preview with names, problems), the authoritative check on
submit, withdrawing and cancelling. Decisions are in ``approvals``, closure and outcomes in ``effects``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

import msgspec
from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.audit import record_audit
from govhall.clock import utcnow
from govhall.domain.leave import schemas as s
from govhall.domain.leave.approvals import deciders, names_of
from govhall.domain.leave.common import (
    Actor,
    bad,
    check_files,
    dirty,
    fingerprint,
    hooks_on,
    now_local,
    quota_role,
    roles_of_staff,
    settings_of,
)
from govhall.domain.leave.days import Span, half_now, leave_span, overlaps
from govhall.domain.leave.models import LIVE, Decision, LeaveApprovalStep, LeaveRequest, LeaveStatus
from govhall.domain.org.models import BackupPair, Staff, StaffStatus
from govhall.errors import AppError, field_error, not_found
from govhall.log import get_logger
from govhall.packs.types import LeaveRequest as PackLeave

log = get_logger(__name__)

FIELD = {"start": "start", "end": "end", "startHalf": "startHalf", "days": "end", "has_sick_note": "sickNoteFileId",
         "substitute_staff_id": "substituteStaffId", "leave_type": "leaveType"}
STATUS_VALUES = {"pending", "approved", "closed", "unclosed"}


@dataclass
class Prepared:
    staff: Staff
    role: str
    span: Span
    today: date
    asked_half: str
    single_staff_window: bool
    problems: list[s.Problem]
    chain: list[s.Step]
    quota: s.Quota | None
    substitute_required: bool
    suggestion: tuple[UUID, str] | None
    fingerprint: str
    settings: Any
    steps_raw: tuple = field(default_factory=tuple)


async def _subject(session: AsyncSession, a: Actor, data: s.LeaveIn) -> tuple[Staff, str]:
    """Whose leave it is: the caller's own, or (center admins recording a paper leave) a staff member's."""
    if data.staff_id is not None and (a.staff is None or data.staff_id != a.staff.id):
        if not a.is_admin:
            raise AppError("forbidden", "只能为自己请假；代为登记纸质请假单须由中心管理员办理",
                           "You can only ask for your own leave; the center admin records paper slips", status=403)
        staff = await session.scalar(select(Staff).where(Staff.id == data.staff_id))
        if staff is None:
            raise bad("invalid_reference", "staffId", "所选工作人员不存在", "Unknown staff member")
        return staff, quota_role(await roles_of_staff(session, staff.id))
    if a.staff is None:
        raise AppError("no_staff_record", "您的账号未关联本中心的工作人员档案，无法请假",
                       "Your account is not linked to a staff record of this center", status=403)
    staff = await session.scalar(select(Staff).where(Staff.id == a.staff.id))
    assert staff is not None
    return staff, quota_role(a.roles)


async def _live_of(session: AsyncSession, staff_id: UUID, start: date, end: date) -> list[LeaveRequest]:
    return list((await session.scalars(select(LeaveRequest).where(
        LeaveRequest.staff_id == staff_id, LeaveRequest.status.in_(LIVE), LeaveRequest.start_date <= end,
        func.coalesce(LeaveRequest.actual_end_date, LeaveRequest.end_date) >= start))).all())


def _overlapping(rows: list[LeaveRequest], data: s.LeaveIn) -> LeaveRequest | None:
    for r in rows:
        if overlaps(r.start_date, r.start_half, r.actual_end_date or r.end_date, r.actual_end_half or r.end_half,
                    data.start, data.start_half, data.end, data.end_half):
            return r
    return None


async def _substitute(session: AsyncSession, staff: Staff, data: s.LeaveIn) -> None:
    if data.substitute_staff_id is not None and data.external_substitute is not None:
        raise bad("two_substitutes", "substituteStaffId", "顶岗人员只能选择一位：本中心人员或派驻人员",
                  "Name one substitute: a staff member or someone the home unit sends")
    if data.substitute_staff_id is None:
        return
    if data.substitute_staff_id == staff.id:
        raise bad("substitute_self", "substituteStaffId", "顶岗人员不能是请假人本人",
                  "The substitute cannot be the person on leave")
    sub = await session.scalar(select(Staff).where(Staff.id == data.substitute_staff_id))
    if sub is None:
        raise bad("substitute_not_found", "substituteStaffId", "所选顶岗人员不是本中心的工作人员",
                  "The substitute is not a staff member of this center")
    if sub.status is not StaffStatus.active:
        raise bad("substitute_inactive", "substituteStaffId", f"{sub.name}目前不在岗，不能顶岗",
                  f"{sub.name} is not active and cannot cover")
    busy = _overlapping(await _live_of(session, sub.id, data.start, data.end), data)
    if busy is not None:
        raise bad("substitute_on_leave", "substituteStaffId",
                  f"{sub.name}在 {busy.start_date.isoformat()} 至 {busy.end_date.isoformat()} 也请了假，不能顶岗",
                  f"{sub.name} is on leave from {busy.start_date.isoformat()} to {busy.end_date.isoformat()} and "
                  f"cannot cover", status=409)


async def _single_staff_window(session: AsyncSession, staff: Staff) -> bool:
    if staff.window_id is None:
        return False
    n = await session.scalar(select(func.count()).select_from(Staff).where(
        Staff.window_id == staff.window_id, Staff.status == StaffStatus.active))
    return (n or 0) <= 1


async def _suggestion(session: AsyncSession, staff: Staff) -> tuple[UUID, str] | None:
    """The AB partner (BackupPair) of the person, to prefill the substitute."""
    pair = await session.scalar(select(BackupPair).where(
        or_(BackupPair.staff_a_id == staff.id, BackupPair.staff_b_id == staff.id)).order_by(BackupPair.created_at))
    if pair is None:
        return None
    other = pair.staff_b_id if pair.staff_a_id == staff.id else pair.staff_a_id
    name = await session.scalar(select(Staff.name).where(Staff.id == other, Staff.status == StaffStatus.active))
    return (other, name) if name else None


def _counts(settings: Any, leave_type: str) -> bool:
    for t in settings.leave_types:
        if t.leave_type == leave_type:
            return bool(t.counts_toward_quota)
    return True


async def _quota(session: AsyncSession, settings: Any, staff: Staff, role: str, data: s.LeaveIn) -> s.Quota:
    month = data.start.replace(day=1)
    nxt = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    statuses = LIVE if settings.count_pending else tuple(x for x in LIVE if x is not LeaveStatus.pending)
    rows = (await session.execute(select(LeaveRequest.leave_type, LeaveRequest.half_days).where(
        LeaveRequest.staff_id == staff.id, LeaveRequest.status.in_(statuses), LeaveRequest.start_date >= month,
        LeaveRequest.start_date < nxt))).all()
    counted = [h for t, h in rows if _counts(settings, t)]
    q = next((q for q in settings.quotas if q.role == role), None)
    return s.Quota(role=role, month=month.strftime("%Y-%m"), used_days=sum(counted) / 2, used_times=len(counted),
                   max_days=q.max_days if q else None, max_times=q.max_times if q else None,
                   counts=_counts(settings, data.leave_type))


async def prepare(session: AsyncSession, a: Actor, data: s.LeaveIn, *, lock: bool = False) -> Prepared:
    """Everything the form shows and the submit enforces. Raises 4xx for input that cannot be a request at all
    (unknown type, end before start, a day off, overlap, a bad substitute or file); returns the rules' problems."""
    staff, role = await _subject(session, a, data)
    if lock and session.get_bind().dialect.name == "postgresql":
        # one request of a person at a time: quotas and overlaps hold when two submits race
        await session.execute(select(Staff.id).where(Staff.id == staff.id).with_for_update())
    hooks = await hooks_on(session, data.start)
    settings = settings_of(hooks)
    types = {t.leave_type for t in settings.leave_types}
    if data.leave_type not in types:
        raise bad("invalid_leave_type", "leaveType", "请选择本中心规定的假别", "Choose one of the center's leave types")
    span = await leave_span(session, staff.tenant_id, data.start, data.start_half, data.end, data.end_half)
    clash = _overlapping(await _live_of(session, staff.id, data.start, data.end), data)
    if clash is not None:
        raise bad("leave_overlap", "start",
                  f"与已有的请假（{clash.start_date.isoformat()} 至 {clash.end_date.isoformat()}）时间重叠",
                  f"Overlaps an existing leave ({clash.start_date.isoformat()} to {clash.end_date.isoformat()})",
                  status=409)
    await _substitute(session, staff, data)
    await check_files(session, data.attachments, "attachments")
    await check_files(session, [data.sick_note_file_id] if data.sick_note_file_id else [], "sickNoteFileId")
    local = await now_local(session)
    today = local.date()
    asked = await half_now(session, staff.tenant_id, local)
    single = await _single_staff_window(session, staff)
    cand = PackLeave(id="new", staff_id=str(staff.id), role=role, leave_type=data.leave_type,  # type: ignore[arg-type]  # DB columns are str; the pack type narrows them to its Literals (same values)
                     start=data.start, end=data.end, days=span.half_days / 2, submitted_on=today,
                     status="draft", has_sick_note=data.sick_note_file_id is not None,
                     substitute_staff_id=str(data.substitute_staff_id) if data.substitute_staff_id else None,
                     start_half=data.start_half, end_half=data.end_half, submitted_half=asked,  # type: ignore[arg-type]  # DB columns are str; the pack type narrows them to its Literals (same values)
                     has_external_substitute=data.external_substitute is not None, single_staff_window=single)
    month = data.start.replace(day=1)
    existing_rows = (await session.scalars(select(LeaveRequest).where(
        LeaveRequest.staff_id == staff.id, LeaveRequest.status.in_(LIVE),
        LeaveRequest.start_date >= month))).all()
    existing = [PackLeave(id=str(r.id), staff_id=str(r.staff_id), role=r.role, leave_type=r.leave_type,  # type: ignore[arg-type]  # DB columns are str; the pack type narrows them to its Literals (same values)
                          start=r.start_date, end=r.end_date, days=r.half_days / 2, submitted_on=r.submitted_on,
                          status=r.status.value if r.status.value in STATUS_VALUES else "approved")  # type: ignore[arg-type]  # DB columns are str; the pack type narrows them to its Literals (same values)
                for r in existing_rows]
    problems = [s.Problem(code=p.code, field=FIELD.get(p.field or "", p.field), zh=p.zh, en=p.en,
                          severity=p.severity)
                for p in hooks.call("govhall_check_leave", candidates=[cand], existing=existing, today=today)]
    chains = hooks.hook.govhall_leave_approval_chain(rules=hooks.rules, requests=[cand]) or {}
    raw = tuple(chains.get("new", ()))
    chain = []
    for st in raw:
        people = [] if st.outside else await names_of(session, await deciders(session, st.approver, staff,
                                                                               exclude_staff=staff.id))
        chain.append(s.Step(id=None, seq=st.seq, approver=st.approver, name_zh=st.name_zh, name_en=st.name_en,
                            mode=st.mode, outside=st.outside, approvers=people))
        if not st.outside and not people:
            problems.append(s.Problem(
                code="no_approver", field=None, severity="warning",
                zh=f"本中心尚未指定“{st.name_zh}”的审批人，请联系中心管理员在请假设置中指定",
                en=f"Nobody is assigned as {st.name_en} yet; ask the center admin to assign one in the leave "
                   f"settings"))
    sub_needed = any(p.code in ("substitute_required", "substitute_missing") for p in problems) or (
        data.substitute_staff_id is not None or data.external_substitute is not None)
    return Prepared(staff, role, span, today, asked, single, problems, chain,
                    await _quota(session, settings, staff, role, data), sub_needed,
                    await _suggestion(session, staff), fingerprint(hooks), settings, raw)


async def check(session: AsyncSession, a: Actor, data: s.LeaveIn) -> s.CheckResult:
    try:
        p = await prepare(session, a, data)
    except AppError as exc:
        if exc.status_code == 403 or exc.code in ("pack_not_enabled", "calendar_year_missing"):
            raise
        # the live check answers with the problem instead of failing, so the form can show it under the field
        field_name = exc.fields[0]["field"] if exc.fields else None
        return s.CheckResult(ok=False, days=0, half_days=0, chain=[], quota=None, substitute_required=False,
                             suggested_substitute_id=None, suggested_substitute_name=None,
                             problems=[s.Problem(code=exc.code, field=field_name, zh=exc.zh, en=exc.en,
                                                 severity="error")])
    return s.CheckResult(ok=not any(x.severity == "error" for x in p.problems), days=p.span.half_days / 2,
                         half_days=p.span.half_days, problems=p.problems, chain=p.chain, quota=p.quota,
                         substitute_required=p.substitute_required,
                         suggested_substitute_id=p.suggestion[0] if p.suggestion else None,
                         suggested_substitute_name=p.suggestion[1] if p.suggestion else None)


async def submit(session: AsyncSession, a: Actor, data: s.LeaveIn) -> LeaveRequest:
    """The authoritative check, then the request and its chain in one transaction (audited)."""
    p = await prepare(session, a, data, lock=True)
    errors = [x for x in p.problems if x.severity == "error"]
    if errors:
        raise AppError("leave_rules", "；".join(x.zh for x in errors), "; ".join(x.en for x in errors), status=400,
                       fields=[field_error(x.field or "start", x.zh, x.en) for x in errors],
                       details={"codes": [x.code for x in errors]})
    if not p.steps_raw:
        raise AppError("no_chain", "请销假规则未给出审批流程", "The leave rules give no approval chain", status=409)
    now = utcnow()
    paper = data.staff_id is not None and (a.staff is None or data.staff_id != a.staff.id)
    req = LeaveRequest(
        staff_id=p.staff.id, requested_by=a.user_id, role=p.role, leave_type=data.leave_type,
        start_date=data.start, start_half=data.start_half, end_date=data.end, end_half=data.end_half,
        half_days=p.span.half_days, reason=data.reason.strip(), substitute_staff_id=data.substitute_staff_id,
        external_substitute=msgspec.to_builtins(data.external_substitute) if data.external_substitute else None,
        attachments=[str(x) for x in data.attachments], sick_note_file_id=data.sick_note_file_id,
        status=LeaveStatus.pending, submitted_at=now, submitted_on=p.today, submitted_half=p.asked_half,
        rules_fingerprint=p.fingerprint, warnings=[msgspec.to_builtins(x) for x in p.problems],
        recorded_paper=paper)
    session.add(req)
    await session.flush()
    for st in p.steps_raw:
        session.add(LeaveApprovalStep(request_id=req.id, seq=st.seq, approver_kind=st.approver, mode=st.mode,
                                      outside=st.outside, name_zh=st.name_zh, name_en=st.name_en))
    await session.flush()
    await record_audit(session, action="leave.request", target_type="leave_request", target_id=str(req.id),
                       details={"staffId": str(p.staff.id), "type": req.leave_type, "start": f"{data.start} "
                                f"{data.start_half}", "end": f"{data.end} {data.end_half}",
                                "halfDays": req.half_days, "chain": [st.approver for st in p.steps_raw],
                                "paper": paper, "warnings": [x.code for x in p.problems]})
    await session.commit()
    log.info("leave_requested", request_id=str(req.id), half_days=req.half_days, steps=len(p.steps_raw))
    return req


async def get_request(session: AsyncSession, request_id: UUID, *, lock: bool = False) -> LeaveRequest:
    stmt = select(LeaveRequest).where(LeaveRequest.id == request_id).execution_options(populate_existing=True)
    if lock and session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    req = await session.scalar(stmt)
    if req is None:
        raise not_found("请假申请", "Leave request")
    return req


async def _set_status(session: AsyncSession, req: LeaveRequest, frm: LeaveStatus, to: LeaveStatus,
                      **values: Any) -> None:
    done = await session.execute(update(LeaveRequest).where(LeaveRequest.id == req.id, LeaveRequest.status == frm)
                                 .values(status=to, updated_at=utcnow(), **values)
                                 .execution_options(synchronize_session=False))
    if done.rowcount != 1:  # type: ignore[attr-defined]  # an UPDATE answers a CursorResult (rowcount)
        raise AppError("request_changed", "该请假申请的状态已变化，请刷新后重试",
                       "The request has changed meanwhile; reload and try again", status=409)


async def withdraw(session: AsyncSession, a: Actor, request_id: UUID) -> LeaveRequest:
    """The holder takes back a request still in approval."""
    req = await get_request(session, request_id, lock=True)
    if not a.owns(req) and not a.is_admin:
        raise not_found("请假申请", "Leave request")
    if req.status is not LeaveStatus.pending:
        raise AppError("not_pending", "只有审批中的申请可以撤回；已批准的请在开始前取消",
                       "Only a request in approval can be withdrawn; cancel an approved one before it starts",
                       status=409)
    await _set_status(session, req, LeaveStatus.pending, LeaveStatus.withdrawn)
    await session.execute(update(LeaveApprovalStep).where(LeaveApprovalStep.request_id == req.id,
                                                          LeaveApprovalStep.decision == Decision.pending)
                          .values(decision=Decision.skipped, updated_at=utcnow())
                          .execution_options(synchronize_session=False))
    await record_audit(session, action="leave.withdraw", target_type="leave_request", target_id=str(req.id),
                       details={"staffId": str(req.staff_id)})
    await session.commit()
    return await get_request(session, request_id)


async def cancel(session: AsyncSession, a: Actor, request_id: UUID) -> LeaveRequest:
    """An approved leave called off before it starts (to the half day): the attendance record goes, the months are
    re-evaluated, and the quota is free again (cancelled requests do not count)."""
    from govhall.domain.attendance.models import LeaveRecord

    req = await get_request(session, request_id, lock=True)
    if not a.owns(req) and not a.is_admin:
        raise not_found("请假申请", "Leave request")
    if req.status is not LeaveStatus.approved:
        raise AppError("not_approved", "只有已批准、尚未开始的请假可以取消", "Only an approved leave can be cancelled",
                       status=409)
    local = await now_local(session)
    half = await half_now(session, req.tenant_id, local)
    started = (local.date() > req.start_date or (local.date() == req.start_date and (
        half == "pm" or (half == "am" and req.start_half == "am"))))
    if started:
        raise AppError("already_started", "请假已经开始，不能取消；请在返岗后销假",
                       "The leave has begun and cannot be cancelled; close it when you are back", status=409)
    await _set_status(session, req, LeaveStatus.approved, LeaveStatus.cancelled, attendance_leave_id=None)
    if req.attendance_leave_id:
        rec = await session.scalar(select(LeaveRecord).where(LeaveRecord.id == req.attendance_leave_id))
        if rec is not None:
            await session.delete(rec)
    await dirty(session, req.start_date, req.end_date)
    await record_audit(session, action="leave.cancel", target_type="leave_request", target_id=str(req.id),
                       details={"staffId": str(req.staff_id), "halfDays": req.half_days})
    await session.commit()
    return await get_request(session, request_id)

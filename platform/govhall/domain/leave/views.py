"""Reading leave: one request as a person sees it (timeline, what they may do), the lists (mine, the approvals
inbox, the chief's department, the center ledger) with filters and pages, and the ledger as an Excel workbook."""

from __future__ import annotations

import io
from datetime import date
from typing import Any
from uuid import UUID

import msgspec
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.domain.identity.models import User
from govhall.domain.leave import schemas as s
from govhall.domain.leave.approvals import deciders, may_decide, names_of, steps_of
from govhall.domain.leave.common import Actor, bad, hooks_on, now_local, settings_of
from govhall.domain.leave.days import half_now
from govhall.domain.leave.effects import outcomes_for
from govhall.domain.leave.models import Decision, LeaveApprovalStep, LeaveRequest, LeaveStatus
from govhall.domain.org.models import Department, Staff
from govhall.errors import AppError, not_found

SCOPES = ("mine", "inbox", "department", "all")
LEAVE_ZH = {"personal": "事假", "sick": "病假", "annual": "年休假", "marriage": "婚假", "maternity": "产假",
            "family_visit": "探亲假", "bereavement": "丧假", "official": "公假"}
STATUS_ZH = {"pending": "审批中", "approved": "已批准", "rejected": "未批准", "withdrawn": "已撤回",
             "cancelled": "已取消", "closed": "已销假", "unclosed": "逾期未销假"}


def _phase(r: LeaveRequest, today: date) -> str:
    if r.status not in (LeaveStatus.approved, LeaveStatus.unclosed):
        return r.status.value
    end = r.actual_end_date or r.end_date
    if today < r.start_date:
        return "upcoming"
    if today <= end:
        return "in_effect"
    if r.closure_due is None:
        return "ended"
    return "closure_due" if today <= r.closure_due else "overdue"


async def may_record_closure(session: AsyncSession, a: Actor, req: LeaveRequest, staff: Staff,
                             steps: list[LeaveApprovalStep]) -> bool:
    """Who may record someone's 销假 in person or by phone: the center (admins, duty officers) and the request's
    approvers inside the center (002 七: 告知稽查督办科或对应请假领导)."""
    if a.owns(req):
        return False
    if a.is_admin or a.is_duty:
        return True
    if any(st.decided_by == a.user_id for st in steps):
        return True
    for st in steps:
        if not st.outside and a.user_id in await deciders(session, st.approver_kind, staff, exclude_staff=staff.id):
            return True
    return False


async def visible(session: AsyncSession, a: Actor, req: LeaveRequest, staff: Staff,
                  steps: list[LeaveApprovalStep]) -> bool:
    if a.owns(req) or a.is_admin or a.is_duty:
        return True
    if a.is_chief and a.staff is not None and staff.department_id == a.staff.department_id:
        return True
    if req.substitute_staff_id is not None and a.staff is not None and req.substitute_staff_id == a.staff.id:
        return True
    for st in steps:
        if st.decided_by == a.user_id or (
                not st.outside and a.user_id in await deciders(session, st.approver_kind, staff,
                                                               exclude_staff=staff.id)):
            return True
    return False


async def build(session: AsyncSession, a: Actor, reqs: list[LeaveRequest]) -> list[s.LeaveView]:
    if not reqs:
        return []
    ids = [r.id for r in reqs]
    staff_ids = {r.staff_id for r in reqs} | {r.substitute_staff_id for r in reqs if r.substitute_staff_id}
    staff = {x.id: x for x in (await session.scalars(select(Staff).where(Staff.id.in_(staff_ids)))).all()}
    depts: dict[UUID | None, str] = dict((await session.execute(select(Department.id, Department.name))).all())
    steps = await steps_of(session, ids)
    deciders_ = {st.decided_by for v in steps.values() for st in v if st.decided_by}
    names: dict[UUID, str] = {}
    if deciders_:
        names = dict((await session.execute(select(User.id, User.display_name).where(User.id.in_(deciders_)))).all())
    outcomes = await outcomes_for(session, ids)
    local = await now_local(session)
    today = local.date()
    half = None
    channels: tuple[str, ...] = ()
    try:
        channels = tuple(settings_of(await hooks_on(session, today)).closure_channels)
    except AppError:
        pass
    cache: dict[tuple[str, UUID], list[UUID]] = {}
    out = []
    for r in reqs:
        st_rows = steps[r.id]
        person = staff[r.staff_id]
        views = []
        for st in st_rows:
            people: list[str] = []
            if st.decision is Decision.pending and not st.outside:
                key = (st.approver_kind, person.id)
                if key not in cache:
                    cache[key] = await deciders(session, st.approver_kind, person, exclude_staff=person.id)
                people = await names_of(session, cache[key])
            views.append(s.Step(id=st.id, seq=st.seq, approver=st.approver_kind, name_zh=st.name_zh,
                                name_en=st.name_en, mode=st.mode, outside=st.outside, decision=st.decision.value,
                                approvers=people, decided_by_name=names.get(st.decided_by) if st.decided_by else None,
                                decided_at=st.decided_at, note=st.note, recorded_for_outside=st.recorded_for_outside,
                                scan_file_id=st.scan_file_id))
        decide_step = record_step = None
        for st in st_rows:
            if await may_decide(session, a, r, person, st, st_rows, cache):
                if st.outside or (r.recorded_paper and a.is_admin):
                    record_step = record_step or st.id
                else:
                    decide_step = decide_step or st.id
        can_cancel = False
        if r.status is LeaveStatus.approved and (a.owns(r) or a.is_admin):
            if half is None:
                half = await half_now(session, r.tenant_id, local)
            can_cancel = today < r.start_date or (today == r.start_date and half == "before") or (
                today == r.start_date and half == "am" and r.start_half == "pm")
        can_close = False
        if r.status in (LeaveStatus.approved, LeaveStatus.unclosed) and today >= r.start_date:
            can_close = ("app" in channels and a.owns(r)) or (
                bool(set(channels) & {"in_person", "phone"})
                and await may_record_closure(session, a, r, person, st_rows))
        sub = staff.get(r.substitute_staff_id) if r.substitute_staff_id else None
        out.append(s.LeaveView(
            id=r.id, staff_id=r.staff_id, staff_name=person.name, department_name=depts.get(person.department_id),
            role=r.role, leave_type=r.leave_type, original_type=r.original_type, start=r.start_date,
            start_half=r.start_half, end=r.end_date, end_half=r.end_half, days=r.half_days / 2, reason=r.reason,
            status=r.status.value, phase=_phase(r, today), submitted_at=r.submitted_at,
            substitute_staff_id=r.substitute_staff_id, substitute_name=sub.name if sub else None,
            external_substitute=msgspec.convert(r.external_substitute, s.ExternalSubstitute)
            if r.external_substitute else None,
            attachments=[UUID(x) for x in (r.attachments or [])], sick_note_file_id=r.sick_note_file_id,
            warnings=[msgspec.convert(w, s.Problem) for w in (r.warnings or [])], steps=views,
            recorded_paper=r.recorded_paper, closure_due=r.closure_due, closed_at=r.closed_at,
            closure_channel=r.closure_channel, actual_end=r.actual_end_date, actual_end_half=r.actual_end_half,
            outcomes=outcomes.get(r.id, []),
            can_withdraw=r.status is LeaveStatus.pending and (a.owns(r) or a.is_admin), can_cancel=can_cancel,
            can_close=can_close, can_decide=decide_step is not None, decide_step_id=decide_step,
            can_record_outside=record_step is not None, record_step_id=record_step))
    return out


async def one(session: AsyncSession, a: Actor, request_id: UUID) -> s.LeaveView:
    req = await session.scalar(select(LeaveRequest).where(LeaveRequest.id == request_id)
                               .execution_options(populate_existing=True))
    staff = await session.scalar(select(Staff).where(Staff.id == req.staff_id)) if req else None
    if req is None or staff is None:
        raise not_found("请假申请", "Leave request")
    steps = (await steps_of(session, [req.id]))[req.id]
    if not await visible(session, a, req, staff, steps):
        raise not_found("请假申请", "Leave request")
    return (await build(session, a, [req]))[0]


def _filters(stmt: Select[Any], *, status: str | None, leave_type: str | None, month: str | None,
             staff_id: UUID | None, ledger: str | None) -> Select[Any]:
    if status:
        try:
            stmt = stmt.where(LeaveRequest.status == LeaveStatus(status))
        except ValueError:
            raise bad("invalid_status", "status", "状态不正确", "Unknown status") from None
    if leave_type:
        stmt = stmt.where(LeaveRequest.leave_type == leave_type)
    if month:
        first = date.fromisoformat(f"{month}-01")
        nxt = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
        stmt = stmt.where(LeaveRequest.start_date < nxt,
                          func.coalesce(LeaveRequest.actual_end_date, LeaveRequest.end_date) >= first)
    if staff_id:
        stmt = stmt.where(LeaveRequest.staff_id == staff_id)
    if ledger == "unclosed":
        stmt = stmt.where(or_(LeaveRequest.status == LeaveStatus.unclosed,
                              and_(LeaveRequest.status == LeaveStatus.approved,
                                   LeaveRequest.closure_due.is_not(None))))
    elif ledger == "substitutes":
        stmt = stmt.where(or_(LeaveRequest.substitute_staff_id.is_not(None),
                              LeaveRequest.external_substitute.is_not(None)),
                          LeaveRequest.status.in_((LeaveStatus.pending, LeaveStatus.approved, LeaveStatus.closed,
                                                   LeaveStatus.unclosed)))
    return stmt


async def listing(session: AsyncSession, a: Actor, *, scope: str, status: str | None = None,
                  leave_type: str | None = None, month: str | None = None, staff_id: UUID | None = None,
                  ledger: str | None = None, page: int = 1, page_size: int = 20) -> s.LeavePage:
    stmt = select(LeaveRequest).order_by(LeaveRequest.submitted_at.desc())
    if scope == "mine":
        if a.staff is None:
            stmt = stmt.where(LeaveRequest.requested_by == a.user_id)
        else:
            stmt = stmt.where(or_(LeaveRequest.staff_id == a.staff.id, LeaveRequest.requested_by == a.user_id))
    elif scope == "department":
        if not a.is_chief or a.staff is None or a.staff.department_id is None:
            raise AppError("forbidden", "只有首席代表可以查看本部门的请假", "Only a chief representative sees the "
                           "department's leave", status=403)
        stmt = stmt.join(Staff, Staff.id == LeaveRequest.staff_id).where(
            Staff.department_id == a.staff.department_id)
    elif scope == "all":
        if not (a.is_admin or a.is_duty):
            raise AppError("forbidden", "只有中心管理员和值班人员可以查看全中心的请假",
                           "Only center admins and duty officers see every leave of the center", status=403)
    elif scope == "inbox":
        pending = (await session.scalars(select(LeaveRequest).where(LeaveRequest.status == LeaveStatus.pending)
                                         .order_by(LeaveRequest.submitted_at).limit(500))).all()
        steps = await steps_of(session, [r.id for r in pending])
        staff = {x.id: x for x in (await session.scalars(select(Staff).where(
            Staff.id.in_({r.staff_id for r in pending})))).all()} if pending else {}
        cache: dict[tuple[str, UUID], list[UUID]] = {}
        mine = []
        for r in pending:
            for st in steps[r.id]:
                if await may_decide(session, a, r, staff[r.staff_id], st, steps[r.id], cache):
                    mine.append(r)
                    break
        items = await build(session, a, mine[(page - 1) * page_size: page * page_size])
        return s.LeavePage(items=items, total=len(mine))
    else:
        raise bad("invalid_scope", "scope", "范围不正确", "Unknown scope")
    stmt = _filters(stmt, status=status, leave_type=leave_type, month=month, staff_id=staff_id, ledger=ledger)
    total = await session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    rows = list((await session.scalars(stmt.offset((page - 1) * page_size).limit(page_size)
                                       .execution_options(populate_existing=True))).all())
    return s.LeavePage(items=await build(session, a, rows), total=total)


def ledger_xlsx(items: list[s.LeaveView], center: str, lang: str) -> bytes:
    """The center's leave ledger (请假备案台账): one row per request, with its chain, cover and closure."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    zh = lang != "en"
    wb = Workbook()
    ws = wb.worksheets[0]  # a new Workbook holds one sheet (wb.active may be None in the type)
    ws.title = "请假台账" if zh else "Leave ledger"
    ws.append([f"{center} 请假备案台账" if zh else f"{center} — leave ledger"])
    ws["A1"].font = Font(bold=True, size=14)
    head = (["姓名", "部门", "假别", "开始", "结束", "天数", "事由", "状态", "顶岗人员", "审批", "销假", "后果"] if zh else
            ["Name", "Department", "Type", "Start", "End", "Days", "Reason", "Status", "Substitute", "Approvals",
             "Closed", "Outcomes"])
    ws.append(head)
    for c in range(1, len(head) + 1):
        ws.cell(2, c).font = Font(bold=True)
    for v in items:
        half = {"am": "上午" if zh else "am", "pm": "下午" if zh else "pm"}
        sub = v.substitute_name or (f"{v.external_substitute.name}（{v.external_substitute.unit}）"
                                    if v.external_substitute else "")
        steps = "；".join(f"{st.name_zh if zh else st.name_en}:{st.decision}"
                         + (f"({st.decided_by_name})" if st.decided_by_name else "") for st in v.steps)
        ws.append([v.staff_name, v.department_name or "", LEAVE_ZH.get(v.leave_type, v.leave_type) if zh
                   else v.leave_type, f"{v.start} {half[v.start_half]}", f"{v.end} {half[v.end_half]}", v.days,
                   v.reason, STATUS_ZH.get(v.status, v.status) if zh else v.status, sub, steps,
                   v.closed_at.date().isoformat() if v.closed_at else "",
                   "；".join(o.zh if zh else o.en for o in v.outcomes)])
    for col, width in zip("ABCDEFGHIJKL", (10, 18, 10, 15, 15, 6, 24, 10, 16, 40, 12, 40), strict=True):
        ws.column_dimensions[col].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

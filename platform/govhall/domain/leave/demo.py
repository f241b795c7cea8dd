"""Demo leave for ``govhall demo``: some requests in every state made through the real workflow (the clock
is moved back for the past ones), so a newcomer sees pending, approved, rejected, withdrawn, closed and overdue
leave at once. Idempotent: a center that has leave requests already is left alone. The approver directory and AB pairs come from
the tenant files (``leave_approvers``, ``backup_pairs``), applied by tenants as code (domain/rulescode/tenant_extras.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.authz.models import RoleAssignment
from govhall.clock import set_clock, utcnow, zone
from govhall.domain.attendance.services import my_staff
from govhall.domain.identity.models import User
from govhall.domain.leave import approvals, effects, services
from govhall.domain.leave import schemas as s
from govhall.domain.leave.common import Actor
from govhall.domain.leave.models import LeaveRequest
from govhall.domain.org.models import Staff
from govhall.errors import AppError
from govhall.log import get_logger
from govhall.packs.calendar import work_calendar
from govhall.tenancy.context import system_scope, tenant_scope
from govhall.tenancy.models import Tenant

log = get_logger(__name__)


@dataclass
class Plan:
    division_code: str
    requester: str
    approvers: tuple[str, ...]  # decide the steps of these short leaves, in order
    substitute: str | None


PLANS = (Plan("421100", "city_clerk", ("city_duty",), "C002"),
         Plan("421121", "county_clerk", ("county_admin",), "T003"),
         Plan("421123", "luotian_clerk", ("luotian_inspector", "luotian_deputy"), "L002"))


async def _actor(session: AsyncSession, username: str) -> Actor | None:
    user = await session.scalar(select(User).where(User.username == username))
    if user is None:
        return None
    roles = frozenset(await session.scalars(select(RoleAssignment.role).where(RoleAssignment.user_id == user.id)))
    return Actor(user.id, roles, await my_staff(session, user.id))


async def _workdays(session: AsyncSession, tenant_id: Any, start: date, n: int, step: int) -> list[date]:
    lo, hi = (start, start + timedelta(days=45)) if step > 0 else (start - timedelta(days=45), start)
    if hi.year != start.year:  # stay in years the calendar knows (the next one may not be entered yet)
        hi = date(start.year, 12, 31)
    if lo.year != start.year and step > 0:
        lo = start
    cal = await work_calendar(session, tenant_id, lo, hi)
    days = sorted((d for d, x in cal.items() if x.workday), reverse=step < 0)
    return [d for d in days if (d > start if step > 0 else d < start)][:n]


async def _requests(session: AsyncSession, tenant: Any, plan: Plan) -> int:
    clerk = await _actor(session, plan.requester)
    chain = [a for a in [await _actor(session, u) for u in plan.approvers] if a is not None]
    if clerk is None or not chain or clerk.staff is None:
        return 0
    approver = chain[0]
    sub = await session.scalar(select(Staff.id).where(Staff.employee_no == plan.substitute)) if plan.substitute \
        else None
    tz = zone(tenant.timezone or "Asia/Shanghai")
    now = utcnow()
    today = now.astimezone(tz).date()
    made = 0
    code = tenant.division_code

    def ask(d: date, half: str, reason: str, kind: str = "personal") -> s.LeaveIn:
        start_half, end_half = ("am", "pm") if half == "day" else (half, half)
        return s.LeaveIn(leave_type=kind, start=d, end=d, start_half=start_half, end_half=end_half,  # type: ignore[arg-type]  # demo kinds are literal strings of the schema
                         reason=reason, substitute_staff_id=sub)

    async def run(at: datetime | None, fn: Any) -> Any:
        nonlocal made
        if at is not None:
            set_clock(at)
        try:
            out = await fn()
            made += 1
            return out
        except AppError as exc:
            await session.rollback()
            log.warning("demo_leave_skipped", tenant=code, code=exc.code, reason=exc.en)
            return None
        finally:
            if at is not None:
                set_clock(now)  # back to "now" (the e2e test clock too), running on

    async def approve_all(at: datetime | None, rid: Any, note: str | None = None) -> None:
        for a in chain:
            req = await run(at, lambda a=a: approvals.decide(session, a, rid, s.DecisionIn(approve=True, note=note)))
            if req is None or req.status.value != "pending":
                break

    past = await _workdays(session, tenant.id, today, 12, -1)
    future = await _workdays(session, tenant.id, today, 8, +1)
    if len(past) >= 12:
        early = datetime.combine(past[-1], time(7, 0), tz)  # asked well before, in the morning before work
        done = await run(early, lambda: services.submit(session, clerk, ask(past[9], "day", "孩子学校家长会")))
        if done is not None:
            await approve_all(early, done.id)
            back = datetime.combine(past[8], time(9, 0), tz)
            await run(back, lambda: effects.close(session, approver, done.id, s.ClosureIn(channel="in_person"),
                                                  may_record=True))
        late = await run(early, lambda: services.submit(session, clerk, ask(past[6], "pm", "陪家人就医")))
        if late is not None:
            await approve_all(early, late.id)
        await run(None, lambda: effects.run_outcomes(session, today))  # not closed in time: the rules' effect
    if len(future) >= 8:
        pending = lambda: services.submit(session, clerk, ask(future[6], "am", "办理房产过户手续"))  # noqa: E731
        await run(None, pending)
        ok = await run(None, lambda: services.submit(session, clerk, ask(future[2], "pm", "参加省局业务培训", "official")))
        if ok is not None:
            await approve_all(None, ok.id, "已安排顶岗")
        no = await run(None, lambda: services.submit(session, clerk, ask(future[4], "pm", "外出办事")))
        if no is not None:
            await run(None, lambda: approvals.decide(session, approver, no.id, s.DecisionIn(
                approve=False, note="当日窗口业务量大，请改期")))
        back = await run(None, lambda: services.submit(session, clerk, ask(future[7], "pm", "个人事务")))
        if back is not None:
            await run(None, lambda: services.withdraw(session, clerk, back.id))
    return made


async def seed(session: AsyncSession) -> list[str]:
    """Make demo requests in the demo centers; returns a line per center for the command's output."""
    with system_scope():
        tenants = {row.division_code: row for row in (await session.execute(
            select(Tenant.id, Tenant.division_code, Tenant.name, Tenant.timezone)
            .where(Tenant.division_code.in_([p.division_code for p in PLANS])))).all()}
    lines = []
    for code, tenant in tenants.items():
        name = tenant.name
        with tenant_scope(tenant.id):
            if await session.scalar(select(func.count()).select_from(LeaveRequest)):
                continue
            plan = next((p for p in PLANS if p.division_code == code), None)
            if plan is None:
                continue
            try:
                n = await _requests(session, tenant, plan)
            except AppError as exc:  # e.g. a year the calendar does not cover
                await session.rollback()
                log.warning("demo_leave_skipped", tenant=code, code=exc.code, reason=exc.en)
                continue
            lines.append(f"{name}: {n} leave steps")
    return lines

"""/api/t/{tenant_id}/leave/...: thin handlers; who may see and do what per request lives in the services."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote
from uuid import UUID

from litestar import Controller, Request, Response, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.authz.guards import requires
from govhall.clock import local_today
from govhall.domain.attendance.ingest import tenant_timezone
from govhall.domain.attendance.services import tenant
from govhall.domain.leave import approvals, effects, services, views
from govhall.domain.leave import schemas as s
from govhall.domain.leave.common import actor, hooks_on, settings_of
from govhall.domain.leave.models import ApproverAssignment
from govhall.domain.leave.views import LEAVE_ZH
from govhall.errors import AppError
from govhall.tenancy.models import Tenant

Str = Annotated[str | None, QueryParameter(required=False, max_length=32)]
Month = Annotated[str | None, QueryParameter(name="month", pattern=r"^(19|2\d)\d{2}-(0[1-9]|1[0-2])$", required=False)]
Scope = Annotated[str, QueryParameter(name="scope", pattern="^(mine|inbox|department|all)$")]
Ledger = Annotated[str | None, QueryParameter(name="ledger", pattern="^(unclosed|substitutes)$", required=False)]
Page = Annotated[int, QueryParameter(name="page", ge=1, le=10_000)]
PageSize = Annotated[int, QueryParameter(name="pageSize", ge=1, le=200)]
LEAVE_EN = {"personal": "Personal", "sick": "Sick", "annual": "Annual", "marriage": "Marriage",
            "maternity": "Maternity", "family_visit": "Family visit", "bereavement": "Bereavement",
            "official": "Official (training, study)"}


async def _today(session: AsyncSession):
    return local_today(await tenant_timezone(session, tenant()))


class LeaveController(Controller):
    path = "/api/t/{tenant_id:uuid}/leave"
    tags = ["leave"]

    @get("/meta", guards=[requires("leave", "read")])
    async def meta(self, request: Request, db_session: NamedDependency[AsyncSession]) -> s.LeaveMeta:
        a = await actor(db_session, request.app.state.authz, request.user)
        settings = settings_of(await hooks_on(db_session, await _today(db_session)))
        in_directory = await db_session.scalar(select(ApproverAssignment.id).where(
            ApproverAssignment.user_id == a.user_id).limit(1)) is not None
        perms = set(await request.app.state.authz.permissions_in(a.user_id, str(tenant())))
        return s.LeaveMeta(
            leave_types=[s.LeaveTypeOption(key=t.leave_type, name_zh=LEAVE_ZH.get(t.leave_type, t.leave_type),
                                           name_en=LEAVE_EN.get(t.leave_type, t.leave_type),
                                           counts_toward_quota=t.counts_toward_quota) for t in settings.leave_types],
            closure_channels=list(settings.closure_channels), closure_required=settings.closure_required,
            substitute_scope=settings.substitute_scope, my_staff_id=a.staff.id if a.staff else None,
            my_staff_name=a.staff.name if a.staff else None, can_manage="leave:manage" in perms,
            can_approve="leave:approve" in perms or in_directory, is_chief=a.is_chief)

    @post("/check", guards=[requires("leave", "request")], status_code=200)
    async def check(self, request: Request, db_session: NamedDependency[AsyncSession],
                    data: JSONBody[s.LeaveIn]) -> s.CheckResult:
        a = await actor(db_session, request.app.state.authz, request.user)
        result = await services.check(db_session, a, data)
        await db_session.rollback()
        return result

    @post("/requests", guards=[requires("leave", "request")], status_code=201)
    async def submit(self, request: Request, db_session: NamedDependency[AsyncSession],
                     data: JSONBody[s.LeaveIn]) -> s.LeaveView:
        a = await actor(db_session, request.app.state.authz, request.user)
        req = await services.submit(db_session, a, data)
        return await views.one(db_session, a, req.id)

    @get("/requests", guards=[requires("leave", "read")])
    async def listing(self, request: Request, db_session: NamedDependency[AsyncSession], view: Scope = "mine",
                      status: Str = None, leave_type: Annotated[str | None, QueryParameter(
                          name="leaveType", required=False, max_length=32)] = None,
                      month: Month = None, ledger: Ledger = None, page: Page = 1, page_size: PageSize = 20
                      ) -> s.LeavePage:
        a = await actor(db_session, request.app.state.authz, request.user)
        await effects.run_outcomes(db_session, await _today(db_session))  # outcomes are due on read too
        return await views.listing(db_session, a, scope=view, status=status, leave_type=leave_type, month=month,
                                   ledger=ledger, page=page, page_size=page_size)

    @get("/requests/{request_id:uuid}", guards=[requires("leave", "read")])
    async def one(self, request: Request, db_session: NamedDependency[AsyncSession],
                  request_id: FromPath[UUID]) -> s.LeaveView:
        a = await actor(db_session, request.app.state.authz, request.user)
        return await views.one(db_session, a, request_id)

    @post("/requests/{request_id:uuid}/withdraw", guards=[requires("leave", "read")], status_code=200)
    async def withdraw(self, request: Request, db_session: NamedDependency[AsyncSession],
                       request_id: FromPath[UUID]) -> s.LeaveView:
        a = await actor(db_session, request.app.state.authz, request.user)
        await services.withdraw(db_session, a, request_id)
        return await views.one(db_session, a, request_id)

    @post("/requests/{request_id:uuid}/cancel", guards=[requires("leave", "read")], status_code=200)
    async def cancel(self, request: Request, db_session: NamedDependency[AsyncSession],
                     request_id: FromPath[UUID]) -> s.LeaveView:
        a = await actor(db_session, request.app.state.authz, request.user)
        await services.cancel(db_session, a, request_id)
        return await views.one(db_session, a, request_id)

    @post("/requests/{request_id:uuid}/decision", guards=[requires("leave", "read")], status_code=200)
    async def decide(self, request: Request, db_session: NamedDependency[AsyncSession],
                     request_id: FromPath[UUID], data: JSONBody[s.DecisionIn]) -> s.LeaveView:
        a = await actor(db_session, request.app.state.authz, request.user)
        await approvals.decide(db_session, a, request_id, data)
        return await views.one(db_session, a, request_id)

    @post("/requests/{request_id:uuid}/closure", guards=[requires("leave", "read")], status_code=200)
    async def close(self, request: Request, db_session: NamedDependency[AsyncSession],
                    request_id: FromPath[UUID], data: JSONBody[s.ClosureIn]) -> s.LeaveView:
        a = await actor(db_session, request.app.state.authz, request.user)
        req = await services.get_request(db_session, request_id)
        from govhall.domain.org.models import Staff

        staff = await db_session.scalar(select(Staff).where(Staff.id == req.staff_id))
        steps = (await approvals.steps_of(db_session, [req.id]))[req.id]
        if staff is None or not await views.visible(db_session, a, req, staff, steps):
            raise AppError("not_found", "请假申请不存在或无权访问", "Leave request not found", status=404)
        may_record = await views.may_record_closure(db_session, a, req, staff, steps)
        await effects.close(db_session, a, request_id, data, may_record=may_record)
        return await views.one(db_session, a, request_id)

    @get("/colleagues", guards=[requires("leave", "request")])
    async def colleagues(self, db_session: NamedDependency[AsyncSession]) -> list[s.Colleague]:
        """The center's active staff, to pick a substitute from (names and departments only)."""
        from govhall.domain.org.models import Department, Staff, StaffStatus

        depts: dict[UUID | None, str] = dict((await db_session.execute(select(Department.id, Department.name))).all())
        rows = (await db_session.scalars(select(Staff).where(Staff.status == StaffStatus.active)
                                         .order_by(Staff.department_id, Staff.employee_no).limit(2000))).all()
        return [s.Colleague(id=x.id, name=x.name, department_name=depts.get(x.department_id), window_id=x.window_id)
                for x in rows]

    @get("/ledger.xlsx", guards=[requires("leave", "manage")], media_type="application/octet-stream")
    async def ledger_xlsx(self, request: Request, db_session: NamedDependency[AsyncSession], status: Str = None,
                          month: Month = None, ledger: Ledger = None,
                          lang: Annotated[str, QueryParameter(name="lang", pattern="^(zh|en)$")] = "zh"
                          ) -> Response[bytes]:
        a = await actor(db_session, request.app.state.authz, request.user)
        page = await views.listing(db_session, a, scope="all", status=status, month=month, ledger=ledger,
                                   page=1, page_size=5000)
        center = await db_session.scalar(select(Tenant.name).where(Tenant.id == tenant())) or ""
        body = views.ledger_xlsx(page.items, center, lang)
        name = f"{center}-请假台账-{month or 'all'}.xlsx"
        return Response(body, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"Content-Disposition": f"attachment; filename=\"leave-{month or 'all'}.xlsx\"; "
                                                        f"filename*=UTF-8''{quote(name)}",
                                 "Cache-Control": "private, no-store"})

    @post("/outcomes", guards=[requires("leave", "manage")], status_code=200)
    async def outcomes(self, db_session: NamedDependency[AsyncSession]) -> s.OutcomesResult:
        n, applied = await effects.run_outcomes(db_session, await _today(db_session))
        return s.OutcomesResult(requests=n, applied=applied)

    # ---- the approver directory ------------------------------------------------------------------------------

    @get("/approvers", guards=[requires("leave", "manage")])
    async def approvers(self, db_session: NamedDependency[AsyncSession]) -> list[s.ApproverRow]:
        return await approvals.directory(db_session)

    @post("/approvers", guards=[requires("leave", "manage")], status_code=201)
    async def assign(self, db_session: NamedDependency[AsyncSession], data: JSONBody[s.ApproverIn]) -> s.ApproverRow:
        return await approvals.assign(db_session, data)

    @delete("/approvers/{assignment_id:uuid}", guards=[requires("leave", "manage")])
    async def unassign(self, db_session: NamedDependency[AsyncSession], assignment_id: FromPath[UUID]) -> None:
        await approvals.unassign(db_session, assignment_id)

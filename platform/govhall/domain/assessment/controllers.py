"""/api/t/{tenant_id}/assessment/...: thin handlers; the rules live in the services."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.authz.guards import requires
from govhall.domain.assessment import annual, appeals, closing, reports, returns, scoring
from govhall.domain.assessment import jobs as assessment_jobs
from govhall.domain.assessment import schemas as s
from govhall.domain.assessment import services as svc
from govhall.domain.attendance.jobs import refuse_if_big
from govhall.domain.org.models import Staff
from govhall.errors import AppError, not_found

MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"
Month = Annotated[str | None, QueryParameter(name="month", pattern=MONTH, required=False)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def _month(session: AsyncSession, raw: str | None):
    if raw:
        return svc.parse_month(raw)
    return (await svc.today(session)).replace(day=1)


def _xlsx(body: bytes, name: str, ascii_name: str) -> Response[bytes]:
    return Response(body, media_type=XLSX, headers={
        "Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}",
        "Cache-Control": "private, no-store"})


class AssessmentController(Controller):
    path = "/api/t/{tenant_id:uuid}/assessment"
    tags = ["assessment"]

    # ---- catalogue and the phone form -------------------------------------------------------------------

    @get("/catalogue", guards=[requires("assessment", "read")])
    async def catalogue(self, db_session: NamedDependency[AsyncSession], month: Month = None) -> s.Catalogue:
        m = await _month(db_session, month)
        day = min(closing.month_end(m), max(m, await svc.today(db_session)))
        return await svc.catalogue_view(db_session, day)

    @get("/recordable", guards=[requires("assessment", "record")])
    async def recordable(self, request: Request, db_session: NamedDependency[AsyncSession]) -> list[s.WindowOption]:
        a = await svc.actor(db_session, request.app.state.authz, request.user)
        return await svc.recordable(db_session, a)

    # ---- records ---------------------------------------------------------------------------------------

    @get("/violations", guards=[requires("assessment", "read")])
    async def violations(
        self, request: Request, db_session: NamedDependency[AsyncSession], month: Month = None,
        staff_id: Annotated[UUID | None, QueryParameter(name="staffId", required=False)] = None,
        department_id: Annotated[UUID | None, QueryParameter(name="departmentId", required=False)] = None,
        source: Annotated[str | None, QueryParameter(name="source", required=False, max_length=16)] = None,
        status: Annotated[str | None, QueryParameter(name="status", required=False, max_length=16)] = None,
        kind: Annotated[str | None, QueryParameter(name="kind", required=False, max_length=40)] = None,
        page: Annotated[int, QueryParameter(name="page", ge=1, le=10000)] = 1,
        page_size: Annotated[int, QueryParameter(name="pageSize", ge=1, le=200)] = 20,
    ) -> s.RecordPage:
        a = await svc.actor(db_session, request.app.state.authz, request.user)
        return await svc.list_records(db_session, a, month=await _month(db_session, month), staff_id=staff_id,
                                      department_id=department_id, source=source, status=status, kind=kind,
                                      page=page, page_size=page_size)

    @post("/violations", guards=[requires("assessment", "record")], status_code=201)
    async def record_violation(self, request: Request, db_session: NamedDependency[AsyncSession],
                               data: JSONBody[s.RecordIn]) -> s.RecordView:
        a = await svc.actor(db_session, request.app.state.authz, request.user)
        row = await svc.record(db_session, a, data)
        return svc.view(row, await svc.names(db_session, [row]))

    @post("/violations/{record_id:uuid}/void", guards=[requires("assessment", "record")], status_code=200)
    async def void_violation(self, request: Request, db_session: NamedDependency[AsyncSession],
                             record_id: FromPath[UUID], data: JSONBody[s.VoidIn]) -> s.RecordView:
        a = await svc.actor(db_session, request.app.state.authz, request.user)
        row = await svc.void(db_session, a, record_id, data.reason)
        return svc.view(row, await svc.names(db_session, [row]))

    @post("/violations/{record_id:uuid}/amend", guards=[requires("assessment", "record")], status_code=201)
    async def amend_violation(self, request: Request, db_session: NamedDependency[AsyncSession],
                              record_id: FromPath[UUID], data: JSONBody[s.AmendIn]) -> s.RecordView:
        a = await svc.actor(db_session, request.app.state.authz, request.user)
        row = await svc.amend(db_session, a, record_id, data)
        return svc.view(row, await svc.names(db_session, [row]))

    @get("/bonuses", guards=[requires("assessment", "read")])
    async def bonuses(self, request: Request, db_session: NamedDependency[AsyncSession], month: Month = None,
                      page: Annotated[int, QueryParameter(name="page", ge=1, le=10000)] = 1,
                      page_size: Annotated[int, QueryParameter(name="pageSize", ge=1, le=200)] = 20,
                      ) -> s.RecordPage:
        a = await svc.actor(db_session, request.app.state.authz, request.user)
        return await svc.list_records(db_session, a, month=await _month(db_session, month), bonus=True, page=page,
                                      page_size=page_size)

    @post("/bonuses", guards=[requires("assessment", "record")], status_code=201)
    async def record_bonus(self, request: Request, db_session: NamedDependency[AsyncSession],
                           data: JSONBody[s.RecordIn]) -> s.RecordView:
        a = await svc.actor(db_session, request.app.state.authz, request.user)
        row = await svc.record(db_session, a, data, bonus=True)
        return svc.view(row, await svc.names(db_session, [row]))

    @post("/bonuses/{record_id:uuid}/void", guards=[requires("assessment", "record")], status_code=200)
    async def void_bonus(self, request: Request, db_session: NamedDependency[AsyncSession],
                         record_id: FromPath[UUID], data: JSONBody[s.VoidIn]) -> s.RecordView:
        a = await svc.actor(db_session, request.app.state.authz, request.user)
        row = await svc.void(db_session, a, record_id, data.reason, bonus=True)
        return svc.view(row, await svc.names(db_session, [row]))

    @post("/bonuses/{record_id:uuid}/amend", guards=[requires("assessment", "record")], status_code=201)
    async def amend_bonus(self, request: Request, db_session: NamedDependency[AsyncSession],
                          record_id: FromPath[UUID], data: JSONBody[s.AmendIn]) -> s.RecordView:
        a = await svc.actor(db_session, request.app.state.authz, request.user)
        row = await svc.amend(db_session, a, record_id, data, bonus=True)
        return svc.view(row, await svc.names(db_session, [row]))

    # ---- scorecards --------------------------------------------------------------------------------------

    @get("/my", guards=[requires("assessment", "read")])
    async def my_card(self, request: Request, db_session: NamedDependency[AsyncSession],
                      month: Month = None) -> s.ScorecardView:
        a = await svc.actor(db_session, request.app.state.authz, request.user)
        if a.staff is None:
            raise AppError("no_staff_record", "您的账号未关联本中心的工作人员档案", "Your account has no staff record here",
                           status=403)
        return await scoring.card_view(db_session, a, a.staff, await _month(db_session, month))

    @get("/staff/{staff_id:uuid}/card", guards=[requires("assessment", "read")])
    async def staff_card(self, request: Request, db_session: NamedDependency[AsyncSession],
                         staff_id: FromPath[UUID], month: Month = None) -> s.ScorecardView:
        a = await svc.actor(db_session, request.app.state.authz, request.user)
        staff = await db_session.get(Staff, staff_id)
        if staff is None or not a.scope.allows(staff):
            raise not_found("工作人员", "Staff member")
        return await scoring.card_view(db_session, a, staff, await _month(db_session, month))

    # ---- month close -----------------------------------------------------------------------------------

    @get("/months/{month:str}", guards=[requires("assessment", "close")])
    async def month(self, db_session: NamedDependency[AsyncSession], month: FromPath[str]) -> s.MonthView:
        return await closing.month_view(db_session, svc.parse_month(month))

    @post("/months/{month:str}/close", guards=[requires("assessment", "close")], status_code=200)
    async def close(self, request: Request, db_session: NamedDependency[AsyncSession],
                    month: FromPath[str]) -> s.CloseResult:
        closing_month = svc.parse_month(month)
        await refuse_if_big(db_session, assessment_jobs.CLOSE_MONTH, download=False)  # big centers: a job
        a = await svc.actor(db_session, request.app.state.authz, request.user)
        return await closing.close_month(db_session, a, closing_month)

    @post("/months/{month:str}/publish", guards=[requires("assessment", "close")], status_code=200)
    async def publish(self, request: Request, db_session: NamedDependency[AsyncSession],
                      month: FromPath[str]) -> s.MonthView:
        a = await svc.actor(db_session, request.app.state.authz, request.user)
        return await closing.publish(db_session, a, svc.parse_month(month))

    @post("/months/{month:str}/reopen", guards=[requires("assessment", "close")], status_code=200)
    async def reopen(self, request: Request, db_session: NamedDependency[AsyncSession],
                     month: FromPath[str], data: JSONBody[s.ReopenIn]) -> s.MonthView:
        a = await svc.actor(db_session, request.app.state.authz, request.user)
        return await closing.reopen(db_session, a, svc.parse_month(month), data.reason)

    @get("/months/{month:str}/pay", guards=[requires("assessment", "close")])
    async def pay(self, db_session: NamedDependency[AsyncSession], month: FromPath[str]) -> s.PayList:
        return await reports.pay_list(db_session, svc.parse_month(month))

    @get("/months/{month:str}/pay.xlsx", guards=[requires("assessment", "close")], media_type=XLSX)
    async def pay_xlsx(self, db_session: NamedDependency[AsyncSession], month: FromPath[str]) -> Response[bytes]:
        data = await reports.pay_list(db_session, svc.parse_month(month))
        return _xlsx(reports.pay_xlsx(data), f"{data.center}-考核-{data.month}.xlsx", f"assessment-{data.month}.xlsx")

    @get("/months/{month:str}/departments/{department_id:uuid}/notice", guards=[requires("assessment", "close")])
    async def notice(self, db_session: NamedDependency[AsyncSession], month: FromPath[str],
                     department_id: FromPath[UUID]) -> s.DepartmentNotice:
        return await reports.department_notice(db_session, svc.parse_month(month), department_id)

    @get("/months/{month:str}/departments/{department_id:uuid}/notice.xlsx", guards=[requires("assessment", "close")],
         media_type=XLSX)
    async def notice_xlsx(self, db_session: NamedDependency[AsyncSession], month: FromPath[str],
                          department_id: FromPath[UUID]) -> Response[bytes]:
        data = await reports.department_notice(db_session, svc.parse_month(month), department_id)
        return _xlsx(reports.notice_xlsx(data), f"{data.department_name}-考核通报-{data.month}.xlsx",
                     f"notice-{data.month}.xlsx")

    @get("/months/{month:str}/summary", guards=[requires("assessment", "close")])
    async def summary(self, db_session: NamedDependency[AsyncSession], month: FromPath[str]) -> s.MonthSummary:
        return await reports.month_summary(db_session, svc.parse_month(month))

    @get("/years/{year:str}", guards=[requires("assessment", "close")])
    async def year(self, db_session: NamedDependency[AsyncSession], year: FromPath[str]) -> s.AnnualView:
        return await annual.annual_view(db_session, annual.parse_year(year))

    @get("/years/{year:str}/sheet.xlsx", guards=[requires("assessment", "close")], media_type=XLSX)
    async def year_xlsx(self, db_session: NamedDependency[AsyncSession], year: FromPath[str]) -> Response[bytes]:
        """The year sheet as a printable xlsx (title, center, 2026年, borders, print setup, 制表人/审核人)."""
        data = await annual.annual_view(db_session, annual.parse_year(year))
        return _xlsx(annual.year_xlsx(data), f"{data.center}-{data.year}年度考核.xlsx", f"assessment-{data.year}.xlsx")

    # ---- appeals -----------------------------------------------------------------------------------------

    @post("/violations/{record_id:uuid}/appeal", guards=[requires("assessment", "appeal")], status_code=201)
    async def appeal(self, request: Request, db_session: NamedDependency[AsyncSession],
                     record_id: FromPath[UUID], data: JSONBody[s.AppealIn]) -> s.AppealView:
        a = await svc.actor(db_session, request.app.state.authz, request.user)
        return await appeals.file(db_session, a, record_id, data)

    @get("/appeals", guards=[requires("assessment", "decide")])
    async def appeals_inbox(self, request: Request, db_session: NamedDependency[AsyncSession],
                            status: Annotated[str | None, QueryParameter(name="status", required=False,
                                                                         max_length=16)] = None
                            ) -> list[s.AppealView]:
        a = await svc.actor(db_session, request.app.state.authz, request.user)
        return await appeals.list_appeals(db_session, a, status)

    @post("/appeals/{appeal_id:uuid}/decision", guards=[requires("assessment", "decide")], status_code=200)
    async def decide(self, request: Request, db_session: NamedDependency[AsyncSession],
                     appeal_id: FromPath[UUID], data: JSONBody[s.AppealDecisionIn]) -> s.AppealView:
        a = await svc.actor(db_session, request.app.state.authz, request.user)
        return await appeals.decide(db_session, a, appeal_id, data)

    # ---- return to unit ----------------------------------------------------------------------------------

    @get("/return-cases", guards=[requires("assessment", "decide")])
    async def cases(self, db_session: NamedDependency[AsyncSession],
                    status: Annotated[str | None, QueryParameter(name="status", required=False,
                                                                 max_length=16)] = None
                    ) -> list[s.ReturnCaseView]:
        return await returns.list_cases(db_session, status)

    @post("/return-cases/{case_id:uuid}/{action:str}", guards=[requires("assessment", "decide")], status_code=200)
    async def case_step(self, request: Request, db_session: NamedDependency[AsyncSession],
                        case_id: FromPath[UUID], action: FromPath[str], data: JSONBody[s.CaseStepIn]
                        ) -> s.ReturnCaseView:
        return await returns.step(db_session, request.user.id, case_id, action, data)

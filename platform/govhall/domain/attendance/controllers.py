"""/api/t/{tenant_id}/attendance/...: thin handlers; record rules live in the services."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import quote
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.authz.guards import requires
from govhall.clock import local_today
from govhall.domain.attendance import board as boards
from govhall.domain.attendance import corrections as corr
from govhall.domain.attendance import jobs as attendance_jobs
from govhall.domain.attendance import requests as reqs
from govhall.domain.attendance import schemas as s
from govhall.domain.attendance import services as svc
from govhall.domain.attendance.evaluation import evaluate_month, month_bounds
from govhall.domain.attendance.ingest import tenant_timezone
from govhall.errors import AppError
from govhall.paging import Filters, PageRequest, paged_list
from govhall.tenancy.models import Tenant

Month = Annotated[str | None, QueryParameter(name="month", pattern=r"^\d{4}-\d{2}$", required=False)]
BOARD_PAGE = 50
"""Rows of the board per page (counts cover everyone in reach); the UI pages and searches by name."""
SHEET_PAGE = 50
BoardStateFilter = Annotated[str | None, QueryParameter(
    name="state", pattern="^(in|late|left|on_leave|not_punched|absent|rest|upcoming)$", required=False,
    description="Only rows in this state (the counts still cover everyone).")]


class OffPostIn(s.CamelStruct):
    staff_id: UUID
    work_date: date
    minutes: Annotated[int, msgspec.Meta(ge=1, le=24 * 60)]
    note: Annotated[str, msgspec.Meta(max_length=500)] | None = None


async def _month(session: AsyncSession, raw: str | None) -> date:
    tz = await tenant_timezone(session, svc.tenant())
    return svc.parse_month(raw, local_today(tz))


class AttendanceController(Controller):
    path = "/api/t/{tenant_id:uuid}/attendance"
    tags = ["attendance"]

    # ---- the clerk -------------------------------------------------------------------------------------------

    @post("/clock-in", guards=[requires("attendance", "punch")], status_code=200)
    async def clock_in(self, request: Request, db_session: NamedDependency[AsyncSession],
                       data: JSONBody[s.ClockIn | None] = None
                       ) -> s.ClockInResult:
        return await svc.clock_in(db_session, request.user, data or s.ClockIn())

    @get("/today", guards=[requires("attendance", "read")])
    async def today(self, request: Request, db_session: NamedDependency[AsyncSession]) -> s.TodayView:
        return await svc.today_view(db_session, request.user.id)

    @get("/my-month", guards=[requires("attendance", "read")])
    async def my_month(self, request: Request, db_session: NamedDependency[AsyncSession],
                       month: Month = None) -> s.MyMonth:
        staff = await svc.my_staff(db_session, request.user.id)
        if staff is None:
            raise svc.no_staff_record()
        return await svc.staff_month(db_session, staff, await _month(db_session, month))

    @get("/staff/{staff_id:uuid}/month", guards=[requires("attendance", "board")])
    async def staff_month(self, request: Request, db_session: NamedDependency[AsyncSession],
                          staff_id: FromPath[UUID], month: Month = None
                          ) -> s.MyMonth:
        v = await svc.viewer(db_session, request.app.state.authz, request.user)
        staff = await svc.staff_by_id(db_session, staff_id)
        if staff is None or not v.may_see(staff):
            raise AppError("not_found", "工作人员不存在或无权查看", "Staff member not found", status=404)
        return await svc.staff_month(db_session, staff, await _month(db_session, month))

    # ---- boards and the sheet --------------------------------------------------------------------------------

    @get("/board", guards=[requires("attendance", "board")], dependencies=paged_list(size=BOARD_PAGE))
    async def board(self, request: Request, db_session: NamedDependency[AsyncSession], filters: Filters,
                    board_state: BoardStateFilter = None) -> s.Board:
        v = await svc.viewer(db_session, request.app.state.authz, request.user)
        return await boards.board(db_session, v, PageRequest.of(filters, BOARD_PAGE), only_state=board_state)

    @get("/sheet", guards=[requires("attendance", "sheet")], dependencies=paged_list(size=SHEET_PAGE))
    async def sheet(self, db_session: NamedDependency[AsyncSession], filters: Filters, month: Month = None) -> s.Sheet:
        return await boards.sheet(db_session, await _month(db_session, month), PageRequest.of(filters, SHEET_PAGE))

    @get("/sheet.xlsx", guards=[requires("attendance", "sheet")], media_type="application/octet-stream")
    async def sheet_xlsx(self, db_session: NamedDependency[AsyncSession], month: Month = None,
                         lang: Annotated[str, QueryParameter(name="lang", pattern="^(zh|en)$")] = "zh") -> Response[bytes]:
        await attendance_jobs.refuse_if_big(db_session, attendance_jobs.SHEET_XLSX)  # big centers: a background job
        data = await boards.sheet(db_session, await _month(db_session, month))
        center = await db_session.scalar(select(Tenant.name).where(Tenant.id == svc.tenant())) or ""
        body = boards.sheet_xlsx(data, center, lang)
        name = f"{center}-考勤-{data.month}.xlsx" if lang == "zh" else f"attendance-{data.month}.xlsx"
        return Response(body, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"Content-Disposition": f"attachment; filename=\"attendance-{data.month}.xlsx\"; "
                                                        f"filename*=UTF-8''{quote(name)}"})

    @post("/evaluate", guards=[requires("attendance", "sheet")], status_code=200)
    async def evaluate(self, db_session: NamedDependency[AsyncSession],
                       month: Month = None) -> s.EvaluateResult:
        m = await _month(db_session, month)
        await attendance_jobs.refuse_if_big(db_session, attendance_jobs.EVALUATE, download=False)  # big centers: a background job
        summary = await evaluate_month(db_session, svc.tenant(), m)
        return s.EvaluateResult(month=m.strftime("%Y-%m"), staff=summary.staff, days=summary.days,
                                final_through=summary.final_through, seconds=round(summary.seconds, 3))

    # ---- 补卡 -------------------------------------------------------------------------------------------------

    @post("/missed-punches", guards=[requires("missed_punch", "request")], status_code=201)
    async def request_missed_punch(self, request: Request, db_session: NamedDependency[AsyncSession],
                                   data: JSONBody[s.MissedPunchIn]
                                   ) -> s.MissedPunchView:
        return await reqs.request_missed_punch(db_session, request.user.id, data)

    @get("/missed-punches/mine", guards=[requires("missed_punch", "request")])
    async def my_missed_punches(self, request: Request, db_session: NamedDependency[AsyncSession]
                                ) -> list[s.MissedPunchView]:
        v = await svc.viewer(db_session, request.app.state.authz, request.user)
        return await reqs.list_missed_punches(db_session, v, status=None, mine=True)

    @get("/missed-punches", guards=[requires("missed_punch", "approve")])
    async def missed_punches(self, request: Request, db_session: NamedDependency[AsyncSession],
                             status: Annotated[str | None, QueryParameter(name="status", required=False)] = None
                             ) -> list[s.MissedPunchView]:
        v = await svc.viewer(db_session, request.app.state.authz, request.user)
        return await reqs.list_missed_punches(db_session, v, status=status, mine=False)

    @post("/missed-punches/{request_id:uuid}/decision", guards=[requires("missed_punch", "approve")],
          status_code=200)
    async def decide(self, request: Request, db_session: NamedDependency[AsyncSession],
                     request_id: FromPath[UUID], data: JSONBody[s.MissedPunchDecision]) -> s.MissedPunchView:
        v = await svc.viewer(db_session, request.app.state.authz, request.user)
        return await reqs.decide_missed_punch(db_session, v, request_id, data)

    # ---- approved leave and off-post records ---------------------------------------------------------------------

    @get("/leaves", guards=[requires("leave", "approve")])
    async def leaves(self, request: Request, db_session: NamedDependency[AsyncSession],
                     month: Month = None) -> list[s.LeaveView]:
        v = await svc.viewer(db_session, request.app.state.authz, request.user)
        start, end = month_bounds(await _month(db_session, month))
        return await reqs.list_leaves(db_session, v, start, end)

    @post("/off-post", guards=[requires("attendance", "board")], status_code=204)
    async def off_post(self, request: Request, db_session: NamedDependency[AsyncSession],
                       data: JSONBody[OffPostIn]) -> None:
        v = await svc.viewer(db_session, request.app.state.authz, request.user)
        await reqs.record_off_post(db_session, v, data.staff_id, data.work_date, data.minutes, data.note)

    # ---- terminals -----------------------------------------------------------------------------------------------

    @get("/terminals", guards=[requires("device", "read")])
    async def terminals(self, db_session: NamedDependency[AsyncSession]) -> list[s.TerminalView]:
        return await reqs.terminals(db_session)


class CorrectionController(Controller):
    """考勤更正: the center corrects a day or a range for many staff at once (reason and evidence required)."""

    path = "/api/t/{tenant_id:uuid}/attendance/corrections"
    tags = ["attendance"]

    @get("/", guards=[requires("attendance_correction", "read")], dependencies=paged_list(size=20))
    async def list_corrections(self, db_session: NamedDependency[AsyncSession], filters: Filters) -> s.CorrectionPage:
        return await corr.list_corrections(db_session, PageRequest.of(filters, 20))

    @post("/", guards=[requires("attendance_correction", "write")], status_code=201)
    async def create_correction(self, request: Request, db_session: NamedDependency[AsyncSession],
                                data: JSONBody[s.CorrectionIn]) -> s.CorrectionView:
        return await corr.create_correction(db_session, request.user.id, data)

    @post("/{correction_id:uuid}/void", guards=[requires("attendance_correction", "write")], status_code=200)
    async def void_correction(self, request: Request, db_session: NamedDependency[AsyncSession],
                              correction_id: FromPath[UUID], data: JSONBody[s.CorrectionVoidIn]
                              ) -> s.CorrectionView:
        return await corr.void_correction(db_session, request.user.id, correction_id, data)

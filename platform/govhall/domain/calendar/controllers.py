"""/api/t/{tenant_id}/calendar, /dress-code and /today: the packs' rules as one staff member meets them (the dress
code and today's card apply the member's own exceptions, found by the logged-in user's staff record)."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.authz.guards import requires
from govhall.domain.org.models import Staff
from govhall.packs import schemas as s
from govhall.packs import views


async def _employee_no(request: Request, db_session: AsyncSession, tenant_id: UUID) -> str | None:
    staff_id = request.user.staff_id
    if staff_id is None or request.user.tenant_id != tenant_id:
        return None
    staff = await db_session.get(Staff, staff_id)
    return staff.employee_no if staff else None


class WorkCalendarController(Controller):
    path = "/api/t/{tenant_id:uuid}"
    tags = ["packs"]

    @get("/calendar", guards=[requires("attendance", "read")])
    async def calendar(self, db_session: NamedDependency[AsyncSession], tenant_id: FromPath[UUID],
                       start: FromQuery[dt.date], end: FromQuery[dt.date]) -> list[s.DayOut]:
        return await views.calendar_days(db_session, tenant_id, start, end)

    @get("/dress-code", guards=[requires("self", "read")])
    async def dress_code(self, request: Request, db_session: NamedDependency[AsyncSession],
                         tenant_id: FromPath[UUID], start: FromQuery[dt.date],
                         end: FromQuery[dt.date]) -> list[s.DressOut]:
        return await views.dress_days(db_session, tenant_id, start, end,
                                      await _employee_no(request, db_session, tenant_id))

    @get("/today", guards=[requires("self", "read")])
    async def today(self, request: Request, db_session: NamedDependency[AsyncSession],
                    tenant_id: FromPath[UUID]) -> s.TodayOut:
        return await views.today_view(db_session, tenant_id, await _employee_no(request, db_session, tenant_id))


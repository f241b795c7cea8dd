"""POST /api/t/{tenant_id}/packs/{pack}/impact (what-if on a past month) and GET /api/t/{tenant_id}/overview (the
centers below: the province's view)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.authz.guards import requires
from govhall.authz.permissions import PACK_SETTINGS_LOCK
from govhall.domain.rulescode.impact import impact
from govhall.domain.rulescode.overview import OverviewOut, overview
from govhall.errors import AppError, field_error
from govhall.schemas import CamelStruct

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class ImpactIn(CamelStruct):
    enabled: bool
    overrides: dict[str, Any] = msgspec.field(default_factory=dict)
    locks: list[str] | None = None
    month: str | None = None
    """YYYY-MM; default: last month."""


class PersonOut(CamelStruct):
    staff_id: UUID
    employee_no: str
    name: str
    before: dict[str, int]
    after: dict[str, int]
    changed_days: int


class DayChangeOut(CamelStruct):
    staff_id: UUID
    employee_no: str
    name: str
    day: dt.date
    before: str
    after: str


class ImpactOut(CamelStruct):
    month: str
    evaluated_through: dt.date | None
    staff: int
    days: int
    people: list[PersonOut]
    totals_before: dict[str, int]
    totals_after: dict[str, int]
    changed_days: int
    sample: list[DayChangeOut]
    milliseconds: int
    settings_changed: bool


def _month(value: str | None) -> dt.date | None:
    if value is None:
        return None
    if not MONTH.match(value):
        raise AppError("invalid_month", "月份格式应为 YYYY-MM", "Month must be YYYY-MM", status=400,
                       fields=[field_error("month", "格式应为 YYYY-MM", "Use YYYY-MM")])
    return dt.date(int(value[:4]), int(value[5:]), 1)


class ImpactController(Controller):
    path = "/api/t/{tenant_id:uuid}"
    tags = ["packs"]

    @post("/packs/{pack:str}/impact", guards=[requires("pack_settings", "update")],
          status_code=200)
    async def pack_impact(self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession],
                          tenant_id: FromPath[UUID], pack: FromPath[str], data: JSONBody[ImpactIn]) -> ImpactOut:
        """The candidate settings' effect on last month (or ``month``), per person; nothing is written."""
        can_lock = await request.app.state.authz.allowed(request.user.id, str(tenant_id), PACK_SETTINGS_LOCK)
        r = await impact(db_session, tenant_id, pack, enabled=data.enabled, overrides=data.overrides,
                         locks=data.locks, month=_month(data.month), can_lock=can_lock)
        await db_session.rollback()  # read-only, whatever the evaluation touched
        return ImpactOut(
            month=r.month.strftime("%Y-%m"), evaluated_through=r.evaluated_through, staff=r.staff, days=r.days,
            people=[PersonOut(staff_id=p.staff_id, employee_no=p.employee_no, name=p.name, before=p.before,
                              after=p.after, changed_days=p.changed_days) for p in r.people],
            totals_before=r.totals_before, totals_after=r.totals_after, changed_days=r.changed_days,
            sample=[DayChangeOut(staff_id=d.staff_id, employee_no=d.employee_no, name=d.name, day=d.day,
                                 before=d.before, after=d.after) for d in r.sample],
            milliseconds=round(r.seconds * 1000), settings_changed=bool(r.changes))

    @get("/overview", guards=[requires("pack_settings", "read")])
    async def tenant_overview(self, db_session: NamedDependency[AsyncSession], tenant_id: FromPath[UUID]
                              ) -> OverviewOut:
        """The centers below this tenant, read-only summaries: attendance this month, calendar coverage, packs
        enabled, the province's settings they override."""
        return await overview(db_session, tenant_id)


def rulescode_routes() -> list[type[Controller]]:
    return [ImpactController]

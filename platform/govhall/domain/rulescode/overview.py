"""The centers below a tenant, for the province's (or a county's) view: per center this month's attendance totals
(as last evaluated), active staff, calendar coverage, the packs it enabled and the settings it overrides that a
province sets, leave awaiting closure or unclosed this month (domain/leave/summary.py) and the score distribution
of its latest closed assessment month (domain/assessment/summary.py). Each center is read in its own tenant scope. Whoever may read the tenant's rules (the route's
``pack_settings:read`` in the tenant) sees these summaries of every tenant below it, read-only: a county admin its
townships, a provincial admin the whole province (issue 12: "a center sees the centers below it read-only"); the
centers' own pages still need a grant in each center."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.packs.coverage import coverage_of
from govhall.packs.manager import get_host
from govhall.packs.resolve import resolve
from govhall.packs.services import load_chains_below, tenant_today
from govhall.schemas import CamelStruct
from govhall.tenancy.context import system_scope, tenant_scope


class CenterOut(CamelStruct):
    id: UUID
    name: str
    level: str
    division_code: str
    parent_id: UUID | None
    depth: int
    staff: int
    evaluated_staff: int
    late_count: int
    early_count: int
    missed_punches: int
    absence_half_days: int
    leave_half_days: int
    packs: list[str]
    calendar_warning: bool
    calendar_missing_from: dt.date | None
    overrides: int
    """Fields this center sets itself, over all its enabled packs."""
    overrides_province: list[str]
    """``pack.field`` the province sets and this center overrides."""
    leave_awaiting_closure: int
    """Approved leave that has ended and awaits its 销假 (domain/leave/summary.py)."""
    leave_unclosed: int
    """Leave whose closure deadline passed this month (the rules' effect applied)."""
    score_month: str | None = None
    """The latest closed or published assessment month (domain/assessment/summary.py); None before the first."""
    score_state: str | None = None
    score_count: int = 0
    score_average: float | None = None
    score_lowest: float | None = None
    score_bands: dict[str, int] | None = None
    """Scorecards per band: 90+, 80-89, 60-79, <60."""


class OverviewOut(CamelStruct):
    month: str
    today: dt.date
    centers: list[CenterOut]
    missing_calendar: int
    without_packs: int


async def overview(session: AsyncSession, tenant_id: UUID) -> OverviewOut:
    from govhall.domain.assessment.summary import score_figures
    from govhall.domain.attendance.models import AttendanceMonth
    from govhall.domain.leave.summary import leave_figures
    from govhall.domain.org.models import Staff, StaffStatus
    from govhall.tenancy.models import Tenant

    today = await tenant_today(session, tenant_id)
    month = today.replace(day=1)
    chains = await load_chains_below(session, tenant_id)
    chains.pop(tenant_id, None)
    ids = list(chains)
    with system_scope():
        tenants = {t.id: t for t in (await session.scalars(select(Tenant).where(Tenant.id.in_(ids)))).all()}
    packs = get_host().packs
    out: list[CenterOut] = []
    for tid in ids:
        t, chain = tenants[tid], chains[tid]
        with tenant_scope(tid):
            staff = int(await session.scalar(select(func.count(Staff.id)).where(Staff.status == StaffStatus.active))
                        or 0)
            row = (await session.execute(select(
                func.count(AttendanceMonth.id), func.coalesce(func.sum(AttendanceMonth.late_count), 0),
                func.coalesce(func.sum(AttendanceMonth.early_count), 0),
                func.coalesce(func.sum(AttendanceMonth.missed_punches), 0),
                func.coalesce(func.sum(AttendanceMonth.total_absence_half_days), 0),
                func.coalesce(func.sum(AttendanceMonth.leave_half_days), 0),
            ).where(AttendanceMonth.month == month))).one()
            leave = await leave_figures(session, today)
            scores = await score_figures(session)
        enabled, overrides, over_prov = [], 0, []
        root = chain.levels[0]
        for name, p in sorted(packs.items()):
            r = resolve(p.spec, chain, today)
            if not r.enabled:
                continue
            enabled.append(name)
            own = r.own.overrides if r.own else {}
            overrides += len(own)
            prov = root.in_force(name, today)
            if prov is not None and root.tenant_id != tid:
                over_prov += [f"{name}.{f}" for f in sorted(own) if f in prov.overrides]
        cov = coverage_of(chain, today)
        out.append(CenterOut(
            id=tid, name=t.name, level=t.level.value, division_code=t.division_code, parent_id=t.parent_id,
            depth=t.path.strip("/").count("/"), staff=staff, evaluated_staff=int(row[0]), late_count=int(row[1]),
            early_count=int(row[2]), missed_punches=int(row[3]), absence_half_days=int(row[4]),
            leave_half_days=int(row[5]), packs=enabled, calendar_warning=cov.warning,
            calendar_missing_from=cov.missing_from, overrides=overrides, overrides_province=over_prov,
            leave_awaiting_closure=leave.awaiting_closure, leave_unclosed=leave.unclosed_this_month,
            score_month=scores.month.strftime("%Y-%m") if scores else None,
            score_state=scores.state if scores else None, score_count=scores.count if scores else 0,
            score_average=scores.average if scores else None, score_lowest=scores.lowest if scores else None,
            score_bands=scores.bands if scores else None))
    return OverviewOut(month=month.strftime("%Y-%m"), today=today, centers=out,
                       missing_calendar=sum(1 for c in out if c.calendar_warning),
                       without_packs=sum(1 for c in out if not c.packs))

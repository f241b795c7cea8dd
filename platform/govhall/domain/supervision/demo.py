"""Demo data of the supervision domain (``govhall demo``), in the county hall (patrols pack of the county_hall
template: 4 patrols a day, 2 + 2, the 9:00 check, the closing check, 刘值班 at 8:20 on duty days):

- the duty rota from last week (not before this month) to the end of next month (not past this year), 刘值班 on
  every working day;
- the past week's patrols: each working day 4 patrols (2 before 14:30, 2 after), the 9:00 check and the closing
  check, except one day with only three patrols (shown 未达标); one finding noted (a warning, no deduction).

Loading twice changes nothing (a rota or patrols already there are left as they are)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from uuid import uuid4

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.clock import local_today
from govhall.domain.attendance.ingest import tenant_timezone
from govhall.domain.identity.models import User
from govhall.domain.org.models import Staff
from govhall.domain.supervision import schemas as s
from govhall.domain.supervision.models import DutyRotaEntry, Patrol, PatrolFinding
from govhall.domain.supervision.plans import patrol_plans
from govhall.errors import AppError
from govhall.log import get_logger
from govhall.tenancy import system_scope, tenant_scope
from govhall.tenancy.models import Tenant

log = get_logger(__name__)
COUNTY = "421121"
PATROL_TIMES = ("09:20", "10:45", "15:10", "16:40")


def _at(d: date, hhmm: str, tz: str) -> datetime:
    from govhall.clock import zone

    return datetime.combine(d, time.fromisoformat(hhmm), zone(tz)).astimezone(UTC)


async def load_demo(session: AsyncSession) -> str | None:
    from govhall.domain.supervision.rota import save_rota

    with system_scope():
        tenant = await session.scalar(select(Tenant).where(Tenant.division_code == COUNTY))
        await session.commit()
    if tenant is None:
        return None
    with tenant_scope(tenant.id):
        if await session.scalar(select(func.count()).select_from(DutyRotaEntry)):
            await session.commit()
            return None
        tz = await tenant_timezone(session, tenant.id)
        today = local_today(tz)
        admin = await session.scalar(select(User).where(User.username == "county_admin"))
        duty_user = await session.scalar(select(User).where(User.username == "county_duty"))
        officer = await session.scalar(select(Staff).where(Staff.employee_no == "T010"))
        if admin is None or duty_user is None or officer is None:
            await session.commit()
            return None
        monday = today - timedelta(days=today.weekday())
        end = ((today.replace(day=28) + timedelta(days=4)).replace(day=1) + timedelta(days=32)).replace(day=1) \
            - timedelta(days=1)
        end = min(end, date(today.year, 12, 31))  # next year's holiday calendar may not be entered yet
        try:
            plans, _cal = await patrol_plans(session, tenant.id, monday - timedelta(days=7), end)
        except AppError as exc:  # early in a year whose holiday calendar is not entered yet: no demo rota
            if exc.code != "calendar_year_missing":
                raise
            await session.commit()
            return None
        entries = [s.RotaEntryIn(day=d, slot=0, staff_id=officer.id) for d, p in sorted(plans.items())
                   if p.duty_day and d >= max(monday - timedelta(days=7), today.replace(day=1))]
        first = max(monday - timedelta(days=7), today.replace(day=1))  # a closed month is left as it is
        chunk_start = first  # the rota is saved through the API's path, in spans of at most 56 days
        while chunk_start <= end:
            chunk_end = min(end, chunk_start + timedelta(days=55))
            await save_rota(session, admin.id, s.RotaIn(
                start=chunk_start, end=chunk_end,
                entries=[e for e in entries if chunk_start <= e.day <= chunk_end]))
            chunk_start = chunk_end + timedelta(days=1)
        patrols = 0
        week_ago = monday - timedelta(days=7)
        past = [d for d, p in sorted(plans.items()) if week_ago <= d < today and p.required_total]
        for n, d in enumerate(past):
            plan = plans[d]
            times = PATROL_TIMES[:3] if n == 1 else PATROL_TIMES
            rows: list[tuple[str, str | None, str]] = [("patrol", None, t) for t in times]
            rows += [("fixed_check", f.key, f.at.strftime("%H:%M")) for f in plan.fixed_checks]
            if plan.closing_check:
                rows.append(("closing_check", None, "17:55"))
            for kind, key, hhmm in rows:
                started = _at(d, hhmm, tz)
                p = Patrol(client_id=uuid4(), day=d, kind=kind, check_key=key, mode="on_site" if n % 2 else "video",
                           started_at=started, submitted_at=started + timedelta(minutes=12),
                           half="am" if time.fromisoformat(hhmm) < plan.midday else "pm",
                           officer_user_id=duty_user.id, officer_staff_id=officer.id,
                           results={k: "ok" for k in (plan.closing_items if kind == "closing_check" else ())})
                session.add(p)
                await session.flush()
                patrols += 1
                if n == 0 and kind == "patrol" and hhmm == PATROL_TIMES[0]:
                    session.add(PatrolFinding(patrol_id=p.id, item_key="order", item_name="大厅秩序、物品摆放、公共设施",
                                              note="填表台资料摆放凌乱，已当场整理", sanction="verbal_warning",
                                              clause="000 篇七 工作制度 七(三)1"))
        await session.commit()
    log.info("supervision_demo_loaded", rota_days=len(entries), patrols=patrols)
    return f"{tenant.name}: duty rota {len(entries)} days, {patrols} patrols and checks in the past week"

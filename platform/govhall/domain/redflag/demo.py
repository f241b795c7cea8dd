"""Demo data of the red flag (``govhall demo``):

- the county hall (000 篇七 工作制度 十, 3 flags a month, awarded on the 3rd): the round of the latest month whose
  award day has come is rated, proposed, awarded and published (the council's ratings 92 / 88 / 85 by window);
  when that is the month before last (early in a month, before the 3rd) two patrol findings of that month are
  recorded first, and last month's round is left rated, waiting for its award day;
- the city hall (004/4 一): the duty rota of this month, the same four windows on every working day.

Loading twice changes nothing (a center with a round, or a city rota, is left as it is)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.clock import local_today
from govhall.domain.assessment.models import ViolationRecord
from govhall.domain.attendance.ingest import tenant_timezone
from govhall.domain.identity.models import User
from govhall.domain.org.models import Staff, Window
from govhall.domain.redflag import schemas as s
from govhall.domain.redflag import services
from govhall.domain.redflag.models import RedFlagRound
from govhall.domain.supervision import schemas as sup
from govhall.domain.supervision.models import DutyRotaEntry
from govhall.errors import AppError
from govhall.log import get_logger
from govhall.tenancy import system_scope, tenant_scope
from govhall.tenancy.models import Tenant

log = get_logger(__name__)
COUNTY, CITY = "421121", "421100"
RATINGS = {"01": 92.0, "02": 88.0, "05": 85.0}


def _month_before(d: date) -> date:
    return (d.replace(day=1) - timedelta(days=1)).replace(day=1)


async def _tenant(session: AsyncSession, code: str) -> Tenant | None:
    with system_scope():
        t = await session.scalar(select(Tenant).where(Tenant.division_code == code))
        await session.commit()
    return t


async def _round(session: AsyncSession, admin_id: uuid.UUID, month: date, *, publish: bool) -> str:
    rnd = await services.create(session, admin_id, s.RedFlagRoundIn(period="month", label=f"{month:%Y-%m}"))
    windows = {w.id: w.number for w in (await session.scalars(select(Window))).all()}
    rated = await services.rate(session, rnd.id, s.RedFlagRatingsIn(ratings=[
        s.RedFlagRatingIn(unit_id=r.unit_id, rating=RATINGS.get(windows.get(r.unit_id, ""), 90.0)) for r in rnd.ranking]))
    if not publish:
        return f"{rated.label} {rated.status}"
    await services.propose(session, rnd.id, admin_id)
    await services.award(session, rnd.id, admin_id)
    done = await services.publish(session, rnd.id, admin_id)
    flags = "、".join(r.name for r in done.ranking if r.flag)
    return f"{done.label} published ({flags})"


async def _county(session: AsyncSession) -> str | None:
    tenant = await _tenant(session, COUNTY)
    if tenant is None:
        return None
    with tenant_scope(tenant.id):
        if await session.scalar(select(func.count()).select_from(RedFlagRound)):
            await session.commit()
            return None
        admin = await session.scalar(select(User).where(User.username == "county_admin"))
        if admin is None:
            await session.commit()
            return None
        today = local_today(await tenant_timezone(session, tenant.id))
        last = _month_before(today)
        try:
            _hooks, terms = await services.terms_on(session, last)
        except AppError:
            await session.commit()
            return None
        kind = next(k for k in terms.rounds if k.period == "month")
        due = await services.award_date(session, services.period_span("month", f"{last:%Y-%m}")[1], kind.award_day)
        lines = []
        if today >= due:
            lines.append(await _round(session, admin.id, last, publish=True))
        else:
            before = _month_before(last)
            staff = {x.employee_no: x for x in (await session.scalars(select(Staff))).all()}
            for emp, kind_, name, cat, day in (("T002", "no_badge", "不佩证上岗", "service", 9),
                                               ("T003", "untidy", "桌面不整齐、有灰尘、纸团", "hygiene_safety", 16)):
                if emp in staff:
                    session.add(ViolationRecord(
                        subject="staff", staff_id=staff[emp].id, window_id=staff[emp].window_id,
                        department_id=staff[emp].department_id, kind=kind_, name=name, category=cat,
                        day=before.replace(day=day), quantity=1, source="patrol",
                        source_ref=f"demo-red-flag/{emp}/{before:%Y-%m}", evidence=[], recorded_by=admin.id,
                        note="值班巡查发现"))
            await session.flush()
            lines.append(await _round(session, admin.id, before, publish=True))
            lines.append(await _round(session, admin.id, last, publish=False))
        await session.commit()
    return f"{tenant.name}: red flag " + "; ".join(lines)


async def _city(session: AsyncSession) -> str | None:
    from govhall.domain.supervision.plans import patrol_plans
    from govhall.domain.supervision.rota import save_rota

    tenant = await _tenant(session, CITY)
    if tenant is None:
        return None
    with tenant_scope(tenant.id):
        today = local_today(await tenant_timezone(session, tenant.id))
        start = today.replace(day=1)
        end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        if await session.scalar(select(func.count()).select_from(DutyRotaEntry).where(DutyRotaEntry.day >= start)):
            await session.commit()
            return None
        admin = await session.scalar(select(User).where(User.username == "city_admin"))
        windows = (await session.scalars(select(Window).order_by(Window.number))).all()[:4]
        try:
            plans, _cal = await patrol_plans(session, tenant.id, start, end)
        except AppError as exc:  # the pack off, or next year's calendar missing: no rota
            log.warning("red_flag_demo_city_rota_skipped", code=exc.code)
            await session.commit()
            return None
        per_month = next(iter(plans.values())).windows_per_month
        if admin is None or len(windows) < per_month:
            await session.commit()
            return None
        entries = [sup.RotaEntryIn(day=d, slot=i + 1, window_id=w.id) for d, p in sorted(plans.items()) if p.duty_day
                   for i, w in enumerate(windows[:per_month])]
        await save_rota(session, admin.id, sup.RotaIn(start=start, end=end, entries=entries))
    return f"{tenant.name}: duty rota {start:%Y-%m}, windows " + "、".join(w.number for w in windows[:per_month])


async def load_demo(session: AsyncSession) -> list[str]:
    out = [await _county(session), await _city(session)]
    lines = [x for x in out if x]
    log.info("red_flag_demo_loaded", lines=lines)
    return lines

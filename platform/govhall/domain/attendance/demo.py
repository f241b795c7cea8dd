"""Demo punches for ``govhall demo``: a month that looks like a hall's (issue 13).

Every active staff member of every demo center punches on the workdays from the first of the previous month to
today (dated relative to today; today only the punches of more than half an hour ago, once work began an hour ago): mostly a few minutes before each session starts and after it ends, now and
then late (about one session in thirty) or leaving early (one in seventy), and the first staff member of each center
forgot the departure punch of the last workday but one before today (a missed punch, 缺卡, to request 补卡 for). Approved leave is
respected (no punch in a session the leave covers). Deterministic: the times come from a random generator seeded
with the center, the person and the date, so two loads of the same day give the same punches. Written through
``store_punches`` (one bulk insert per center, ``tenant_rows``), as a terminal named ``DEMO-TERMINAL`` would send
them. A person's month that has punches already (the assessment demo's county month) is left as it is; loading
twice adds nothing.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.clock import local_today, utcnow, zone
from govhall.domain.attendance.ingest import RawPunch, store_punches, tenant_timezone
from govhall.domain.attendance.inputs import leave_on, load_leaves, load_staff
from govhall.domain.attendance.models import Punch, PunchSource
from govhall.domain.attendance.rules import AttendanceRules, DayPlan, compile_day
from govhall.errors import AppError
from govhall.log import get_logger
from govhall.packs.calendar import work_calendar
from govhall.tenancy import system_scope, tenant_scope
from govhall.tenancy.models import Tenant, TenantLevel

log = get_logger(__name__)
DEVICE = "DEMO-TERMINAL"
LATE_RATE = 0.03
EARLY_RATE = 0.015


def day_punches(plan: DayPlan, leave: list[tuple[int, int]], rng: random.Random, *, forget_last_out: bool = False
                ) -> list[int]:
    """One person's punches (local seconds) on a workday: an arrival and a departure per session that needs
    punches, none in a session the leave covers."""
    out: list[int] = []
    needed = [s for s in plan.sessions if s.required]
    for i, s in enumerate(needed):
        if any(lo <= s.start and s.end <= hi for lo, hi in leave):
            continue
        arrive = s.start + (rng.randint(2, 22) * 60 if rng.random() < LATE_RATE else -rng.randint(3, 25) * 60)
        leave_at = s.end + (-rng.randint(5, 25) * 60 if rng.random() < EARLY_RATE else rng.randint(0, 12) * 60)
        out.append(max(s.in_lo, arrive) + rng.randint(0, 59))
        if not (forget_last_out and i == len(needed) - 1):
            out.append(min(s.out_hi - 60, leave_at) + rng.randint(0, 59))
    return out


def _settled(plan: DayPlan, sec: int, now_sec: int) -> bool:
    """Today: a punch more than half an hour ago, once the first session began an hour ago (a board opened at
    10:30 shows the morning's arrivals; one opened before work shows nobody in yet)."""
    first = min((s.start for s in plan.sessions if s.required), default=0)
    return now_sec >= first + 3600 and sec <= now_sec - 1800


async def _center(session: AsyncSession, tenant_id: UUID, code: str) -> int:
    tz = await tenant_timezone(session, tenant_id)
    today = local_today(tz)
    first = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    staff = await load_staff(session)
    if not staff:
        return 0
    # the months a person has punches in already (the assessment demo's) are left alone
    punched = {(sid, (d.year, d.month)) for sid, d in (await session.execute(
        select(Punch.staff_id, Punch.work_date).where(Punch.work_date >= first).distinct())).all()}
    calendar = {}
    for lo in (first, today.replace(day=1)):
        hi = min((lo + timedelta(days=31)).replace(day=1) - timedelta(days=1), today)
        if hi < lo:
            continue
        try:
            calendar.update(await work_calendar(session, tenant_id, lo, hi))
        except AppError as exc:  # a year the calendar does not know: no punches there
            log.warning("demo_punches_skipped", tenant=code, code=exc.code, month=f"{lo:%Y-%m}")
    rules = AttendanceRules()
    plans = {d: compile_day(x, rules) for d, x in sorted(calendar.items())}
    workdays = [d for d, p in plans.items() if not p.is_rest_day]
    if not workdays:
        return 0
    leaves = await load_leaves(session, first, today, tz, {x.id for x in staff})
    punches: list[RawPunch] = []
    now = utcnow().astimezone(zone(tz))
    now_sec = now.hour * 3600 + now.minute * 60 + now.second
    past = [d for d in workdays if d < today]
    for n, person in enumerate(staff):
        for d in workdays:
            if (person.id, (d.year, d.month)) in punched:
                continue
            rng = random.Random(f"{code}:{person.employee_no}:{d.isoformat()}")
            # the missed punch: the last workday but one before today (the last may carry a leave rule's absence)
            forget = len(past) > 1 and n == 0 and d == past[-2]
            for sec in day_punches(plans[d], leave_on(leaves.get(person.id, ()), d), rng, forget_last_out=forget):
                if d == today and not _settled(plans[d], sec, now_sec):
                    continue
                at = datetime.combine(d, datetime.min.time()) + timedelta(seconds=sec)
                punches.append(RawPunch(len(punches), person.employee_no, at, verify=15))
    if not punches:
        return 0
    report = await store_punches(session, source=PunchSource.device_api, device_key=DEVICE, punches=punches, tz=tz,
                                 now=utcnow(), rules=AttendanceRules(backdate_days=(today - first).days + 1),
                                 known_staff={x.employee_no: x.id for x in staff})
    return report.accepted


async def seed(session: AsyncSession) -> list[str]:
    """Punches for every center; a line per center for the command's output."""
    with system_scope():
        tenants = (await session.execute(select(Tenant.id, Tenant.division_code, Tenant.name)
                                         .where(Tenant.level.in_([TenantLevel.city, TenantLevel.county, TenantLevel.township]))
                                         .order_by(Tenant.division_code))).all()
        await session.commit()
    lines = []
    for tid, code, name in tenants:
        with tenant_scope(tid):
            n = await _center(session, tid, code)
            await session.commit()
        if n:
            lines.append(f"{name}: {n} punches")
    log.info("demo_punches_loaded", centers=len(lines))
    return lines

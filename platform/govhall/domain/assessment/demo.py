"""Demo data of the assessment (``govhall demo``): in the county hall, last month's punches (one clerk late three
times), records of every source, a closed and published month, a pending appeal and a return-to-unit case under
review. Loading twice changes nothing (a closed month is left as it is)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.clock import local_today, utcnow
from govhall.domain.assessment import schemas as s
from govhall.domain.assessment.models import AssessmentMonth
from govhall.domain.attendance.ingest import RawPunch, store_punches, tenant_timezone
from govhall.domain.attendance.models import PunchSource
from govhall.domain.attendance.rules import AttendanceRules
from govhall.domain.identity.models import User
from govhall.domain.org.models import Staff
from govhall.domain.org.rules import scope_for
from govhall.errors import AppError
from govhall.log import get_logger
from govhall.packs.calendar import work_calendar
from govhall.tenancy import system_scope, tenant_scope
from govhall.tenancy.models import Tenant

log = get_logger(__name__)
COUNTY = "421121"
ON_TIME = ("08:24", "12:02", "14:26", "18:03")


async def _actor(session: AsyncSession, username: str, roles: set[str]):
    from govhall.domain.assessment.services import Actor

    user = await session.scalar(select(User).where(User.username == username))
    assert user is not None
    own = await session.get(Staff, user.staff_id) if user.staff_id else None
    return Actor(user.id, frozenset(roles), own, scope_for(roles, own))


async def load_demo(session: AsyncSession) -> str | None:
    """Returns what was done, or None when there was nothing to do."""
    from govhall.domain.assessment import appeals, closing, returns
    from govhall.domain.assessment import services as svc

    with system_scope():
        tenant = await session.scalar(select(Tenant).where(Tenant.division_code == COUNTY))
        await session.commit()
    if tenant is None:
        return None
    with tenant_scope(tenant.id):
        tz = await tenant_timezone(session, tenant.id)
        month = (local_today(tz).replace(day=1) - timedelta(days=1)).replace(day=1)
        end = svc.month_end(month)
        if await session.scalar(select(AssessmentMonth).where(AssessmentMonth.month == month,
                                                               AssessmentMonth.status != "open")):
            await session.commit()
            return None
        staff = {st.employee_no: st for st in (await session.scalars(select(Staff))).all()}
        cal = await work_calendar(session, tenant.id, month, end)
        workdays = [d for d in sorted(cal) if cal[d].workday]
        late_days = workdays[1:12:5][:3]  # three days, ten minutes late: 1st 1 point, 2nd 2, 3rd -> return
        punches: list[RawPunch] = []
        for emp in ("T001", "T002", "T003", "T010"):
            for d in workdays:
                times = list(ON_TIME)
                if emp == "T003" and d in late_days:
                    times[0] = "08:40"
                punches += [RawPunch(len(punches), emp, datetime.combine(d, time.fromisoformat(t))) for t in times]
        await store_punches(session, source=PunchSource.device_api, device_key="DEMO-TERMINAL", punches=punches,
                            tz=tz, now=utcnow(), rules=AttendanceRules())
        await session.commit()
        duty = await _actor(session, "county_duty", {"duty_officer"})
        chief = await _actor(session, "county_chief", {"chief_representative"})
        admin = await _actor(session, "county_admin", {"center_admin"})
        clerk = await _actor(session, "county_clerk", {"clerk"})

        def rec(kind: str, emp: str, day: date, source: str, note: str) -> s.RecordIn:
            return s.RecordIn(kind=kind, day=day, staff_id=staff[emp].id, source=source, note=note)  # type: ignore[arg-type]  # demo kinds/sources are literal strings of the schema

        quarrel = await svc.record(session, duty, rec("quarrel", "T002", workdays[3], "patrol",
                                                      "巡查发现与办事群众争吵"))
        await svc.record(session, duty, rec("complaint", "T001", workdays[6], "complaint", "群众电话投诉：态度生硬"))
        await svc.record(session, chief, rec("late_entry", "T001", workdays[8], "case", "办件录入超时 1 件"))
        await svc.record(session, duty, rec("meeting_late", "T002", workdays[10], "meeting", "周一例会迟到"))
        await svc.record(session, duty, rec("untidy", "T003", workdays[12], "manual", "柜台资料摆放凌乱"))
        await svc.record(session, duty, rec("praise_letter", "T001", workdays[14], "manual", "群众送锦旗"), bonus=True)
        result = await closing.close_month(session, admin, month)
        await closing.publish(session, admin, month)
        appealed = 0
        try:  # the deadline needs the working days ahead: late in December that is next year's calendar
            await appeals.file(session, clerk, quarrel.id, s.AppealIn(reason="对方先出言不逊，我只是解释政策，请调阅监控。"))
            appealed = 1
        except AppError as exc:
            if exc.code != "calendar_year_missing":
                raise
            log.warning("demo_appeal_skipped", code=exc.code)
        for case in await returns.list_cases(session, "flagged"):
            await returns.step(session, admin.user_id, case.id, "review", s.CaseStepIn(note="经核实，考勤记录属实"))
        await session.commit()
    log.info("assessment_demo_loaded", month=f"{month:%Y-%m}", scorecards=result.scorecards)
    return (f"{tenant.name} {month:%Y-%m}: {result.scorecards} scorecards, {result.attendance_records} attendance "
            f"records, {result.return_cases} return case(s), {appealed} appeal(s)")

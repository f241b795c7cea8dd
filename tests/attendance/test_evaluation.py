"""Month-end evaluation against the real work calendar (work_hours pack) and attendance_rules pack, on the database.

Seed file 000 = shared/seeds/000_ce1629b0b06be5b0.txt (county hall: 七、考勤规范).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from govhall.clock import set_clock, utcnow
from govhall.domain.attendance.evaluation import ensure_month, evaluate_month, final_through
from govhall.domain.attendance.ingest import RawPunch, SyncUpdate, store_punches, update_device_sync
from govhall.domain.attendance.models import (
    AttendanceDay,
    AttendanceMonth,
    LeaveRecord,
    MonthState,
    PunchSource,
)
from govhall.domain.attendance.rules import AttendanceRules
from govhall.domain.devices.models import Device
from govhall.domain.devices.services import hash_token
from govhall.tenancy import tenant_scope
from tests.attendance.centers import LUOTIAN_HOURS, Center, make_center, set_pack
from tests.attendance.conftest import CST

MARCH = date(2026, 3, 1)
APRIL_1 = datetime(2026, 4, 1, 10, 0, tzinfo=CST)
ON_TIME = ("08:25", "12:01", "14:28", "18:02")


def workdays(month: date = MARCH) -> list[date]:
    out, d = [], month
    while d.month == month.month:
        if d.weekday() < 5:
            out.append(d)
        d += timedelta(days=1)
    return out


async def punch(session, center: Center, emp: str, day: date, *times: str, device: str = "TESTDEV") -> None:  # type: ignore[no-untyped-def]
    with tenant_scope(center.id):
        await store_punches(session, source=PunchSource.device_api, device_key=device,
                            punches=[RawPunch(i, emp, datetime.combine(day, time.fromisoformat(t)))
                                     for i, t in enumerate(times)],
                            tz="Asia/Shanghai", now=utcnow(), rules=AttendanceRules())


async def fill_month(session, center: Center, emps: list[str], skip: set[tuple[str, date]] = frozenset()) -> None:  # type: ignore[no-untyped-def,assignment]
    for d in workdays():
        for emp in emps:
            if (emp, d) not in skip:
                await punch(session, center, emp, d, *ON_TIME)


async def days_of(session, center: Center, emp: str) -> dict[date, AttendanceDay]:  # type: ignore[no-untyped-def]
    with tenant_scope(center.id):
        rows = (await session.scalars(select(AttendanceDay).where(AttendanceDay.staff_id == center.staff[emp])
                                      .execution_options(populate_existing=True))).all()
        await session.commit()
    return {r.work_date: r for r in rows}


async def month_of(session, center: Center, emp: str) -> AttendanceMonth:  # type: ignore[no-untyped-def]
    with tenant_scope(center.id):
        row = await session.scalar(select(AttendanceMonth).where(AttendanceMonth.staff_id == center.staff[emp])
                                   .execution_options(populate_existing=True))
        await session.commit()
    return row


async def evaluate(session, center: Center, month: date = MARCH):  # type: ignore[no-untyped-def]
    with tenant_scope(center.id):
        return await evaluate_month(session, center.id, month)


async def test_same_punches_under_two_centers_hours(app_session, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """The same four punches: late twice at 8:00-11:30/14:00-17:00, early twice at 8:30-12:00/14:30-18:00
    (seed 000 county hall, line 844)."""
    county = await make_center(owner_session, demo)
    luotian = await make_center(owner_session, demo, hours=LUOTIAN_HOURS)
    monday = date(2026, 3, 2)
    for c in (county, luotian):
        await punch(app_session, c, "E001", monday, "08:15", "11:35", "14:05", "17:05")
        summary = await evaluate(app_session, c)
        assert summary.final_through == monday  # clock: Tuesday 2026-03-03 09:00, no terminals registered
    lt, tf = (await days_of(app_session, luotian, "E001"))[monday], (await days_of(app_session, county, "E001"))[monday]
    assert (lt.finding, lt.late_count, lt.late_minutes) == ("late", 2, 20)
    assert (tf.finding, tf.early_count, tf.early_minutes) == ("early_leave", 2, 80)
    assert [s["status"] for s in tf.details["sessions"]] == ["early", "early"]


async def test_a_month_with_its_conversions(app_session, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """seed 000 (line 884, 10.5) 当月迟到或早退4次以上的计旷工半天; (line 888, 10.7) 未签到…8次计旷工1天;
    (line 886, 10.6) 擅离工作岗位时间超过2小时的计旷工半天."""
    set_clock(APRIL_1)
    c = await make_center(owner_session, demo)
    days = workdays()
    assert len(days) == 22
    late_days, missed_days = days[:4], days[4:12]
    skip = {("E001", d) for d in late_days} | {("E002", d) for d in missed_days}
    await fill_month(app_session, c, ["E001", "E002", "E003"], skip)
    for d in late_days:
        await punch(app_session, c, "E001", d, "08:40", "12:00", "14:30", "18:00")  # 10 minutes late
    for d in missed_days:
        await punch(app_session, c, "E002", d, "08:20", "14:20", "18:00")  # no noon punch
    with tenant_scope(c.id):
        from govhall.domain.attendance.models import OffPostRecord

        app_session.add(OffPostRecord(staff_id=c.staff["E003"], work_date=days[3], minutes=150))
        await app_session.commit()
    summary = await evaluate(app_session, c)
    assert summary.final_through == date(2026, 3, 31) and summary.days == 31
    e1, e2, e3 = [await month_of(app_session, c, e) for e in ("E001", "E002", "E003")]
    assert (e1.workdays, e1.late_count, e1.late_minutes, e1.on_time_days) == (22, 4, 40, 18)
    assert (e1.details["converted"]["late_early"], e1.total_absence_half_days) == (1, 1)
    assert (e2.missed_punches, e2.details["converted"]["missed_punch"], e2.total_absence_half_days) == (8, 2, 2)
    assert (e3.details["converted"]["off_post"], e3.total_absence_half_days) == (1, 1)
    # the other staff have no punches at all: every workday is a whole day of absence
    x = await month_of(app_session, c, "X001")
    assert (x.absence_half_days, x.workdays) == (44, 22)


async def test_without_the_pack_no_conversions(app_session, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    set_clock(APRIL_1)
    c = await make_center(owner_session, demo, attendance_rules=False)
    days = workdays()
    await fill_month(app_session, c, ["E001"], {("E001", d) for d in days[:5]})
    for d in days[:5]:
        await punch(app_session, c, "E001", d, "08:45", "12:00", "14:30", "18:00")
    await evaluate(app_session, c)
    m = await month_of(app_session, c, "E001")
    assert (m.late_count, m.converted_half_days, m.details["converted"]) == (5, 0, {})


async def test_late_punches_and_leave_trigger_reevaluation(app_session, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    set_clock(APRIL_1)
    c = await make_center(owner_session, demo)
    thursday, friday = date(2026, 3, 5), date(2026, 3, 6)
    await fill_month(app_session, c, ["E001"], {("E001", thursday), ("E001", friday)})
    await evaluate(app_session, c)
    days = await days_of(app_session, c, "E001")
    assert days[thursday].finding == "absence" and days[friday].finding == "absence"
    # a terminal that was offline delivers Thursday's punches today; Friday turns out to be approved leave
    await punch(app_session, c, "E001", thursday, *ON_TIME, device="LATE-DEV")
    with tenant_scope(c.id):
        app_session.add(LeaveRecord(staff_id=c.staff["E001"], kind="annual",
                                    starts_at=datetime(2026, 3, 6, 0, 0, tzinfo=CST),
                                    ends_at=datetime(2026, 3, 7, 0, 0, tzinfo=CST)))
        from govhall.domain.attendance.ingest import mark_months_dirty

        await mark_months_dirty(app_session, c.id, [friday], utcnow())
        await app_session.commit()
        state = await app_session.scalar(select(MonthState).where(MonthState.month == MARCH)
                                         .execution_options(populate_existing=True))
        assert state.dirty
        await ensure_month(app_session, c.id, MARCH)
        await app_session.commit()
    days = await days_of(app_session, c, "E001")
    assert thursday not in days  # an ordinary on-time day is not stored: final and without a row = on time
    assert (days[friday].finding, days[friday].leave_half_days) == ("on_leave", 2)
    with tenant_scope(c.id):
        state = await app_session.scalar(select(MonthState).where(MonthState.month == MARCH)
                                         .execution_options(populate_existing=True))
        await app_session.commit()
    assert state.final_through == date(2026, 3, 31) and not state.dirty


async def test_a_rules_change_reevaluates_the_month(app_session, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """seed 000 city hall (line 106): 有上班考勤无下班考勤…视为旷工 — switching the rule re-reads the month."""
    set_clock(APRIL_1)
    c = await make_center(owner_session, demo)
    monday = date(2026, 3, 2)
    await fill_month(app_session, c, ["E001"], {("E001", monday)})
    await punch(app_session, c, "E001", monday, "08:20", "14:20", "18:00")
    with tenant_scope(c.id):
        await ensure_month(app_session, c.id, MARCH)
        await app_session.commit()
    assert (await days_of(app_session, c, "E001"))[monday].finding == "missed_punch"
    await set_pack(owner_session, c.id, "attendance_rules", {"missing_punch": "absence"},
                   effective_from=date(2026, 3, 1))
    with tenant_scope(c.id):
        await ensure_month(app_session, c.id, MARCH)
        await app_session.commit()
    day = (await days_of(app_session, c, "E001"))[monday]
    assert (day.finding, day.absence_half_days) == ("absence", 1)


async def test_days_wait_for_every_terminal_or_the_cutoff(app_session, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """A day is evaluated only when every active terminal delivered past its end, or 48 h after it."""
    c = await make_center(owner_session, demo)
    with tenant_scope(c.id):
        for serial in ("T-A", "T-B"):
            owner_session.add(Device(serial_number=serial, name=serial, token_hash=hash_token(serial)))
        owner_session.add(Device(serial_number="T-OLD", name="old", token_hash=hash_token("x"),
                                 revoked_at=datetime(2026, 2, 1, tzinfo=CST)))
        await owner_session.commit()

    async def through(now: datetime) -> date | None:
        with tenant_scope(c.id):
            value = await final_through(app_session, "Asia/Shanghai", MARCH, date(2026, 3, 31), now, 48)
            await app_session.commit()
        return value

    now = datetime(2026, 3, 3, 9, 0, tzinfo=CST)
    assert await through(now) is None  # neither terminal has been heard from
    with tenant_scope(c.id):
        await update_device_sync(app_session, c.id, "T-A", now, SyncUpdate(synced_until=now))
        await update_device_sync(app_session, c.id, "T-B", now,
                                 SyncUpdate(synced_until=datetime(2026, 3, 2, 17, 0, tzinfo=CST)))
        await app_session.commit()
    assert await through(now) == date(2026, 3, 1)  # T-B has delivered up to Monday 17:00 only
    with tenant_scope(c.id):
        await update_device_sync(app_session, c.id, "T-B", now, SyncUpdate(synced_until=now))
        await app_session.commit()
    assert await through(now) == date(2026, 3, 2)
    # three days later T-B went silent: Tuesday and Wednesday wait until 48 hours after their end
    later = datetime(2026, 3, 6, 10, 0, tzinfo=CST)
    assert await through(later) == date(2026, 3, 3)
    assert await through(datetime(2026, 3, 7, 0, 0, tzinfo=CST)) == date(2026, 3, 4)


async def test_demo_centers_follow_their_seeds(app_session, demo) -> None:  # type: ignore[no-untyped-def]
    """tenants/*.yaml: the city hall's 视为旷工 (seed 000 line 106), the county hall's 未签到 conversions (seed 000
    line 888), Luotian's 上班未考勤视为迟到 (seed 002 line 241)."""
    from govhall.domain.attendance.settings import rules_for

    expected = {"421100": "absence", "421121": "missed_punch", "421123": "late_early", "421121-101": "missed_punch"}
    for code, rule in expected.items():
        with tenant_scope(demo[code].id):
            rules = await rules_for(app_session, demo[code].id, date(2026, 3, 2))
            await app_session.commit()
        assert rules.missing_punch.value == rule, code

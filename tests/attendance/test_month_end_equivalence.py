"""The month-end batch is only a faster way to the result of the pure day rules.

A random month of punches (late, early, missing, extra and weekend punches, two terminals, a PIN registered after
its punches, a suspended staff member), approved leave and off-post records goes through ``evaluate_month``;
every stored day and month must equal ``rules.evaluate_day`` / ``summarize_month`` applied to the same inputs
one staff-day at a time, built here from what the test sent (not from the loaders). Seed 000 (county hall,
七、考勤规范 10.5-10.7) for the conversions; seed 000 city hall (line 106) and seed 002 (line 241) for the two
other readings of a missing punch.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from govhall.clock import set_clock
from govhall.domain.attendance.evaluation import evaluate_month, month_context
from govhall.domain.attendance.ingest import RawPunch, store_punches
from govhall.domain.attendance.inputs import leave_on
from govhall.domain.attendance.models import (
    AttendanceDay,
    AttendanceMonth,
    LeaveRecord,
    OffPostRecord,
    PunchSource,
)
from govhall.domain.attendance.rules import AttendanceRules, Finding, evaluate_day, summarize_month
from govhall.domain.org.models import Staff, StaffStatus
from govhall.packs.types import AttendanceTally
from govhall.tenancy import tenant_scope
from govhall_packs.attendance_rules.logic import convert
from tests.attendance.centers import COUNTY_STUDY_HOURS, make_center
from tests.attendance.conftest import CST

MARCH = date(2026, 3, 1)
DAYS = [MARCH + timedelta(days=i) for i in range(31)]
HOURS = COUNTY_STUDY_HOURS
NORMAL = (30600, 43200, 52200, 64800)


def _day_punches(rnd: random.Random, d: date) -> list[int]:
    if d.weekday() >= 5:
        return sorted(rnd.sample(range(30000, 60000), rnd.choice([0, 0, 0, 2])))
    kind = rnd.random()
    ps = [s + rnd.randrange(-1500, 300) if i % 2 == 0 else s + rnd.randrange(-300, 1500)
          for i, s in enumerate(NORMAL)]
    if kind < 0.1:
        return []
    if kind < 0.25:
        del ps[rnd.randrange(4)]
    elif kind < 0.35:
        ps += [rnd.randrange(25000, 70000) for _ in range(rnd.randrange(1, 4))]
    elif kind < 0.5:
        ps[0] += rnd.randrange(600, 5000)  # late, perhaps past the middle of the session
    return sorted(set(ps))


@pytest.mark.parametrize("missing_punch", ["missed_punch", "late_early", "absence"])
async def test_month_end_equals_the_day_rules(app_session, owner_session, demo, missing_punch: str) -> None:  # type: ignore[no-untyped-def]
    set_clock(datetime(2026, 4, 2, 10, 0, tzinfo=CST))
    c = await make_center(owner_session, demo, hours=HOURS, grace=5, staff=6,
                          rules={"missing_punch": missing_punch})
    rnd = random.Random(f"month-end-{missing_punch}")
    emps = [*(f"E{i:03d}" for i in range(1, 7)), "D001", "E099", "S001"]
    sent: dict[tuple[str, date], list[int]] = defaultdict(list)
    for emp in emps:
        if emp == "D001":
            continue  # never punches: every workday is absence
        by_device: dict[str, list[RawPunch]] = defaultdict(list)
        for d in DAYS:
            for sec in _day_punches(rnd, d):
                device = "T-2" if rnd.random() < 0.2 else "T-1"
                by_device[device].append(RawPunch(0, emp, datetime.combine(d, time()) + timedelta(seconds=sec)))
                sent[(emp, d)].append(sec)
        with tenant_scope(c.id):
            for device, raw in by_device.items():
                await store_punches(app_session, source=PunchSource.device_api, device_key=device, punches=raw,
                                    tz="Asia/Shanghai", now=datetime(2026, 4, 2, 10, 0, tzinfo=CST),
                                    rules=AttendanceRules())
    leaves: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
    for emp, a, b in (("E001", datetime(2026, 3, 3, 0, 0), datetime(2026, 3, 4, 0, 0)),
                      ("E001", datetime(2026, 3, 9, 8, 0), datetime(2026, 3, 9, 12, 30)),
                      ("E002", datetime(2026, 3, 11, 10, 0), datetime(2026, 3, 13, 15, 0)),
                      ("E003", datetime(2026, 3, 16, 15, 0), datetime(2026, 3, 16, 20, 0)),
                      ("E004", datetime(2026, 2, 25, 0, 0), datetime(2026, 3, 2, 12, 0)),
                      ("E005", datetime(2026, 3, 30, 9, 0), datetime(2026, 4, 3, 0, 0))):
        leaves[emp].append((a, b))
    off_post = {("E002", date(2026, 3, 4)): [150, 30], ("E003", date(2026, 3, 7)): [200],
                ("E006", date(2026, 3, 18)): [121], ("E006", date(2026, 3, 19)): [60]}
    with tenant_scope(c.id):
        late_comer = Staff(name="后登记", employee_no="E099", department_id=c.department_id)
        suspended = Staff(name="停职", employee_no="S001", department_id=c.department_id,
                          status=StaffStatus.suspended)
        owner_session.add_all([late_comer, suspended])
        await owner_session.flush()
        c.staff.update(E099=late_comer.id, S001=suspended.id)
        for emp, spans in leaves.items():
            owner_session.add_all([LeaveRecord(staff_id=c.staff[emp], kind="annual", starts_at=a.replace(tzinfo=CST),
                                               ends_at=b.replace(tzinfo=CST)) for a, b in spans])
        for (emp, d), minutes in off_post.items():
            owner_session.add_all([OffPostRecord(staff_id=c.staff[emp], work_date=d, minutes=m) for m in minutes])
        await owner_session.commit()

    with tenant_scope(c.id):
        summary = await evaluate_month(app_session, c.id, MARCH)
        ctx = await month_context(app_session, c.id, MARCH)
        stored_days = (await app_session.scalars(select(AttendanceDay))).all()
        stored_months = (await app_session.scalars(select(AttendanceMonth))).all()
        await app_session.commit()
    assert summary.final_through == date(2026, 3, 31)
    settings = ctx.month_end_hooks.rules.of("attendance_rules")  # type: ignore[union-attr]
    expected_days, expected_months = {}, {}
    for emp in [e for e in emps if e != "S001"] + ["X001"]:
        results = []
        for d in DAYS:
            r = evaluate_day(ctx.plan(d), sent.get((emp, d), []), leave_on(leaves.get(emp, []), d), ctx.rules(d),
                             off_post=off_post.get((emp, d), []))
            results.append(r)
            if r.finding not in (Finding.on_time, Finding.rest_day) or r.off_post_minutes or r.leave_half_days:
                details = {"sessions": r.sessions, **({"offPost": list(r.off_post_minutes)} if r.off_post_minutes
                                                      else {}),
                           **({"leaveType": "annual"} if r.leave_half_days else {})}  # the leave's type (issue 10)
                expected_days[(c.staff[emp], d)] = (
                    r.finding.value, r.late_count, r.early_count, r.late_minutes, r.early_minutes, r.missed_punches,
                    r.absence_half_days, r.leave_half_days, json.loads(json.dumps(details)))
        m = summarize_month(results)
        converted = convert(settings, AttendanceTally(
            staff_id="", workdays=m.workdays, late_count=m.late_count, early_count=m.early_count,
            late_minutes=m.late_minutes, early_minutes=m.early_minutes, missed_punches=m.missed_punches,
            absence_half_days=m.absence_half_days, off_post_minutes=tuple(m.off_post_minutes)))
        converted = converted if any(converted.values()) else {}
        expected_months[c.staff[emp]] = (
            m.workdays, m.on_time_days, m.late_count, m.early_count, m.late_minutes, m.early_minutes,
            m.missed_punches, m.absence_half_days, sum(converted.values()),
            m.absence_half_days + sum(converted.values()), m.leave_half_days, 0,
            {"converted": converted, "offPost": m.off_post_minutes,
             "leaveByType": {"annual": m.leave_half_days} if m.leave_half_days else {}, "unclosedLeaveHalfDays": 0})
    got_days = {(r.staff_id, r.work_date): (
        r.finding, r.late_count, r.early_count, r.late_minutes, r.early_minutes, r.missed_punches,
        r.absence_half_days, r.leave_half_days, r.details) for r in stored_days}
    got_months = {r.staff_id: (
        r.workdays, r.on_time_days, r.late_count, r.early_count, r.late_minutes, r.early_minutes, r.missed_punches,
        r.absence_half_days, r.converted_half_days, r.total_absence_half_days, r.leave_half_days, r.pending_days,
        r.details) for r in stored_months}
    assert got_days.keys() == expected_days.keys()
    for key, value in expected_days.items():
        assert got_days[key] == value, key
    assert got_months == expected_months
    # the random month exercises what it should
    findings = {v[0] for v in expected_days.values()}
    assert {"absence", "late", "on_leave", "rest_day"} <= findings
    assert sum(1 for v in expected_months.values() if v[8]) >= 2

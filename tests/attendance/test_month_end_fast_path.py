"""The month-end's fast path (the database finds the plain days, ``domain/attendance/plain.py``) stores exactly
what the reference path (every staff-day through ``rules.evaluate_day``) stores.

A generated month for 40 people: punches on the edges the SQL test must get right (arrival at the start + grace
+ 0/59/60 s — 08:35:59 is on time with 5 minutes of grace, 08:36:00 is late; departure at the end - 0/1/60/61 s;
punches either side of a session's middle; punches before the first window and after the last), missing punches,
extra punches, whole days without punches, weekend punches, Friday afternoon study closed to the public; and
special people on the reference path: approved leave (seed 000 county hall 考勤规范 10.4: leave is not absence),
off-post records (10.7, also on a Saturday), a PIN registered after its punches. Every finding kind appears:
absence, missed punch or its readings (seed 000 city hall line 106: absence; seed 002 line 241: late/early),
late, early leave, late and early, on leave, rest day with an off-post record; and the plain days are counted.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import delete, select

from govhall.clock import set_clock
from govhall.domain.attendance.evaluation import evaluate_month
from govhall.domain.attendance.ingest import RawPunch, store_punches
from govhall.domain.attendance.models import (
    AttendanceDay,
    AttendanceMonth,
    LeaveRecord,
    OffPostRecord,
    PunchSource,
)
from govhall.domain.attendance.rules import AttendanceRules
from govhall.domain.org.models import Staff
from govhall.tenancy import tenant_scope
from tests.attendance.centers import COUNTY_STUDY_HOURS, make_center
from tests.attendance.conftest import CST

MARCH = date(2026, 3, 1)
DAYS = [MARCH + timedelta(days=i) for i in range(31)]
HOURS = COUNTY_STUDY_HOURS
GRACE = 5
STAFF = 40


def _session_punches(rnd: random.Random, start: int, end: int) -> list[int]:
    mid = (start + end) // 2
    k = rnd.random()
    if k < 0.55:  # the common case: a little early, a little after
        return [start - rnd.randrange(1, 1200), end + rnd.randrange(0, 900)]
    arrive = start + GRACE * 60 + rnd.choice([-60, 0, 59, 60, 61, 600])
    leave = end - rnd.choice([0, 1, 59, 60, 61, 120, 900])
    ps = [arrive, leave]
    if k < 0.65:
        ps.append(mid - rnd.choice([1, 0]))  # either side of the middle
    elif k < 0.72:
        ps = [arrive]  # no departure
    elif k < 0.79:
        ps = [leave]  # no arrival
    elif k < 0.83:
        ps = []
    elif k < 0.88:
        ps.append(rnd.randrange(start - 7200, end + 7200))
    elif k < 0.92:
        ps = [mid + rnd.randrange(0, 600), mid - rnd.randrange(1, 600)]  # both near the middle
    return ps


def _day_punches(rnd: random.Random, d: date) -> list[int]:
    if d.weekday() >= 5:
        return sorted(rnd.sample(range(30000, 60000), rnd.choice([0, 0, 0, 0, 2])))
    if rnd.random() < 0.03:
        return []
    ps = _session_punches(rnd, 30600, 43200)
    ps += _session_punches(rnd, 52200, 63000 if d.weekday() == 4 else 64800)
    if rnd.random() < 0.05:
        ps.append(rnd.choice([18000, 80000]))  # outside every window
    return sorted({p for p in ps if 0 <= p < 86400})


def _snapshot(days: list[Any], months: list[Any]) -> tuple[dict[Any, Any], dict[Any, Any]]:
    skip = {"id", "created_at", "updated_at"}
    return ({(r.staff_id, r.work_date): {c: v for c, v in r.to_dict().items() if c not in skip} for r in days},
            {r.staff_id: {c: v for c, v in r.to_dict().items() if c not in skip} for r in months})


@pytest.mark.parametrize(("missing_punch", "closed_need_punches"),
                         [("missed_punch", True), ("late_early", False), ("absence", True)])
async def test_fast_path_stores_what_the_reference_stores(app_session, owner_session, demo, missing_punch: str,  # type: ignore[no-untyped-def]
                                                          closed_need_punches: bool) -> None:
    set_clock(datetime(2026, 4, 2, 10, 0, tzinfo=CST))
    c = await make_center(owner_session, demo, hours=HOURS, grace=GRACE, staff=STAFF,
                          rules={"missing_punch": missing_punch,
                                 "closed_sessions_require_punches": closed_need_punches})
    rnd = random.Random(f"fast-path-{missing_punch}")
    emps = [f"E{i:03d}" for i in range(1, STAFF + 1)] + ["E099"]
    for emp in emps:
        by_device: dict[str, list[RawPunch]] = defaultdict(list)
        for d in DAYS:
            for sec in _day_punches(rnd, d):
                device = "T-2" if rnd.random() < 0.2 else "T-1"
                by_device[device].append(RawPunch(0, emp, datetime.combine(d, time()) + timedelta(seconds=sec)))
        with tenant_scope(c.id):
            for device, raw in by_device.items():
                await store_punches(app_session, source=PunchSource.device_api, device_key=device, punches=raw,
                                    tz="Asia/Shanghai", now=datetime(2026, 4, 2, 10, 0, tzinfo=CST),
                                    rules=AttendanceRules())
    with tenant_scope(c.id):
        late_comer = Staff(name="后登记", employee_no="E099", department_id=c.department_id)
        owner_session.add(late_comer)
        await owner_session.flush()
        c.staff["E099"] = late_comer.id
        for emp, a, b in (("E001", datetime(2026, 3, 3, 0, 0), datetime(2026, 3, 4, 0, 0)),
                          ("E002", datetime(2026, 3, 11, 10, 0), datetime(2026, 3, 13, 15, 0)),
                          ("E003", datetime(2026, 3, 16, 15, 0), datetime(2026, 3, 16, 20, 0))):
            owner_session.add(LeaveRecord(staff_id=c.staff[emp], kind="annual", starts_at=a.replace(tzinfo=CST),
                                          ends_at=b.replace(tzinfo=CST)))
        for emp, d, m in (("E004", date(2026, 3, 4), 150), ("E005", date(2026, 3, 7), 200)):
            owner_session.add(OffPostRecord(staff_id=c.staff[emp], work_date=d, minutes=m))
        await owner_session.commit()

    async def run(fast: bool) -> tuple[dict[Any, Any], dict[Any, Any], int]:
        with tenant_scope(c.id):
            await app_session.execute(delete(AttendanceDay))
            await app_session.execute(delete(AttendanceMonth))
            await app_session.commit()
            summary = await evaluate_month(app_session, c.id, MARCH, fast=fast)
            days = (await app_session.scalars(select(AttendanceDay).execution_options(populate_existing=True))).all()
            months = (await app_session.scalars(select(AttendanceMonth)
                                                .execution_options(populate_existing=True))).all()
            await app_session.commit()
        return (*_snapshot(list(days), list(months)), summary.staff_days)

    ref_days, ref_months, ref_n = await run(fast=False)
    fast_days, fast_months, fast_n = await run(fast=True)
    assert fast_n == ref_n == len(ref_days)
    assert fast_days.keys() == ref_days.keys()
    for key, value in ref_days.items():
        assert fast_days[key] == value, key
    assert fast_months == ref_months
    # the generated month has what it should
    findings = {v["finding"] for v in ref_days.values()}
    expected = {"absence", "late", "early_leave", "late_early", "on_leave", "rest_day"}
    if missing_punch == "missed_punch":
        expected.add("missed_punch")
    assert expected <= findings, findings
    assert len(ref_months) == STAFF + 3  # E001..E040, E099, X001 and D001 (no punches: absent every workday)
    plain = sum(m["on_time_days"] for m in ref_months.values())
    assert plain > STAFF * 22 // 5  # many days are plain (the fast path has work to skip), the rest on the edges
    assert sum(m["absence_half_days"] for m in ref_months.values()) >= 44  # D001: 22 workdays x 2 sessions

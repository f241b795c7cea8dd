"""``govhall demo``'s punches (issue 13: a demo that looks like a hall): deterministic, mostly on time, a few lates,
the missed punch, no punch in a session the leave covers."""

from __future__ import annotations

import random

from govhall.domain.attendance.demo import day_punches
from govhall.domain.attendance.rules import AttendanceRules, Finding, compile_day, evaluate_day
from tests.attendance.schedules import MONDAY, county, t

RULES = AttendanceRules()


def test_same_seed_same_punches_and_most_days_on_time() -> None:
    plan = compile_day(county(), RULES)
    first = [day_punches(plan, [], random.Random(f"421121:T001:{n}")) for n in range(200)]
    again = [day_punches(plan, [], random.Random(f"421121:T001:{n}")) for n in range(200)]
    assert first == again and all(len(p) == 4 for p in first)
    findings = [evaluate_day(plan, p, (), RULES).finding for p in first]
    on_time = findings.count(Finding.on_time)
    assert 160 <= on_time < 200 and findings.count(Finding.late) >= 4  # mostly on time, a few lates
    assert set(findings) <= {Finding.on_time, Finding.late, Finding.early_leave, Finding.late_early}


def test_the_missed_punch_and_the_leave() -> None:
    plan = compile_day(county(MONDAY), RULES)
    forgot = day_punches(plan, [], random.Random("x"), forget_last_out=True)
    assert len(forgot) == 3 and evaluate_day(plan, forgot, (), RULES).finding is Finding.missed_punch
    morning_off = [(t("08:30"), t("12:00"))]
    half = day_punches(plan, morning_off, random.Random("x"))
    assert len(half) == 2 and all(p >= t("13:00") for p in half)
    assert evaluate_day(plan, half, morning_off, RULES).leave_half_days == 1

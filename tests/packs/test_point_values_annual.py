"""point_values 1.2: window and department scorecards (000 篇七 工作制度 十一 序 / 十.1 红旗窗口, 服务制度 六(五)2),
and the year sheet (000 篇七 工作制度 二.5; 002 罗田 考核办法 四.2; 000 服务制度 六(五)2 优秀首席代表)."""

from __future__ import annotations

import datetime as dt

import msgspec

from govhall.packs.types import MonthResult, ScoreLine, StaffYear, UnitMember, UnitMonth, ViolationEvent
from govhall_packs.point_values import logic
from govhall_packs.point_values.settings import PointValuesSettings

D = dt.date
JUNE = D(2026, 6, 1)
DEFAULT = PointValuesSettings()


def line(kind: str, category: str, points: float, ref: str) -> ScoreLine:
    return ScoreLine(kind=kind, name_zh=kind, name_en=kind, category=category, day=D(2026, 6, 3), occurrence=1,
                     points=points, ref=ref)


def window(*members: UnitMember, violations: tuple[ViolationEvent, ...] = ()) -> UnitMonth:
    return UnitMonth(unit_id="w1", subject="window", violations=violations, members=members)


def test_the_chiefs_points_count_for_the_window() -> None:
    """000 篇七 服务制度 六(五)2: 对首席代表进行月考核…（计算在本窗口分值）: the chief's late (1 point) and quarrel
    (5 points) come off the window's 100; a clerk's 2 points do not (unit_counts_members: chief)."""
    chief = UnitMember(staff_id="c", chief=True, lines=(line("late", "schedule", -1, "r1"),
                                                         line("quarrel", "service", -5, "r2")))
    clerk = UnitMember(staff_id="k", lines=(line("late", "schedule", -2, "r3"),))
    card = logic.score_units(DEFAULT, JUNE, [window(chief, clerk)])["w1"]
    assert (card.total, card.deducted, card.award_eligible) == (94, 6, True)
    assert card.categories["schedule"] == 19 and card.categories["service"] == 25
    assert [(x.ref, x.staff_id, x.points) for x in card.lines] == [("r1", "c", -1), ("r2", "c", -5)]
    every = msgspec.structs.replace(DEFAULT, unit_counts_members="all")
    assert logic.score_units(every, JUNE, [window(chief, clerk)])["w1"].total == 92  # 004 考勤 五: every member


def test_a_windows_own_records_and_the_floor() -> None:
    """A record whose subject is the window scores on it like on a person (5 x inspection_off_post = 25 points in
    the 20-point 作息规范: the category stops at 0, 80 left)."""
    own = tuple(ViolationEvent(kind="inspection_off_post", day=D(2026, 6, d), ref=f"w{d}") for d in range(1, 6))
    card = logic.score_units(DEFAULT, JUNE, [window(violations=own)])["w1"]
    assert (card.categories["schedule"], card.total, card.deducted) == (0, 80, 25)


def test_units_are_scored_only_where_the_rules_say() -> None:
    """Department cards only with ``unit_scorecards: [window, department]``; none at all with ``[]``. A member's
    record that bars the window's awards (002 三(四)1 取消所在窗口和本人评先资格) bars the window card."""
    dept = UnitMonth(unit_id="d1", subject="department")
    assert set(logic.score_units(DEFAULT, JUNE, [window(), dept])) == {"w1"}
    both = msgspec.structs.replace(DEFAULT, unit_scorecards=("window", "department"))
    assert set(logic.score_units(both, JUNE, [window(), dept])) == {"w1", "d1"}
    assert logic.score_units(msgspec.structs.replace(DEFAULT, unit_scorecards=()), JUNE, [window()]) == {}
    barred = UnitMember(staff_id="k", bars_window=True, lines=(line("misconduct", "service", -10, "r9"),))
    none = msgspec.structs.replace(DEFAULT, unit_counts_members="none")
    card = logic.score_units(none, JUNE, [window(barred)])["w1"]
    assert (card.total, card.award_eligible) == (100, False)


def months(*deducted: float, eligible: bool = True) -> tuple[MonthResult, ...]:
    return tuple(MonthResult(month=D(2026, i + 1, 1), total=100 - d, deducted=d, award_eligible=eligible)
                 for i, d in enumerate(deducted))


def test_a_years_leave_and_absence_cancel_the_annual_bonus() -> None:
    """000 篇七 工作制度 二.5: 全年病事假累计超过三十天 (30.5 days of sick and personal leave: cancelled; exactly
    30: not; annual leave does not count); 累计旷工三天以上 (3 days: cancelled; 2.5: not)."""
    staff = [StaffYear(staff_id="a", months=months(0), leave_days={"sick": 20, "personal": 10.5}),
             StaffYear(staff_id="b", months=months(0), leave_days={"sick": 20, "personal": 10, "annual": 15}),
             StaffYear(staff_id="c", months=months(0), absence_days=3),
             StaffYear(staff_id="d", months=months(0), absence_days=2.5)]
    r = logic.annual_consequences(DEFAULT, 2026, staff)
    assert r["a"].bonus_cancelled and r["a"].bonus_reasons == (
        "全年病事假累计 30.5 天，超过 30 天（000 篇七 工作制度 二.5）",)
    assert not r["b"].bonus_cancelled
    assert r["c"].bonus_cancelled and "累计旷工 3 天" in r["c"].bonus_reasons[0]
    assert not r["d"].bonus_cancelled
    assert all(x.award_eligible for x in r.values())


def test_thirty_points_a_year_bar_awards() -> None:
    """002 罗田 考核办法 四.2: 全年综合结算扣分达到30分以上的，当年个人不得评先评优: 29.5 points keep the awards,
    30 bar them; 002 has no leave rule (annual_leave_limit_days 0)."""
    luotian = msgspec.structs.replace(DEFAULT, annual_leave_limit_days=0, annual_absence_limit_days=0,
                                      chief_award_candidates=0)
    r = logic.annual_consequences(luotian, 2026, [
        StaffYear(staff_id="a", months=months(10, 10, 9.5), leave_days={"sick": 40}, absence_days=5),
        StaffYear(staff_id="b", months=months(10, 10, 10))])
    assert r["a"].award_eligible and not r["a"].bonus_cancelled and r["a"].deductions == 29.5
    assert not r["b"].award_eligible and r["b"].award_reasons == ("全年扣分 30 分，达到 30 分（不得评先评优）",)
    assert r["b"].average_total == 90


def test_best_eligible_chiefs_are_the_candidates() -> None:
    """000 篇七 服务制度 六(五)2 年度授予“优秀首席代表”: the 3 eligible chiefs with the best average (a chief past
    the threshold, or with the bonus cancelled, is passed over; clerks never are candidates)."""
    staff = [StaffYear(staff_id="c1", chief=True, months=months(0, 1)),        # 99.5
             StaffYear(staff_id="c2", chief=True, months=months(0, 0)),        # 100
             StaffYear(staff_id="c3", chief=True, months=months(2, 2)),        # 98
             StaffYear(staff_id="c4", chief=True, months=months(5, 5)),        # 95
             StaffYear(staff_id="c5", chief=True, months=months(0, 0), absence_days=3),
             StaffYear(staff_id="c6", chief=True, months=months(20, 10)),
             StaffYear(staff_id="k1", months=months(0, 0))]
    r = logic.annual_consequences(DEFAULT, 2026, staff)
    assert {k for k, x in r.items() if x.chief_candidate} == {"c1", "c2", "c3"}
    assert not r["c6"].award_eligible and r["c5"].bonus_cancelled

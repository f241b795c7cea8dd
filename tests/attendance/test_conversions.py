"""Monthly conversions of the attendance_rules pack, each citing its seed clause (seed 000 = 000_ce1629b0b06be5b0.txt)."""

from __future__ import annotations

import pytest

from govhall.packs.types import AttendanceTally
from govhall_packs.attendance_rules.logic import conversions, convert, ladder
from govhall_packs.attendance_rules.settings import AttendanceRulesSettings, ConversionStep

DEFAULTS = AttendanceRulesSettings()


def tally(late: int = 0, early: int = 0, missed: int = 0, off_post: tuple[int, ...] = ()) -> AttendanceTally:
    return AttendanceTally(staff_id="s1", workdays=22, late_count=late, early_count=early, missed_punches=missed,
                           absence_half_days=0, off_post_minutes=off_post)


@pytest.mark.parametrize(("lates", "half_days"), [(3, 0), (4, 1), (7, 1), (9, 1)])
def test_four_lates_in_a_month_are_half_a_day(lates: int, half_days: int) -> None:
    """seed 000 (line 884, 二)请假制度 10.5): 当月迟到或早退4次以上的计旷工半天 (以上 includes 4)."""
    assert convert(DEFAULTS, tally(late=lates))["late_early"] == half_days


def test_lates_and_early_leaves_count_together() -> None:
    """seed 000 (line 884): 迟到或早退 — 2 lates + 2 early leaves are 4 occurrences."""
    assert convert(DEFAULTS, tally(late=2, early=2))["late_early"] == 1
    separate = AttendanceRulesSettings(late_and_early_counted_together=False)
    assert convert(separate, tally(late=2, early=2))["late_early"] == 0
    assert convert(separate, tally(late=4, early=4))["late_early"] == 2


@pytest.mark.parametrize(("missed", "half_days"), [(3, 0), (4, 1), (7, 1), (8, 2), (12, 2)])
def test_missed_punches_four_is_half_a_day_eight_a_whole_day(missed: int, half_days: int) -> None:
    """seed 000 (line 888, 10.7): 当月未按规定累计未签到4次计旷工半天、累计8次未签到计旷工1天."""
    assert convert(DEFAULTS, tally(missed=missed))["missed_punch"] == half_days


@pytest.mark.parametrize(("minutes", "half_days"), [((120,), 0), ((121,), 1), ((150, 30, 200), 2)])
def test_off_post_over_two_hours_is_half_a_day(minutes: tuple[int, ...], half_days: int) -> None:
    """seed 000 (line 886, 10.6): 擅离工作岗位时间超过2小时的计旷工半天 (超过: strictly more than 120 minutes)."""
    assert convert(DEFAULTS, tally(off_post=minutes))["off_post"] == half_days


def test_off_post_threshold_is_a_tenant_setting() -> None:
    """seed 000 (line 1226, 作息规范 2), another hall: 超过1.5小时按旷工半天处理."""
    assert convert(AttendanceRulesSettings(off_post_half_day_after_minutes=90), tally(off_post=(100,)))["off_post"] == 1
    assert convert(AttendanceRulesSettings(off_post_half_day_after_minutes=0), tally(off_post=(500,)))["off_post"] == 0


def test_a_center_with_its_own_ladder() -> None:
    """Configurable per tenant: e.g. 3 lates half a day, 6 lates a whole day."""
    s = AttendanceRulesSettings(late_early_steps=(ConversionStep(count=3, half_days=1),
                                                  ConversionStep(count=6, half_days=2)))
    assert [convert(s, tally(late=n))["late_early"] for n in (2, 3, 5, 6, 10)] == [0, 1, 1, 2, 2]


def test_batch_leaves_out_staff_without_conversions() -> None:
    out = conversions(DEFAULTS, [tally(late=4), AttendanceTally(staff_id="s2", workdays=22, late_count=0,
                                                                early_count=0, missed_punches=0, absence_half_days=0)])
    assert out == {"s1": {"late_early": 1, "missed_punch": 0, "off_post": 0}}


def test_steps_must_grow() -> None:
    bad = AttendanceRulesSettings(missed_punch_steps=(ConversionStep(count=8, half_days=2),
                                                      ConversionStep(count=4, half_days=1)))
    assert [p.field for p in bad.problems()] == ["missed_punch_steps[1].count", "missed_punch_steps[1].half_days"]
    assert DEFAULTS.problems() == []
    assert ladder(DEFAULTS.missed_punch_steps, 8) == 2

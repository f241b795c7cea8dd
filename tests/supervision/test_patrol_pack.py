"""The patrols pack's plan and findings, per seed clause, with concrete days."""

from __future__ import annotations

import datetime as dt

import msgspec

from govhall.packs.types import DaySchedule, PatrolFinding, WorkSession
from govhall_packs.patrols import logic
from govhall_packs.patrols.settings import PatrolsSettings
from tests.supervision.conftest import template_patrols


def day(d: dt.date, workday: bool = True) -> DaySchedule:
    sessions = (WorkSession("上午", dt.time(8, 30), dt.time(12, 0)), WorkSession("下午", dt.time(14, 30), dt.time(18, 0)))
    return DaySchedule(d, workday, sessions if workday else (), 0, 0, 30, 30, None if workday else "weekend")


def settings(template: str) -> PatrolsSettings:
    return msgspec.convert(template_patrols(template), PatrolsSettings)


def test_county_hall_four_patrols_two_each_half_day_and_the_9_oclock_check() -> None:
    """000 篇七 工作制度 七(二) 每天巡查不少于四次，原则上午、下午各两次; 三.8 上午9时卫生安全综合检查; 四.10 关闭检查:
    Wednesday 2026-04-08 needs 4 patrols, 2 before 14:30 and 2 after, the 09:00 check and the closing check;
    Saturday 2026-04-11 needs none."""
    plans = logic.plan(settings("county_hall"), [day(dt.date(2026, 4, 8)), day(dt.date(2026, 4, 11), False)])
    wed, sat = plans[dt.date(2026, 4, 8)], plans[dt.date(2026, 4, 11)]
    assert (wed.required_total, wed.required_am, wed.required_pm) == (4, 2, 2)
    assert wed.midday == dt.time(14, 30)
    assert [(f.key, f.at) for f in wed.fixed_checks] == [("hygiene_safety_0900", dt.time(9, 0))]
    assert wed.closing_check and wed.closing_items == ("doors_windows", "water_power")
    assert wed.duty_arrival_offset_minutes == 10 and wed.rota_mode == "staff_weekly"
    assert (sat.required_total, sat.duty_day, sat.fixed_checks, sat.closing_check) == (0, False, (), False)


def test_city_hall_two_rounds_a_day_and_four_duty_windows_a_month() -> None:
    """004/4 三.1 每天对大厅巡视二次以上 (no half-day split); 一 值班窗口按月轮流，每月安排4个窗口; no earlier arrival."""
    wed = logic.plan(settings("city_hall"), [day(dt.date(2026, 4, 8))])[dt.date(2026, 4, 8)]
    assert (wed.required_total, wed.required_am, wed.required_pm) == (2, 0, 0)
    assert wed.rota_mode == "window_monthly" and wed.windows_per_month == 4
    assert wed.duty_arrival_offset_minutes == 0 and wed.fixed_checks == ()


def test_holiday_duty_makes_a_rest_day_a_duty_day_without_patrols() -> None:
    """002 双休日及节假日由中心办公室统一安排人员值班: with holiday_duty a Saturday needs someone on duty (and the
    closing check) but no patrols."""
    s = msgspec.structs.replace(settings("county_hall"), holiday_duty=True)
    sat = logic.plan(s, [day(dt.date(2026, 4, 11), False)])[dt.date(2026, 4, 11)]
    assert sat.duty_day and sat.required_total == 0 and sat.closing_check


def test_findings_become_the_items_violation_with_its_sanction() -> None:
    """000 篇七 七(三)2-3 and 七(四): 未佩证 -> the catalogue's no_badge (须拍照); 大厅秩序 -> a warning without points."""
    out = logic.findings(settings("county_hall"), [
        PatrolFinding(ref="p/0", day=dt.date(2026, 4, 8), item_key="no_badge", staff_id="x"),
        PatrolFinding(ref="p/1", day=dt.date(2026, 4, 8), item_key="order"),
        PatrolFinding(ref="p/2", day=dt.date(2026, 4, 8), item_key="nope"),
    ])
    assert out["p/0"].violation_kind == "no_badge" and out["p/0"].photo_required
    assert out["p/1"].violation_kind == "" and out["p/1"].sanction == "verbal_warning"
    assert "p/2" not in out


def test_settings_problems() -> None:
    s = msgspec.structs.replace(PatrolsSettings(), min_patrols_am=3, closing_items=("nope",))
    assert {p.field for p in s.problems()} == {"min_patrols_am", "closing_items[0]"}

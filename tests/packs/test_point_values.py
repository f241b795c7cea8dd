"""point_values (百分制考核): escalation ladders, categories never below zero, zeroed categories and months,
bonuses with caps, pay, the annual threshold and the return-to-unit triggers."""

from __future__ import annotations

import datetime as dt

import msgspec

from govhall.packs.types import BonusEvent, StaffMonth, ViolationEvent
from govhall_packs.point_values import logic
from govhall_packs.point_values.settings import PointValuesSettings

D = dt.date
JUNE = D(2026, 6, 1)
DEFAULT = PointValuesSettings()


def v(kind: str, day: int, quantity: float = 1) -> ViolationEvent:
    return ViolationEvent(kind=kind, day=D(2026, 6, day), quantity=quantity)


def card(settings: PointValuesSettings, *events: ViolationEvent, bonuses=(), **kw):  # type: ignore[no-untyped-def]
    return logic.score_month(settings, JUNE, [StaffMonth(staff_id="s", violations=events, bonuses=bonuses, **kw)])["s"]


def test_default_categories_add_up_to_100() -> None:
    """Seed 000 篇七 十一: 作息规范20、服务标准30、卫生安全20、廉洁勤政10、工作绩效20."""
    c = card(DEFAULT)
    assert c.categories == {"schedule": 20, "service": 30, "hygiene_safety": 20, "integrity": 10, "performance": 20}
    assert c.total == 100 and c.pay_yuan == 150 and not c.return_to_unit


def test_late_first_1_second_2_third_returns_to_unit() -> None:
    """Seed 000 篇七 办理办法 第三条: 第一次迟到、早退扣1分；第二次扣2分；第三次（含三次）以上按《退回制度》处理;
    十二 退回制度 1: 迟到或早退3次（含3次）以上的. Late and early leave share the count."""
    one = card(DEFAULT, v("late", 2))
    assert (one.total, one.return_to_unit) == (99, False)
    two = card(DEFAULT, v("late", 2), v("early_leave", 9))
    assert two.total == 97 and [(line.kind, line.occurrence, line.points) for line in two.lines] == [
        ("late", 1, -1), ("early_leave", 2, -2)]
    three = card(DEFAULT, v("late", 2), v("early_leave", 9), v("late", 16))
    assert three.total == 95 and three.return_to_unit and three.return_reasons == ("迟到或早退 3 次（含）以上",)


def test_a_category_never_goes_below_zero() -> None:
    c = card(DEFAULT, *[v("inspection_off_post", d) for d in range(1, 6)])  # 5 x 5 points in a 20-point category
    assert c.categories["schedule"] == 0 and c.total == 80 and c.deducted == 25


def test_physical_conflict_zeroes_the_category_and_returns() -> None:
    """Seed 000 篇七 十一 (二) 3: 在办公区与人发生肢体冲突此项不得分; 十二 4: 肢体冲突1次的退回."""
    c = card(DEFAULT, v("physical_conflict", 3))
    assert c.categories["service"] == 0 and c.total == 70 and c.return_to_unit


def test_three_days_of_absence_zero_the_month() -> None:
    """Seed 000 篇七 十一 (一) 3: 当月累计旷工三天的，当月考核为零分; 十二 3: 旷工3天（含3天）以上的退回."""
    two = card(DEFAULT, v("absence_day", 3, quantity=2))
    assert two.total == 94 and not two.return_to_unit
    three = card(DEFAULT, v("absence_day", 3, quantity=2), v("absence_day", 10))
    assert three.total == 0 and three.pay_yuan == 0 and three.return_to_unit


def test_complaints_within_a_quarter() -> None:
    """Seed 000 篇七 十二 5: 被服务对象一季度内投诉2次以上的 (the month counts with the quarter's earlier months)."""
    assert not card(DEFAULT, v("complaint", 5)).return_to_unit
    assert card(DEFAULT, v("complaint", 5), quarter_counts_before={"complaint": 1}).return_to_unit


def test_bonuses_make_up_deductions_within_caps() -> None:
    c = card(DEFAULT, v("quarrel", 4), v("no_badge", 5),
             bonuses=(BonusEvent(kind="praise_letter", day=D(2026, 6, 8), quantity=3),))
    assert c.categories["service"] == 29 and c.bonus == 4  # 30 - 5 + min(6, cap 4)
    full = card(DEFAULT, bonuses=(BonusEvent(kind="praise_letter", day=D(2026, 6, 8)),))
    assert full.categories["service"] == 30 and full.total == 100  # never above the maximum


def test_luotian_30_30_20_20_five_points_per_late_and_150_yuan() -> None:
    """Seed 002 窗口人员日常管理考核办法: 行为规范30、严格考勤30、办件管理20、重大违纪20; ㈡ 1 不得迟到、早退、串岗，违反一次，
    扣当事人5分; 四 1 个人考核资金=150元÷100×个人分数; 四 2 全年综合结算扣分达到30分以上的，当年个人不得评先评优."""
    from pathlib import Path

    import yaml

    doc = yaml.safe_load((Path(__file__).parents[2] / "tenants" / "templates" / "luotian.yaml").read_text(encoding="utf-8"))
    luotian = msgspec.convert({**msgspec.to_builtins(DEFAULT), **doc["packs"]["point_values"]}, PointValuesSettings)
    assert luotian.problems() == []
    assert [c.max_points for c in luotian.categories] == [30, 30, 20, 20]
    c = card(luotian, v("late", 2), v("late", 9), year_deductions_before=18)
    assert c.categories["attendance"] == 20 and c.total == 90 and c.pay_yuan == 135.0
    assert c.year_deductions == 28 and c.award_eligible
    c = card(luotian, v("late", 2), v("late", 9), v("early_leave", 10), year_deductions_before=18)
    assert c.year_deductions == 33 and not c.award_eligible
    assert card(luotian, v("exposed", 3)).pay_yuan == 0  # 被群众拍摄上网或纪委查处的停发当月考核资金
    # Same events, the county's default rules: different answers from the same input.
    assert card(DEFAULT, v("late", 2), v("late", 9)).total == 97


def test_catalogue_shows_ladders_and_return_counts() -> None:
    cat = {t.key: t for t in logic.catalogue(DEFAULT)}
    assert cat["late"].points == (1, 2) and cat["late"].ladder_group == "late_early" and cat["late"].return_to_unit_at == 3
    assert cat["absence_day"].zeroes_month_at == 3


def test_scoring_settings_are_checked() -> None:
    from govhall.packs.manager import get_host
    from govhall.packs.resolve import defaults_json
    from govhall.packs.validation import check_overrides

    spec = get_host().packs["point_values"].spec
    _, _, problems = check_overrides(spec, {"categories": [{"key": "a", "name": "甲", "max_points": 60}]},
                                     defaults_json(spec))
    fields = [p.field for p in problems]
    assert "categories" in fields and any(f.startswith("violations[") for f in fields)
    assert any("应为 100" in p.zh for p in problems)

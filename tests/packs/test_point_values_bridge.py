"""point_values 1.1: fines and ranges (004/14), warn-first, award bars, yearly triggers, the complete default
catalogue (000 篇七 十一), and the attendance -> violation bridge (000 篇七 十一(一); 002 罗田 考核 三(二))."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import msgspec
import yaml

from govhall.packs.types import AttendanceDayFinding, AttendanceStaffMonth, StaffMonth, ViolationEvent
from govhall_packs.point_values import logic
from govhall_packs.point_values.settings import PointValuesSettings

D = dt.date
JUNE = D(2026, 6, 1)
DEFAULT = PointValuesSettings()
ROOT = Path(__file__).resolve().parents[2]

# seed 004/14 (一): 迟到早退每人次扣1分; 缺勤半天扣2分并罚款10元; 上网炒股扣2分、罚款20元;
# 办公用品摆放不整齐“虽经指出但不及时纠正”扣1分、5元; 吃拿卡要视情节扣10—20分，取消窗口和个人年度评先资格.
DISTRICT = msgspec.convert({
    "categories": [{"key": "attendance", "name": "考勤", "max_points": 30},
                   {"key": "service", "name": "服务质量", "max_points": 20},
                   {"key": "business", "name": "业务管理", "max_points": 50}],
    "violations": [
        {"key": "late", "name": "迟到早退", "category": "attendance", "points": [1], "clause": "004/14 (一)1"},
        {"key": "half_day", "name": "缺勤半天", "category": "attendance", "points": [2], "fine_yuan": 10,
         "clause": "004/14 (一)2"},
        {"key": "stocks", "name": "上网炒股", "category": "service", "points": [2], "fine_yuan": 20,
         "clause": "004/14 (一)3"},
        {"key": "untidy", "name": "办公用品摆放不整齐", "category": "service", "points": [1], "fine_yuan": 5,
         "warn_first": True, "clause": "004/14 (一)5"},
        {"key": "graft", "name": "吃拿卡要", "category": "business", "points": [10], "points_min": 10,
         "points_max": 20, "bars_awards": "both", "clause": "004/14 (一)6"}],
    "bonuses": [], "return_triggers": [], "pay_base_yuan": 150, "annual_award_threshold": 0,
}, PointValuesSettings)


def card(settings: PointValuesSettings, *events: ViolationEvent, **kw):  # type: ignore[no-untyped-def]
    return logic.score_month(settings, JUNE, [StaffMonth(staff_id="s", violations=events, **kw)])["s"]


def v(kind: str, day: int, quantity: float = 1, points: float | None = None, ref: str = "") -> ViolationEvent:
    return ViolationEvent(kind=kind, day=D(2026, 6, day), quantity=quantity, points=points, ref=ref)


def test_fines_in_yuan_besides_points() -> None:
    """004/14 (一)2-3: 缺勤半天扣2分并罚款10元 (twice: 4 points, 20 yuan); 上网炒股扣2分、罚款20元."""
    c = card(DISTRICT, v("half_day", 3), v("half_day", 10), v("stocks", 11))
    assert (c.total, c.fines_yuan, c.pay_yuan) == (94, 40, 141)
    assert [(x.kind, x.points, x.fine_yuan) for x in c.lines] == [
        ("half_day", -2, 10), ("half_day", -2, 10), ("stocks", -2, 20)]


def test_warning_first_then_points() -> None:
    """004/14 (一)5: “虽经指出但不及时纠正”扣1分、5元: the first time in the month is a warning without points."""
    c = card(DISTRICT, v("untidy", 2), v("untidy", 9))
    assert [(x.occurrence, x.points, x.fine_yuan, x.warning, x.sanction) for x in c.lines] == [
        (1, 0, 0, True, "verbal_warning"), (2, -1, 5, False, "")]
    assert c.total == 99 and c.fines_yuan == 5


def test_a_range_item_uses_the_chosen_points_and_bars_awards() -> None:
    """004/14 (一)6: 吃拿卡要视情节扣10—20分，取消窗口和个人年度评先资格: 15 points chosen -> 85, no awards for the person
    or the window."""
    c = card(DISTRICT, v("graft", 4, points=15))
    assert (c.total, c.award_eligible, c.bars_awards) == (85, False, ("window",))


def test_yearly_trigger_counts_earlier_months() -> None:
    """A trigger over the year (000 篇七 二.5 counts a year's absence): 2 days before this month + 1 now = 3."""
    s = msgspec.structs.replace(DEFAULT, return_triggers=(msgspec.convert(
        {"name": "全年累计旷工三天以上", "violations": ["absence_day"], "count": 3, "period": "year"},
        type(DEFAULT.return_triggers[0])),))
    c = card(s, v("absence_day", 5, ref="r1"), year_counts_before={"absence_day": 2})
    assert c.return_to_unit and c.return_reasons == ("全年累计旷工三天以上",) and c.return_refs == ("r1",)


def test_the_default_catalogue_is_complete_and_cited() -> None:
    """000 篇七 十一 (§4 D-6 of the coverage study): the 11+ missing items are there, every item names its clause."""
    keys = {x.key for x in DEFAULT.violations}
    assert {"ignored_inquiry", "makeup", "long_hair", "lingering", "first_inquiry", "one_time_notice", "time_limit",
            "ab_post", "service_pledge", "electrical_accident", "outsider_computer", "subversive_content", "no_cases",
            "city_notified"} <= keys
    assert all(x.clause.startswith("000 篇七 ") for x in DEFAULT.violations)
    assert DEFAULT.problems() == []
    cat = {x.key: x for x in logic.catalogue(DEFAULT)}
    assert cat["physical_conflict"].immediate_return and not cat["late"].immediate_return
    assert cat["late"].sanctions == ("verbal_warning", "written_self_criticism")


def finding(day: int, **kw) -> AttendanceDayFinding:  # type: ignore[no-untyped-def]
    return AttendanceDayFinding(day=D(2026, 6, day), **kw)


def test_the_attendance_bridge_county() -> None:
    """000 篇七 十一(一)1-2: each late arrival on its day (so 第1次/第2次 count), a missed punch 0.5, off post up to
    an hour 1 (off_post), over an hour 2 (off_post_long), over 1.5 hours a half day of absence 3, a whole day of
    absence 3 per day."""
    month = AttendanceStaffMonth(staff_id="s", days=(
        finding(1, late=1), finding(2, late=1, early=1), finding(3, missed_punches=1),
        finding(4, off_post_minutes=(20, 75, 100)), finding(5, absence_half_days=1), finding(8, absence_half_days=2)))
    drafts = logic.attendance_violations(DEFAULT, JUNE, [month])["s"]
    assert [(d.kind, d.day.day, d.quantity) for d in drafts] == [
        ("late", 1, 1), ("late", 2, 1), ("early_leave", 2, 1), ("missed_punch", 3, 1), ("off_post", 4, 1),
        ("off_post_long", 4, 1), ("absence_half_day", 4, 1), ("absence_half_day", 5, 1), ("absence_day", 8, 1)]
    assert len({d.source_ref for d in drafts}) == len(drafts)
    scored = card(DEFAULT, *[ViolationEvent(kind=d.kind, day=d.day, quantity=d.quantity) for d in drafts])
    # schedule: late 1 + 2 + early 2 (ladder group) + 0.5 + off post 1 + 2 (group: 2nd) + 3 + 3 + 3 = 17.5 -> 2.5
    assert scored.categories["schedule"] == 2.5 and scored.return_to_unit


def test_the_attendance_bridge_luotian_leave_by_type() -> None:
    """002 罗田 考核 三(二)4-5: 公假一天扣3分、私假一天扣5分 (sick leave costs nothing); 不请假无故缺岗每天扣10分
    (half a day 5)."""
    doc = yaml.safe_load((ROOT / "tenants" / "templates" / "luotian.yaml").read_text(encoding="utf-8"))
    s = msgspec.convert({**msgspec.to_builtins(DEFAULT), **doc["packs"]["point_values"]}, PointValuesSettings)
    month = AttendanceStaffMonth(staff_id="s", days=(
        finding(1, leave_half_days=2, leave_type="official"), finding(2, leave_half_days=1, leave_type="personal"),
        finding(3, leave_half_days=2, leave_type="sick"), finding(4, absence_half_days=1), finding(5, late=1)))
    drafts = logic.attendance_violations(s, JUNE, [month])["s"]
    assert [(d.kind, d.quantity) for d in drafts] == [
        ("official_leave_day", 1), ("personal_leave_day", 0.5), ("absence_day", 0.5), ("late", 1)]
    scored = card(s, *[ViolationEvent(kind=d.kind, day=d.day, quantity=d.quantity) for d in drafts])
    assert scored.categories["attendance"] == 30 - 3 - 2.5 - 5 - 5 and scored.total == 84.5
    assert scored.pay_yuan == 126.75  # 四.1: 150 ÷ 100 × 84.5

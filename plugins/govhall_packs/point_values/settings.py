"""Settings of the point_values pack (百分制考核).

Defaults: seed 000 篇七 “十一、政务服务中心工作人员考核实施细则” (categories 20/30/20/10/20, the violation
catalogue), its “政务服务中心工作人员办理办法” 第三条 (late: 1st 1 point, 2nd 2, 3rd return to unit), “十二、退回制度”
(return-to-unit triggers), and seed 002 “窗口人员日常管理考核办法” 四 (pay 150 yuan / 100 x score; 30 points a year
-> no awards).
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from govhall.packs import PackSettings, SettingsProblem, label

KEY = r"^[a-z][a-z0-9_]{0,39}$"
Period = Literal["month", "quarter"]


class Category(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    key: Annotated[str, label("代码", "Key", pattern=KEY)]
    name: Annotated[str, label("名称", "Name", min_length=1, max_length=30)]
    name_en: Annotated[str, label("英文名称", "Name (English)", max_length=60)] = ""
    max_points: Annotated[float, label("满分", "Maximum", gt=0, le=100)]


class Violation(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    key: Annotated[str, label("代码", "Key", pattern=KEY)]
    name: Annotated[str, label("名称", "Name", min_length=1, max_length=60)]
    name_en: Annotated[str, label("英文名称", "Name (English)", max_length=100)] = ""
    category: Annotated[str, label("所属类别（代码）", "Category (key)", pattern=KEY)]
    points: Annotated[tuple[float, ...], label(
        "扣分（按当月第几次）", "Points by occurrence in the month", "第 1 次、第 2 次……；超出部分按最后一个值",
        "1st, 2nd, ...; later ones repeat the last value", min_length=1, max_length=10)]
    ladder_group: Annotated[str, label(
        "合并计次组", "Shared count group", "同组违规合并计算第几次（如迟到、早退）",
        "Violations of one group share the occurrence count (e.g. late and early leave)", max_length=40)] = ""
    zeroes_category: Annotated[bool, label("该类别当月不得分", "Category scores 0 for the month")] = False
    zeroes_month_at: Annotated[float, label("当月累计达到即当月考核为零分", "This many in a month: month scores 0",
                                            "0 表示不适用", "0: never", ge=0)] = 0
    stops_pay: Annotated[bool, label("停发当月考核资金", "No assessment pay for the month")] = False


class Bonus(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    key: Annotated[str, label("代码", "Key", pattern=KEY)]
    name: Annotated[str, label("名称", "Name", min_length=1, max_length=60)]
    name_en: Annotated[str, label("英文名称", "Name (English)", max_length=100)] = ""
    category: Annotated[str, label("所属类别（代码）", "Category (key)", pattern=KEY)]
    points: Annotated[float, label("每次加分", "Points each", gt=0, le=100)]
    monthly_cap: Annotated[float, label("每月最多加分", "Monthly cap", gt=0, le=100)]


class ReturnTrigger(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    """退回原单位: when the listed violations together reach ``count`` within the period."""

    name: Annotated[str, label("情形", "Case", min_length=1, max_length=60)]
    name_en: Annotated[str, label("英文", "Case (English)", max_length=100)] = ""
    violations: Annotated[tuple[str, ...], label("违规代码", "Violation keys", min_length=1)]
    count: Annotated[float, label("达到次数（含）", "Count (inclusive)", gt=0)]
    period: Annotated[Period, msgspec.Meta(title="期间", extra_json_schema={
        "x-title-en": "Period", "oneOf": [{"const": "month", "title": "当月", "x-title-en": "month"},
                                          {"const": "quarter", "title": "当季", "x-title-en": "quarter"}]})] = "month"


def _v(key: str, name: str, en: str, cat: str, *points: float, group: str = "", zero_cat: bool = False,
       zero_month: float = 0) -> Violation:
    return Violation(key=key, name=name, name_en=en, category=cat, points=points, ladder_group=group,
                     zeroes_category=zero_cat, zeroes_month_at=zero_month)


DEFAULT_CATEGORIES = (
    Category(key="schedule", name="作息规范", name_en="Work schedule", max_points=20),
    Category(key="service", name="服务标准", name_en="Service standards", max_points=30),
    Category(key="hygiene_safety", name="卫生安全", name_en="Hygiene and safety", max_points=20),
    Category(key="integrity", name="廉洁勤政", name_en="Integrity and diligence", max_points=10),
    Category(key="performance", name="工作绩效", name_en="Work performance", max_points=20),
)

DEFAULT_VIOLATIONS = (
    _v("late", "迟到", "Late", "schedule", 1, 2, group="late_early"),
    _v("early_leave", "早退", "Early leave", "schedule", 1, 2, group="late_early"),
    _v("missed_punch", "上、下班未录入考勤", "Missed punch", "schedule", 0.5),
    _v("off_post", "脱岗（未超过 0.5 小时）", "Off post (up to 30 min)", "schedule", 1, group="off_post"),
    _v("off_post_long", "脱岗超过 1 小时", "Off post over 1 hour", "schedule", 2, group="off_post"),
    _v("absence_day", "旷工（每天）", "Absence (per day)", "schedule", 3, zero_month=3),
    _v("no_substitute_day", "请假未安排顶岗（每天）", "Leave without substitute (per day)", "schedule", 2),
    _v("meeting_late", "例会等集体活动迟到、早退", "Late for a meeting", "schedule", 0.5),
    _v("meeting_absent", "旷会", "Missed a meeting", "schedule", 1),
    _v("inspection_late", "被上级暗查迟到、早退", "Late at an inspection from above", "schedule", 3),
    _v("inspection_off_post", "被上级暗查脱岗", "Off post at an inspection from above", "schedule", 5),
    _v("no_badge", "不佩证上岗", "No badge", "service", 1),
    _v("dress", "穿背心、短裤、拖鞋、超短裙上班", "Improper dress", "service", 1),
    _v("uncivil_language", "用语不文明", "Uncivil language", "service", 1),
    _v("quarrel", "在工作区与人争吵", "Quarrel", "service", 4),
    _v("cold_attitude", "脸色冷漠、态度生硬", "Cold attitude", "service", 1),
    _v("complaint", "被服务对象投诉", "Complaint by an applicant", "service", 5),
    _v("rating_device_off", "未启用服务评价器", "Rating device not used", "service", 1),
    _v("insubordination", "不服从中心管理、顶撞管理人员", "Insubordination", "service", 3),
    _v("ten_prohibitions", "违反“十项禁令”", "Broke one of the ten prohibitions", "service", 3),
    _v("inspection_ten_prohibitions", "暗访检查发现违反“十项禁令”", "Ten prohibitions, found by an inspection",
       "service", 3),
    _v("physical_conflict", "在办公区与人发生肢体冲突", "Physical conflict", "service", 0, zero_cat=True),
    _v("untidy", "桌面不整齐、有灰尘、纸团", "Untidy counter", "hygiene_safety", 1),
    _v("power_left_on", "下班后不切断电源、私拉电线", "Power left on / private wiring", "hygiene_safety", 1),
    _v("bad_website", "访问不良网站", "Visited an improper website", "hygiene_safety", 2),
    _v("shirking", "敷衍塞责、推诿扯皮", "Shirking", "integrity", 2),
    _v("abuse_of_power", "以权谋私、吃拿卡要", "Abuse of power", "integrity", 3),
    _v("retaliation", "打击报复举报人或投诉人", "Retaliation", "integrity", 3),
    _v("few_cases", "当月办件未达到 2 件", "Fewer than 2 cases in the month", "performance", 1),
    _v("not_entered", "办件未在协同办公平台录入（每件）", "Case not entered (each)", "performance", 2),
    _v("late_entry", "办件录入不及时（每件）", "Case entered late (each)", "performance", 1),
    _v("late_report", "不按时上交月统计表", "Monthly report late", "performance", 2),
    _v("missed_activity", "不参加中心安排的活动", "Missed a center activity", "performance", 1),
)

DEFAULT_RETURN_TRIGGERS = (
    ReturnTrigger(name="迟到或早退 3 次（含）以上", name_en="Late or early 3 times or more",
                  violations=("late", "early_leave"), count=3),
    ReturnTrigger(name="脱岗 2 次（含）以上", name_en="Off post twice or more", violations=("off_post", "off_post_long"),
                  count=2),
    ReturnTrigger(name="旷工 3 天（含）以上", name_en="Absent 3 days or more", violations=("absence_day",), count=3),
    ReturnTrigger(name="在工作区与人发生肢体冲突", name_en="A physical conflict", violations=("physical_conflict",),
                  count=1),
    ReturnTrigger(name="一季度内被服务对象投诉 2 次以上", name_en="Two complaints within a quarter",
                  violations=("complaint",), count=2, period="quarter"),
    ReturnTrigger(name="与中心管理人员顶撞 2 次以上", name_en="Insubordinate twice or more",
                  violations=("insubordination",), count=2),
    ReturnTrigger(name="违反“十项禁令”2 次以上", name_en="Ten prohibitions twice or more",
                  violations=("ten_prohibitions",), count=2),
    ReturnTrigger(name="暗访检查发现违反“十项禁令”", name_en="Ten prohibitions found by an inspection",
                  violations=("inspection_ten_prohibitions",), count=1),
    ReturnTrigger(name="打击报复造成不良后果", name_en="Retaliation", violations=("retaliation",), count=1),
)

DEFAULT_BONUSES = (
    Bonus(key="praise_letter", name="群众送锦旗或感谢信", name_en="Banner or thank-you letter", category="service",
          points=2, monthly_cap=4),
    Bonus(key="article_published", name="信息被刊用", name_en="Article published", category="performance",
          points=1, monthly_cap=3),
)


class PointValuesSettings(PackSettings, frozen=True, kw_only=True):
    categories: Annotated[tuple[Category, ...], label(
        "考核类别", "Categories", "各类别满分合计须为 100", "The maxima must add up to 100", min_length=1)] = (
        DEFAULT_CATEGORIES)
    violations: Annotated[tuple[Violation, ...], label("扣分项目", "Violations")] = DEFAULT_VIOLATIONS
    bonuses: Annotated[tuple[Bonus, ...], label(
        "加分项目", "Bonus items", "加分在所属类别内抵扣扣分，类别得分不超过满分",
        "Bonuses make up deductions within their category; no category exceeds its maximum")] = DEFAULT_BONUSES
    return_triggers: Annotated[tuple[ReturnTrigger, ...], label(
        "退回原单位情形", "Return-to-unit triggers")] = DEFAULT_RETURN_TRIGGERS
    pay_base_yuan: Annotated[float, label("考核资金（元/人/月）", "Assessment pay (yuan a month)",
                                          "个人考核资金 = 该金额 ÷ 100 × 个人得分", "Pay = this / 100 x score",
                                          ge=0, le=100000)] = 150
    annual_award_threshold: Annotated[float, label(
        "全年扣分达到即不得评先评优", "Annual deductions that bar awards", "0 表示不适用", "0: never",
        ge=0, le=1200)] = 30

    def problems(self) -> list[SettingsProblem]:
        out: list[SettingsProblem] = []
        cats = [c.key for c in self.categories]
        for i, k in enumerate(cats):
            if cats.count(k) > 1:
                out.append(SettingsProblem(f"categories[{i}].key", f"代码 {k} 重复", f"key {k} is used twice"))
                break
        total = sum(c.max_points for c in self.categories)
        if abs(total - 100) > 1e-9:
            out.append(SettingsProblem("categories", f"各类别满分合计为 {total:g}，应为 100",
                                       f"the maxima add up to {total:g}, not 100"))
        keys: set[str] = set()
        for i, v in enumerate(self.violations):
            if v.key in keys:
                out.append(SettingsProblem(f"violations[{i}].key", f"代码 {v.key} 重复", f"key {v.key} is used twice"))
            keys.add(v.key)
            if v.category not in cats:
                out.append(SettingsProblem(f"violations[{i}].category", f"没有代码为 {v.category} 的考核类别",
                                           f"no category with key {v.category}"))
            if any(p < 0 for p in v.points):
                out.append(SettingsProblem(f"violations[{i}].points", "扣分不能为负数", "points cannot be negative"))
        for i, b in enumerate(self.bonuses):
            if b.category not in cats:
                out.append(SettingsProblem(f"bonuses[{i}].category", f"没有代码为 {b.category} 的考核类别",
                                           f"no category with key {b.category}"))
            if b.points > b.monthly_cap:
                out.append(SettingsProblem(f"bonuses[{i}].monthly_cap", "每月上限小于每次加分",
                                           "the monthly cap is below the points of one item"))
        for i, t in enumerate(self.return_triggers):
            for k in t.violations:
                if k not in keys:
                    out.append(SettingsProblem(f"return_triggers[{i}].violations", f"没有代码为 {k} 的扣分项目",
                                               f"no violation with key {k}"))
        return out

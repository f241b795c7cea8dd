"""Settings of the red_flag pack (流动红旗). Defaults: seed 000 篇七 (XX县政务服务中心) 工作制度 十 (ten criteria, 100
points, awarded at the monthly meeting on the 3rd), 三.4 / 限时办结 4 (quarterly red-flag windows), 五.2 (named by
the city: not a red-flag window that month)."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from govhall.packs import PackSettings, SettingsProblem, label

KEY = r"^[a-z][a-z0-9_]{0,39}$"
Period = Literal["month", "quarter"]
Unit = Literal["window", "department"]
Source = Literal["violations", "attendance", "meetings", "patrols", "complaints", "bonuses", "council"]
Scoring = Literal["deduct", "earn", "rating"]
When = Literal["duty_negligence", "complaint_substantiated", "violation_kind"]

REFS_KINDS = {"widget": "tags"}


class RoundKind(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    """One kind of round: monthly or quarterly, how many flags, the award day."""

    period: Annotated[Period, label("评比周期", "Period", "month 每月 / quarter 每季度", "month / quarter")] = "month"
    flags: Annotated[int, label("流动红旗数（面）", "Flags", "“共设N面流动红旗”", "'N flags'", ge=1, le=50)] = 3
    award_day: Annotated[int, label(
        "颁布日（次月几日）", "Award day (of the next month)", "原则上每月3日例会为颁布日，遇节假日顺延",
        "The 3rd at the monthly meeting; on a day off the next working day", ge=1, le=28)] = 3
    clause: Annotated[str, label("依据", "Clause", max_length=120)] = ""


class Criterion(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    """One criterion of the 100 points: its maximum and where its points come from."""

    key: Annotated[str, label("代码", "Key", x={"widget": "code"}, pattern=KEY)] = "criterion"
    name: Annotated[str, label("评比项目", "Criterion", min_length=1, max_length=60)] = "评比项目"
    name_en: Annotated[str, label("英文名称", "English name", max_length=80)] = ""
    max_points: Annotated[float, label("满分", "Maximum points", gt=0, le=100)] = 10
    source: Annotated[Source, label(
        "数据来源", "Source",
        "violations 全部扣分记录 / attendance 考勤折算 / meetings 例会 / patrols 巡查发现 / complaints 投诉查实 / "
        "bonuses 加分记录 / council 评议小组评议",
        "violations (any) / attendance conversions / meetings / patrol findings / complaints / bonuses / council "
        "ratings")] = "violations"
    scoring: Annotated[Scoring, label(
        "计分方式", "Scoring", "deduct 满分起扣 / earn 从零累加至满分 / rating 评议百分折算后再扣",
        "deduct from the maximum / earn up to the maximum / rating: the council's rating scaled, then deductions")
    ] = "deduct"
    kinds: Annotated[tuple[str, ...], label(
        "计入的项目代码", "Kinds counted", "百分制考核细则（或加分项目）的代码；空 = 该来源的全部记录",
        "Keys of the point-values catalogue (or bonuses); empty = every record of the source", x=REFS_KINDS)] = ()
    points_each: Annotated[float, label(
        "每项每次扣（加）分", "Points each", "0 = 按记录本身的分值", "0 = the record's own points", ge=0, le=100)] = 0
    zero_kinds: Annotated[tuple[str, ...], label(
        "出现即此项不得分", "Kinds that zero the criterion", "如肢体冲突、用电事故、被市通报",
        "e.g. a physical conflict, an electrical accident, named by the city", x=REFS_KINDS)] = ()
    clause: Annotated[str, label("依据", "Clause", max_length=120)] = ""


class Disqualifier(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    """Something that bars a unit from the flag of the period, whatever its points."""

    key: Annotated[str, label("代码", "Key", x={"widget": "code"}, pattern=KEY)] = "disqualifier"
    name: Annotated[str, label("名称", "Name", min_length=1, max_length=60)] = "不得评为红旗"
    name_en: Annotated[str, label("英文名称", "English name", max_length=80)] = ""
    when: Annotated[When, label(
        "情形", "When",
        "duty_negligence 值班窗口未认真履行职责（值班日巡查次数不足）/ complaint_substantiated 投诉查实 / "
        "violation_kind 出现所列扣分项目",
        "duty_negligence: a duty day of the unit with too few patrols / complaint_substantiated / violation_kind: "
        "a record of a listed kind")] = "violation_kind"
    kinds: Annotated[tuple[str, ...], label(
        "项目代码", "Kinds", "情形为 violation_kind 时", "For violation_kind", x=REFS_KINDS)] = ()
    clause: Annotated[str, label("依据", "Clause", max_length=120)] = ""


def _c(key: str, name: str, en: str, max_points: float, source: Source, kinds: tuple[str, ...] = (),
       each: float = 0, scoring: Scoring = "deduct", zero: tuple[str, ...] = (), clause: str = "") -> Criterion:
    return Criterion(key=key, name=name, name_en=en, max_points=max_points, source=source, scoring=scoring,
                     kinds=kinds, points_each=each, zero_kinds=zero, clause=f"000 篇七 工作制度 十.3{clause}")


DEFAULT_CRITERIA = (
    _c("rules", "遵守中心各项管理及规章制度", "Keeps the center's rules", 10, "violations",
       ("no_substitute_day", "unclosed_leave", "insubordination", "missed_activity", "lingering"), 1, clause="①"),
    _c("schedule", "无迟到、早退、脱岗、旷工", "No late, early, off post, absence", 10, "violations",
       ("late", "early_leave", "missed_punch", "off_post", "off_post_long", "absence_half_day", "absence_day"),
       clause="②"),
    _c("meetings", "全勤参加学习和例会、完成临时任务", "Meetings and trainings attended, tasks done", 5, "meetings",
       (), 1, clause="③"),
    _c("hygiene", "办公区域环境卫生", "Hygiene of the work area", 5, "violations", ("untidy", "power_left_on"), 0.5,
       clause="④"),
    _c("bearing", "举止端庄、佩证上岗、启用服务评价器", "Bearing, badge, rating device", 5, "violations",
       ("no_badge", "rating_device_off", "dress", "makeup"), 0.5, clause="⑤"),
    _c("safety", "无安全责任事故", "No safety incidents", 10, "violations", ("quarrel",), 2,
       zero=("physical_conflict", "electrical_accident"), clause="⑥"),
    _c("discipline", "遵守工作纪律（评议小组百分评议折算）", "Work discipline (council rating scaled)", 30, "council",
       ("ten_prohibitions", "inspection_ten_prohibitions"), 3, scoring="rating", clause="⑦"),
    _c("efficiency", "办公效率、服务质量、群众满意度", "Efficiency, quality, satisfaction", 10, "violations",
       ("late_report", "complaint", "time_limit"), clause="⑧"),
    _c("platform", "按时按质启用协同办公平台", "Collaborative platform used on time", 10, "violations",
       ("late_entry", "not_entered", "wrong_process"), 0.5, zero=("city_notified",), clause="⑨"),
    _c("publicity", "信息刊用、锦旗与感谢信", "Articles published, banners and letters", 5, "bonuses",
       ("article_published", "praise_letter"), scoring="earn", clause="⑩"),
)

DEFAULT_DISQUALIFIERS = (
    Disqualifier(key="city_notified", name="被市通报未录入或录入不及时", name_en="Named by the city for missing entries",
                 when="violation_kind", kinds=("city_notified",), clause="000 篇七 工作制度 五.2 当月不得评为红旗窗口单位"),
)


class RedFlagSettings(PackSettings, frozen=True, kw_only=True):
    rounds: Annotated[tuple[RoundKind, ...], label(
        "评比周期", "Rounds", "每月评选一次；限时办结与季度评选红旗窗口挂钩", "Monthly; quarterly red-flag windows",
        x={"add": "添加评比周期", "add-en": "Add a round", "label-field": "period"})] = (
        RoundKind(period="month", flags=2, award_day=3, clause="000 篇七 工作制度 十.2"),)
    unit: Annotated[Unit, label("评比对象", "Unit", "window 窗口 / department 部门（窗口单位）",
                                "window / department")] = "window"
    criteria: Annotated[tuple[Criterion, ...], label(
        "评比标准（百分制）", "Criteria (100 points)", "各项满分与数据来源", "Each criterion's maximum and its source",
        x={"add": "添加评比项目", "add-en": "Add a criterion", "label-field": "name"})] = DEFAULT_CRITERIA
    disqualifiers: Annotated[tuple[Disqualifier, ...], label(
        "不得评为红旗的情形", "Disqualifiers", "出现即当期不得评为红旗窗口", "Any one bars the unit for the period",
        x={"add": "添加情形", "add-en": "Add a disqualifier", "label-field": "name"})] = DEFAULT_DISQUALIFIERS
    min_total: Annotated[float, label(
        "获评最低得分", "Lowest total awarded", "低于此分不授予流动红旗；0 = 不限", "Below it no flag; 0 = none",
        ge=0, le=100)] = 0

    def problems(self) -> list[SettingsProblem]:
        out: list[SettingsProblem] = []
        if not self.rounds:
            out.append(SettingsProblem("rounds", "至少一个评比周期", "At least one round"))
        periods = [r.period for r in self.rounds]
        for i, p in enumerate(periods):
            if p in periods[:i]:
                out.append(SettingsProblem(f"rounds[{i}].period", "评比周期重复", "Duplicate period"))
        seen: set[str] = set()
        for i, c in enumerate(self.criteria):
            if c.key in seen:
                out.append(SettingsProblem(f"criteria[{i}].key", "评比项目代码重复", "Duplicate criterion key"))
            seen.add(c.key)
            if c.scoring == "rating" and c.source != "council":
                out.append(SettingsProblem(f"criteria[{i}].scoring", "评议折算只用于评议小组来源",
                                           "Rating scoring needs the council source"))
        total = sum(c.max_points for c in self.criteria)
        if self.criteria and abs(total - 100) > 1e-6:
            out.append(SettingsProblem("criteria", f"各项满分之和须为 100（现为 {total:g}）",
                                       f"The maxima must add up to 100 (now {total:g})"))
        for i, d in enumerate(self.disqualifiers):
            if d.when == "violation_kind" and not d.kinds:
                out.append(SettingsProblem(f"disqualifiers[{i}].kinds", "请填写项目代码", "Name the kinds"))
        return out

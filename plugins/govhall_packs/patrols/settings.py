"""Settings of the patrols pack (巡查与值班). Defaults: seed 000 篇七 (XX县政务服务中心) 工作制度 三, 四, 七, 八."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from govhall.packs import PackSettings, SettingsProblem, label

Mode = Literal["on_site", "video", "self_check", "spot_check", "mutual_check", "unannounced"]
AppliesTo = Literal["hall", "window", "staff"]
RotaMode = Literal["staff_weekly", "window_monthly"]
OutingApproval = Literal["report", "approval"]
Sanction = Literal["verbal_warning", "written_self_criticism", "public_criticism", "deduction"]

_HHMM = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"


class ChecklistItem(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    """One thing a patrol checks; a failed item about a person records ``violation_kind``."""

    key: Annotated[str, label("代码", "Key", min_length=1, max_length=40, pattern=r"^[a-z][a-z0-9_]*$")] = "item"
    name: Annotated[str, label("检查项目", "Item", min_length=1, max_length=60)] = "检查项目"
    name_en: Annotated[str, label("英文名称", "English name", max_length=80)] = ""
    applies_to: Annotated[AppliesTo, label("检查对象", "Applies to", "hall 大厅 / window 窗口 / staff 人员",
                                           "hall / window / staff")] = "staff"
    violation_kind: Annotated[str, label(
        "不合格时记录的扣分项目", "Violation recorded on failure", "百分制考核细则中的项目代码；空 = 只记录不扣分",
        "A key of the point-values catalogue; empty = noted without a deduction", max_length=40)] = ""
    sanction: Annotated[Sanction, label(
        "默认处理", "Default sanction", "口头批评警告 / 书面检查 / 通报批评 / 扣分",
        "Oral warning / written self-criticism / public criticism / deduction")] = "deduction"
    photo_required: Annotated[bool, label("须拍照取证", "Needs a photo")] = False
    off_post: Annotated[bool, label(
        "按脱岗计时", "Timed as off post", "人员不在岗且未报备外出：开始脱岗计时，回岗时停止，时长按考勤规则认定",
        "The person is away without a reported outing: an off-post timer starts, stopped on return; its length is "
        "classified by the attendance rules")] = False
    clause: Annotated[str, label("依据", "Clause", max_length=120)] = ""


class FixedCheck(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    """A check at a set time each working day (e.g. 9:00 卫生安全综合检查)."""

    key: Annotated[str, label("代码", "Key", min_length=1, max_length=40, pattern=r"^[a-z][a-z0-9_]*$")] = "check"
    name: Annotated[str, label("名称", "Name", min_length=1, max_length=60)] = "定时检查"
    name_en: Annotated[str, label("英文名称", "English name", max_length=80)] = ""
    at: Annotated[str, label("时间", "At", "HH:MM", "HH:MM", pattern=_HHMM)] = "09:00"
    items: Annotated[tuple[str, ...], label("检查项目代码", "Checklist item keys")] = ()
    clause: Annotated[str, label("依据", "Clause", max_length=120)] = ""


def _item(key: str, name: str, en: str, applies: AppliesTo, kind: str, sanction: Sanction = "deduction",
          photo: bool = False, clause: str = "", off_post: bool = False) -> ChecklistItem:
    return ChecklistItem(key=key, name=name, name_en=en, applies_to=applies, violation_kind=kind,
                         sanction=sanction, photo_required=photo, clause=clause, off_post=off_post)


DEFAULT_CHECKLIST = (
    _item("order", "大厅秩序、物品摆放、公共设施", "Hall order, furniture, public facilities", "hall", "",
          "verbal_warning", clause="000 篇七 工作制度 七(三)1"),
    _item("off_post", "脱岗（不在岗且未报备外出）", "Off post (away, no outing reported)", "staff", "", "deduction",
          clause="000 篇七 工作制度 七(三)2; 十一(一)6 因公事外出不报告者视为脱岗", off_post=True),
    _item("idle", "聊天、打瞌睡、吃零食、抽烟", "Chatting, dozing, snacking, smoking", "staff", "ten_prohibitions",
          photo=True, clause="000 篇七 工作制度 七(三)2"),
    _item("ten_prohibitions", "上网聊天购物游戏、看视频股市、玩手机（十条禁令）",
          "Chatting, shopping, games, videos, phone (ten prohibitions)", "staff", "ten_prohibitions", photo=True,
          clause="000 篇七 工作制度 七(三)3"),
    _item("no_badge", "未佩证上岗", "No badge", "staff", "no_badge", photo=True, clause="000 篇七 十一(二)1"),
    _item("attitude", "服务态度、效率", "Attitude and efficiency", "staff", "cold_attitude",
          clause="000 篇七 工作制度 七(三)4"),
    _item("untidy", "窗口卫生（桌面不整齐、有灰尘、纸团）", "Counter hygiene", "staff", "untidy", photo=True,
          clause="000 篇七 工作制度 三.7; 十一(三)1"),
    _item("private_power", "私接网线、电源、热水器", "Private wiring, power, water heaters", "staff", "power_left_on",
          photo=True, clause="000 篇七 工作制度 七(三)4"),
    _item("doors_windows", "门、窗关闭", "Doors and windows closed", "hall", "", "verbal_warning",
          clause="000 篇七 工作制度 四.10"),
    _item("water_power", "水、电关闭", "Water and power off", "hall", "", "verbal_warning",
          clause="000 篇七 工作制度 四.10"),
)

DEFAULT_FIXED = (FixedCheck(key="hygiene_safety_0900", name="卫生安全综合检查", name_en="Hygiene and safety check",
                            at="09:00", items=("untidy", "private_power", "order"),
                            clause="000 篇七 工作制度 三.8"),)


class PatrolsSettings(PackSettings, frozen=True, kw_only=True):
    min_patrols_per_day: Annotated[int, label(
        "每天巡查不少于（次）", "Patrols per day (at least)", "如“每天巡查不少于四次”", "e.g. at least four a day",
        ge=0, le=20)] = 4
    min_patrols_am: Annotated[int, label(
        "其中上午不少于（次）", "Of which in the morning", "“原则上午、下午各两次”", "'two in the morning, two in the afternoon'",
        ge=0, le=10)] = 2
    min_patrols_pm: Annotated[int, label("其中下午不少于（次）", "Of which in the afternoon", ge=0, le=10)] = 2
    modes: Annotated[tuple[Mode, ...], label(
        "巡查方式", "Patrol modes", "现场巡查、调取视频监控、自查、抽查、互查、暗访",
        "On site, video, self check, spot check, mutual check, unannounced")] = ("on_site", "video")
    checklist: Annotated[tuple[ChecklistItem, ...], label(
        "巡查检查项目", "Checklist", "不合格项目记录的扣分项目与默认处理", "What a failed item records")] = DEFAULT_CHECKLIST
    fixed_checks: Annotated[tuple[FixedCheck, ...], label(
        "定时检查", "Fixed checks", "每个工作日定时进行的检查", "Checks at a set time each working day")] = DEFAULT_FIXED
    closing_check: Annotated[bool, label(
        "下班前关闭检查", "Closing check", "值班人员下班前检查门、窗、水、电关闭情况并记录",
        "Before leaving, the duty officer checks doors, windows, water and power")] = True
    closing_items: Annotated[tuple[str, ...], label(
        "关闭检查项目代码", "Closing check items")] = ("doors_windows", "water_power")
    rota_mode: Annotated[RotaMode, label(
        "值班方式", "Rota mode", "staff_weekly 人员轮流值周（周一至周日）/ window_monthly 窗口按月轮流值班",
        "A person per week (Monday to Sunday) / windows per month")] = "staff_weekly"
    windows_per_month: Annotated[int, label(
        "每月值班窗口数", "Duty windows per month", "按月轮流时每月安排的值班窗口数", "With windows per month", ge=1,
        le=20)] = 4
    duty_arrival_offset_minutes: Annotated[int, label(
        "值班人员提前到岗（分钟）", "Duty officer arrives earlier (minutes)",
        "值班日比作息时间提前到岗，如 8:30 上班的 8:20 到岗", "On duty days, e.g. 8:20 for an 8:30 start",
        ge=0, le=60)] = 10
    holiday_duty: Annotated[bool, label(
        "节假日安排值班", "Duty on holidays", "双休日及法定节假日统一安排人员值班", "Someone is on duty on rest days")] = False
    outing_approval: Annotated[OutingApproval, label(
        "外出报备方式", "Outings", "report 告知当日值班人员并记入值班日志即可 / approval 须经值班人员或中心管理员同意",
        "report: told to the duty officer and logged / approval: the duty officer or a center admin approves")
    ] = "report"
    meeting_day: Annotated[int, label(
        "每月例会日", "Monthly meeting day", "每月几日召开例会，遇节假日顺延至下一个工作日；0 = 每月第一个工作日",
        "Day of the month; on a day off the next working day; 0 = the month's first working day", ge=0, le=28)] = 3
    meeting_time: Annotated[str, label("例会开始时间", "Meeting starts at", "HH:MM", "HH:MM", pattern=_HHMM)] = "08:30"
    meeting_late_after_minutes: Annotated[int, label(
        "开会后签到算迟到（分钟）", "Signed in later than (minutes) = late", ge=0, le=60)] = 0
    meeting_late_kind: Annotated[str, label(
        "例会迟到、早退记录的扣分项目", "Violation for late / leaving early", max_length=40)] = "meeting_late"
    meeting_absent_kind: Annotated[str, label(
        "例会缺席记录的扣分项目", "Violation for absence", max_length=40)] = "meeting_absent"
    rota_gaps_allowed: Annotated[bool, label(
        "允许值班空档", "Gaps in the rota allowed", "否：每个工作日都须有人值班", "No: every working day needs someone")
    ] = False

    def problems(self) -> list[SettingsProblem]:
        out: list[SettingsProblem] = []
        if self.min_patrols_am + self.min_patrols_pm > self.min_patrols_per_day:
            out.append(SettingsProblem("min_patrols_am", "上午与下午的次数之和不能超过每天的次数",
                                       "Morning plus afternoon cannot exceed the daily count"))
        keys = [c.key for c in self.checklist]
        seen: set[str] = set()
        for i, k in enumerate(keys):
            if k in seen:
                out.append(SettingsProblem(f"checklist[{i}].key", "检查项目代码重复", "Duplicate item key"))
            seen.add(k)
        for i, fc in enumerate(self.fixed_checks):
            for j, k in enumerate(fc.items):
                if k not in seen:
                    out.append(SettingsProblem(f"fixed_checks[{i}].items[{j}]", "没有该检查项目", "No such item"))
        for j, k in enumerate(self.closing_items):
            if k not in seen:
                out.append(SettingsProblem(f"closing_items[{j}]", "没有该检查项目", "No such item"))
        if not self.modes:
            out.append(SettingsProblem("modes", "至少一种巡查方式", "At least one mode"))
        return out

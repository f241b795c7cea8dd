"""Settings of the complaints pack (投诉与办件时限). Defaults: the county rules of seed 000 篇七 (工作制度 九,
服务制度 五.6 and 七, 工作制度 十.3⑧⑨, 办理办法 第六条)."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from govhall.packs import PackSettings, SettingsProblem, label

Channel = Literal["in_person", "phone", "letter", "mailbox", "web", "hotline"]
CHANNEL_ZH = {"in_person": "现场", "phone": "电话", "letter": "书面（信函）", "mailbox": "意见箱",
              "web": "网络（在线信箱、主任信箱）", "hotline": "热线转办"}
CHANNEL_EN = {"in_person": "in person", "phone": "phone", "letter": "letter", "mailbox": "mailbox",
              "web": "online mailbox", "hotline": "hotline referral"}
WRITTEN_CHANNELS = frozenset({"letter", "mailbox", "web"})
Unit = Literal["minutes", "hours", "days", "working_days"]
UNIT_ZH = {"minutes": "分钟", "hours": "小时", "days": "日（自然日）", "working_days": "工作日"}
UNIT_EN = {"minutes": "minutes", "hours": "hours", "days": "calendar days", "working_days": "working days"}
Level = Literal["center", "center_written", "city", "province"]
LEVEL_ZH = {"center": "口头投诉（中心）", "center_written": "书面投诉（中心）", "city": "投诉到市", "province": "投诉到省级以上"}
LEVEL_EN = {"center": "oral, at the center", "center_written": "written, at the center", "city": "to the city",
            "province": "to the province or above"}
CardKind = Literal["yellow", "red"]


def _one_of(zh: dict[str, str], en: dict[str, str]) -> dict[str, object]:
    return {"oneOf": [{"const": k, "title": zh[k], "x-title-en": en[k], "type": "string"} for k in zh]}


ChannelItem = Annotated[Channel, msgspec.Meta(extra_json_schema=_one_of(CHANNEL_ZH, CHANNEL_EN))]


class ComplaintClass(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    key: Annotated[str, label("代码", "Key", pattern=r"^[a-z][a-z0-9_]{0,39}$")]
    name: Annotated[str, label("名称", "Name", max_length=60)]
    name_en: Annotated[str, label("英文名称", "English name", max_length=80)] = ""
    amount: Annotated[int, label("答复时限", "Reply within", ge=1, le=1000)]
    unit: Annotated[Unit, msgspec.Meta(title="时限单位", extra_json_schema={
        "x-title-en": "Unit", **_one_of(UNIT_ZH, UNIT_EN)})]
    postpone: Annotated[bool, label("期满日遇节假日顺延", "A last day on a holiday moves to the next working day",
                                    "仅对自然日有效", "Calendar days only")] = True
    multi_department: Annotated[bool, label("涉及两个以上部门的投诉适用", "For complaints involving two or more departments")] = False
    major: Annotated[bool, label("重大事项", "Major matter", "涉及重大事项应采用书面形式",
                                 "Major matters are lodged in writing")] = False
    clause: Annotated[str, label("依据条款", "Clause", max_length=80)] = ""


class WindowPoints(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    level: Annotated[Level, msgspec.Meta(title="投诉层级", extra_json_schema={
        "x-title-en": "Level lodged", **_one_of(LEVEL_ZH, LEVEL_EN)})]
    points: Annotated[float, label("窗口扣分", "Window points", ge=0, le=100)] = 0
    zeroes: Annotated[bool, label("此项不得分", "The criterion scores 0")] = False


_CLAUSE = "000 篇七 工作制度 九.3"
DEFAULT_CLASSES = (
    ComplaintClass(key="general", name="一般投诉", name_en="General", amount=5, unit="working_days",
                   clause="000 篇七 服务制度 五.6（5个工作日内反馈）"),
    ComplaintClass(key="important", name="重要投诉", name_en="Important", amount=3, unit="days", postpone=False,
                   clause=f"{_CLAUSE}（重要投诉三日内办理并答复）"),
)
DEFAULT_WINDOW_POINTS = (
    WindowPoints(level="center", points=1), WindowPoints(level="center_written", points=3),
    WindowPoints(level="city", points=5), WindowPoints(level="province", zeroes=True),
)


class ComplaintsSettings(PackSettings, frozen=True, kw_only=True):
    # ---- complaints (投诉) ----
    channels: Annotated[tuple[ChannelItem, ...], label(
        "投诉渠道", "Channels", "000 篇七 九.1 口头、电话或书面", "000 篇七 九.1: oral, phone or written",
        min_length=1)] = ("in_person", "phone", "letter")
    intake_office_name: Annotated[str, label("受理科室", "Intake office", "如 业务科、稽查督办科、中心管理办公室",
                                             "e.g. 业务科, 稽查督办科", min_length=1, max_length=40)] = "业务科"
    classes: Annotated[tuple[ComplaintClass, ...], label(
        "投诉类别及答复时限", "Classes and reply deadlines", min_length=1)] = DEFAULT_CLASSES
    written_needs_written_reply: Annotated[bool, label(
        "书面投诉必须书面答复", "Written complaints get a written reply", "004 投诉 7")] = False
    major_needs_written_intake: Annotated[bool, label(
        "重大事项须书面投诉", "Major matters must be lodged in writing", "000 篇七 九.1")] = True
    anonymous_allowed: Annotated[bool, label("受理匿名投诉", "Anonymous complaints accepted")] = True
    person_violation_kind: Annotated[str, label(
        "查实后个人扣分项目", "Catalogue item for the person", "考核细则中的项目代码，空表示不扣分",
        "A key of the assessment catalogue; empty: none", max_length=40)] = "complaint"
    window_points: Annotated[tuple[WindowPoints, ...], label(
        "查实后窗口扣分（按层级）", "Window points by level", "000 篇七 十.3⑧")] = DEFAULT_WINDOW_POINTS
    reporter_reward_yuan: Annotated[float, label(
        "举报人奖励（元）", "Reporter's reward (yuan)", "000 篇七 办理办法 第六条", ge=0, le=100000)] = 50
    # ---- case time limits (办件时限) ----
    promise_max_fraction: Annotated[float, label(
        "承诺时限不超过法定时限的比例", "Promised time at most this share of the legal time",
        "002 罗田 限时办结 2: 缩短50%以上 = 0.5；1 表示不超过法定时限", "002: 0.5; 1: at most the legal time",
        gt=0, le=1)] = 1
    immediate_limit_minutes: Annotated[int, label(
        "即办件办结时限（分钟）", "Immediate cases: minutes", "0 表示当日办结（000 篇七 服务制度 七(一)）；004/10: 30",
        "0: the same day", ge=0, le=1440)] = 0
    red_card_after_working_days: Annotated[int, label(
        "超期几个工作日亮红牌", "Red card after this many working days overdue", "超期即亮黄牌",
        "Yellow as soon as overdue", ge=1, le=60)] = 2
    yellow_card_points: Annotated[float, label("黄牌扣分（窗口）", "Yellow card points (window)",
                                               "000 篇七 十.3⑨", ge=0, le=100)] = 2
    red_card_points: Annotated[float, label("红牌扣分（窗口）", "Red card points (window)",
                                            "000 篇七 十.3⑨", ge=0, le=100)] = 3
    overdue_violation_kind: Annotated[str, label(
        "超期个人扣分项目", "Catalogue item for an overdue case", "如 time_limit（000 十一(二)3）、case_late（002）",
        "e.g. time_limit, case_late", max_length=40)] = "time_limit"
    overdue_per_day: Annotated[bool, label(
        "按超期天数计扣", "Per day overdue", "004/14 每件每超过1天扣2分", "004/14: per case per day")] = False

    def problems(self) -> list[SettingsProblem]:
        out: list[SettingsProblem] = []
        keys = [c.key for c in self.classes]
        for i, k in enumerate(keys):
            if keys.count(k) > 1:
                out.append(SettingsProblem(f"classes[{i}].key", f"类别代码 {k} 重复", f"duplicate class key {k}"))
        levels = [w.level for w in self.window_points]
        for i, lv in enumerate(levels):
            if levels.count(lv) > 1:
                out.append(SettingsProblem(f"window_points[{i}].level", "层级重复", f"duplicate level {lv}"))
        return out

"""Settings of the attendance_rules pack (考勤规则). Defaults: seed 000, county hall (考勤规范 二)请假制度 10)."""

from __future__ import annotations

from itertools import pairwise
from typing import Annotated, Literal

import msgspec

from govhall.packs import PackSettings, SettingsProblem, label

MissingPunch = Literal["missed_punch", "late_early", "absence"]


class ConversionStep(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    """``count`` or more occurrences in a month -> ``half_days`` of unexcused absence (the highest step reached)."""

    count: Annotated[int, label("次数（含）", "Count (or more)", ge=1, le=100)] = 4
    half_days: Annotated[int, label("计旷工（半天）", "Absence (half days)", "1 = 半天，2 = 一天",
                                    "1 = half a day, 2 = a whole day", ge=0, le=20)] = 1


def _steps(*pairs: tuple[int, int]) -> tuple[ConversionStep, ...]:
    return tuple(ConversionStep(count=c, half_days=h) for c, h in pairs)


_MISSING_ONE_OF = [
    {"const": "missed_punch", "title": "计为未签到（按月累计折算）", "x-title-en": "A missed punch (converted monthly)"},
    {"const": "late_early", "title": "上班未打卡视为迟到，下班未打卡视为早退",
     "x-title-en": "Late (no arrival punch) or early leave (no departure punch)"},
    {"const": "absence", "title": "视为旷工半天", "x-title-en": "Half a day of absence"},
]


class AttendanceRulesSettings(PackSettings, frozen=True, kw_only=True):
    missing_punch: Annotated[MissingPunch, msgspec.Meta(
        title="缺一次打卡按", description="一个时段只打了上班卡或只打了下班卡时如何认定",
        extra_json_schema={"x-title-en": "One missing punch counts as",
                           "x-description-en": "What a session with only its arrival or only its departure punched is",
                           "oneOf": _MISSING_ONE_OF})] = "missed_punch"
    late_early_steps: Annotated[tuple[ConversionStep, ...], label(
        "迟到早退折算旷工", "Late / early leave -> absence", "当月迟到或早退达到次数计旷工（取达到的最高一档）",
        "Lates or early leaves in a month -> half days of absence (the highest step reached)")] = _steps((4, 1))
    late_and_early_counted_together: Annotated[bool, label(
        "迟到与早退合并计次", "Count lates and early leaves together", "如“当月迟到或早退4次以上”",
        "e.g. 'four or more lates or early leaves in a month'")] = True
    missed_punch_steps: Annotated[tuple[ConversionStep, ...], label(
        "未签到折算旷工", "Missed punches -> absence", "当月累计未签到达到次数计旷工（取达到的最高一档）",
        "Missed punches in a month -> half days of absence (the highest step reached)")] = _steps((4, 1), (8, 2))
    off_post_half_day_after_minutes: Annotated[int, label(
        "脱岗超过（分钟）计旷工半天", "Off post longer than (minutes) = half a day",
        "一次擅离工作岗位超过该时长计旷工半天；0 为不折算", "One absence from the post longer than this; 0 = never",
        ge=0, le=600)] = 120
    closed_sessions_require_punches: Annotated[bool, label(
        "不对外办公时段也须打卡", "Closed sessions need punches too", "如星期五下午内部学习",
        "e.g. Friday afternoon internal study")] = True
    missed_punch_requests_per_month: Annotated[int, label(
        "每人每月补卡次数上限", "Missed-punch requests per person per month", ge=0, le=31)] = 3
    backdate_days: Annotated[int, label(
        "补传期限（天）", "Back-dating window (days)", "离线考勤机补传多少天内的记录", "How old an uploaded punch may be",
        ge=1, le=92)] = 35
    future_tolerance_minutes: Annotated[int, label(
        "时钟误差容忍（分钟）", "Clock tolerance (minutes)", "晚于当前时间超过此值的记录拒收",
        "Punches later than now by more than this are refused", ge=0, le=120)] = 10
    evaluation_cutoff_hours: Annotated[int, label(
        "考勤机数据截止（小时）", "Terminal data cut-off (hours)",
        "某日结束后等待所有考勤机上传的最长时间，超时后即使仍有考勤机未同步也计算该日",
        "How long after a day to wait for every terminal before the day is evaluated anyway", ge=0, le=720)] = 48
    web_clock_in: Annotated[bool, label("允许网页打卡", "Allow clock-in from the web")] = True
    web_location_required: Annotated[bool, label(
        "网页打卡须提供位置", "Web clock-in needs the location", "浏览器须允许获取位置",
        "The browser must share its location")] = False

    def problems(self) -> list[SettingsProblem]:
        out: list[SettingsProblem] = []
        for name in ("late_early_steps", "missed_punch_steps"):
            steps = getattr(self, name)
            for i, (a, b) in enumerate(pairwise(steps), start=1):
                if b.count <= a.count:
                    out.append(SettingsProblem(f"{name}[{i}].count", "各档次数应逐档增加",
                                               "Each step needs a higher count than the one before"))
                if b.half_days < a.half_days:
                    out.append(SettingsProblem(f"{name}[{i}].half_days", "次数更多的一档不能折算得更少",
                                               "A higher step cannot convert to fewer half days"))
        return out

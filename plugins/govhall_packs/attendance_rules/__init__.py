"""attendance_rules (考勤规则): what a missing punch means, and the monthly conversions of lates, early leaves,
missed punches and absences from the post into half days of unexcused absence; 补卡 cap, terminal cut-off,
web clock-in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from govhall.packs import PackSpec, hookimpl
from govhall.packs.types import AttendanceTally, TenantRules
from govhall_packs.attendance_rules import logic
from govhall_packs.attendance_rules.settings import AttendanceRulesSettings

PACK = PackSpec(
    name="attendance_rules",
    version="1.0.0",
    title_zh="考勤规则",
    title_en="Attendance rules",
    description_zh="缺卡认定、迟到早退与未签到按月折算旷工、脱岗折算、补卡次数上限、考勤机数据截止时间、网页打卡。",
    description_en="What a missing punch means; monthly conversion of lates, early leaves, missed punches and "
                   "absences from the post into absence; missed-punch request cap; terminal cut-off; web clock-in.",
    settings=AttendanceRulesSettings,
    readme=Path(__file__).with_name("README.md"),
)


@hookimpl
def govhall_attendance_conversions(rules: TenantRules, month: dt.date,
                                   tallies: Sequence[AttendanceTally]) -> dict[str, dict[str, int]]:
    return logic.conversions(rules.of(PACK.name), tallies)

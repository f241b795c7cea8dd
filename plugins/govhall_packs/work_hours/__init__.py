"""work_hours (作息时间): sessions by weekday, seasonal schedules, closed sessions, punch windows and grace,
statutory holidays and adjusted workdays (chinesecalendar) with the center's own closures and working days."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from govhall.packs import PackSpec, hookimpl
from govhall.packs.types import CalendarCoverage, DaySchedule, TenantRules
from govhall_packs.work_hours import logic
from govhall_packs.work_hours.settings import WorkHoursSettings

_WEEKDAYS_UI = {"ui:widget": "checkboxes", "ui:options": {"inline": True}}
# "dateList": the UI's widget for a list of dates (pick days or ranges, or type them; sorted, deduplicated).
_DATES_UI = {"ui:widget": "dateList"}

PACK = PackSpec(
    name="work_hours",
    version="1.1.0",
    title_zh="作息时间",
    title_en="Work hours",
    description_zh="每周作息时段、季节性作息（夏季作息）、不对外办公时段、打卡时间窗和宽限、法定节假日和调休。",
    description_en="Weekly sessions, seasonal schedules, closed sessions, punch windows and grace, statutory "
                   "holidays and adjusted workdays.",
    settings=WorkHoursSettings,
    readme=Path(__file__).with_name("README.md"),
    ui_schema={
        "weekly_sessions": {"items": {"weekdays": _WEEKDAYS_UI}},
        "seasonal_variants": {"items": {"sessions": {"items": {"weekdays": _WEEKDAYS_UI}}}},
        "own_calendar": {"items": {"ui:order": ["year", "holidays", "workdays"], "holidays": _DATES_UI,
                                   "workdays": _DATES_UI}},
    },
)


@hookimpl
def govhall_work_calendar(rules: TenantRules, days: Sequence[dt.date]) -> dict[dt.date, DaySchedule]:
    return logic.calendar(rules.of(PACK.name), days)


@hookimpl
def govhall_calendar_coverage(rules: TenantRules, years: Sequence[int]) -> CalendarCoverage:
    settings: WorkHoursSettings = rules.of(PACK.name)
    return CalendarCoverage(pack=PACK.name, years=logic.coverage(settings, years),
                            warn_days=settings.calendar_warning_days)

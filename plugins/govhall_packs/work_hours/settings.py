"""Settings of the work_hours pack (作息时间). Every field has a default; a tenant overrides what differs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from itertools import pairwise
from typing import Annotated, Literal

import msgspec

from govhall.packs import MONTH_DAY_PATTERN, TIME_PATTERN, PackSettings, SettingsProblem, label

Weekday = Literal[1, 2, 3, 4, 5, 6, 7]
WEEKDAY_ZH = {1: "周一", 2: "周二", 3: "周三", 4: "周四", 5: "周五", 6: "周六", 7: "周日"}
WEEKDAY_EN = {1: "Mon", 2: "Tue", 3: "Wed", 4: "Thu", 5: "Fri", 6: "Sat", 7: "Sun"}

_WEEKDAY_ITEMS = {"type": "integer", "oneOf": [
    {"const": d, "title": WEEKDAY_ZH[d], "x-title-en": WEEKDAY_EN[d]} for d in range(1, 8)
]}


WeekdayItem = Annotated[Weekday, msgspec.Meta(extra_json_schema={"oneOf": _WEEKDAY_ITEMS["oneOf"]})]


class SessionRule(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    """A session held on some weekdays, e.g. 上午 08:30-11:30 Monday to Friday."""

    label: Annotated[str, label("名称", "Name", min_length=1, max_length=20)] = "上午"
    start: Annotated[str, label("开始时间", "Start", x={"widget": "time"}, pattern=TIME_PATTERN)] = "08:30"
    end: Annotated[str, label("结束时间", "End", x={"widget": "time"}, pattern=TIME_PATTERN)] = "11:30"
    weekdays: Annotated[tuple[WeekdayItem, ...], msgspec.Meta(
        title="适用星期", extra_json_schema={"x-title-en": "Weekdays", "uniqueItems": True},
        min_length=1)] = (1, 2, 3, 4, 5)
    open_to_public: Annotated[bool, label("对外办公", "Open to the public")] = True


def _sessions(*rules: tuple[str, str, str, tuple[int, ...], bool]) -> tuple[SessionRule, ...]:
    return tuple(SessionRule(label=lb, start=s, end=e, weekdays=wd, open_to_public=o)  # type: ignore[arg-type]  # default sessions are written as plain tuples of the right values
                 for lb, s, e, wd, o in rules)


class SeasonalVariant(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    """Sessions that replace the weekly ones between two dates of every year (e.g. a summer schedule)."""

    name: Annotated[str, label("名称", "Name", min_length=1, max_length=20)] = "夏季作息"
    start: Annotated[str, label("开始（月-日）", "From (MM-DD)", pattern=MONTH_DAY_PATTERN)] = "05-01"
    end: Annotated[str, label("结束（月-日，含）", "To (MM-DD, inclusive)", pattern=MONTH_DAY_PATTERN)] = "09-30"
    sessions: Annotated[tuple[SessionRule, ...], label("时段", "Sessions", min_length=1, x={
        "add": "添加时段", "add-en": "Add a session", "label-field": "label"})] = _sessions(
        ("上午", "08:00", "11:30", (1, 2, 3, 4, 5), True), ("下午", "14:30", "17:30", (1, 2, 3, 4, 5), True))


class DateNote(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    date: Annotated[dt.date, label("日期", "Date")]
    note: Annotated[str, label("说明", "Note", max_length=100)] = ""


class YearCalendar(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    """The statutory holidays and adjusted workdays of one year, as the State Council's notice lists them."""

    year: Annotated[int, label("年份", "Year", "如 2027：录入国务院办公厅当年放假安排通知中的日期",
                               "e.g. 2027: the dates of the State Council's holiday notice for that year",
                               ge=2000, le=2100)]
    holidays: Annotated[tuple[dt.date, ...], msgspec.Meta(
        title="放假日期（逐日）", description="通知中放假的每一天，含连休中的周六、周日（如春节放假 8 天就是 8 个日期）",
        extra_json_schema={"x-title-en": "Days off (every day)", "uniqueItems": True,
                           "x-description-en": "Every day off in the notice, including the weekend days of a "
                                               "bridged holiday (an 8-day Spring Festival is 8 dates)"})] = ()
    workdays: Annotated[tuple[dt.date, ...], msgspec.Meta(
        title="调休上班日期", description="通知中写明“上班”的周六、周日（调休上班日）",
        extra_json_schema={"x-title-en": "Adjusted workdays", "uniqueItems": True,
                           "x-description-en": "The Saturdays and Sundays the notice says are worked"})] = ()


class WorkHoursSettings(PackSettings, frozen=True, kw_only=True):
    weekly_sessions: Annotated[tuple[SessionRule, ...], label(
        "每周作息", "Weekly sessions", "每个时段及适用的星期；没有时段的日子不上班",
        "Each session and the weekdays it is held; days without sessions are off", min_length=1,
        x={"add": "添加时段", "add-en": "Add a session", "label-field": "label"})] = _sessions(
        ("上午", "08:30", "11:30", (1, 2, 3, 4, 5), True), ("下午", "14:30", "17:30", (1, 2, 3, 4, 5), True))
    seasonal_variants: Annotated[tuple[SeasonalVariant, ...], label(
        "季节性作息", "Seasonal schedules", "在每年的日期范围内替换每周作息（如夏季作息）",
        "Replace the weekly sessions between two dates of every year (e.g. summer)")] = ()
    late_grace_minutes: Annotated[int, label("迟到宽限（分钟）", "Late grace (minutes)",
                                             "开始后多少分钟内打卡不算迟到", "Minutes after start still not late",
                                             ge=0, le=60)] = 0
    early_grace_minutes: Annotated[int, label("早退宽限（分钟）", "Early-leave grace (minutes)",
                                              "结束前多少分钟内打卡不算早退", "Minutes before end still not early",
                                              ge=0, le=60)] = 0
    punch_open_before_minutes: Annotated[int, label("打卡提前开放（分钟）", "Punch window opens (minutes before)",
                                                    "时段开始前多少分钟起可以打卡", "How early before a session punches count",
                                                    ge=0, le=240)] = 60
    punch_close_after_minutes: Annotated[int, label("打卡延后关闭（分钟）", "Punch window closes (minutes after)",
                                                    "时段结束后多少分钟内仍可打卡", "How late after a session punches count",
                                                    ge=0, le=240)] = 60
    use_statutory_calendar: Annotated[bool, label("执行国家法定节假日和调休", "Follow statutory holidays and swaps",
                                                  "按国务院公布的节假日安排放假、调休上班",
                                                  "Close on statutory holidays and work the swapped weekends")] = True
    adjusted_workday_as: Annotated[Weekday, msgspec.Meta(
        title="调休上班日按", description="调休上班的周末按星期几的作息", extra_json_schema={
            "x-title-en": "Adjusted workdays follow", "x-description-en": "Which weekday's sessions a swapped weekend uses",
            "oneOf": _WEEKDAY_ITEMS["oneOf"]})] = 1
    extra_closures: Annotated[tuple[DateNote, ...], label("本中心另行闭厅日", "Extra closures",
                                                          "如停电、上级另行通知", "e.g. power cut, order from above")] = ()
    extra_workdays: Annotated[tuple[DateNote, ...], label("本中心另行上班日", "Extra working days",
                                                          "如周末集中办理", "e.g. a weekend service day")] = ()
    own_calendar: Annotated[tuple[YearCalendar, ...], label(
        "本中心节假日日历", "Own holiday calendar",
        "系统内置的法定节假日安排只到 2026 年；以后的年份须在此按国务院办公厅当年的放假安排通知录入放假日期和调休上班"
        "日期，录入的年份以此为准。省级录入一次，下级中心全部继承；下级在本级另行录入会整体替换上级的日历（所有年份）",
        "The built-in statutory holiday arrangements end with 2026: for later years enter the days off and adjusted "
        "workdays of the State Council's notice for that year; an entered year takes precedence. Entered once at the "
        "province, every center below inherits it; an entry at a lower level replaces the whole inherited calendar "
        "(all years)")] = ()
    calendar_warning_days: Annotated[int, label(
        "节假日日历提前提醒（天）", "Warn about a missing holiday calendar (days ahead)",
        "新的一年开始前多少天起，若该年节假日日历还没有（软件包和本中心日历都没有），在管理员首页提醒；0 表示不提前提醒",
        "How many days before a new year the admins' home page warns when that year's holiday calendar is "
        "missing (neither the package nor an own calendar has it); 0: no advance warning", ge=0, le=183)] = 60

    def problems(self) -> list[SettingsProblem]:
        out: list[SettingsProblem] = []
        out += _session_problems("weekly_sessions", self.weekly_sessions)
        for i, v in enumerate(self.seasonal_variants):
            out += _session_problems(f"seasonal_variants[{i}].sessions", v.sessions)
            for part in ("start", "end"):
                if not _valid_month_day(getattr(v, part)):
                    out.append(SettingsProblem(f"seasonal_variants[{i}].{part}", "没有这一天", "No such day"))
        closures = {d.date for d in self.extra_closures}
        for i, d in enumerate(self.extra_workdays):
            if d.date in closures:
                out.append(SettingsProblem(f"extra_workdays[{i}].date", f"{d.date} 同时被设为闭厅日",
                                           f"{d.date} is also an extra closure"))
        years: set[int] = set()
        for i, y in enumerate(self.own_calendar):
            if y.year in years:
                out.append(SettingsProblem(f"own_calendar[{i}].year", f"{y.year} 年重复", f"{y.year} appears twice"))
            years.add(y.year)
            out += _year_problems(f"own_calendar[{i}]", y)
        return out


def _dates(values: Iterable[dt.date]) -> str:
    return "、".join(d.isoformat() for d in sorted(values))


def _year_problems(path: str, y: YearCalendar) -> list[SettingsProblem]:
    """One year of the own calendar. Problems name the list (the form shows a list as one widget) and the dates.

    A year with no day off is refused: it would make the year look covered while every holiday is a workday.
    A weekday listed as an adjusted workday is refused: it works anyway, so it is almost surely a slip.
    """
    out: list[SettingsProblem] = []
    if not y.holidays:
        out.append(SettingsProblem(f"{path}.holidays", f"{y.year} 年还没有录入放假日期",
                                   f"No days off entered for {y.year}"))
    for part in ("holidays", "workdays"):
        days: tuple[dt.date, ...] = getattr(y, part)
        outside = [d for d in days if d.year != y.year]
        if outside:
            out.append(SettingsProblem(f"{path}.{part}", f"{_dates(outside)} 不在 {y.year} 年内",
                                       f"{_dates(outside)} not in {y.year}"))
        twice = {d for d in days if days.count(d) > 1}
        if twice:
            out.append(SettingsProblem(f"{path}.{part}", f"{_dates(twice)} 重复录入", f"{_dates(twice)} entered twice"))
    both = set(y.holidays) & set(y.workdays)
    if both:
        out.append(SettingsProblem(f"{path}.workdays", f"{_dates(both)} 同时是放假日期和调休上班日期",
                                   f"{_dates(both)} is both a day off and an adjusted workday"))
    weekdays = [d for d in y.workdays if d.isoweekday() <= 5]
    if weekdays:
        out.append(SettingsProblem(
            f"{path}.workdays", f"{_dates(weekdays)} 是周一至周五，本来就上班；调休上班日应是周六或周日",
            f"{_dates(weekdays)} falls on Monday-Friday, a workday anyway; adjusted workdays are Saturdays or Sundays"))
    return out


def _valid_month_day(md: str) -> bool:
    try:
        dt.date(2024, int(md[:2]), int(md[3:]))  # a leap year: 02-29 is allowed
    except ValueError:
        return False
    return True


def _minutes(hhmm: str) -> int:
    return int(hhmm[:2]) * 60 + int(hhmm[3:])


def _session_problems(path: str, sessions: tuple[SessionRule, ...]) -> list[SettingsProblem]:
    out = []
    for i, s in enumerate(sessions):
        if _minutes(s.end) <= _minutes(s.start):
            out.append(SettingsProblem(f"{path}[{i}].end", f"结束时间 {s.end} 应晚于开始时间 {s.start}",
                                       f"end {s.end} must be after start {s.start}"))
    for day in range(1, 8):
        spans = sorted((_minutes(s.start), _minutes(s.end), i) for i, s in enumerate(sessions) if day in s.weekdays)
        for (_a0, a1, _ai), (b0, _b1, bi) in pairwise(spans):
            if b0 < a1 and not any(p.field == f"{path}[{bi}].start" for p in out):
                out.append(SettingsProblem(f"{path}[{bi}].start", f"与同一天（{WEEKDAY_ZH[day]}）的另一时段重叠",
                                           f"overlaps another session on {WEEKDAY_EN[day]}"))
    return out

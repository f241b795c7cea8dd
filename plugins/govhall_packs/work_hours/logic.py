"""The work calendar, as pure functions of the settings: no database, no host; tested directly."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from functools import lru_cache

import chinese_calendar

from govhall.packs.types import DaySchedule, PackRuleError, WorkSession, YearCoverage, YearStatus
from govhall_packs.work_hours.settings import SeasonalVariant, SessionRule, WorkHoursSettings

_ZERO_SESSIONS: tuple[WorkSession, ...] = ()


def _time(hhmm: str) -> dt.time:
    return dt.time(int(hhmm[:2]), int(hhmm[3:]))


def _by_weekday(rules: Iterable[SessionRule]) -> dict[int, tuple[WorkSession, ...]]:
    out: dict[int, list[WorkSession]] = {d: [] for d in range(1, 8)}
    for r in rules:
        session = WorkSession(r.label, _time(r.start), _time(r.end), r.open_to_public)
        for d in r.weekdays:
            out[d].append(session)
    return {d: tuple(sorted(v, key=lambda s: s.start)) for d, v in out.items()}


def _in_range(day: dt.date, start: str, end: str) -> bool:
    md = (day.month, day.day)
    a, b = (int(start[:2]), int(start[3:])), (int(end[:2]), int(end[3:]))
    return a <= md <= b if a <= b else (md >= a or md <= b)  # 11-01..04-30 wraps around the new year


class CompiledHours:
    """Settings turned into lookups once per call (a month is ~30 dictionary lookups, no parsing)."""

    def __init__(self, s: WorkHoursSettings) -> None:
        self.s = s
        self.weekly = _by_weekday(s.weekly_sessions)
        self.variants: list[tuple[SeasonalVariant, dict[int, tuple[WorkSession, ...]]]] = [
            (v, _by_weekday(v.sessions)) for v in s.seasonal_variants
        ]
        self.closures = {d.date for d in s.extra_closures}
        self.extra_workdays = {d.date for d in s.extra_workdays}
        self.own = {y.year: (frozenset(y.holidays), frozenset(y.workdays)) for y in s.own_calendar}

    def sessions_of(self, day: dt.date, weekday: int) -> tuple[WorkSession, ...]:
        for variant, table in self.variants:
            if _in_range(day, variant.start, variant.end):
                return table[weekday]
        return self.weekly[weekday]

    def statutory(self, day: dt.date) -> str | None:
        """``statutory_holiday``, ``adjusted_workday`` or None (an ordinary day) by the national calendar."""
        own = self.own.get(day.year)
        if own is not None:
            holidays, workdays = own
            if day in holidays:
                return "statutory_holiday"
            if day in workdays:
                return "adjusted_workday"
            return None
        return _statutory(day)


@lru_cache(maxsize=4096)
def _statutory(day: dt.date) -> str | None:
    try:
        is_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        raise year_missing(day.year) from None
    if name is None:
        return None
    return "statutory_holiday" if is_holiday else "adjusted_workday"


@lru_cache(maxsize=256)
def package_covers(year: int) -> bool:
    """Whether the installed chinesecalendar has the State Council's arrangement of ``year``."""
    try:
        chinese_calendar.get_holiday_detail(dt.date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def package_last_year() -> int:
    return max(chinese_calendar.constants.holidays).year


def year_missing(year: int) -> PackRuleError:
    """The 409 for a year without calendar data, worded for everyone who meets it: the clerk at the clock-in
    page, the duty officer at the board, the admin who can fix it. ``details`` lets the UI say it its own way."""
    last = package_last_year()
    return PackRuleError(
        "calendar_year_missing",
        f"{year} 年的法定节假日和调休安排还没有录入（系统自带的 chinesecalendar 软件包只到 {last} 年），"
        f"所以暂时无法判定这一天是否上班、是否迟到。打卡照常记录，录入后自动重新计算。"
        f"请中心管理员在“规则配置 → 作息时间 → 本中心节假日日历”中录入 {year} 年的放假日期和调休上班日期"
        f"（以国务院办公厅通知为准）；省级管理员在省级录入一次，全省中心都会继承",
        f"The statutory holidays and adjusted workdays of {year} have not been entered yet (the bundled "
        f"chinesecalendar package ends with {last}), so whether a day is worked or late cannot be decided yet. "
        f"Punches are still recorded and are evaluated once the calendar is entered. A center admin enters "
        f"{year}'s days off and adjusted workdays under Rules -> Work hours -> Own holiday calendar (from the State "
        f"Council's notice); entered once at the province, every center below inherits it",
        field="own_calendar", details={"year": year, "packageLastYear": last},
    )


def coverage(settings: WorkHoursSettings, years: Sequence[int]) -> tuple[YearCoverage, ...]:
    """Per year: where its holidays come from, exactly as ``CompiledHours.statutory`` would look them up."""
    own = {y.year for y in settings.own_calendar}
    out = []
    for year in years:
        if not settings.use_statutory_calendar:
            status: YearStatus = "not_used"
        elif year in own:
            status = "own_calendar"
        elif package_covers(year):
            status = "package"
        else:
            status = "missing"
        out.append(YearCoverage(year=year, status=status, field="own_calendar"))
    return tuple(out)


def schedule(c: CompiledHours, day: dt.date) -> DaySchedule:
    s = c.s
    weekday = day.isoweekday()
    reason: str | None = None
    if day in c.extra_workdays:
        sessions = c.sessions_of(day, weekday) or c.sessions_of(day, s.adjusted_workday_as)
        reason = "tenant_extra_workday"
    elif day in c.closures:
        sessions, reason = _ZERO_SESSIONS, "tenant_closure"
    else:
        official = c.statutory(day) if s.use_statutory_calendar else None
        if official == "statutory_holiday":
            sessions, reason = _ZERO_SESSIONS, "statutory_holiday"
        elif official == "adjusted_workday":
            sessions = c.sessions_of(day, weekday) or c.sessions_of(day, s.adjusted_workday_as)
            reason = "adjusted_workday"
        else:
            sessions = c.sessions_of(day, weekday)
            if not sessions:
                reason = "weekend"
    return DaySchedule(
        day=day, workday=bool(sessions), sessions=sessions,
        late_grace_minutes=s.late_grace_minutes, early_grace_minutes=s.early_grace_minutes,
        punch_open_before_minutes=s.punch_open_before_minutes, punch_close_after_minutes=s.punch_close_after_minutes,
        reason=reason,  # type: ignore[arg-type]  # reason is one of the DaySchedule literals or None
    )


def calendar(settings: WorkHoursSettings, days: Sequence[dt.date]) -> dict[dt.date, DaySchedule]:
    compiled = CompiledHours(settings)
    return {day: schedule(compiled, day) for day in days}

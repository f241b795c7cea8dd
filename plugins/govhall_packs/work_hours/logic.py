"""The work calendar, as pure functions of the settings: no database, no host; tested directly."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from functools import lru_cache

import chinese_calendar

from govhall.packs.types import DaySchedule, PackRuleError, WorkSession
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
        raise PackRuleError(
            "calendar_year_missing",
            f"chinesecalendar 软件包没有 {day.year} 年的法定节假日数据。请在“作息时间”规则的“本中心节假日日历”中"
            f"录入 {day.year} 年的放假日期和调休上班日期（以国务院办公厅通知为准）",
            f"The chinesecalendar package has no statutory holidays for {day.year}. Enter {day.year}'s holidays "
            f"and adjusted workdays under work hours -> own holiday calendar (from the State Council notice)",
            field="own_calendar",
        ) from None
    if name is None:
        return None
    return "statutory_holiday" if is_holiday else "adjusted_workday"


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
        reason=reason,  # type: ignore[arg-type]
    )


def calendar(settings: WorkHoursSettings, days: Sequence[dt.date]) -> dict[dt.date, DaySchedule]:
    compiled = CompiledHours(settings)
    return {day: schedule(compiled, day) for day in days}

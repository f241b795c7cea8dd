"""The work calendar and the dress code of a tenant over a date range: what attendance and the home page use.

``work_calendar(session, tenant_id, start, end)`` resolves the tenant's rules in force on each date (settings
versions!) and calls the enabled packs' batch hook once per span of unchanged rules.
"""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from govhall.errors import AppError, field_error
from govhall.packs.services import TenantHooks, enabled_hooks, hooks_by_span, resolved_settings, rule_error
from govhall.packs.types import DaySchedule, Deadline, DressCode, PackRuleError

__all__ = (
    "MAX_RANGE_DAYS",
    "WorkClock",
    "add_working_days",
    "count_working_days",
    "deadline",
    "dress_codes",
    "enabled_hooks",
    "resolved_settings",
    "work_calendar",
    "work_clock",
    "working_minutes_between",
)

MAX_RANGE_DAYS = 400


def _check_range(start: dt.date, end: dt.date) -> list[dt.date]:
    if end < start:
        raise AppError("invalid_range", "结束日期不能早于开始日期", "The end date is before the start date", status=400,
                       fields=[field_error("end", "结束日期不能早于开始日期", "End is before start")])
    n = (end - start).days + 1
    if n > MAX_RANGE_DAYS:
        zh, en = f"一次最多查询 {MAX_RANGE_DAYS} 天", f"At most {MAX_RANGE_DAYS} days per request"
        raise AppError("range_too_long", zh, en, status=400, fields=[field_error("end", zh, en)])
    return [start + dt.timedelta(days=i) for i in range(n)]


def _not_enabled(zh_pack: str, en_pack: str, day: dt.date) -> AppError:
    return AppError(
        "pack_not_enabled", f"本中心在 {day.isoformat()} 未启用“{zh_pack}”规则包，请先在“规则配置”中启用",
        f"The {en_pack} pack is not enabled for this center on {day.isoformat()}; enable it under Rules first",
        status=409,
    )


async def work_calendar(session: AsyncSession, tenant_id: UUID, start: dt.date, end: dt.date, *,
                        spans: list[tuple[dt.date, dt.date, TenantHooks]] | None = None
                        ) -> dict[dt.date, DaySchedule]:
    """The tenant's ``DaySchedule`` of every date in [start, end] (both included). ``spans``: the caller's
    ``hooks_by_span`` of the same range, when it has them already (saves reading the settings chain again).

    :raises AppError: 409 ``calendar_year_missing`` when a year is covered neither by the chinesecalendar
        package nor by the tenant's own calendar; 409 ``pack_not_enabled`` when no enabled pack answers.
    """
    _check_range(start, end)
    out: dict[dt.date, DaySchedule] = {}
    if spans is None:
        spans = await hooks_by_span(session, tenant_id, start, end)
    for s, e, hooks in spans:
        days = [s + dt.timedelta(days=i) for i in range((e - s).days + 1)]
        try:
            answer = hooks.hook.govhall_work_calendar(rules=hooks.rules, days=days)
        except PackRuleError as exc:
            raise rule_error(exc) from exc
        if answer is None:
            raise _not_enabled("作息时间", "work hours", s)
        out.update(answer)
    return out


async def dress_codes(session: AsyncSession, tenant_id: UUID, start: dt.date, end: dt.date,
                      employee_no: str | None = None) -> dict[dt.date, DressCode]:
    """The dress code of every date in [start, end]; with ``employee_no``, that person's exemptions applied."""
    _check_range(start, end)
    out: dict[dt.date, DressCode] = {}
    for s, e, hooks in await hooks_by_span(session, tenant_id, start, end):
        days = [s + dt.timedelta(days=i) for i in range((e - s).days + 1)]
        answer = hooks.hook.govhall_dress_code(rules=hooks.rules, days=days)
        if answer is None:
            raise _not_enabled("着装规范", "uniform seasons", s)
        if employee_no:
            exempt = hooks.hook.govhall_dress_exemptions(rules=hooks.rules, days=days, employee_nos=[employee_no])
            for day, reason in ((exempt or {}).get(employee_no) or {}).items():
                if day in answer:
                    answer[day] = _with_exemption(answer[day], reason)
        out.update(answer)
    return out


# --- working-day arithmetic: the one place leave days, closure and case deadlines and meeting days count in ----
MAX_WORKING_DAYS = 1000
"""``add_working_days`` looks at most this many working days ahead or back (about four years)."""
_CHUNK_DAYS = 62
_COUNT_PIECE_DAYS = MAX_RANGE_DAYS


async def add_working_days(session: AsyncSession, tenant_id: UUID, start: dt.date, n: int) -> dt.date:
    """The ``n``-th working day after ``start`` on the tenant's own work calendar (``start`` itself not counted;
    ``n`` < 0 counts back; ``n`` == 0 is ``start``). Statutory holidays are skipped and adjusted workdays
    (调休 Saturdays and Sundays) count, exactly as the work_hours pack says for each date.

    :raises AppError: 400 ``working_days_out_of_range`` beyond ``MAX_WORKING_DAYS``; 409 ``calendar_year_missing``
        when a year on the way is covered by no calendar; 409 ``pack_not_enabled``.
    """
    if n == 0:
        return start
    if abs(n) > MAX_WORKING_DAYS:
        zh, en = f"最多推算 {MAX_WORKING_DAYS} 个工作日", f"At most {MAX_WORKING_DAYS} working days"
        raise AppError("working_days_out_of_range", zh, en, status=400)
    step = 1 if n > 0 else -1
    left = abs(n)
    cursor = start
    while True:
        # Never read past the answer: a day holds at most one working day, so the answer is at least ``left``
        # days away. (Reading further could hit a year without calendar data, or a span before the pack was
        # enabled, that the answer does not depend on.)
        span = min(left, _CHUNK_DAYS)
        if step > 0:
            lo, hi = cursor + dt.timedelta(days=1), cursor + dt.timedelta(days=span)
        else:
            lo, hi = cursor - dt.timedelta(days=span), cursor - dt.timedelta(days=1)
        days = await work_calendar(session, tenant_id, lo, hi)
        for day in sorted(days, reverse=step < 0):
            if days[day].workday:
                left -= 1
                if left == 0:
                    return day
        cursor = hi if step > 0 else lo


async def count_working_days(session: AsyncSession, tenant_id: UUID, start: dt.date, end: dt.date) -> int:
    """How many working days [start, end] holds on the tenant's own work calendar, both ends included (0 when
    ``end`` is before ``start``). Spans of any length are read in pieces of at most ``MAX_RANGE_DAYS``
    (pass the caller's range; nothing outside it is read).

    :raises AppError: 409 ``calendar_year_missing``; 409 ``pack_not_enabled``.
    """
    total = 0
    lo = start
    while lo <= end:
        hi = min(end, lo + dt.timedelta(days=_COUNT_PIECE_DAYS - 1))
        total += sum(1 for d in (await work_calendar(session, tenant_id, lo, hi)).values() if d.workday)
        lo = hi + dt.timedelta(days=1)
    return total


def end_of_day(day: dt.date, tz: dt.tzinfo) -> dt.datetime:
    """A day-based deadline ends at 23:59:59 local time of its last day."""
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=tz)


async def deadline(session: AsyncSession, tenant_id: UUID, start: dt.datetime, rule: Deadline,
                   tz: dt.tzinfo) -> dt.datetime:
    """The one deadline function (complaint replies, case due times, extensions): ``rule`` counted from ``start``
    on the tenant's own work calendar, as an aware datetime in ``tz``.

    - ``working_days``: the end of the ``amount``-th working day after ``start``'s date (``add_working_days``);
    - ``days``: the end of ``start``'s date + ``amount`` calendar days; with ``postpone``, a last day that is not a
      working day moves to the next working day (遇法定假日顺延);
    - ``minutes`` / ``hours``: the clock runs on working days only (whole days: a rest day or holiday stops it, a
      调休 workday runs it); a start on a rest day starts the clock at the next working day's 00:00.

    :raises AppError: as ``work_calendar`` (409 ``calendar_year_missing``, ``pack_not_enabled``).
    """
    local = start.astimezone(tz)
    if rule.unit == "working_days":
        return end_of_day(await add_working_days(session, tenant_id, local.date(), rule.amount), tz)
    if rule.unit == "days":
        last = local.date() + dt.timedelta(days=rule.amount)
        if rule.postpone and not (await work_calendar(session, tenant_id, last, last))[last].workday:
            last = await add_working_days(session, tenant_id, last, 1)
        return end_of_day(last, tz)
    left = dt.timedelta(minutes=rule.amount * (60 if rule.unit == "hours" else 1))
    cursor = local
    for _ in range(MAX_WORKING_DAYS):
        lo = cursor.date()
        # Never read past the answer: with every day a working day it falls on the span's last day.
        into = cursor - dt.datetime.combine(lo, dt.time(0), tzinfo=tz)
        span = min(_CHUNK_DAYS, max(1, -(-(into + left) // dt.timedelta(days=1))))
        days = await work_calendar(session, tenant_id, lo, lo + dt.timedelta(days=span - 1))
        for day in sorted(days):
            if not days[day].workday:
                continue
            begin = cursor if day == lo else dt.datetime.combine(day, dt.time(0), tzinfo=tz)
            room = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=tz) - begin
            if left <= room:
                return begin + left
            left -= room
        cursor = dt.datetime.combine(lo + dt.timedelta(days=span), dt.time(0), tzinfo=tz)
    zh, en = f"最多推算 {MAX_WORKING_DAYS} 个工作日", f"At most {MAX_WORKING_DAYS} working days"
    raise AppError("working_days_out_of_range", zh, en, status=400)


class WorkClock:
    """The working-day clock of ``deadline`` over a loaded range of days: minutes between two instants and
    working days after a date, in memory (a board of cases reads the calendar once)."""

    def __init__(self, workdays: dict[dt.date, bool], tz: dt.tzinfo) -> None:
        self.workdays, self.tz = workdays, tz

    def minutes(self, start: dt.datetime, end: dt.datetime) -> int:
        """Whole working-clock minutes from ``start`` to ``end`` (negative when ``end`` is earlier)."""
        if end < start:
            return -self.minutes(end, start)
        return self.seconds(start, end) // 60

    def seconds(self, start: dt.datetime, end: dt.datetime) -> int:
        """Working-clock seconds from ``start`` to ``end`` (``end`` not earlier)."""
        a, b = start.astimezone(self.tz), end.astimezone(self.tz)
        total = dt.timedelta()
        day = a.date()
        while day <= b.date():
            if self.workdays.get(day, False):
                d0 = dt.datetime.combine(day, dt.time(0), tzinfo=self.tz)
                total += max(dt.timedelta(), min(d0 + dt.timedelta(days=1), b) - max(d0, a))
            day += dt.timedelta(days=1)
        return int(total.total_seconds())

    def working_days_after(self, first: dt.date, last: dt.date) -> int:
        """Working days in (first, last]."""
        return sum(1 for d, w in self.workdays.items() if w and first < d <= last)


async def work_clock(session: AsyncSession, tenant_id: UUID, start: dt.date, end: dt.date,
                     tz: dt.tzinfo) -> WorkClock:
    """The clock over [start, end] (clamped to the last ``MAX_RANGE_DAYS`` days)."""
    start = max(start, end - dt.timedelta(days=MAX_RANGE_DAYS - 1))
    days = await work_calendar(session, tenant_id, start, end) if start <= end else {}
    return WorkClock({d: v.workday for d, v in days.items()}, tz)


async def working_minutes_between(session: AsyncSession, tenant_id: UUID, start: dt.datetime, end: dt.datetime,
                                  tz: dt.tzinfo) -> int:
    """Minutes from ``start`` to ``end`` on the working-day clock of ``deadline`` (0 when ``end`` <= ``start``)."""
    if end <= start:
        return 0
    clock = await work_clock(session, tenant_id, start.astimezone(tz).date(), end.astimezone(tz).date(), tz)
    return clock.minutes(start, end)


def _with_exemption(code: DressCode, reason: str) -> DressCode:
    import msgspec

    return msgspec.structs.replace(code, exempt_reason=reason)

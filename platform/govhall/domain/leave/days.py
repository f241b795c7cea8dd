"""Leave on the center's work calendar: working half days, the local instants a leave covers, "which half of
today is it", the closure deadline in working days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from govhall.errors import AppError, field_error
from govhall.packs.calendar import work_calendar
from govhall.packs.types import DaySchedule

HALVES = ("am", "pm")
MAX_SPAN_DAYS = 366


def _bad(code: str, field: str, zh: str, en: str) -> AppError:
    return AppError(code, zh, en, status=400, fields=[field_error(field, zh, en)])


def noon(day: DaySchedule | None) -> time:
    """Where the morning ends and the afternoon begins: between the first two sessions, else 12:00."""
    if day is None or len(day.sessions) < 2:
        return time(12, 0)
    a, b = day.sessions[0].end, day.sessions[1].start
    mid = (a.hour * 60 + a.minute + b.hour * 60 + b.minute) // 2
    return time(mid // 60, mid % 60)


@dataclass(frozen=True)
class Span:
    half_days: int
    workdays: tuple[date, ...]
    starts_at: datetime  # local, naive
    ends_at: datetime  # local, naive


def half_index(d: date, half: str) -> tuple[date, int]:
    return d, HALVES.index(half)


def overlaps(a0: date, ah0: str, a1: date, ah1: str, b0: date, bh0: str, b1: date, bh1: str) -> bool:
    return half_index(a0, ah0) <= half_index(b1, bh1) and half_index(b0, bh0) <= half_index(a1, ah1)


async def leave_span(session: AsyncSession, tenant_id: UUID, start: date, start_half: str, end: date,
                     end_half: str) -> Span:
    """The working half days of a leave; 400 when it ends before it starts or begins or ends on a day off."""
    if half_index(end, end_half) < half_index(start, start_half):
        raise _bad("end_before_start", "end", "结束时间早于开始时间", "The leave ends before it starts")
    if session.dirty or session.new or session.deleted:
        await session.flush()  # in the tenant scope, before the calendar may read in the system scope
    if (end - start).days > MAX_SPAN_DAYS:
        raise _bad("leave_too_long", "end", f"一次请假不能超过 {MAX_SPAN_DAYS} 天",
                   f"At most {MAX_SPAN_DAYS} days at once")
    cal = await work_calendar(session, tenant_id, start, end)
    for d, field, zh in ((start, "start", "开始"), (end, "end", "结束")):
        if not cal[d].workday:
            raise _bad("non_workday", field, f"{d.isoformat()} 不是工作日，请假的{zh}日须为工作日",
                       f"{d.isoformat()} is not a working day; a leave must {'start' if field == 'start' else 'end'}"
                       f" on one")
    half_days, workdays = 0, []
    d = start
    while d <= end:
        if cal[d].workday:
            h = 2 - (d == start and start_half == "pm") - (d == end and end_half == "am")
            if h > 0:
                half_days += h
                workdays.append(d)
        d += timedelta(days=1)
    starts_at = datetime.combine(start, time(0) if start_half == "am" else noon(cal[start]))
    ends_at = (datetime.combine(end, noon(cal[end])) if end_half == "am"
               else datetime.combine(end + timedelta(days=1), time(0)))
    return Span(half_days, tuple(workdays), starts_at, ends_at)


async def half_now(session: AsyncSession, tenant_id: UUID, local_now: datetime) -> str:
    """``before`` the day's first session, ``am`` during the morning, ``pm`` after it (事中 to the half day)."""
    today = local_now.date()
    if session.dirty or session.new or session.deleted:
        await session.flush()
    day = (await work_calendar(session, tenant_id, today, today))[today]
    if not day.workday or not day.sessions or local_now.time() < day.sessions[0].start:
        return "before"
    return "am" if local_now.time() < noon(day) else "pm"

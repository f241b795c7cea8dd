"""Hand-built work calendars of the seed halls (the work_hours pack's DaySchedule), for the rule tests."""

from __future__ import annotations

from datetime import date, time

from govhall.packs.types import DaySchedule, WorkSession

SEED_000 = "shared/seeds/000_ce1629b0b06be5b0.txt"
SEED_002 = "shared/seeds/002_c82e835cd3752438.txt"


def t(hhmm: str) -> int:
    """'08:42' or '08:42:30' -> seconds since midnight."""
    parts = [int(p) for p in hhmm.split(":")]
    return parts[0] * 3600 + parts[1] * 60 + (parts[2] if len(parts) > 2 else 0)


def day(d: date, sessions: list[tuple[str, str, str] | tuple[str, str, str, bool]], *, workday: bool = True,
        late_grace: int = 0, early_grace: int = 0, before: int = 60, after: int = 120,
        reason: str | None = None) -> DaySchedule:
    return DaySchedule(
        day=d, workday=workday,
        sessions=tuple(WorkSession(s[0], time.fromisoformat(s[1]), time.fromisoformat(s[2]),
                                   s[3] if len(s) > 3 else True) for s in sessions),
        late_grace_minutes=late_grace, early_grace_minutes=early_grace,
        punch_open_before_minutes=before, punch_close_after_minutes=after, reason=reason,  # type: ignore[arg-type]
    )


MONDAY = date(2026, 3, 2)
FRIDAY = date(2026, 3, 6)
SATURDAY = date(2026, 3, 7)


def county(d: date = MONDAY, **kw) -> DaySchedule:  # type: ignore[no-untyped-def]
    """团风县 (seed 000, 县政务大厅 七、考勤规范 一)1): 上午8:30至12:00, 下午14:30至18:00."""
    return day(d, [("上午", "08:30", "12:00"), ("下午", "14:30", "18:00")], **kw)


def luotian(d: date = MONDAY, **kw) -> DaySchedule:  # type: ignore[no-untyped-def]
    """罗田县: 8:00-11:30 and 14:00-17:00."""
    return day(d, [("上午", "08:00", "11:30"), ("下午", "14:00", "17:00")], **kw)


def city(d: date = MONDAY, **kw) -> DaySchedule:  # type: ignore[no-untyped-def]
    """市政务大厅 (seed 000, 七、考勤规范 1): 上午8:30-11:30、下午14:30-17:30; 星期五下午内部学习，不对外办公."""
    if d.weekday() == 4:
        return day(d, [("上午", "08:30", "11:30"), ("下午", "14:30", "17:30", False)], **kw)
    return day(d, [("上午", "08:30", "11:30"), ("下午", "14:30", "17:30")], **kw)


def rest(d: date = SATURDAY, reason: str = "weekend") -> DaySchedule:
    return day(d, [], workday=False, reason=reason)

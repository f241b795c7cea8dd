"""Attendance rules as pure functions: one staff-day from its schedule, punches and leave; one month's conversions.

Nothing here touches the database, so the month-end batch (``evaluation.py``), the live board and the tests all
run the same code. Times are seconds since local midnight (ints): cheap to compare for a whole center-month.

How a day is read (the work_hours pack gives the sessions, grace and punch windows of each date):

- every session expects an arrival punch and a departure punch. A punch belongs to the arrival window of a
  session from ``start - punch_open_before`` to the session's midpoint, and to its departure window from the
  midpoint to ``end + punch_close_after``; the gap between two sessions is split at its middle so one punch
  never serves two sessions. The earliest punch of an arrival window and the latest of a departure window count.
- late: arrival more than ``late_grace_minutes`` after the start (minutes counted from the start, whole
  minutes: 08:30:59 is on time for 08:30); early leave: departure more than ``early_grace_minutes`` before the end.
- a session with neither punch and no leave is unexcused absence, half a day (旷工半天).
- a session with one punch missing is treated as the tenant's rules say (``missing_punch``): a missed punch
  (未签到, converted monthly), late/early (上班未考勤视为迟到, 下班未考勤视为早退) or absence (有上班考勤无下班考勤…视为旷工).
- approved leave that covers a whole session makes it "on leave"; leave that covers its start moves the expected
  arrival to the end of the leave, leave that covers its end moves the expected departure to its start.
"""

from __future__ import annotations

import enum
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, time
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from govhall_packs.attendance_rules.settings import AttendanceRulesSettings

DAY_SECONDS = 86_400


class MissingPunch(str, enum.Enum):
    """What one missing punch of an otherwise attended session means (per tenant)."""

    missed_punch = "missed_punch"  # 未签到: counted, converted monthly (seed 000, county hall, 考勤规范 二)10.7)
    late_early = "late_early"  # 上班未考勤视为遲到，下班未考勤視為早退 (seed 002, 嚴格考勤 1)
    absence = "absence"  # 有上班考勤无下班考勤…视为旷工 (seed 000, city hall, 七、考勤规范 2)


class Finding(str, enum.Enum):
    """The finding of a staff-day, most serious first (the order decides the day's headline)."""

    absence = "absence"  # 旷工
    missed_punch = "missed_punch"  # 未签到 / 缺卡
    late_early = "late_early"  # 迟到且早退
    late = "late"  # 迟到
    early_leave = "early_leave"  # 早退
    on_leave = "on_leave"  # 请假
    on_time = "on_time"  # 正常
    rest_day = "rest_day"  # 休息日
    in_progress = "in_progress"  # today, not over yet
    pending = "pending"  # terminals have not delivered the day yet


class SessionStatus(str, enum.Enum):
    on_time = "on_time"
    late = "late"
    early = "early"
    late_early = "late_early"
    missed_in = "missed_in"
    missed_out = "missed_out"
    absence = "absence"
    leave = "leave"
    not_required = "not_required"
    upcoming = "upcoming"
    in_progress = "in_progress"
    outing = "outing"
    corrected = "corrected"  # 考勤更正: the center corrected the session (present / on duty elsewhere)


_S_ABSENCE = SessionStatus.absence.value
_S_EARLY = SessionStatus.early.value
_S_IN_PROGRESS = SessionStatus.in_progress.value
_S_LATE = SessionStatus.late.value
_S_LATE_EARLY = SessionStatus.late_early.value
_S_LEAVE = SessionStatus.leave.value
_S_MISSED_IN = SessionStatus.missed_in.value
_S_NOT_REQUIRED = SessionStatus.not_required.value
_S_ON_TIME = SessionStatus.on_time.value
_S_UPCOMING = SessionStatus.upcoming.value
_S_OUTING = SessionStatus.outing.value


class SessionLike(Protocol):
    @property
    def label(self) -> str: ...
    @property
    def start(self) -> time: ...
    @property
    def end(self) -> time: ...
    @property
    def open_to_public(self) -> bool: ...


class ScheduleLike(Protocol):
    """``govhall.packs.types.DaySchedule`` (work_hours pack) — any object with these attributes."""

    @property
    def day(self) -> date: ...
    @property
    def workday(self) -> bool: ...
    @property
    def sessions(self) -> Sequence[SessionLike]: ...
    @property
    def late_grace_minutes(self) -> int: ...
    @property
    def early_grace_minutes(self) -> int: ...
    @property
    def punch_open_before_minutes(self) -> int: ...
    @property
    def punch_close_after_minutes(self) -> int: ...
    @property
    def reason(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class AttendanceRules:
    """The attendance_rules pack's day-level settings, as the evaluation needs them (defaults = the pack's).

    The monthly conversions (lates, missed punches, off post -> half days) are the pack's hook
    ``govhall_attendance_conversions``; they are not applied here."""

    missing_punch: MissingPunch = MissingPunch.missed_punch
    closed_sessions_require_punches: bool = True
    """Sessions closed to the public (e.g. Friday afternoon study, 内部学习) still expect staff to punch."""
    missed_punch_requests_per_month: int = 3
    backdate_days: int = 35
    future_tolerance_minutes: int = 10
    evaluation_cutoff_hours: int = 48
    web_clock_in: bool = True
    web_location_required: bool = False

    @classmethod
    def from_settings(cls, settings: AttendanceRulesSettings | None) -> AttendanceRules:
        """Build from the attendance_rules pack's typed settings struct, field by field: a field the pack renames
        or retypes breaks here (and in the type checker), never silently falls back to a default."""
        if settings is None:
            return cls()
        return cls(
            missing_punch=MissingPunch(settings.missing_punch),
            closed_sessions_require_punches=settings.closed_sessions_require_punches,
            missed_punch_requests_per_month=settings.missed_punch_requests_per_month,
            backdate_days=settings.backdate_days,
            future_tolerance_minutes=settings.future_tolerance_minutes,
            evaluation_cutoff_hours=settings.evaluation_cutoff_hours,
            web_clock_in=settings.web_clock_in,
            web_location_required=settings.web_location_required,
        )


# ---- one day ------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SessionPlan:
    label: str
    start: int
    end: int
    in_lo: int
    mid: int
    out_hi: int
    required: bool
    open_to_public: bool
    start_hhmm: str = ""
    end_hhmm: str = ""


@dataclass(frozen=True, slots=True)
class DayPlan:
    """A schedule compiled to seconds once per date, then applied to every staff member of the center."""

    day: date
    workday: bool
    sessions: tuple[SessionPlan, ...]
    late_grace: int
    early_grace: int
    reason: str | None = None
    is_rest_day: bool = False
    """Not a working day, or no session that needs punches."""

    @property
    def end_of_last_window(self) -> int:
        return max((s.out_hi for s in self.sessions), default=0)


def seconds(t: time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


_HHMM = tuple(f"{m // 60:02d}:{m % 60:02d}" for m in range(24 * 60))


def hhmm(sec: int | None) -> str | None:
    if sec is None:
        return None
    return _HHMM[sec // 60] if 0 <= sec < DAY_SECONDS else _HHMM[0 if sec < 0 else -1]


def compile_day(schedule: ScheduleLike, rules: AttendanceRules) -> DayPlan:
    raw = sorted(((seconds(s.start), seconds(s.end), s) for s in schedule.sessions), key=lambda x: x[0])
    before = schedule.punch_open_before_minutes * 60
    after = schedule.punch_close_after_minutes * 60
    plans = []
    for i, (start, end, s) in enumerate(raw):
        gap_lo = (raw[i - 1][1] + start) // 2 if i else 0
        gap_hi = (end + raw[i + 1][0]) // 2 if i + 1 < len(raw) else DAY_SECONDS
        plans.append(SessionPlan(
            label=s.label, start=start, end=end, in_lo=max(start - before, gap_lo, 0), mid=(start + end) // 2,
            out_hi=min(end + after, gap_hi, DAY_SECONDS), open_to_public=bool(getattr(s, "open_to_public", True)),
            required=bool(getattr(s, "open_to_public", True)) or rules.closed_sessions_require_punches,
            start_hhmm=hhmm(start) or "", end_hhmm=hhmm(end) or "",
        ))
    workday = bool(schedule.workday)
    return DayPlan(schedule.day, workday, tuple(plans), schedule.late_grace_minutes * 60,
                   schedule.early_grace_minutes * 60, getattr(schedule, "reason", None),
                   is_rest_day=not workday or not any(p.required for p in plans))


def shift_start(plan: DayPlan, minutes: int) -> DayPlan:
    """The plan of someone whose sessions start ``minutes`` earlier on this day (the duty officer's own hours,
    000 篇七 八.4①: 8:20 and 14:20 for 8:30 and 14:30); ends, grace and punch windows stay."""
    if minutes <= 0 or plan.is_rest_day:
        return plan
    off = minutes * 60
    sessions = tuple(replace(x, start=max(0, x.start - off), in_lo=min(x.in_lo, max(0, x.start - off)),
                             start_hhmm=hhmm(max(0, x.start - off)) or "") for x in plan.sessions)
    return replace(plan, sessions=sessions)
@dataclass(frozen=True, slots=True)
class OutsidePunch:
    """A punch no punch window takes: stored, but it counts for no session. ``window`` names the nearest window
    (``in``: a session's arrival window, ``out``: its departure window), so the page can say why."""

    at: int
    reason: str
    """``before_window`` / ``after_window`` / ``between_windows``, or ``rest_day`` (no session needs punches)."""
    label: str | None = None
    window: str | None = None
    window_start: int | None = None
    window_end: int | None = None


def outside_windows(plan: DayPlan, punches: Iterable[int]) -> list[OutsidePunch]:
    """The punches outside every punch window of the day (arrival ``[in_lo, mid)``, departure ``[mid, out_hi]``),
    each with the nearest window: before the first, after the last, or in a gap between two sessions."""
    out: list[OutsidePunch] = []
    if plan.is_rest_day:
        return [OutsidePunch(p, "rest_day") for p in sorted(punches)]
    windows = sorted([(x.in_lo, x.mid, x.label, "in") for x in plan.sessions]
                     + [(x.mid, x.out_hi, x.label, "out") for x in plan.sessions])
    if not windows:
        return out
    for p in sorted(punches):
        if any(lo <= p <= hi for lo, hi, _l, _w in windows):
            continue
        nearest = min(windows, key=lambda w: min(abs(p - w[0]), abs(p - w[1])))
        reason = ("before_window" if p < windows[0][0] else "after_window" if p > windows[-1][1]
                  else "between_windows")
        out.append(OutsidePunch(p, reason, nearest[2], nearest[3], nearest[0], nearest[1]))
    return out


@dataclass(slots=True)
class DayResult:
    day: date
    finding: Finding
    late_count: int = 0
    early_count: int = 0
    late_minutes: int = 0
    early_minutes: int = 0
    missed_punches: int = 0
    absence_half_days: int = 0
    leave_half_days: int = 0
    off_post_minutes: tuple[int, ...] = ()
    sessions: list[dict[str, Any]] = field(default_factory=list)
    reason: str | None = None
    """Why the day is what it is when no session explains it (holiday name, "pending", ...)."""
    leave_type: str | None = None
    """The type of the approved leave that covers (part of) the day (事假, 病假, ...)."""
    effect: str | None = None
    """A leave rule's consequence on the day: ``unclosed_leave`` (未销假的按旷工一天处理)."""
    corrections: list[dict[str, str]] | None = None
    """The center's corrections (考勤更正) that decided sessions of the day: id, kind, sessions, reason."""


def _covers(leaves: Sequence[tuple[int, int]], at: int) -> tuple[int, int] | None:
    for lo, hi in leaves:
        if lo <= at < hi:
            return lo, hi
    return None


def _earliest(ps: Sequence[int], lo: int, hi: int) -> int | None:
    """The earliest of the sorted punches ``ps`` in [lo, hi)."""
    i = bisect_left(ps, lo)
    return ps[i] if i < len(ps) and ps[i] < hi else None


def _latest(ps: Sequence[int], lo: int, hi: int) -> int | None:
    """The latest of the sorted punches ``ps`` in [lo, hi]."""
    i = bisect_right(ps, hi)
    return ps[i - 1] if i and ps[i - 1] >= lo else None


def evaluate_day(plan: DayPlan, punches: Sequence[int], leaves: Sequence[tuple[int, int]] = (),
                 rules: AttendanceRules = AttendanceRules(), *, off_post: Sequence[int] = (),
                 now: int | None = None, excused: Sequence[tuple[int, int]] = ()) -> DayResult:
    """One staff-day. ``punches``: local seconds, any order; ``leaves``: approved leave as local (lo, hi) seconds
    clipped to the day; ``off_post``: minutes of each recorded absence from the post; ``now``: local seconds when
    the day is today (sessions not over yet are not judged), None for a past day; ``excused``: approved business
    outings as (lo, hi) seconds: the arrival or departure they cover needs no punch, a session they cover whole
    counts as present (not leave)."""
    if plan.is_rest_day:
        return DayResult(plan.day, Finding.rest_day, reason=plan.reason, off_post_minutes=tuple(off_post))
    ps = sorted(punches)
    res = DayResult(plan.day, Finding.on_time, off_post_minutes=tuple(off_post))
    judged = leave_sessions = required = 0
    for s in plan.sessions:
        row: dict[str, Any] = {"label": s.label, "start": s.start_hhmm, "end": s.end_hhmm}
        res.sessions.append(row)
        if not s.required:
            row["status"] = _S_NOT_REQUIRED
            continue
        required += 1
        start, end = s.start, s.end
        lv = lv_end = None
        if leaves:
            lv = _covers(leaves, start)
            if lv is not None:
                start = lv[1]
            lv_end = _covers(leaves, end - 1)
            if lv_end is not None:
                end = lv_end[0]
        out_start = out_end = None
        if excused and start < end:
            out_start = _covers(excused, start)
            if out_start is not None:
                start = out_start[1]
            out_end = _covers(excused, end - 1)
            if out_end is not None:
                end = out_end[0]
            if start >= end:
                row["status"] = _S_OUTING
                judged += 1
                continue
            if out_start is not None or out_end is not None:
                row["outing"] = True
        if start >= end:
            row["status"] = _S_LEAVE
            res.leave_half_days += 1
            leave_sessions += 1
            continue
        if lv is not None or lv_end is not None:
            row["partialLeave"] = True
        moved = lv is not None or lv_end is not None or out_start is not None or out_end is not None
        mid = (start + end) // 2 if moved else s.mid
        first_in = _earliest(ps, s.in_lo, mid)
        last_out = _latest(ps, mid, s.out_hi)
        if out_start is not None and first_in is None:
            first_in = start  # back from the outing: no arrival punch needed
        if out_end is not None and last_out is None:
            last_out = end  # left for the outing: no departure punch needed
        row["in"], row["out"] = hhmm(first_in), hhmm(last_out)
        if now is not None and now < s.in_lo:
            row["status"] = _S_UPCOMING
            continue
        open_session = now is not None and now <= s.out_hi
        if open_session and last_out is None:
            # Arrival can be judged once it is late; departure only after the window closed.
            late = first_in is not None and (first_in - start) // 60 * 60 > plan.late_grace
            if first_in is not None and late:
                res.late_count += 1
                res.late_minutes += (first_in - start) // 60
                row["lateMinutes"] = (first_in - start) // 60
                row["status"] = _S_LATE
            elif first_in is None and now is not None and now >= start + plan.late_grace + 60:
                row["status"] = _S_MISSED_IN  # not (yet) arrived
            else:
                row["status"] = _S_IN_PROGRESS
            continue
        judged += 1
        if first_in is None and last_out is None:
            row["status"] = _S_ABSENCE
            res.absence_half_days += 1
            continue
        late_min = early_min = 0
        is_late = is_early = False
        status = None
        if first_in is None or last_out is None:
            status = SessionStatus.missed_in if first_in is None else SessionStatus.missed_out
            if rules.missing_punch is MissingPunch.absence:
                row["status"] = _S_ABSENCE
                row["missing"] = "in" if first_in is None else "out"
                res.absence_half_days += 1
                continue
            if rules.missing_punch is MissingPunch.missed_punch:
                res.missed_punches += 1
            elif first_in is None:
                is_late = True  # 上班未考勤视为迟到
            else:
                is_early = True  # 下班未考勤视为早退
        if first_in is not None and (first_in - start) // 60 * 60 > plan.late_grace:
            is_late, late_min = True, (first_in - start) // 60
        if last_out is not None and end - (last_out // 60 * 60) > plan.early_grace:
            is_early, early_min = True, (end - last_out // 60 * 60 + 59) // 60
        if is_late:
            res.late_count += 1
            res.late_minutes += late_min
            row["lateMinutes"] = late_min
        if is_early:
            res.early_count += 1
            res.early_minutes += early_min
            row["earlyMinutes"] = early_min
        if status is not None:
            row["status"] = status.value
        elif is_late and is_early:
            row["status"] = _S_LATE_EARLY
        elif is_late:
            row["status"] = _S_LATE
        elif is_early:
            row["status"] = _S_EARLY
        else:
            row["status"] = _S_ON_TIME
    res.finding = _headline(res, required, leave_sessions, judged)
    return res


def mark_corrections(plan: DayPlan, res: DayResult, marks: Sequence[tuple[int, int, dict[str, str]]]) -> None:
    """Relabel the sessions a correction covers whole (evaluated as excused: no punch needed, present) as
    ``corrected`` with the correction's kind, and list the corrections that decided something on the day."""
    used: list[dict[str, str]] = []
    for sp, row in zip(plan.sessions, res.sessions, strict=False):
        if row.get("status") != _S_OUTING:
            continue
        for lo, hi, mark in marks:
            if lo <= sp.start and sp.end <= hi:
                row["status"] = SessionStatus.corrected.value
                row["correction"] = mark["kind"]
                if mark not in used:
                    used.append(mark)
                break
    if used:
        res.corrections = used


def _headline(res: DayResult, required: int, leave_sessions: int, judged: int) -> Finding:
    if res.absence_half_days:
        return Finding.absence
    if res.missed_punches:
        return Finding.missed_punch
    if res.late_count and res.early_count:
        return Finding.late_early
    if res.late_count:
        return Finding.late
    if res.early_count:
        return Finding.early_leave
    if required and leave_sessions == required:
        return Finding.on_leave
    if required and judged + leave_sessions < required:
        return Finding.in_progress
    return Finding.on_time


# ---- one month ----------------------------------------------------------------------------------------------


@dataclass(slots=True)
class MonthResult:
    workdays: int = 0
    on_time_days: int = 0
    late_count: int = 0
    early_count: int = 0
    late_minutes: int = 0
    early_minutes: int = 0
    missed_punches: int = 0
    absence_half_days: int = 0
    """Unexcused absence found day by day (sessions without punches, or per ``missing_punch=absence``)."""
    leave_half_days: int = 0
    off_post_minutes: list[int] = field(default_factory=list)
    leave_by_type: dict[str, int] = field(default_factory=dict)
    """Half days of leave per leave type (e.g. 罗田 请公假/请私假 per day)."""
    unclosed_leave_half_days: int = 0
    """Half days of absence because a leave was not closed in time (included in ``absence_half_days``)."""
    converted: dict[str, int] = field(default_factory=dict)
    """Half days of absence from the monthly conversions (the attendance_rules pack): late_early, missed_punch,
    off_post."""
    pending_days: int = 0

    @property
    def converted_half_days(self) -> int:
        return sum(self.converted.values())

    @property
    def total_absence_half_days(self) -> int:
        return self.absence_half_days + self.converted_half_days


def summarize_month(days: Iterable[DayResult]) -> MonthResult:
    """Add up a staff member's evaluated days (``converted`` stays empty: the pack's hook fills it)."""
    m = MonthResult()
    for d in days:
        if d.finding is Finding.pending:
            m.pending_days += 1
            continue
        m.off_post_minutes.extend(d.off_post_minutes)
        if d.finding is Finding.rest_day:
            continue
        m.workdays += 1
        if d.finding is Finding.on_time:
            m.on_time_days += 1
        m.late_count += d.late_count
        m.early_count += d.early_count
        m.late_minutes += d.late_minutes
        m.early_minutes += d.early_minutes
        m.missed_punches += d.missed_punches
        m.absence_half_days += d.absence_half_days
        m.leave_half_days += d.leave_half_days
        if d.leave_half_days and d.leave_type:
            m.leave_by_type[d.leave_type] = m.leave_by_type.get(d.leave_type, 0) + d.leave_half_days
        if d.effect == "unclosed_leave":
            m.unclosed_leave_half_days += d.absence_half_days
    return m

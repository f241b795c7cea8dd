"""The inputs of an evaluation, read as plain tuples (no ORM entities on the month-end path): staff, punches
aggregated per staff member in the database, approved leave, off-post records."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.clock import zone
from govhall.domain.attendance.models import (
    AttendanceCorrection,
    AttendanceCorrectionStaff,
    CorrectionSessions,
    LeaveRecord,
    OffPostRecord,
    Punch,
)
from govhall.domain.attendance.rules import DAY_SECONDS
from govhall.domain.org.models import Staff, StaffStatus


@dataclass(slots=True)
class StaffRow:
    id: UUID
    employee_no: str
    name: str
    department_id: UUID | None
    window_id: UUID | None



async def load_staff(session: AsyncSession, staff_ids: Sequence[UUID] | None = None,
                     department_id: UUID | None = None) -> list[StaffRow]:
    stmt = select(Staff.id, Staff.employee_no, Staff.name, Staff.department_id, Staff.window_id).where(
        Staff.status == StaffStatus.active)
    if staff_ids is not None:
        stmt = stmt.where(Staff.id.in_(staff_ids))
    if department_id is not None:
        stmt = stmt.where(Staff.department_id == department_id)
    rows = (await session.execute(stmt.order_by(Staff.employee_no))).all()
    return [StaffRow(*r) for r in rows]


@dataclass(slots=True)
class StaffPunches:
    """One staff member's punches over a date range, as two parallel lists: each punch's day (days after the
    range's first date) and its local seconds. Unordered; ``by_day`` groups them."""

    days: list[int]
    seconds: list[int]

    def by_day(self, n: int) -> list[list[int]]:
        """The local seconds of each of the range's first ``n`` days."""
        out: list[list[int]] = [[] for _ in range(n)]
        for day, sec in zip(self.days, self.seconds, strict=True):
            if day < n:
                out[day].append(sec)
        return out


async def load_staff_punches(session: AsyncSession, start: date, end: date, staff: Sequence[StaffRow]
                             ) -> dict[UUID, StaffPunches]:
    """staff id -> punches in [start, end]. On PostgreSQL one row per staff member (``array_agg``): a month of a
    center is a thousand rows, not the 22,000 staff-days or 88,000 punches, and the rows are what costs in Python.
    Punches whose PIN was not mapped when they arrived are matched by employee number now (a staff member
    registered after their terminal punches)."""
    by_pin = {s.employee_no: s.id for s in staff}
    wanted = {s.id for s in staff}
    in_range = (Punch.work_date >= start, Punch.work_date <= end)
    mapped = [*in_range, Punch.staff_id.is_not(None)]
    unmapped = [*in_range, Punch.staff_id.is_(None)]
    if len(staff) <= 50:  # one person, a department: ask for them only
        mapped.append(Punch.staff_id.in_(wanted))
        unmapped.append(Punch.pin.in_(list(by_pin)))
    rows = await _punch_lists(session, Punch.staff_id, start, mapped)
    # punches whose PIN matched nobody when they arrived (a staff member registered after their punches)
    rows += [(by_pin.get(pin), days, secs) for pin, days, secs in await _punch_lists(session, Punch.pin, start,
                                                                                      unmapped)]
    out: dict[UUID, StaffPunches] = {}
    for sid, days, secs in rows:
        if sid not in wanted:
            continue
        got = out.get(sid)
        if got is None:
            out[sid] = StaffPunches(days, secs)
        else:
            got.days.extend(days)
            got.seconds.extend(secs)
    return out


async def _punch_lists(session: AsyncSession, key: Any, start: date, conditions: list[Any]
                       ) -> list[tuple[Any, list[int], list[int]]]:
    """(key, days after ``start``, local seconds) per value of ``key``."""
    if session.get_bind().dialect.name == "postgresql":
        stmt = select(key, func.array_agg(Punch.work_date - start), func.array_agg(Punch.local_seconds))
        return [(k, days, secs) for k, days, secs in await session.execute(stmt.where(*conditions).group_by(key))]
    grouped: dict[Any, tuple[list[int], list[int]]] = {}
    for k, d, sec in await session.execute(select(key, Punch.work_date, Punch.local_seconds).where(*conditions)):
        days, secs = grouped.setdefault(k, ([], []))
        days.append((d - start).days)
        secs.append(sec)
    return [(k, days, secs) for k, (days, secs) in grouped.items()]


async def load_punches(session: AsyncSession, start: date, end: date, staff: Sequence[StaffRow]
                       ) -> dict[tuple[UUID, date], list[int]]:
    """(staff id, date) -> local seconds: ``load_staff_punches`` keyed by staff-day (boards, one person's month)."""
    out: dict[tuple[UUID, date], list[int]] = defaultdict(list)
    for sid, p in (await load_staff_punches(session, start, end, staff)).items():
        for day, sec in zip(p.days, p.seconds, strict=True):
            out[(sid, start + timedelta(days=day))].append(sec)
    return out


async def load_leaves(session: AsyncSession, start: date, end: date, tz: str, staff_ids: set[UUID] | None = None
                      ) -> dict[UUID, list[tuple[datetime, datetime, str]]]:
    """staff id -> approved leave as local naive (start, end) datetimes overlapping [start, end], with its type."""
    lo = datetime.combine(start, datetime.min.time(), zone(tz))
    hi = datetime.combine(end + timedelta(days=1), datetime.min.time(), zone(tz))
    stmt = select(LeaveRecord.staff_id, LeaveRecord.starts_at, LeaveRecord.ends_at, LeaveRecord.kind).where(
        LeaveRecord.starts_at < hi, LeaveRecord.ends_at > lo)
    if staff_ids is not None:
        stmt = stmt.where(LeaveRecord.staff_id.in_(staff_ids))
    out: dict[UUID, list[tuple[datetime, datetime, str]]] = defaultdict(list)
    z = zone(tz)
    for sid, a, b, kind in (await session.execute(stmt)):
        out[sid].append((a.astimezone(z).replace(tzinfo=None), b.astimezone(z).replace(tzinfo=None), kind))
    return out


def leave_kind_on(leaves: Sequence[tuple[datetime, datetime, str]], d: date) -> str | None:
    """The type of the leave that covers part of local date ``d`` (the first one, by start)."""
    day0 = datetime.combine(d, datetime.min.time())
    day1 = day0 + timedelta(days=1)
    for a, b, kind in sorted(leaves):
        if a < day1 and b > day0:
            return kind
    return None


LeaveEffects = dict[tuple[UUID, date], list[tuple[str, int]]]
EffectLoader = Callable[[AsyncSession, date, date, "set[UUID] | None"], Awaitable[LeaveEffects]]
_EFFECT_LOADERS: list[EffectLoader] = []


def register_effect_loader(loader: EffectLoader) -> None:
    """Another domain (the leave workflow) contributes consequences attendance must count: ``("absence", half
    days)`` and ``("off_post", minutes)`` per staff-day. Attendance never imports that domain."""
    if loader not in _EFFECT_LOADERS:
        _EFFECT_LOADERS.append(loader)


async def load_effects(session: AsyncSession, start: date, end: date, staff_ids: set[UUID] | None = None
                       ) -> LeaveEffects:
    out: LeaveEffects = defaultdict(list)
    for loader in _EFFECT_LOADERS:
        for k, items in (await loader(session, start, end, staff_ids)).items():
            out[k].extend(items)
    return out


@dataclass(frozen=True)
class Cover:
    """Who covers a person on leave on a day (顶岗 / AB岗), as the leave workflow tells the board."""

    name: str
    external: bool
    """Someone the home unit sent (no punches here: checked in person by the center)."""
    on_post: bool | None
    """A colleague's punch that day (None for someone from outside)."""
    on_post_first: bool
    """The rules want the substitute on post before the holder leaves (000 篇六 七.三)1)."""
    status: str
    """The substitute's answer: pending / confirmed / declined / registered."""


CoverLoader = Callable[[AsyncSession, date, "set[UUID]"], Awaitable["dict[UUID, Cover]"]]
_COVER_LOADERS: list[CoverLoader] = []


def register_cover_loader(loader: CoverLoader) -> None:
    """The leave workflow tells the board who covers whom today; attendance never imports it."""
    if loader not in _COVER_LOADERS:
        _COVER_LOADERS.append(loader)


async def load_covers(session: AsyncSession, day: date, staff_ids: set[UUID]) -> dict[UUID, Cover]:
    out: dict[UUID, Cover] = {}
    for loader in _COVER_LOADERS:
        out.update(await loader(session, day, staff_ids))
    return out


_BEFORE_EVALUATE: list[Callable[[AsyncSession, UUID], Awaitable[Any]]] = []


def register_before_evaluate(job: Callable[[AsyncSession, UUID], Awaitable[Any]]) -> None:
    """A tenant job the nightly ``govhall attendance evaluate`` runs first (in the tenant's scope), e.g. the leave
    outcomes whose absence and off post the evaluation then counts."""
    if job not in _BEFORE_EVALUATE:
        _BEFORE_EVALUATE.append(job)


def before_evaluate_jobs() -> list[Callable[[AsyncSession, UUID], Awaitable[Any]]]:
    return list(_BEFORE_EVALUATE)


StartOffsets = dict[tuple[UUID, date], int]
StartOffsetLoader = Callable[[AsyncSession, date, date, "set[UUID] | None"], Awaitable[StartOffsets]]
_OFFSET_LOADERS: list[StartOffsetLoader] = []


def register_start_offsets(loader: StartOffsetLoader) -> None:
    """Another domain (supervision: the duty rota) says on which days whose sessions start earlier, in minutes
    (the duty officer's 8:20 for 8:30 on their duty days). Attendance never imports that domain."""
    if loader not in _OFFSET_LOADERS:
        _OFFSET_LOADERS.append(loader)


async def load_start_offsets(session: AsyncSession, start: date, end: date, staff_ids: set[UUID] | None = None
                             ) -> StartOffsets:
    out: StartOffsets = {}
    for loader in _OFFSET_LOADERS:
        for k, minutes in (await loader(session, start, end, staff_ids)).items():
            out[k] = max(out.get(k, 0), minutes)
    return out


Excused = dict[tuple[UUID, date], list[tuple[int, int]]]
ExcusedLoader = Callable[[AsyncSession, date, date, "set[UUID] | None"], Awaitable[Excused]]
_EXCUSED_LOADERS: list[ExcusedLoader] = []


def register_excused(loader: ExcusedLoader) -> None:
    """Another domain (supervision: approved business outings, 外出报备) says when someone is away on duty, as local
    (lo, hi) seconds per staff-day: punches are not expected then (not late, not early, not absent), and it is
    not leave."""
    if loader not in _EXCUSED_LOADERS:
        _EXCUSED_LOADERS.append(loader)


async def load_excused(session: AsyncSession, start: date, end: date, staff_ids: set[UUID] | None = None
                       ) -> Excused:
    out: Excused = defaultdict(list)
    for loader in _EXCUSED_LOADERS:
        for k, spans in (await loader(session, start, end, staff_ids)).items():
            out[k].extend(spans)
    return out


def absences_of(effects: LeaveEffects) -> dict[tuple[UUID, date], int]:
    return {k: sum(n for kind, n in v if kind == "absence") for k, v in effects.items()
            if any(kind == "absence" for kind, _ in v)}


def leave_on(leaves: Sequence[tuple[datetime, datetime, str]], d: date) -> list[tuple[int, int]]:
    """The parts of the leave on local date ``d``, as (lo, hi) seconds since midnight."""
    if not leaves:
        return []
    day0 = datetime.combine(d, datetime.min.time())
    out = []
    for a, b, *_kind in leaves:
        lo = max(0, int((a - day0).total_seconds()))
        hi = min(DAY_SECONDS, int((b - day0).total_seconds()))
        if lo < hi:
            out.append((lo, hi))
    return out


async def load_off_post(session: AsyncSession, start: date, end: date, staff_ids: set[UUID] | None = None
                        ) -> dict[tuple[UUID, date], list[int]]:
    stmt = select(OffPostRecord.staff_id, OffPostRecord.work_date, OffPostRecord.minutes).where(
        OffPostRecord.work_date >= start, OffPostRecord.work_date <= end)
    if staff_ids is not None:
        stmt = stmt.where(OffPostRecord.staff_id.in_(staff_ids))
    out: dict[tuple[UUID, date], list[int]] = defaultdict(list)
    for sid, d, minutes in (await session.execute(stmt)):
        out[(sid, d)].append(minutes)
    for key, items in (await load_effects(session, start, end, staff_ids)).items():
        off = [n for kind, n in items if kind == "off_post"]  # e.g. a leave day without cover
        if off:
            out[key].extend(off)
    return out


# ---- corrections by the center (考勤更正) ---------------------------------------------------------------------------

NOON = 12 * 3600
SESSION_SPANS = {CorrectionSessions.am: (0, NOON), CorrectionSessions.pm: (NOON, DAY_SECONDS),
                 CorrectionSessions.day: (0, DAY_SECONDS)}
"""Morning: the sessions that start before noon; afternoon: those from noon; the whole day: every session."""


@dataclass(frozen=True, slots=True)
class CorrectionSpan:
    """A correction on one staff-day: the local (lo, hi) seconds it covers and what it says."""

    lo: int
    hi: int
    correction_id: UUID
    kind: str
    sessions: str
    reason: str

    def mark(self) -> dict[str, str]:
        return {"id": str(self.correction_id), "kind": self.kind, "sessions": self.sessions, "reason": self.reason}


Corrections = dict[tuple[UUID, date], list[CorrectionSpan]]


async def load_corrections(session: AsyncSession, start: date, end: date, staff_ids: set[UUID] | None = None
                           ) -> Corrections:
    """(staff, day) -> the corrections (not voided) that cover it, for the days in [start, end]."""
    c, cs = AttendanceCorrection, AttendanceCorrectionStaff
    stmt = (select(cs.staff_id, c.id, c.date_from, c.date_to, c.sessions, c.kind, c.reason)
            .join(c, c.id == cs.correction_id)
            .where(c.voided_at.is_(None), c.date_from <= end, c.date_to >= start))
    if staff_ids is not None:
        stmt = stmt.where(cs.staff_id.in_(staff_ids))
    out: Corrections = defaultdict(list)
    for sid, cid, a, b, sessions, kind, reason in (await session.execute(stmt)).all():
        lo, hi = SESSION_SPANS[CorrectionSessions(sessions)]
        d = max(a, start)
        while d <= min(b, end):
            out[(sid, d)].append(CorrectionSpan(lo, hi, cid, str(getattr(kind, "value", kind)),
                                                str(getattr(sessions, "value", sessions)), reason))
            d += timedelta(days=1)
    return out


def with_corrections(excused: Sequence[tuple[int, int]], spans: Sequence[CorrectionSpan]) -> list[tuple[int, int]]:
    """The excused spans of a day with its corrections added (a corrected session needs no punch)."""
    return [*excused, *((sp.lo, sp.hi) for sp in spans)]

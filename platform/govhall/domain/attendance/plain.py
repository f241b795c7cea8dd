"""The month-end's fast path: the database finds the plain staff-days, Python judges only the others.

Most staff-days of a month are *plain*: a workday whose every required session has its earliest arrival punch
(in ``[in_lo, mid)``) no later than the start plus the grace, and its latest departure punch (in ``[mid,
out_hi]``) no earlier than the end minus the grace. ``rules.evaluate_day`` finds such a day ``on_time`` with
nothing to count, and the month-end does not store it. That test is plain SQL: one conditional ``MIN`` and one
conditional ``MAX`` per session, the bounds given per group of dates that share a compiled schedule. The query
answers, per staff member, the plain days (only counted: ``workdays`` and ``on_time_days``) and the punches of the
other days, which go through ``evaluate_day`` exactly as before.

Staff members with anything else on their month — approved leave, off-post records, a leave rule's absence, an
earlier start (the duty officer), approved outings, punches whose PIN was mapped late — are *special*: every one of
their days comes back with its punches and goes through the reference path (``evaluate_staff_days``) unchanged.
The result is identical to the reference path (``tests/attendance/test_month_end_fast_path.py`` compares them).

Why the day test is exact: ``evaluate_day`` with no leave, no outing and ``now=None`` judges a required session
on time iff the earliest punch ``a`` in ``[in_lo, mid)`` has ``(a - start) // 60 * 60 <= late_grace`` — that is
``a <= start + late_grace + 59`` — and the latest punch ``b`` in ``[mid, out_hi]`` has
``end - b // 60 * 60 <= early_grace`` — that is ``b >= ceil60(end - early_grace)``. A day is ``on_time`` and
unstored iff every required session is on time (sessions closed to the public that need no punch are skipped).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Integer as SAInteger
from sqlalchemy import and_, case, cast, false, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.domain.attendance.inputs import StaffRow, _punch_lists
from govhall.domain.attendance.models import Punch
from govhall.domain.attendance.rules import DayPlan

MAX_SPECIAL = 5000
"""Above this many special staff members the fast path gives way to the reference path (the exclusion list is
one bound parameter each; a tenant-month where most people are special gains nothing from it anyway)."""


@dataclass(slots=True)
class PlainSplit:
    """Per staff member: the offsets (days after the month's first) of their plain days, and the punches of every
    other day that has punches, as offset -> local seconds."""

    plain: dict[UUID, list[int]]
    other: dict[UUID, dict[int, list[int]]]


def session_bounds(plan: DayPlan) -> tuple[tuple[int, int, int, int, int], ...]:
    """(in_lo, mid, out_hi, latest on-time arrival, earliest on-time departure) of each required session."""
    out = []
    for s in plan.sessions:
        if not s.required:
            continue
        lim_in = s.start + plan.late_grace + 59
        lim_out = -(-(s.end - plan.early_grace) // 60) * 60
        out.append((s.in_lo, s.mid, s.out_hi, lim_in, lim_out))
    return tuple(out)


def _groups(plans: Iterable[tuple[date, DayPlan]]) -> dict[tuple[tuple[int, int, int, int, int], ...], list[date]]:
    groups: dict[tuple[tuple[int, int, int, int, int], ...], list[date]] = {}
    for d, plan in plans:
        if plan.is_rest_day:
            continue
        bounds = session_bounds(plan)
        if bounds:
            groups.setdefault(bounds, []).append(d)
    return groups


def _plain_expr(groups: Mapping[tuple[tuple[int, int, int, int, int], ...], list[date]]) -> Any:
    sec = Punch.local_seconds
    whens = []
    for bounds, dates in groups.items():
        conds = []
        for in_lo, mid, out_hi, lim_in, lim_out in bounds:
            first_in = func.min(case((and_(sec >= in_lo, sec < mid), sec)))
            last_out = func.max(case((and_(sec >= mid, sec <= out_hi), sec)))
            # NULL (no punch in the window) compares to NULL: not plain
            conds += [func.coalesce(first_in <= lim_in, false()), func.coalesce(last_out >= lim_out, false())]
        whens.append((Punch.work_date.in_(dates), and_(*conds)))
    if not whens:
        return false()
    return case(*whens, else_=false())


async def load_plain_split(session: AsyncSession, tenant_id: UUID, start: date, end: date,
                           plans: Sequence[tuple[date, DayPlan]], special: set[UUID]) -> PlainSplit:
    """One query over the punches of ``[start, end]`` (mapped to a staff member): per staff member their plain days
    and the punches of their other days. ``special`` staff members have no plain day (all their days come back)."""
    groups = _groups(plans)
    plain = _plain_expr(groups)
    if special:
        plain = and_(plain, Punch.staff_id.not_in(list(special)))
    conditions = (Punch.tenant_id == tenant_id, Punch.work_date >= start, Punch.work_date <= end,
                  Punch.staff_id.is_not(None))
    is_pg = session.get_bind().dialect.name == "postgresql"
    if is_pg:
        offset = cast(Punch.work_date - start, SAInteger)
    else:
        offset = cast(func.julianday(Punch.work_date) - func.julianday(literal(start.isoformat())), SAInteger)
    secs = func.array_agg(Punch.local_seconds) if is_pg else func.group_concat(Punch.local_seconds)
    days = (select(Punch.staff_id.label("sid"), offset.label("off"), plain.label("plain"), secs.label("secs"))
            .where(*conditions).group_by(Punch.staff_id, Punch.work_date).subquery("d"))
    out = PlainSplit({}, {})
    if is_pg:
        # one row per staff member; a non-plain day's punches travel as one text each (arrays of arrays must be
        # rectangular in PostgreSQL)
        stmt = select(days.c.sid, func.array_agg(days.c.off).filter(days.c.plain),
                      func.array_agg(days.c.off).filter(~days.c.plain),
                      func.array_agg(func.array_to_string(days.c.secs, ",")).filter(~days.c.plain)
                      ).group_by(days.c.sid)
        for sid, plain_days, other_days, other_secs in await session.execute(stmt):
            if plain_days:
                out.plain[sid] = plain_days
            if other_days:
                out.other[sid] = {o: [int(x) for x in s.split(",")] for o, s in zip(other_days, other_secs,
                                                                                     strict=True)}
        return out
    stmt = select(days.c.sid, func.group_concat(case((days.c.plain, days.c.off))),
                  func.group_concat(case((~days.c.plain, func.printf("%d:%s", days.c.off, days.c.secs))), ";")
                  ).group_by(days.c.sid)
    for sid, plain_days, other in await session.execute(stmt):
        if plain_days:
            out.plain[sid] = [int(x) for x in plain_days.split(",")]
        if other:
            got: dict[int, list[int]] = {}
            for part in other.split(";"):
                o, _, s = part.partition(":")
                got[int(o)] = [int(x) for x in s.split(",")]
            out.other[sid] = got
    return out


async def late_mapped_punches(session: AsyncSession, start: date, end: date, staff: Sequence[StaffRow]
                              ) -> dict[UUID, tuple[list[int], list[int]]]:
    """staff id -> (day offsets, local seconds) of the punches whose PIN matched nobody when they arrived (matched by
    employee number now, as ``load_staff_punches`` does): they are not under the staff id in the table, so the
    plain-day test cannot see them and their owners are special."""
    by_pin = {s.employee_no: s.id for s in staff}
    rows = await _punch_lists(session, Punch.pin, start, [Punch.work_date >= start, Punch.work_date <= end,
                                                           Punch.staff_id.is_(None)])
    out: dict[UUID, tuple[list[int], list[int]]] = {}
    for pin, days, secs in rows:
        sid = by_pin.get(pin)
        if sid is not None:
            got = out.setdefault(sid, ([], []))
            got[0].extend(days)
            got[1].extend(secs)
    return out


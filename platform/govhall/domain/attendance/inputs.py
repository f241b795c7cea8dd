"""The inputs of an evaluation, read as plain tuples (no ORM entities on the month-end path): staff, punches
aggregated per staff-day in the database, approved leave, off-post records."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.domain.attendance.clock import zone
from govhall.domain.attendance.models import LeaveRecord, OffPostRecord, Punch
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


async def load_punches(session: AsyncSession, start: date, end: date, staff: Sequence[StaffRow]
                       ) -> dict[tuple[UUID, date], list[int]]:
    """(staff id, date) -> local seconds, aggregated per staff-day in the database (``array_agg`` on PostgreSQL,
    ``group_concat`` on SQLite): a quarter of the rows of a raw fetch. Punches whose PIN was not mapped when they
    arrived are matched by employee number now (a staff member registered after their terminal punches)."""
    by_pin = {s.employee_no: s.id for s in staff}
    wanted = {s.id for s in staff}
    pg = session.get_bind().dialect.name == "postgresql"
    agg = func.array_agg(Punch.local_seconds) if pg else func.group_concat(Punch.local_seconds)
    in_range = (Punch.work_date >= start, Punch.work_date <= end)
    few = len(staff) <= 50
    mapped = select(Punch.staff_id, Punch.work_date, agg).where(*in_range, Punch.staff_id.is_not(None))
    if few:
        mapped = mapped.where(Punch.staff_id.in_(wanted))
    unmapped = select(Punch.pin, Punch.work_date, agg).where(*in_range, Punch.staff_id.is_(None))
    if few:
        unmapped = unmapped.where(Punch.pin.in_(list(by_pin)))
    out: dict[tuple[UUID, date], list[int]] = defaultdict(list)
    for sid, d, secs in (await session.execute(mapped.group_by(Punch.staff_id, Punch.work_date))):
        if sid in wanted:
            out[(sid, d)].extend(secs if not isinstance(secs, str) else [int(x) for x in secs.split(",")])
    # punches whose PIN matched nobody when they arrived (a staff member registered after their punches)
    for pin, d, secs in (await session.execute(unmapped.group_by(Punch.pin, Punch.work_date))):
        sid = by_pin.get(pin)
        if sid in wanted:
            out[(sid, d)].extend(secs if not isinstance(secs, str) else [int(x) for x in secs.split(",")])
    return out


async def load_leaves(session: AsyncSession, start: date, end: date, tz: str, staff_ids: set[UUID] | None = None
                      ) -> dict[UUID, list[tuple[datetime, datetime]]]:
    """staff id -> approved leave as local naive (start, end) datetimes overlapping [start, end]."""
    lo = datetime.combine(start, datetime.min.time(), zone(tz))
    hi = datetime.combine(end + timedelta(days=1), datetime.min.time(), zone(tz))
    stmt = select(LeaveRecord.staff_id, LeaveRecord.starts_at, LeaveRecord.ends_at).where(
        LeaveRecord.starts_at < hi, LeaveRecord.ends_at > lo)
    if staff_ids is not None:
        stmt = stmt.where(LeaveRecord.staff_id.in_(staff_ids))
    out: dict[UUID, list[tuple[datetime, datetime]]] = defaultdict(list)
    z = zone(tz)
    for sid, a, b in (await session.execute(stmt)):
        out[sid].append((a.astimezone(z).replace(tzinfo=None), b.astimezone(z).replace(tzinfo=None)))
    return out


def leave_on(leaves: Sequence[tuple[datetime, datetime]], d: date) -> list[tuple[int, int]]:
    """The parts of the leave on local date ``d``, as (lo, hi) seconds since midnight."""
    if not leaves:
        return []
    day0 = datetime.combine(d, datetime.min.time())
    out = []
    for a, b in leaves:
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
    return out

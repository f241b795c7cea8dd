"""What-if scores: a month's scorecards under candidate rules, in memory, nothing written.

The rules page previews a change (to the points pack, or to the attendance rules, whose findings become
attendance-sourced records) on a past month: ``preview_cards`` does what ``close_month`` would do with the given
rules and the given attendance results (the same ``bridge``: the attendance records it would keep, add and void;
the same ``month_inputs``; ONE ``govhall_score_month`` call) and returns the scorecards instead of storing them. ``closing_attendance`` turns
in-memory day results into what the bridge hook sees, typed by the same leave records as the close's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.clock import utcnow
from govhall.domain.assessment.closing import bridge, day_finding, leave_kinds, month_inputs, staff_months
from govhall.domain.assessment.scoring import score
from govhall.domain.assessment.services import Rules, rules_of
from govhall.domain.org.models import Staff, StaffStatus
from govhall.packs.services import TenantHooks
from govhall.packs.types import AttendanceDayFinding, AttendanceStaffMonth
from govhall.packs.types import Scorecard as PackCard


async def closing_attendance(session: AsyncSession, month: date, results: Mapping[UUID, Sequence[Any]],
                             converted: Mapping[UUID, int]) -> list[AttendanceStaffMonth]:
    """``results``: each staff member's evaluated days (attendance ``DayResult``s); ``converted``: the month's
    converted absence half days. As ``close_month`` reads them back from the stored days."""
    leaves = await leave_kinds(session, month)
    days: dict[UUID, list[AttendanceDayFinding]] = defaultdict(list)
    for sid, res in results.items():
        for r in res:
            if (r.late_count or r.early_count or r.missed_punches or r.absence_half_days or r.leave_half_days
                    or r.off_post_minutes):
                days[sid].append(day_finding(leaves.get(sid, ()), r.day, r.late_count, r.early_count,
                                             r.missed_punches, r.absence_half_days, r.leave_half_days,
                                             r.off_post_minutes))
    return staff_months(days, dict(converted))


async def preview_cards(session: AsyncSession, month: date, hooks: TenantHooks,
                        attendance: list[AttendanceStaffMonth]) -> dict[UUID, PackCard] | None:
    """The scorecards ``close_month`` would store for ``month`` under ``hooks`` with ``attendance`` as the month's
    attendance; None when the points pack is not enabled there."""
    rules: Rules | None = rules_of(hooks)
    if rules is None:
        return None
    staff = {sid: (dept, win, st) for sid, dept, win, st in (await session.execute(
        select(Staff.id, Staff.department_id, Staff.window_id, Staff.status)))}
    b = await bridge(session, rules, month, attendance, staff, utcnow())
    active = [sid for sid, (_d, _w, st) in staff.items() if st is StaffStatus.active]
    cards = score(rules, hooks.rules, month, (await month_inputs(session, month, active, b.events)).values())
    return {UUID(k): c for k, c in cards.items()}

"""What-if scores: a month's scorecards under candidate rules, in memory, nothing written.

The rules page previews a change (to the points pack, or to the attendance rules, whose findings become
attendance-sourced records) on a past month: ``preview_cards`` does what ``close_month`` would do with the given
rules and the given attendance results (the bridge hook, the attendance records it would keep, add and void, ONE
``govhall_score_month`` call) and returns the scorecards instead of storing them. ``closing_attendance`` turns
in-memory day results into what the bridge hook sees, typed by the same leave records as the close's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any
from uuid import UUID

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.domain.assessment.closing import day_finding, leave_kinds, staff_months
from govhall.domain.assessment.models import ViolationRecord
from govhall.domain.assessment.scoring import score, staff_inputs
from govhall.domain.assessment.services import LIVE, Rules, month_end, rules_of
from govhall.domain.org.models import Staff, StaffStatus
from govhall.packs.services import TenantHooks
from govhall.packs.types import AttendanceDayFinding, AttendanceStaffMonth, ViolationEvent
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
    drafts = hooks.hook.govhall_attendance_violations(rules=hooks.rules, month=month, staff_months=attendance) or {}
    v = ViolationRecord
    existing = {(sid, ref): (rid, st, kind, day, qty, points, reduced) for rid, sid, ref, st, kind, day, qty, points,
                reduced in (await session.execute(select(
                    v.id, v.staff_id, v.source_ref, v.status, v.kind, v.day, v.quantity, v.points, v.reduced_points)
                    .where(v.source == "attendance", v.subject == "staff", v.day >= month,
                           v.day <= month_end(month))))}
    staff = dict((await session.execute(select(Staff.id, Staff.status))).all())
    events: dict[UUID, list[ViolationEvent]] = defaultdict(list)
    seen: set[tuple[UUID, str]] = set()
    n = 0
    for sid_s, items in drafts.items():
        sid = UUID(sid_s)
        if sid not in staff:
            continue
        for d in items:
            item = rules.violations.get(d.kind)
            if item is None:
                continue
            seen.add((sid, d.source_ref))
            if (sid, d.source_ref) in existing:
                continue
            n += 1  # a new record's id sorts after every stored one (uuid7), in the order the close writes them
            events[sid].append(ViolationEvent(kind=item.key, day=d.day, quantity=d.quantity, ref=f"~{n:08d}"))
    for (owner, ref), (rid, st, kind, day, qty, points, reduced) in existing.items():
        if owner is not None and st in LIVE and ((owner, ref) in seen or st != "recorded"):  # the close voids the rest
            events[owner].append(ViolationEvent(kind=kind, day=day, quantity=qty, ref=str(rid),
                                              points=reduced if st == "reduced" else points))
    active = [sid for sid, st in staff.items() if st is StaffStatus.active]
    inputs = await staff_inputs(session, month, None, include=[*active, *events], without_source="attendance")
    for sid, extra in events.items():
        m = inputs[sid]
        inputs[sid] = msgspec.structs.replace(m, violations=(*m.violations, *extra))
    cards = score(rules, hooks.rules, month, inputs.values())
    return {UUID(k): c for k, c in cards.items()}

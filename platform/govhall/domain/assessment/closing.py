"""Month close: the attendance bridge, the stored scorecards and return-to-unit cases, publish and reopen.

Closing a tenant-month is one batch: lock the month row (recording takes the same lock, so a record lands before
the close or is refused), check that the month's attendance is final, turn its findings into records with ONE
``govhall_attendance_violations`` call, score every staff member with ONE ``govhall_score_month`` call, and write
the scorecards in bulk. The month keeps the point_values settings it was scored under.

All reads come first; then each bulk write runs while a worker thread computes what the next one needs (the hooks
are pure functions of their inputs): the bridge's records || the scores, the scorecards || the unit scorecards.
The database works on one core and the rules on another, and the event loop stays free for other requests.
"""

from __future__ import annotations

import asyncio
import time as _time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, cast
from uuid import UUID

import msgspec
from sqlalchemy import Table, delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.audit import record_audit
from govhall.clock import utcnow, zone
from govhall.domain.assessment import schemas as s
from govhall.domain.assessment.models import AssessmentMonth, Scorecard, ViolationRecord
from govhall.domain.assessment.returns import open_cases
from govhall.domain.assessment.scoring import (
    MonthRecords,
    UnitInputs,
    card_row,
    fingerprint,
    month_records,
    new_id,
    score,
    snapshot,
    unit_cards_off,
    unit_inputs,
    unit_rows,
    write_unit_cards,
)
from govhall.domain.assessment.services import (
    LIVE,
    Actor,
    Rules,
    case_count,
    lock_month,
    month_end,
    open_appeals,
    rules_on,
    tenant,
    today,
)
from govhall.domain.attendance.evaluation import ensure_month, month_state
from govhall.domain.attendance.ingest import tenant_timezone
from govhall.domain.attendance.models import AttendanceDay, AttendanceMonth, LeaveRecord
from govhall.domain.identity.models import User
from govhall.domain.org.models import Staff, StaffStatus
from govhall.errors import AppError
from govhall.gc_tuning import gc_paused
from govhall.log import get_logger
from govhall.packs.types import AttendanceDayFinding, AttendanceStaffMonth, StaffMonth, ViolationEvent
from govhall.tenancy.bulk import bulk_insert

log = get_logger(__name__)


async def attendance_final(session: AsyncSession, month: date) -> tuple[bool, date | None]:
    state = await month_state(session, month)
    if state is None:
        return False, None
    return (not state.dirty and state.final_through is not None and state.final_through >= month_end(month),
            state.final_through)


async def leave_kinds(session: AsyncSession, month: date) -> dict[UUID, list[tuple[date, date, str]]]:
    """Each staff member's leave records touching the month: (first day, last day, type), local dates."""
    end = month_end(month)
    z = zone(await tenant_timezone(session, tenant()))
    leaves: dict[UUID, list[tuple[date, date, str]]] = defaultdict(list)
    lo = datetime.combine(month, time.min, z)
    hi = datetime.combine(end + timedelta(days=1), time.min, z)
    for sid, a, b, kind in (await session.execute(select(
            LeaveRecord.staff_id, LeaveRecord.starts_at, LeaveRecord.ends_at, LeaveRecord.kind).where(
            LeaveRecord.starts_at < hi, LeaveRecord.ends_at > lo))):
        leaves[sid].append((a.astimezone(z).date(), b.astimezone(z).date(), kind or ""))
    return leaves


def day_finding(leaves: Sequence[tuple[date, date, str]], d: date, late: int, early: int, missed: int, absent: int,
                leave: int, off: Sequence[int]) -> AttendanceDayFinding:
    """One day's findings as the bridge hook sees them (a leave day typed by the leave record covering it)."""
    kind = next((k for a, b, k in leaves if a <= d <= b), "") if leave else ""
    return AttendanceDayFinding(day=d, late=late, early=early, missed_punches=missed, absence_half_days=absent,
                                leave_half_days=leave, leave_type=kind, off_post_minutes=tuple(off or ()))


def staff_months(days: dict[UUID, list[AttendanceDayFinding]], converted: dict[UUID, int]
                 ) -> list[AttendanceStaffMonth]:
    ids = set(days) | {k for k, v in converted.items() if v}
    return [AttendanceStaffMonth(staff_id=str(sid), days=tuple(days.get(sid, ())),
                                 converted_half_days=int(converted.get(sid) or 0)) for sid in ids]


async def _attendance_months(session: AsyncSession, month: date) -> list[AttendanceStaffMonth]:
    """The month's stored attendance results as the bridge hook sees them (read from attendance's tables)."""
    end = month_end(month)
    leaves = await leave_kinds(session, month)
    days: dict[UUID, list[AttendanceDayFinding]] = defaultdict(list)
    a_day = AttendanceDay
    off_post = a_day.details["offPost"]
    # only the days with a finding (most days are clean), and of the day's details only its off-post lengths
    for sid, d, late, early, missed, absent, leave, off in (await session.execute(select(
            a_day.staff_id, a_day.work_date, a_day.late_count, a_day.early_count, a_day.missed_punches,
            a_day.absence_half_days, a_day.leave_half_days, off_post).where(
            a_day.work_date >= month, a_day.work_date <= end,
            or_(a_day.late_count > 0, a_day.early_count > 0, a_day.missed_punches > 0, a_day.absence_half_days > 0,
                a_day.leave_half_days > 0, off_post.as_string().is_not(None))))):
        days[sid].append(day_finding(leaves.get(sid, ()), d, late, early, missed, absent, leave, off))
    converted = dict((await session.execute(select(AttendanceMonth.staff_id, AttendanceMonth.converted_half_days)
                                            .where(AttendanceMonth.month == month))).all())
    return staff_months(days, converted)


@dataclass
class Bridge:
    """What the attendance bridge does to a month: records to add, recorded ones to void (their finding is gone),
    and the month's live attendance records as scoring sees them (kept and new), by staff member."""

    new_rows: list[dict[str, Any]]
    stale: list[UUID]
    events: dict[UUID, list[ViolationEvent]]


Existing = dict[tuple[UUID | None, str | None], tuple[UUID, str, str, date, float, float | None, float | None]]


async def attendance_records(session: AsyncSession, month: date) -> Existing:
    """The month's attendance-sourced records, by (staff member, source ref)."""
    v = ViolationRecord
    return {(sid, ref): (rid, st, kind, day, qty, points, reduced) for rid, sid, ref, st, kind, day, qty, points,
            reduced in (await session.execute(select(
                v.id, v.staff_id, v.source_ref, v.status, v.kind, v.day, v.quantity, v.points, v.reduced_points)
                .where(v.source == "attendance", v.day >= month, v.day <= month_end(month))))}


async def bridge(session: AsyncSession, rules: Rules, month: date, attendance: list[AttendanceStaffMonth],
                 staff_rows: dict[UUID, tuple[UUID | None, UUID | None, Any]], now: datetime) -> Bridge:
    """ONE ``govhall_attendance_violations`` call: each draft of a kind in the catalogue becomes a record unless
    the month already holds it (same staff member and source ref); a recorded one no draft names any more is
    voided. Nothing is written here (the close writes ``new_rows`` and voids ``stale``; the what-if does not)."""
    return bridge_rows(rules, month, attendance, await attendance_records(session, month), staff_rows, now,
                       tenant())


def bridge_rows(rules: Rules, month: date, attendance: list[AttendanceStaffMonth], existing: Existing,
                staff_rows: dict[UUID, tuple[UUID | None, UUID | None, Any]], now: datetime, tid: UUID) -> Bridge:
    """``bridge`` without I/O (the close runs it in a thread while it reads the scoring inputs)."""
    drafts = rules.hooks.hook.govhall_attendance_violations(
        rules=rules.hooks.rules, month=month, staff_months=attendance) or {}
    out = Bridge([], [], defaultdict(list))
    seen: set[tuple[UUID, str]] = set()
    ids = {str(s): s for s in staff_rows}
    for sid_s, items in drafts.items():
        maybe = ids.get(sid_s)
        if maybe is None:
            continue
        sid = maybe
        dept, win, _st = staff_rows[sid]
        for d in items:
            item = rules.violations.get(d.kind)
            if item is None:
                continue
            seen.add((sid, d.source_ref))
            if (sid, d.source_ref) in existing:
                continue
            rid = new_id()
            out.new_rows.append({
                "id": rid, "tenant_id": tid, "subject": "staff", "staff_id": sid, "window_id": win,
                "department_id": dept, "kind": item.key, "name": item.name_zh, "category": item.category,
                "clause": item.clause, "day": d.day, "quantity": d.quantity, "points": None, "source": "attendance",
                "source_ref": d.source_ref, "evidence": [], "note": d.note or None, "recorded_by": None,
                "status": "recorded", "amends_id": None, "void_reason": None, "sanction": None,
                "reduced_points": None, "created_at": now, "updated_at": now})
            out.events[sid].append(ViolationEvent(kind=item.key, day=d.day, quantity=d.quantity, ref=str(rid)))
    for (owner, ref), (rid, st, kind, day, qty, points, reduced) in existing.items():
        if (owner, ref) not in seen and st == "recorded":
            out.stale.append(rid)
        elif owner is not None and st in LIVE:
            out.events[owner].append(ViolationEvent(kind=kind, day=day, quantity=qty, ref=str(rid),
                                                    points=reduced if st == "reduced" else points))
    return out


async def month_inputs(session: AsyncSession, month: date, active: list[UUID],
                       attendance: dict[UUID, list[ViolationEvent]]) -> dict[UUID, StaffMonth]:
    """Every staff member's month for scoring: the stored records of every other source, the attendance records
    as the bridge left them (from memory: just written, or only imagined by the what-if)."""
    return merge_inputs(await month_records(session, month, without_source="attendance"), active, attendance)


def merge_inputs(records: MonthRecords, active: list[UUID], attendance: dict[UUID, list[ViolationEvent]]
                 ) -> dict[UUID, StaffMonth]:
    inputs = records.for_ids([*active, *attendance])
    for sid, extra in attendance.items():
        m = inputs[sid]
        inputs[sid] = msgspec.structs.replace(m, violations=(*m.violations, *extra))
    return inputs


async def close_month(session: AsyncSession, a: Actor, month: date) -> s.CloseResult:
    with gc_paused():
        return await _close_month(session, a, month)


async def _close_month(session: AsyncSession, a: Actor, month: date) -> s.CloseResult:
    t0 = _time.perf_counter()
    timings: dict[str, float] = {}

    def lap(name: str) -> None:
        timings[name] = round(_time.perf_counter() - t0 - sum(timings.values()), 4)

    tid = tenant()
    if month_end(month) >= await today(session):
        raise AppError("month_not_over", f"{month:%Y年%m月} 尚未结束，不能结算", f"{month:%Y-%m} is not over yet",
                       status=409)
    await ensure_month(session, tid, month)  # re-evaluates the attendance if anything changed (commits)
    lap("attendance")
    lock = await lock_month(session, month)
    if lock.status != "open":
        raise AppError("month_already_closed", "该月已结算", "This month is already closed", status=409)
    final, through = await attendance_final(session, month)
    if not final:
        raise AppError("attendance_not_final",
                       f"{month:%Y年%m月} 的考勤尚未全部确定（截至 {through or '—'}），请待考勤机数据齐全后再结算",
                       f"The attendance of {month:%Y-%m} is not final yet (final through {through or '-'})",
                       status=409)
    rules = await rules_on(session, month_end(month))
    now = utcnow()
    lap("lock_rules")
    # 1. reads; the attendance bridge (ONE hook call for the tenant-month, nothing written yet) computed in a
    # thread meanwhile
    staff_rows = {sid: (dept, win, status) for sid, dept, win, status in (await session.execute(
        select(Staff.id, Staff.department_id, Staff.window_id, Staff.status)))}
    attendance = await _attendance_months(session, month)
    existing = await attendance_records(session, month)
    units_off = unit_cards_off(rules.hooks.rules)
    lap("read_attendance")

    async def reads() -> tuple[MonthRecords, UnitInputs | None]:
        records = await month_records(session, month, without_source="attendance")
        return records, (None if units_off else await unit_inputs(session, month))

    b, (records, ui) = await asyncio.gather(
        asyncio.to_thread(bridge_rows, rules, month, attendance, existing, staff_rows, now, tid), reads())
    new_rows, stale = b.new_rows, b.stale
    active = [sid for sid, (_d, _w, st) in staff_rows.items() if st is StaffStatus.active]
    inputs = merge_inputs(records, active, b.events)
    lap("read_bridge")
    # 2. writes, each overlapped with the computing the next one needs (in a thread, off the event loop; the
    # database works on the other core meanwhile): the bridge's records || ONE ``govhall_score_month`` call and
    # the scorecard rows; the scorecards || ONE ``govhall_score_units`` call
    placed = {sid: (d, w) for sid, (d, w, _st) in staff_rows.items()}
    ids = {str(sid): sid for sid in staff_rows}

    def scorecards() -> tuple[dict[str, Any], list[dict[str, Any]]]:
        cards = score(rules, rules.hooks.rules, month, inputs.values())
        rows = []
        for c in cards.values():
            sid = ids.get(c.staff_id) or UUID(c.staff_id)
            rows.append(card_row(tid, month, c, placed.get(sid, (None, None)), now, sid))
        return cards, rows

    async def write_bridge() -> None:
        await bulk_insert(session, ViolationRecord.__table__, new_rows)
        if stale:
            await session.execute(cast(Table, ViolationRecord.__table__).update()
                                  .where(ViolationRecord.__table__.c.id.in_(stale))
                                  .values(status="void", void_reason="考勤结果已变更 (attendance changed)",
                                          updated_at=now))

    _, (cards, card_rows) = await asyncio.gather(write_bridge(), asyncio.to_thread(scorecards))
    lap("bridge_write_score")

    async def write_cards() -> None:
        await session.execute(delete(Scorecard).where(Scorecard.month == month)
                              .execution_options(synchronize_session=False))
        await bulk_insert(session, Scorecard.__table__, card_rows)

    def units() -> list[dict[str, Any]]:
        return [] if ui is None else unit_rows(rules, rules.hooks.rules, month, now, ui, cards, placed, ids)

    _, unit_card_rows = await asyncio.gather(write_cards(), asyncio.to_thread(units))
    lap("scorecards_units")
    n_units = await write_unit_cards(session, month, unit_card_rows)
    # 3. return-to-unit cases flagged by the scorecards
    cases = await open_cases(session, month, {
        ids.get(c.staff_id) or UUID(c.staff_id): [{"name": r, "recordIds": list(c.return_refs)} for r in c.return_reasons]
        for c in cards.values() if c.return_to_unit})
    lap("units_cases")
    lock.status, lock.closed_by, lock.closed_at = "closed", a.user_id, now
    lock.fingerprint, lock.rules = fingerprint(rules.hooks.rules), snapshot(rules)
    seconds = _time.perf_counter() - t0
    await record_audit(session, action="assessment.month.close", target_type="assessment_month",
                       target_id=str(lock.id), details={
                           "month": f"{month:%Y-%m}", "scorecards": len(cards), "attendanceRecords": len(new_rows),
                           "voidedAttendanceRecords": len(stale), "returnCases": cases, "unitScorecards": n_units,
                           "fingerprint": lock.fingerprint})
    await session.commit()
    lap("commit")
    log.info("assessment_month_closed", month=f"{month:%Y-%m}", staff=len(cards), records=len(new_rows),
             seconds=round(seconds, 3), timings=timings)
    return s.CloseResult(month=f"{month:%Y-%m}", status="closed", staff=len(cards), attendance_records=len(new_rows),
                         voided_attendance_records=len(stale), scorecards=len(cards), return_cases=cases,
                         seconds=round(seconds, 3), unit_scorecards=n_units)


async def publish(session: AsyncSession, a: Actor, month: date) -> s.MonthView:
    lock = await lock_month(session, month)
    if lock.status != "closed":
        raise AppError("not_closed", "只有已结算的月份才能公布", "Only a closed month can be published", status=409)
    lock.status, lock.published_by, lock.published_at = "published", a.user_id, utcnow()
    await record_audit(session, action="assessment.month.publish", target_type="assessment_month",
                       target_id=str(lock.id), details={"month": f"{month:%Y-%m}"})
    await session.commit()
    return await month_view(session, month)


async def reopen(session: AsyncSession, a: Actor, month: date, reason: str) -> s.MonthView:
    """Explicit and audited: the stored scorecards stay until the next close replaces them."""
    lock = await lock_month(session, month)
    if lock.status == "open":
        raise AppError("not_closed", "该月尚未结算", "This month is not closed", status=409)
    before = lock.status
    lock.status, lock.reopened = "open", lock.reopened + 1
    lock.published_at = lock.published_by = None
    await record_audit(session, action="assessment.month.reopen", target_type="assessment_month",
                       target_id=str(lock.id), details={"month": f"{month:%Y-%m}", "reason": reason.strip(),
                                                         "was": before, "fingerprint": lock.fingerprint})
    await session.commit()
    return await month_view(session, month)


async def month_view(session: AsyncSession, month: date) -> s.MonthView:
    row = await session.scalar(select(AssessmentMonth).where(AssessmentMonth.month == month)
                               .execution_options(populate_existing=True))
    final, through = await attendance_final(session, month)
    records = await session.scalar(select(func.count(ViolationRecord.id)).where(
        ViolationRecord.day >= month, ViolationRecord.day <= month_end(month))) or 0
    cards = await session.scalar(select(func.count(Scorecard.id)).where(Scorecard.month == month)) or 0
    closer = None
    if row is not None and row.closed_by:
        closer = await session.scalar(select(User.display_name).where(User.id == row.closed_by))
    return s.MonthView(month=f"{month:%Y-%m}", status=row.status if row else "open",
                       closed_at=row.closed_at if row else None, closed_by_name=closer,
                       published_at=row.published_at if row else None, reopened=row.reopened if row else 0,
                       attendance_final_through=through, attendance_final=final, records=records, scorecards=cards,
                       open_appeals=await open_appeals(session), return_cases=await case_count(session, month))

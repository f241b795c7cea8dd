"""The duty rota (值班安排): planned by the center admin on a week or month grid, checked against the patrols pack's
rota mode (a person per week, 000 篇七 八; windows per month, 004/4 一) and its gap rule; the home page's 'when am I
on duty'; and the duty officer's earlier start (8:20 / 2:20, 000 篇七 八.4①) handed to the attendance evaluation."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.audit import record_audit
from govhall.clock import local_today, utcnow
from govhall.db.locks import lock_name
from govhall.domain.attendance.ingest import mark_months_dirty, tenant_timezone
from govhall.domain.attendance.inputs import register_start_offsets
from govhall.domain.org.models import Staff, StaffStatus, Window
from govhall.domain.supervision import schemas as s
from govhall.domain.supervision.models import DutyRotaEntry
from govhall.domain.supervision.plans import patrol_plans
from govhall.errors import AppError, field_error
from govhall.log import get_logger
from govhall.tenancy.context import current_tenant_id

log = get_logger(__name__)

MAX_DAYS = 62


def tenant() -> UUID:
    tid = current_tenant_id()
    if tid is None:  # pragma: no cover - every route is guarded
        raise AppError("forbidden", "您没有执行此操作的权限", "You are not allowed to do this", status=403)
    return tid


def bad(code: str, field: str, zh: str, en: str, status: int = 400) -> AppError:
    return AppError(code, zh, en, status=status, fields=[field_error(field, zh, en)])


def check_span(start: date, end: date) -> None:
    if end < start:
        raise bad("invalid_range", "end", "结束日期不能早于开始日期", "The end date is before the start date")
    if (end - start).days + 1 > MAX_DAYS:
        raise bad("range_too_long", "end", f"一次最多 {MAX_DAYS} 天", f"At most {MAX_DAYS} days at once")


async def _names(session: AsyncSession, rows: list[DutyRotaEntry]) -> tuple[dict[UUID, str], dict[UUID, str]]:
    sids = {r.staff_id for r in rows if r.staff_id}
    wids = {r.window_id for r in rows if r.window_id}
    staff = dict((await session.execute(select(Staff.id, Staff.name).where(Staff.id.in_(sids)))).all()) if sids else {}
    wins = {w.id: f"{w.number} {w.name}" for w in (await session.scalars(
        select(Window).where(Window.id.in_(wids)))).all()} if wids else {}
    return staff, wins


async def entries(session: AsyncSession, start: date, end: date) -> list[DutyRotaEntry]:
    return list((await session.scalars(select(DutyRotaEntry).where(
        DutyRotaEntry.day >= start, DutyRotaEntry.day <= end).order_by(DutyRotaEntry.day, DutyRotaEntry.slot))).all())


async def rota_view(session: AsyncSession, start: date, end: date) -> s.Rota:
    check_span(start, end)
    plans, calendar = await patrol_plans(session, tenant(), start, end)
    first = plans[min(plans)]
    rows = await entries(session, start, end)
    staff_names, window_names = await _names(session, rows)
    staff = (await session.scalars(select(Staff).where(Staff.status == StaffStatus.active).order_by(Staff.name))).all()
    windows = (await session.scalars(select(Window).order_by(Window.number))).all()
    return s.Rota(
        start=start, end=end, rota_mode=first.rota_mode, windows_per_month=first.windows_per_month,
        gaps_allowed=first.gaps_allowed,
        days=[s.RotaDay(day=d, duty_day=p.duty_day, reason=calendar[d].reason) for d, p in sorted(plans.items())],
        entries=[s.RotaEntry(day=r.day, slot=r.slot, staff_id=r.staff_id, staff_name=staff_names.get(r.staff_id)
                             if r.staff_id else None, window_id=r.window_id,
                             window_name=window_names.get(r.window_id) if r.window_id else None) for r in rows],
        staff=[s.Option(id=x.id, name=f"{x.name}（{x.employee_no}）") for x in staff],
        windows=[s.Option(id=w.id, name=f"{w.number} {w.name}") for w in windows])


async def save_rota(session: AsyncSession, user_id: UUID, data: s.RotaIn) -> s.Rota:
    """Replace the rota of [start, end] with ``entries``, checked as a whole: nothing is written on a problem."""
    check_span(data.start, data.end)
    plans, _cal = await patrol_plans(session, tenant(), data.start, data.end)
    seen: dict[tuple[date, int], int] = {}
    windows_by_day: dict[date, set[UUID]] = defaultdict(set)
    staff_ids = {e.staff_id for e in data.entries if e.staff_id}
    window_ids = {e.window_id for e in data.entries if e.window_id}
    active = set((await session.scalars(select(Staff.id).where(
        Staff.id.in_(staff_ids), Staff.status == StaffStatus.active))).all()) if staff_ids else set()
    known_windows = set((await session.scalars(select(Window.id).where(Window.id.in_(window_ids)))).all()) \
        if window_ids else set()
    for i, e in enumerate(data.entries):
        f = f"entries[{i}]"
        plan = plans.get(e.day)
        if plan is None or not data.start <= e.day <= data.end:
            raise bad("day_out_of_range", f"{f}.day", f"{e.day} 不在所排的日期范围内",
                      f"{e.day} is outside the planned range")
        if (e.day, e.slot) in seen:
            raise bad("rota_slot_taken", f"{f}.slot", f"{e.day} 的同一班次安排了两名值班人员",
                      f"Two people on duty in one slot on {e.day}", status=409)
        seen[(e.day, e.slot)] = i
        if plan.rota_mode == "staff_weekly":
            if e.slot != 0 or e.staff_id is None or e.window_id is not None:
                raise bad("rota_entry_invalid", f"{f}.staffId", "按人员值周：每天一名值班人员",
                          "A person per week: one duty officer a day")
            if e.staff_id not in active:
                raise bad("staff_not_employed", f"{f}.staffId", "该人员不在岗或不存在",
                          "No such active staff member")
        else:
            if not 1 <= e.slot <= plan.windows_per_month or e.window_id is None:
                raise bad("rota_entry_invalid", f"{f}.slot",
                          f"窗口按月值班：每天第1至第{plan.windows_per_month}个值班窗口",
                          f"Windows per month: slots 1 to {plan.windows_per_month} name a window")
            if e.window_id not in known_windows:
                raise bad("window_not_found", f"{f}.windowId", "窗口不存在", "No such window")
            if e.window_id in windows_by_day[e.day]:
                raise bad("rota_slot_taken", f"{f}.windowId", f"{e.day} 同一窗口安排了两次",
                          f"The same window twice on {e.day}", status=409)
            windows_by_day[e.day].add(e.window_id)
            if e.staff_id is not None and e.staff_id not in active:
                raise bad("staff_not_employed", f"{f}.staffId", "该人员不在岗或不存在", "No such active staff member")
    gaps = []
    for d, plan in sorted(plans.items()):
        if plan.gaps_allowed or not plan.duty_day:
            continue
        slots = (0,) if plan.rota_mode == "staff_weekly" else tuple(range(1, plan.windows_per_month + 1))
        if any((d, x) not in seen for x in slots):
            gaps.append(d)
    if gaps:
        shown = "、".join(f"{d:%m-%d}" for d in gaps[:7]) + ("……" if len(gaps) > 7 else "")
        raise bad("rota_gap", "entries", f"以下值班日无人值班：{shown}",
                  f"Nobody is on duty on: {', '.join(d.isoformat() for d in gaps[:7])}")
    await lock_name(session, f"rota:{tenant()}")
    await session.execute(delete(DutyRotaEntry).where(DutyRotaEntry.day >= data.start, DutyRotaEntry.day <= data.end))
    for e in data.entries:
        session.add(DutyRotaEntry(day=e.day, slot=e.slot, staff_id=e.staff_id, window_id=e.window_id,
                                  planned_by=user_id))
    await session.flush()
    days = [data.start + timedelta(days=i) for i in range((data.end - data.start).days + 1)]
    await mark_months_dirty(session, tenant(), days, utcnow())  # the duty officer's hours change with the rota
    await record_audit(session, action="duty_rota.plan", target_type="duty_rota", target_id=str(tenant()),
                       details={"start": data.start.isoformat(), "end": data.end.isoformat(),
                                "entries": len(data.entries)})
    await session.commit()
    log.info("duty_rota_planned", start=data.start.isoformat(), end=data.end.isoformat(), entries=len(data.entries))
    return await rota_view(session, data.start, data.end)


async def officer_on(session: AsyncSession, day: date) -> str | None:
    rows = await entries(session, day, day)
    staff, windows = await _names(session, rows)
    names = [staff.get(r.staff_id) if r.staff_id else windows.get(r.window_id) if r.window_id else None for r in rows]
    return "、".join(n for n in names if n) or None


async def my_duty(session: AsyncSession, own: Staff | None) -> s.MyDuty:
    tid = tenant()
    today = local_today(await tenant_timezone(session, tid))
    end = today + timedelta(days=34)
    plans, calendar = await patrol_plans(session, tid, today, end, required=False)
    if not plans:
        return s.MyDuty(enabled=False, days=[])
    officer = await officer_on(session, today)
    if own is None:
        return s.MyDuty(enabled=True, days=[], officer_today=officer)
    cond = DutyRotaEntry.staff_id == own.id
    if own.window_id is not None:
        cond = cond | (DutyRotaEntry.window_id == own.window_id)
    rows = (await session.scalars(select(DutyRotaEntry).where(
        DutyRotaEntry.day >= today, DutyRotaEntry.day <= end, cond).order_by(DutyRotaEntry.day))).all()
    _staff, windows = await _names(session, list(rows))
    days: list[s.MyDutyDay] = []
    for r in rows:
        plan = plans.get(r.day)
        if plan is None or (days and days[-1].day == r.day):
            continue
        off = timedelta(minutes=plan.duty_arrival_offset_minutes if r.staff_id == own.id else 0)
        starts = [(datetime.combine(r.day, x.start) - off).strftime("%H:%M") for x in calendar[r.day].sessions]
        days.append(s.MyDutyDay(day=r.day, arrive_by=starts,
                                window_name=windows.get(r.window_id) if r.window_id else None))
    return s.MyDuty(enabled=True, days=days, officer_today=officer)


async def start_offsets(session: AsyncSession, start: date, end: date, staff_ids: set[UUID] | None = None
                        ) -> dict[tuple[UUID, date], int]:
    """(staff id, day) -> minutes the sessions start earlier: the duty officer's own hours on their duty days
    only (000 篇七 八.4① 值周期间每天上午8:20、下午2:20前必须到岗). Registered with the attendance evaluation."""
    tid = tenant()
    stmt = select(DutyRotaEntry.staff_id, DutyRotaEntry.day).where(
        DutyRotaEntry.day >= start, DutyRotaEntry.day <= end, DutyRotaEntry.staff_id.is_not(None))
    if staff_ids is not None:
        stmt = stmt.where(DutyRotaEntry.staff_id.in_(staff_ids))
    rows: list[Any] = list((await session.execute(stmt)).all())
    if not rows:
        return {}
    plans, _cal = await patrol_plans(session, tid, min(d for _s, d in rows), max(d for _s, d in rows),
                                     required=False)
    out: dict[tuple[UUID, date], int] = {}
    for sid, d in rows:
        plan = plans.get(d)
        if plan is not None and plan.duty_day and plan.duty_arrival_offset_minutes:
            out[(sid, d)] = plan.duty_arrival_offset_minutes
    return out


register_start_offsets(start_offsets)

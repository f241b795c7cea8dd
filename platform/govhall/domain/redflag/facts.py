"""What a red-flag round scores: the competing units (windows or departments) and their facts in the period —
the live violation and bonus records of their people and of the unit itself, and the days the unit was a duty
window (rota mode window_monthly, 004/4) while the patrols done fell short of the patrols pack's daily minimum."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.clock import local_today
from govhall.domain.assessment.models import BonusRecord, ViolationRecord
from govhall.domain.assessment.services import LIVE, rules_of
from govhall.domain.attendance.ingest import tenant_timezone
from govhall.domain.org.models import Department, Staff, Window
from govhall.domain.supervision.models import DutyRotaEntry, Patrol
from govhall.domain.supervision.plans import patrol_plans
from govhall.packs.services import enabled_hooks
from govhall.packs.types import RedFlagFact, RedFlagUnit


@dataclass
class Evidence:
    kind: str
    name: str
    day: date
    source: str
    staff_name: str | None = None
    note: str | None = None
    files: list[str] = field(default_factory=list)
    record_id: UUID | None = None


@dataclass
class Gathered:
    names: dict[UUID, str]
    """unit id -> its name, in the order shown (window number, department name)"""
    units: list[RedFlagUnit]
    evidence: dict[str, Evidence]
    """fact ref -> what the drill-down shows"""


async def _units(session: AsyncSession, unit: str) -> dict[UUID, str]:
    if unit == "department":
        return {d.id: d.name for d in (await session.scalars(select(Department).order_by(Department.name))).all()}
    return {w.id: f"{w.number} {w.name}" for w in (await session.scalars(select(Window).order_by(Window.number))).all()}


async def _negligent_days(session: AsyncSession, tenant_id: UUID, start: date, end: date
                          ) -> dict[UUID, list[tuple[date, int, int]]]:
    """window id -> (day, patrols done, required) for each duty day of the window that fell short (days that are
    over: before ``today``)."""
    end = min(end, local_today(await tenant_timezone(session, tenant_id)) - timedelta(days=1))
    if end < start:
        return {}
    rota = (await session.execute(select(DutyRotaEntry.day, DutyRotaEntry.window_id).where(
        DutyRotaEntry.day >= start, DutyRotaEntry.day <= end, DutyRotaEntry.window_id.is_not(None)))).all()
    if not rota:
        return {}
    plans, _cal = await patrol_plans(session, tenant_id, start, end, required=False)
    done = dict((await session.execute(select(Patrol.day, func.count()).where(
        Patrol.day >= start, Patrol.day <= end, Patrol.kind == "patrol").group_by(Patrol.day))).all())
    out: dict[UUID, list[tuple[date, int, int]]] = defaultdict(list)
    for day, wid in rota:
        plan = plans.get(day)
        if plan is None or not plan.required_total or wid is None:
            continue
        n = int(done.get(day) or 0)
        if n < plan.required_total:
            out[wid].append((day, n, plan.required_total))
    return out


def _ladder(rows: list[ViolationRecord], catalogue: dict[str, tuple[tuple[float, ...], str]]) -> dict[UUID, float]:
    """Each record's own points: stored points, else the catalogue's by occurrence in the period per person and
    ladder group (迟到、早退 第1次1分、第2次2分)."""
    out: dict[UUID, float] = {}
    seen: dict[tuple[UUID | None, str], int] = defaultdict(int)
    for r in sorted(rows, key=lambda x: (x.day, x.created_at)):
        if r.status == "reduced" and r.reduced_points is not None:
            out[r.id] = r.reduced_points
            continue
        if r.points is not None:
            out[r.id] = r.points
            continue
        ladder, group = catalogue.get(r.kind, ((0.0,), r.kind))
        key = (r.staff_id or r.window_id or r.department_id, group or r.kind)
        n = seen[key]
        seen[key] += 1
        out[r.id] = ladder[min(n, len(ladder) - 1)] * r.quantity if ladder else 0
    return out


async def gather(session: AsyncSession, tenant_id: UUID, unit: str, start: date, end: date,
                 ratings: dict[str, float]) -> Gathered:
    names = await _units(session, unit)
    staff = {x.id: x for x in (await session.scalars(select(Staff))).all()}
    windows = {w.id: w for w in (await session.scalars(select(Window))).all()}

    def unit_of(staff_id: UUID | None, window_id: UUID | None, department_id: UUID | None) -> UUID | None:
        person = staff.get(staff_id) if staff_id else None
        if unit == "window":
            return window_id or (person.window_id if person else None)
        win = windows.get(window_id) if window_id else None
        return department_id or (win.department_id if win else None) or (person.department_id if person else None)

    rules = rules_of(await enabled_hooks(session, tenant_id, end))
    catalogue = {k: (v.points, v.ladder_group) for k, v in rules.violations.items()} if rules else {}
    bonus_points = {k: v.points for k, v in rules.bonuses.items()} if rules else {}
    vrows = list((await session.scalars(select(ViolationRecord).where(
        ViolationRecord.day >= start, ViolationRecord.day <= end, ViolationRecord.status.in_(LIVE)))).all())
    points = _ladder(vrows, catalogue)
    facts: dict[UUID, list[RedFlagFact]] = defaultdict(list)
    evidence: dict[str, Evidence] = {}
    for r in vrows:
        u = unit_of(r.staff_id, r.window_id, r.department_id)
        if u not in names:
            continue
        ref = f"violation/{r.id}"
        facts[u].append(RedFlagFact(ref=ref, source=r.source, kind=r.kind, day=r.day, points=points[r.id],
                                    quantity=r.quantity))
        person = staff.get(r.staff_id) if r.staff_id else None
        evidence[ref] = Evidence(kind=r.kind, name=r.name, day=r.day, source=r.source,
                                 staff_name=person.name if person else None, note=r.note,
                                 files=list(r.evidence or []), record_id=r.id)
    for b in (await session.scalars(select(BonusRecord).where(
            BonusRecord.day >= start, BonusRecord.day <= end, BonusRecord.status.in_(LIVE)))).all():
        u = unit_of(b.staff_id, b.window_id, b.department_id)
        if u not in names:
            continue
        ref = f"bonus/{b.id}"
        pts = b.points if b.points is not None else bonus_points.get(b.kind, 0) * b.quantity
        facts[u].append(RedFlagFact(ref=ref, source="bonus", kind=b.kind, day=b.day, points=pts, quantity=b.quantity))
        person = staff.get(b.staff_id) if b.staff_id else None
        evidence[ref] = Evidence(kind=b.kind, name=b.name, day=b.day, source="bonus",
                                 staff_name=person.name if person else None, note=b.note,
                                 files=list(b.evidence or []), record_id=b.id)
    for wid, days in (await _negligent_days(session, tenant_id, start, end)).items():
        u = wid if unit == "window" else (windows[wid].department_id if wid in windows else None)
        if u not in names:
            continue
        for day, n, required in days:
            ref = f"duty/{day.isoformat()}/{wid}"
            facts[u].append(RedFlagFact(ref=ref, source="duty", kind="duty_negligence", day=day))
            evidence[ref] = Evidence(kind="duty_negligence", name=f"值班日巡查 {n} 次，少于 {required} 次", day=day,
                                     source="duty", note=f"patrols {n} of {required}")
    units = [RedFlagUnit(unit_id=str(u), facts=tuple(facts.get(u, ())), council_rating=ratings.get(str(u)))
             for u in names]
    return Gathered(names=names, units=units, evidence=evidence)

"""Patrols on the phone (带班巡查 / 值班巡视): the day's form (checklist, windows with the people on post), an
idempotent submit (the phone's ``clientId``), findings that become violation records (source ``patrol``), the
history with photos and the per-day compliance (done vs required per half day, fixed and closing checks)."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Any, cast
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.audit import record_audit
from govhall.clock import local_today, utcnow, zone
from govhall.db.locks import lock_name
from govhall.domain.assessment import schemas as asm
from govhall.domain.assessment import services as assessment
from govhall.domain.attendance.ingest import tenant_timezone
from govhall.domain.attendance.models import LeaveRecord
from govhall.domain.org.models import Staff, StaffStatus, Window
from govhall.domain.supervision import schemas as s
from govhall.domain.supervision.models import Patrol, PatrolFinding
from govhall.domain.supervision.plans import patrol_plans
from govhall.domain.supervision.rota import bad, check_span, officer_on, tenant
from govhall.errors import AppError
from govhall.log import get_logger
from govhall.packs.services import enabled_hooks
from govhall.packs.types import PatrolFinding as FindingDraft
from govhall.packs.types import PatrolPlan

log = get_logger(__name__)

EVIDENCE_PURPOSE = "assessment.patrol"
"""Photos are uploaded with this purpose: the assessment's evidence reader lets the record's subject see them."""


async def _on_leave(session: AsyncSession, at: datetime, staff_ids: set[UUID]) -> set[UUID]:
    if not staff_ids:
        return set()
    rows = await session.scalars(select(LeaveRecord.staff_id).where(
        LeaveRecord.staff_id.in_(staff_ids), LeaveRecord.starts_at <= at, LeaveRecord.ends_at > at))
    return set(rows.all())


async def _posts(session: AsyncSession, at: datetime) -> list[s.PostWindow]:
    windows = (await session.scalars(select(Window).order_by(Window.number))).all()
    staff = (await session.scalars(select(Staff).where(Staff.status == StaffStatus.active,
                                                       Staff.window_id.is_not(None)).order_by(Staff.name))).all()
    away = await _on_leave(session, at, {x.id for x in staff})
    from govhall.domain.supervision.outings import outing_covering

    by_window: dict[UUID, list[s.PostStaff]] = defaultdict(list)
    for x in staff:
        if x.id not in away and x.window_id is not None:
            out = await outing_covering(session, x.id, at)
            by_window[x.window_id].append(s.PostStaff(id=x.id, name=x.name, on_outing=out is not None))
    return [s.PostWindow(id=w.id, name=w.name, number=w.number, staff=by_window.get(w.id, [])) for w in windows]


def _half(plan: PatrolPlan, local: datetime) -> str:
    return "am" if local.time() < plan.midday else "pm"


async def form(session: AsyncSession) -> s.PatrolForm:
    tid = tenant()
    tz = await tenant_timezone(session, tid)
    today = local_today(tz)
    plans, _cal = await patrol_plans(session, tid, today, today)
    plan = plans[today]
    done = (await session.scalars(select(Patrol.half).where(Patrol.day == today, Patrol.kind == "patrol"))).all()
    return s.PatrolForm(
        day=today, now=utcnow(), required_total=plan.required_total, required_am=plan.required_am, required_pm=plan.required_pm,
        midday=plan.midday.strftime("%H:%M"), modes=list(plan.modes),
        checklist=[s.ChecklistItem(key=c.key, name=c.name_zh, name_en=c.name_en, applies_to=c.applies_to,
                                   violation_kind=c.violation_kind, sanction=c.sanction,
                                   photo_required=c.photo_required, clause=c.clause, off_post=c.off_post)
                   for c in plan.checklist],
        fixed_checks=[s.FixedCheck(key=f.key, name=f.name_zh, name_en=f.name_en, at=f.at.strftime("%H:%M"),
                                   items=list(f.items), clause=f.clause) for f in plan.fixed_checks],
        closing_check=plan.closing_check, closing_items=list(plan.closing_items),
        windows=await _posts(session, utcnow()), done_am=sum(1 for h in done if h == "am"),
        done_pm=sum(1 for h in done if h == "pm"))


async def _out(session: AsyncSession, patrols: list[Patrol], *, replayed: bool = False) -> list[s.PatrolOut]:
    if not patrols:
        return []
    ids = [p.id for p in patrols]
    findings = (await session.scalars(select(PatrolFinding).where(PatrolFinding.patrol_id.in_(ids))
                                      .order_by(PatrolFinding.created_at))).all()
    sids = {f.staff_id for f in findings if f.staff_id} | {p.officer_staff_id for p in patrols if p.officer_staff_id}
    names = dict((await session.execute(select(Staff.id, Staff.name).where(Staff.id.in_(sids)))).all()) if sids else {}
    by_patrol: dict[UUID, list[s.Finding]] = defaultdict(list)
    for f in findings:
        by_patrol[f.patrol_id].append(s.Finding(
            id=f.id, item_key=f.item_key, item_name=f.item_name, staff_id=f.staff_id,
            staff_name=names.get(f.staff_id) if f.staff_id else None, window_id=f.window_id, note=f.note,
            evidence=list(f.evidence or []), sanction=f.sanction, violation_kind=f.violation_kind,
            violation_id=f.violation_id, clause=f.clause))
    return [s.PatrolOut(id=p.id, client_id=p.client_id, day=p.day, kind=p.kind, check_key=p.check_key, mode=p.mode,
                        half=p.half, started_at=p.started_at, submitted_at=p.submitted_at,
                        officer_name=names.get(p.officer_staff_id, "") if p.officer_staff_id else "",
                        results=dict(p.results or {}), note=p.note, findings=by_patrol.get(p.id, []),
                        replayed=replayed) for p in patrols]


async def submit(session: AsyncSession, a: assessment.Actor, data: s.PatrolIn) -> s.PatrolOut:
    """Store a patrol and its findings, and record each finding the pack turns into a violation, in one
    transaction. The same ``clientId`` again (the phone retrying) answers the stored patrol and writes nothing."""
    tid = tenant()
    await lock_name(session, f"patrol:{tid}:{data.client_id}")
    existing = await session.scalar(select(Patrol).where(Patrol.client_id == data.client_id))
    if existing is not None:
        if existing.officer_user_id != a.user_id:
            raise AppError("patrol_id_taken", "该巡查编号已被使用", "This patrol id is taken", status=409)
        return (await _out(session, [existing], replayed=True))[0]
    tz = await tenant_timezone(session, tid)
    now = utcnow()
    if data.started_at.tzinfo is None:
        raise bad("invalid_time", "startedAt", "开始时间须带时区", "startedAt needs a time zone")
    local = data.started_at.astimezone(zone(tz))
    today = local_today(tz)
    if local.date() != today or data.started_at > now + timedelta(minutes=5):
        raise bad("patrol_not_today", "startedAt", "只能提交今天已开始的巡查", "Only a patrol started today can be submitted")
    plans, _cal = await patrol_plans(session, tid, today, today)
    plan = plans[today]
    if data.mode not in plan.modes:
        raise bad("invalid_mode", "mode", "本中心没有该巡查方式", "This center has no such patrol mode")
    items = {c.key: c for c in plan.checklist}
    if data.kind == "fixed_check":
        if data.check_key not in {f.key for f in plan.fixed_checks}:
            raise bad("unknown_check", "checkKey", "今天没有该定时检查", "No such fixed check today")
    elif data.check_key is not None:
        raise bad("check_key_not_allowed", "checkKey", "只有定时检查需要检查代码", "Only a fixed check names a check")
    if data.kind == "closing_check" and not plan.closing_check:
        raise bad("no_closing_check", "kind", "本中心今天不做下班前关闭检查", "No closing check today")
    for k in data.results:
        if k not in items:
            raise bad("unknown_item", f"results.{k}", "没有该检查项目", "No such checklist item")
    staff_ids = {f.staff_id for f in data.findings if f.staff_id}
    staff = {x.id: x for x in (await session.scalars(select(Staff).where(Staff.id.in_(staff_ids)))).all()} \
        if staff_ids else {}
    away = await _on_leave(session, data.started_at, staff_ids)
    for i, f in enumerate(data.findings):
        item = items.get(f.item_key)
        if item is None:
            raise bad("unknown_item", f"findings[{i}].itemKey", "没有该检查项目", "No such checklist item")
        if item.applies_to == "staff":
            person = staff.get(f.staff_id) if f.staff_id else None
            if person is None or not a.scope.allows(person):
                raise bad("staff_required", f"findings[{i}].staffId", "请选择在岗的工作人员",
                          "Choose a staff member on post")
            if person.status is not StaffStatus.active or person.id in away:
                raise bad("staff_not_on_post", f"findings[{i}].staffId", f"{person.name} 今天不在岗（请假或已离开）",
                          f"{person.name} is not on post today (on leave or gone)")
        if item.photo_required and not f.evidence:
            raise bad("photo_required", f"findings[{i}].evidence", f"“{item.name_zh}”须拍照取证",
                      f"'{item.name_en}' needs a photo")
        await assessment.check_evidence(session, f.evidence)
    patrol = Patrol(client_id=data.client_id, day=today, kind=data.kind, check_key=data.check_key, mode=data.mode,
                    started_at=data.started_at.astimezone(UTC), submitted_at=now, half=_half(plan, local),
                    officer_user_id=a.user_id, officer_staff_id=a.staff.id if a.staff else None,
                    results=dict(data.results), note=(data.note or "").strip() or None)
    session.add(patrol)
    await session.flush()
    drafts = [FindingDraft(ref=f"{data.client_id}/{i}", day=today, item_key=f.item_key,
                           staff_id=str(f.staff_id) if f.staff_id else None,
                           window_id=str(f.window_id) if f.window_id else None, mode=data.mode)
              for i, f in enumerate(data.findings)]
    hooks = await enabled_hooks(session, tid, today)
    outcomes = (hooks.hook.govhall_patrol_findings(rules=hooks.rules, findings=drafts) or {}) if drafts else {}
    assessed = "point_values" in hooks.enabled
    recorded = 0
    for i, f in enumerate(data.findings):
        item = items[f.item_key]
        outcome = outcomes.get(drafts[i].ref)
        kind = outcome.violation_kind if outcome else ""
        violation_id = None
        person = staff.get(f.staff_id) if f.staff_id else None
        timer_started = False
        if outcome is not None and outcome.off_post and person is not None:
            from govhall.domain.supervision.outings import start_timer

            await start_timer(session, a, person, data.started_at, patrol.id, commit=False)
            timer_started = True
        if kind and person is not None and assessed and not timer_started:
            note = f"巡查发现：{item.name_zh}" + (f"；{f.note.strip()}" if f.note and f.note.strip() else "")
            # the pack's sanction names are the assessment's (plus "deduction": no sanction beyond the points)
            sanction = cast("asm.Sanction | None",
                            outcome.sanction if outcome and outcome.sanction != "deduction" else None)
            rec = await assessment.record(session, a, asm.RecordIn(
                kind=kind, day=today, staff_id=person.id, source="patrol", source_ref=drafts[i].ref,
                evidence=list(f.evidence), note=note[:500], sanction=sanction), commit=False)
            violation_id = rec.id
            recorded += 1
        session.add(PatrolFinding(
            patrol_id=patrol.id, item_key=item.key, item_name=item.name_zh, staff_id=person.id if person else None,
            window_id=f.window_id or (person.window_id if person else None), note=(f.note or "").strip() or None,
            evidence=[str(e) for e in f.evidence], sanction=outcome.sanction if outcome else item.sanction,
            violation_kind=kind or None, violation_id=violation_id, clause=item.clause))
    await session.flush()
    await record_audit(session, action="patrol.submit", target_type="patrol", target_id=str(patrol.id), details={
        "clientId": str(data.client_id), "kind": data.kind, "mode": data.mode, "half": patrol.half,
        "findings": len(data.findings), "violations": recorded})
    await session.commit()
    log.info("patrol_submitted", kind=data.kind, findings=len(data.findings), violations=recorded)
    return (await _out(session, [patrol]))[0]


async def history(session: AsyncSession, start: date, end: date) -> list[s.PatrolOut]:
    check_span(start, end)
    rows = (await session.scalars(select(Patrol).where(Patrol.day >= start, Patrol.day <= end)
                                  .order_by(Patrol.started_at.desc()).limit(500))).all()
    return await _out(session, list(rows))


async def compliance(session: AsyncSession, start: date, end: date) -> s.Compliance:
    """Per day: patrols done vs required (in total and per half day), fixed checks and the closing check."""
    check_span(start, end)
    plans, _cal = await patrol_plans(session, tenant(), start, end)
    today = local_today(await tenant_timezone(session, tenant()))
    rows = (await session.execute(select(Patrol.id, Patrol.day, Patrol.kind, Patrol.half, Patrol.check_key).where(
        Patrol.day >= start, Patrol.day <= end))).all()
    found = dict((await session.execute(select(PatrolFinding.patrol_id, func.count(PatrolFinding.id)).where(
        PatrolFinding.patrol_id.in_([r[0] for r in rows])).group_by(PatrolFinding.patrol_id))).all()) if rows else {}
    counted: dict[date, dict[str, Any]] = defaultdict(lambda: {"am": 0, "pm": 0, "fixed": set(), "closing": False,
                                                               "findings": 0})
    for pid, d, kind, half, key in rows:
        c = counted[d]
        c["findings"] += found.get(pid, 0)
        if kind == "patrol":
            c[half] += 1
        elif kind == "fixed_check":
            c["fixed"].add(key)
        else:
            c["closing"] = True
    days = []
    for d, plan in sorted(plans.items()):
        c = counted[d]
        fixed_required = [f.key for f in plan.fixed_checks]
        total = c["am"] + c["pm"]
        ok = (total >= plan.required_total and c["am"] >= plan.required_am and c["pm"] >= plan.required_pm
              and set(fixed_required) <= c["fixed"] and (c["closing"] or not plan.closing_check or not plan.duty_day))
        days.append(s.ComplianceDay(
            day=d, duty_day=plan.duty_day, officer=await officer_on(session, d), required_total=plan.required_total,
            required_am=plan.required_am, required_pm=plan.required_pm, done_total=total, done_am=c["am"],
            done_pm=c["pm"], fixed_required=fixed_required, fixed_done=sorted(c["fixed"]),
            closing_required=plan.closing_check and plan.duty_day, closing_done=c["closing"],
            findings=c["findings"], compliant=ok, future=d > today))
    return s.Compliance(start=start, end=end, days=days)

"""申诉: the subject of a violation record appeals it within the rules' deadline (working days after the record);
someone other than the recorder (and the appellant) upholds, reduces or overturns it. In a closed month the
person's scorecard is rescored at once with the rules the month was closed under, and the change is audited."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.audit import record_audit
from govhall.clock import utcnow
from govhall.domain.assessment import schemas as s
from govhall.domain.assessment.models import Appeal, AssessmentMonth, Scorecard, ViolationRecord
from govhall.domain.assessment.scoring import card_row, frozen_rules, score, staff_inputs
from govhall.domain.assessment.services import (
    Actor,
    add_working_days,
    bad,
    check_evidence,
    local_date,
    names,
    rules_on,
    tenant,
    today,
    view,
)
from govhall.domain.attendance.ingest import tenant_timezone
from govhall.domain.identity.models import User
from govhall.domain.org.models import Staff
from govhall.errors import AppError, not_found


async def deadline_of(session: AsyncSession, r: ViolationRecord) -> date:
    rules = await rules_on(session, r.day)
    tz = await tenant_timezone(session, tenant())
    return await add_working_days(session, local_date(r.created_at, tz), rules.options.appeal_working_days)


async def file(session: AsyncSession, a: Actor, record_id: UUID, data: s.AppealIn) -> s.AppealView:
    r = await session.scalar(select(ViolationRecord).where(ViolationRecord.id == record_id))
    if r is None:
        raise not_found("考核记录", "Record")
    if a.staff is None or r.staff_id != a.staff.id:
        raise AppError("not_your_record", "只能对本人的考核记录提出申诉", "You can only appeal your own records",
                       status=403)
    if r.status != "recorded":
        raise AppError("not_appealable", "该记录已作废、已申诉或已处理，不能再申诉",
                       "This record is void, already appealed or decided", status=409)
    deadline = await deadline_of(session, r)
    if await today(session) > deadline:
        raise bad("appeal_deadline_passed", "reason", f"申诉期限已过（截至 {deadline:%Y-%m-%d}）",
                  f"The appeal deadline has passed ({deadline.isoformat()})", status=409)
    evidence = await check_evidence(session, data.evidence)
    done = await session.execute(update(ViolationRecord).where(ViolationRecord.id == record_id,
                                                               ViolationRecord.status == "recorded")
                                 .values(status="appealed").execution_options(synchronize_session=False))
    if done.rowcount != 1:  # type: ignore[attr-defined]  # an UPDATE answers a CursorResult (rowcount)
        raise AppError("not_appealable", "该记录已申诉", "This record has already been appealed", status=409)
    now = utcnow()
    appeal = Appeal(created_at=now, updated_at=now, record_id=r.id, staff_id=r.staff_id, reason=data.reason.strip(), evidence=evidence,
                    filed_by=a.user_id, deadline=deadline, status="pending")
    session.add(appeal)
    await session.flush()
    await record_audit(session, action="assessment.appeal.file", target_type="assessment_appeal",
                       target_id=str(appeal.id), details={"recordId": str(r.id), "kind": r.kind,
                                                          "deadline": deadline.isoformat()})
    await session.commit()
    return await appeal_view(session, appeal)


async def appeal_view(session: AsyncSession, ap: Appeal, before: float | None = None, after: float | None = None
                      ) -> s.AppealView:
    r = await session.scalar(select(ViolationRecord).where(ViolationRecord.id == ap.record_id)
                             .execution_options(populate_existing=True))
    assert r is not None
    n = await names(session, [r])
    staff_name = n["staff"].get(r.staff_id, "") if r.staff_id else ""
    decider = await session.scalar(select(User.display_name).where(User.id == ap.decided_by)) if ap.decided_by else None
    return s.AppealView(id=ap.id, record=view(r, n, ap.status), staff_name=staff_name, reason=ap.reason,
                        evidence=list(ap.evidence or []), filed_at=ap.created_at, deadline=ap.deadline,
                        status=ap.status, decided_by_name=decider, decided_at=ap.decided_at,
                        decision_note=ap.decision_note, new_points=ap.new_points, total_before=before,
                        total_after=after)


async def list_appeals(session: AsyncSession, a: Actor, status: str | None) -> list[s.AppealView]:
    stmt = select(Appeal).order_by(Appeal.created_at.desc()).limit(200)
    if status:
        stmt = stmt.where(Appeal.status == status)
    if not a.scope.everyone:
        stmt = stmt.where(a.scope.criteria(Appeal, staff_column="staff_id"))
    return [await appeal_view(session, ap) for ap in (await session.scalars(stmt)).all()]


async def decide(session: AsyncSession, a: Actor, appeal_id: UUID, data: s.AppealDecisionIn) -> s.AppealView:
    ap = await session.scalar(select(Appeal).where(Appeal.id == appeal_id))
    if ap is None:
        raise not_found("申诉", "Appeal")
    r = await session.scalar(select(ViolationRecord).where(ViolationRecord.id == ap.record_id))
    assert r is not None
    if r.recorded_by == a.user_id:
        raise AppError("own_record", "不能裁决自己记录的违规的申诉，请由其他人员处理",
                       "You recorded this violation: someone else must decide the appeal", status=403)
    if ap.filed_by == a.user_id or (a.staff is not None and a.staff.id == ap.staff_id):
        raise AppError("own_appeal", "不能裁决自己的申诉", "You cannot decide your own appeal", status=403)
    rules = await rules_on(session, r.day)
    item = rules.violations.get(r.kind)
    current = r.points if r.points is not None else (max(item.points) if item else 0)
    if data.decision == "reduce":
        if data.new_points is None:
            raise bad("new_points_required", "newPoints", "减轻处理须填写新的扣分（每次）",
                      "Give the reduced points (per unit)")
        if data.new_points >= current and current > 0:
            raise bad("not_a_reduction", "newPoints", f"新的扣分应低于原扣分（{current:g}）",
                      f"The new points must be below {current:g}")
    status = {"uphold": "upheld", "reduce": "reduced", "overturn": "overturned"}[data.decision]
    now = utcnow()
    done = await session.execute(update(Appeal).where(Appeal.id == appeal_id, Appeal.status == "pending").values(
        status=status, decided_by=a.user_id, decided_at=now, decision_note=data.note.strip(),
        new_points=data.new_points if data.decision == "reduce" else None, updated_at=now)
        .execution_options(synchronize_session=False))
    if done.rowcount != 1:  # type: ignore[attr-defined]  # an UPDATE answers a CursorResult (rowcount)
        raise AppError("already_decided", "该申诉已处理", "This appeal has already been decided", status=409)
    r.status, r.reduced_points = status, data.new_points if data.decision == "reduce" else None
    await session.flush()
    before = after = None
    month = r.day.replace(day=1)
    month_row = await session.scalar(select(AssessmentMonth).where(AssessmentMonth.month == month).with_for_update())
    if month_row is not None and month_row.status != "open" and r.staff_id is not None:
        stored = await session.scalar(select(Scorecard).where(Scorecard.month == month,
                                                              Scorecard.staff_id == r.staff_id))
        before = stored.total if stored else None
        month_rules = await rules_on(session, month)
        inputs = await staff_inputs(session, month, [r.staff_id])
        card = score(month_rules, frozen_rules(month_rules, month_row), month, [inputs[r.staff_id]])[str(r.staff_id)]
        staff = await session.get(Staff, r.staff_id)
        row = card_row(tenant(), month, card, (staff.department_id, staff.window_id) if staff else (None, None), now)
        if stored is not None:
            for k, v in row.items():
                if k not in ("id", "created_at"):
                    setattr(stored, k, v)
        else:
            session.add(Scorecard(**row))
        after = card.total
    await record_audit(session, action="assessment.appeal.decide", target_type="assessment_appeal",
                       target_id=str(ap.id), details={"decision": data.decision, "recordId": str(r.id),
                                                      "newPoints": data.new_points, "totalBefore": before,
                                                      "totalAfter": after})
    await session.commit()
    fresh = await session.scalar(select(Appeal).where(Appeal.id == appeal_id).execution_options(populate_existing=True))
    assert fresh is not None
    return await appeal_view(session, fresh, before, after)

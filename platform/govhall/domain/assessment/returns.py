"""退回原单位 (return to the home unit): a case per staff member, opened by the month's scorecard or at once by an
immediate kind, then flagged -> reviewed (confirm, or dismiss with a reason) -> approved by the authority the
rules name (a scan when it is outside the center) -> notified (notices to the home unit and the discipline and
personnel departments) -> returned (staff status ``returned_to_unit``, window vacated, accounts disabled, AB pairs
flagged). Each step is a guarded transition (``UPDATE ... WHERE status = <from>``) and audited."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.audit import record_audit
from govhall.clock import utcnow
from govhall.domain.assessment import schemas as s
from govhall.domain.assessment.models import ReturnCase
from govhall.domain.identity import user_cache
from govhall.domain.identity.models import User
from govhall.domain.org.models import BackupPair, Department, Staff, StaffStatus
from govhall.errors import AppError, field_error, not_found
from govhall.tenancy.models import Tenant

OPEN = ("flagged", "reviewed", "approved", "notified")
STEPS = {"review": ("flagged", "reviewed"), "approve": ("reviewed", "approved"), "notify": ("approved", "notified"),
         "return": ("notified", "returned")}


async def open_case(session: AsyncSession, staff_id: UUID, month: Any, triggers: list[dict[str, Any]], *,
                    audit: bool = True) -> ReturnCase | None:
    """Flag a case unless one is already open for the person (then the new triggers are added to it)."""
    case = await session.scalar(select(ReturnCase).where(ReturnCase.staff_id == staff_id,
                                                         ReturnCase.status.in_(OPEN)))
    now = utcnow()
    if case is not None:
        known = {t["name"] for t in case.triggers}
        extra = [t for t in triggers if t["name"] not in known]
        if extra:
            case.triggers = [*case.triggers, *extra]
        return None
    case = ReturnCase(created_at=now, updated_at=now, staff_id=staff_id, month=month, triggers=triggers, status="flagged",
                      history=[{"status": "flagged", "at": now.isoformat(), "by": None,
                                "note": "; ".join(t["name"] for t in triggers)}], notices=[])
    session.add(case)
    await session.flush()
    if audit:
        await record_audit(session, action="assessment.return_case.flag", target_type="assessment_return_case",
                           target_id=str(case.id), details={"staffId": str(staff_id), "triggers": triggers})
    return case


async def open_cases(session: AsyncSession, month: Any, flagged: dict[UUID, list[dict[str, Any]]]) -> int:
    """``open_case`` for a whole month close at once: one read of the open cases, one bulk insert of the new
    ones (people with an open case keep it; their new triggers are added)."""
    from advanced_alchemy.mixins.uuid import uuid7

    from govhall.tenancy.bulk import bulk_insert

    if not flagged:
        return 0
    now = utcnow()
    existing = {c.staff_id: c for c in (await session.scalars(select(ReturnCase).where(
        ReturnCase.status.in_(OPEN)))).all()}
    rows = []
    for sid, triggers in flagged.items():
        case = existing.get(sid)
        if case is not None:
            known = {t["name"] for t in case.triggers}
            extra = [t for t in triggers if t["name"] not in known]
            if extra:
                case.triggers = [*case.triggers, *extra]
            continue
        rows.append({"id": uuid7(), "tenant_id": _tenant(), "staff_id": sid,
                     "month": month, "triggers": triggers, "status": "flagged",
                     "history": [{"status": "flagged", "at": now.isoformat(), "by": None,
                                  "note": "; ".join(t["name"] for t in triggers)}],
                     "authority": None, "scan_file_id": None, "notices": [], "outcome": None,
                     "created_at": now, "updated_at": now})
    await bulk_insert(session, ReturnCase.__table__, rows)
    return len(rows)


def _tenant() -> UUID:
    from govhall.domain.assessment.services import tenant

    return tenant()


async def _view(session: AsyncSession, c: ReturnCase) -> s.ReturnCaseView:
    staff = await session.get(Staff, c.staff_id)
    dept = await session.get(Department, staff.department_id) if staff and staff.department_id else None
    return s.ReturnCaseView(id=c.id, staff_id=c.staff_id, staff_name=staff.name if staff else "",
                            department_name=dept.name if dept else None, month=f"{c.month:%Y-%m}", status=c.status,
                            triggers=list(c.triggers), history=list(c.history), authority=c.authority,
                            scan_file_id=c.scan_file_id, notices=list(c.notices), outcome=c.outcome,
                            created_at=c.created_at)


async def list_cases(session: AsyncSession, status: str | None = None) -> list[s.ReturnCaseView]:
    stmt = select(ReturnCase).order_by(ReturnCase.created_at.desc()).limit(200)
    if status:
        stmt = stmt.where(ReturnCase.status == status)
    return [await _view(session, c) for c in (await session.scalars(stmt)).all()]


def _notices(center: str, staff: Staff, dept: Department | None, c: ReturnCase) -> list[dict[str, Any]]:
    reasons = "；".join(t["name"] for t in c.triggers)
    body = (f"{staff.name}（{staff.employee_no}）在{center}工作期间，{reasons}，依据《退回制度》经{c.authority or '中心'}"
            f"批准，退回派出单位。")
    home = dept.name if dept else "派出单位"
    return [{"to": home, "kind": "home_unit", "text": body + "请派出单位追究其责任并另行委派工作人员。"},
            {"to": "纪检监察部门", "kind": "discipline", "text": body + "特此通报。"},
            {"to": "组织人事部门", "kind": "personnel", "text": body + "特此通报。"}]


async def step(session: AsyncSession, user_id: UUID, case_id: UUID, action: str, data: s.CaseStepIn
               ) -> s.ReturnCaseView:
    case = await session.scalar(select(ReturnCase).where(ReturnCase.id == case_id))
    if case is None:
        raise not_found("退回案件", "Return case")
    if action not in STEPS:
        raise not_found("操作", "Action")
    frm, to = STEPS[action]
    values: dict[str, Any] = {}
    note = data.note.strip()
    if action == "review" and not data.confirm:
        if not note:
            raise AppError("reason_required", "不予退回须说明理由", "Give a reason for dismissing", status=400,
                           fields=[field_error("note", "不予退回须说明理由", "Give a reason for dismissing")])
        to = "dismissed"
    if action == "approve":
        from govhall.domain.assessment.services import rules_on, today

        options = (await rules_on(session, await today(session))).options
        authority = (data.authority or "").strip() or options.return_authority
        outside = data.outside or options.return_authority_outside
        if not authority:
            raise AppError("authority_required", "请填写批准机关", "Name the approving authority", status=400,
                           fields=[field_error("authority", "请填写批准机关", "Name the approving authority")])
        if outside and data.scan_file_id is None:
            raise AppError("scan_required", "中心以外的机关批准的，须上传批准文件扫描件",
                           "An approval from outside the center needs a scan of the decision", status=400,
                           fields=[field_error("scanFileId", "须上传批准文件扫描件", "Upload the scan")])
        if data.scan_file_id is not None:
            from govhall.domain.assessment.services import check_evidence

            await check_evidence(session, [data.scan_file_id])
        values.update(authority=authority,
                      scan_file_id=str(data.scan_file_id) if data.scan_file_id else None)
    staff = await session.get(Staff, case.staff_id)
    assert staff is not None
    if action == "notify":
        dept = await session.get(Department, staff.department_id) if staff.department_id else None
        center = await session.scalar(select(Tenant.name).where(Tenant.id == case.tenant_id)) or ""
        values["notices"] = _notices(center, staff, dept, case)
    now = utcnow()
    values["history"] = [*case.history, {"status": to, "at": now.isoformat(), "by": str(user_id), "note": note}]
    done = await session.execute(update(ReturnCase).where(ReturnCase.id == case_id, ReturnCase.status == frm)
                                 .values(status=to, updated_at=now, **values)
                                 .execution_options(synchronize_session=False))
    if done.rowcount != 1:  # type: ignore[attr-defined]  # an UPDATE answers a CursorResult (rowcount)
        raise AppError("case_state", "案件状态已变化，请刷新后再试", "The case has moved on; reload and try again",
                       status=409)
    if action == "return":
        users = list((await session.scalars(select(User).where(User.staff_id == staff.id))).all())
        for u in users:
            u.is_active = False
            u.sessions_valid_after = datetime.now(UTC)
        pairs = list((await session.scalars(select(BackupPair).where(
            or_(BackupPair.staff_a_id == staff.id, BackupPair.staff_b_id == staff.id)))).all())
        for p in pairs:
            p.note = ((p.note or "") + " [退回原单位，需重新安排AB岗]")[:200]
        outcome = {"windowVacated": str(staff.window_id) if staff.window_id else None,
                   "accountsDisabled": [u.username for u in users], "abPairsFlagged": [str(p.id) for p in pairs]}
        staff.status, staff.window_id = StaffStatus.returned_to_unit, None
        await session.execute(update(ReturnCase).where(ReturnCase.id == case_id).values(outcome=outcome)
                              .execution_options(synchronize_session=False))
    await record_audit(session, action=f"assessment.return_case.{action if to != 'dismissed' else 'dismiss'}",
                       target_type="assessment_return_case", target_id=str(case_id),
                       details={"from": frm, "to": to, "note": note, "staffId": str(staff.id), **(
                           {"authority": values.get("authority")} if action == "approve" else {})})
    await user_cache.commit(session)  # accounts disabled by a return: every worker drops its copy first
    fresh = await session.scalar(select(ReturnCase).where(ReturnCase.id == case_id)
                                 .execution_options(populate_existing=True))
    assert fresh is not None
    return await _view(session, fresh)

"""Corrections by the center (考勤更正, issue 13).

When a terminal fails, or the whole center works elsewhere for a morning, the center admin corrects a day or a
date range for many staff at once — the morning, the afternoon or the whole day, as present (按出勤) or on duty
elsewhere (外出公务) — with a reason and evidence (files in the tenant file store), instead of each clerk filing a
capped 补卡 request. The month evaluation applies them (``inputs.load_corrections``: the sessions they cover need
no punch; ``rules.mark_corrections``: they show as corrected, 更). A mistaken correction is voided, never
deleted; both steps are audited and make the months they touch due for re-evaluation.
"""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from sqlalchemy import exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.audit import record_audit
from govhall.clock import utcnow
from govhall.domain.attendance import schemas as s
from govhall.domain.attendance.ingest import mark_months_dirty
from govhall.domain.attendance.models import (
    AttendanceCorrection,
    AttendanceCorrectionStaff,
    CorrectionKind,
    CorrectionSessions,
)
from govhall.domain.attendance.services import tenant
from govhall.domain.identity.models import User
from govhall.domain.org.models import Staff, StaffStatus
from govhall.errors import AppError, field_error
from govhall.files.services import get_files
from govhall.paging import PageRequest

MAX_DAYS = 62
"""A correction spans at most two months (a longer outage is a matter for the rules, not a correction)."""
SHOWN_NAMES = 20
FILE_PURPOSE = "attendance.correction"


def _bad(code: str, field: str, zh: str, en: str, status: int = 400) -> AppError:
    return AppError(code, zh, en, status=status, fields=[field_error(field, zh, en)])


async def _resolve_staff(session: AsyncSession, data: s.CorrectionIn) -> list[tuple[UUID, str, str]]:
    """(id, employee number, name) of the active staff the correction names, by employee number."""
    conditions = []
    if data.everyone:
        conditions.append(Staff.id.is_not(None))
    if data.staff_ids:
        conditions.append(Staff.id.in_(data.staff_ids))
    if data.department_ids:
        conditions.append(Staff.department_id.in_(data.department_ids))
    if data.window_ids:
        conditions.append(Staff.window_id.in_(data.window_ids))
    if not conditions:
        raise _bad("correction_no_staff", "staffIds", "请选择要更正的人员（按部门、窗口或姓名）",
                   "Choose the staff to correct (by department, window or name)")
    rows = (await session.execute(select(Staff.id, Staff.employee_no, Staff.name).where(
        Staff.status == StaffStatus.active, or_(*conditions)).order_by(Staff.employee_no))).all()
    if data.staff_ids:
        found = {r[0] for r in rows}
        unknown = [i for i in data.staff_ids if i not in found]
        if unknown:
            raise _bad("staff_not_found", "staffIds", "所选人员不存在或已离岗", "A chosen staff member does not exist "
                       "or is no longer active", status=404)
    if not rows:
        raise _bad("correction_no_staff", "staffIds", "所选部门或窗口没有在岗人员",
                   "The chosen departments or windows have no active staff")
    return [(r[0], r[1], r[2]) for r in rows]


def _check(data: s.CorrectionIn) -> str:
    if data.date_to < data.date_from:
        raise _bad("invalid_range", "dateTo", "结束日期不能早于开始日期", "The end date is before the start date")
    if (data.date_to - data.date_from).days + 1 > MAX_DAYS:
        raise _bad("range_too_long", "dateTo", f"一次更正最多 {MAX_DAYS} 天",
                   f"A correction spans at most {MAX_DAYS} days")
    reason = data.reason.strip()
    if not reason:
        raise _bad("reason_required", "reason", "请填写更正原因", "Give the reason for the correction")
    if not data.file_ids:
        raise _bad("evidence_required", "fileIds", "请上传证明材料（如考勤机故障报修单、外出公务通知）",
                   "Attach evidence (e.g. the terminal repair report, the notice of the outside duty)")
    return reason


def _months(a: date, b: date) -> list[date]:
    out, d = [], a.replace(day=1)
    while d <= b:
        out.append(d)
        d = (d + timedelta(days=32)).replace(day=1)
    return out


async def create_correction(session: AsyncSession, user_id: UUID, data: s.CorrectionIn) -> s.CorrectionView:
    reason = _check(data)
    try:
        files = await get_files(session, data.file_ids)
    except AppError as exc:
        exc.fields = exc.fields or [field_error("fileIds", exc.zh, exc.en)]
        raise
    staff = await _resolve_staff(session, data)
    c = AttendanceCorrection(date_from=data.date_from, date_to=data.date_to,
                             sessions=CorrectionSessions(data.sessions), kind=CorrectionKind(data.kind),
                             reason=reason, file_ids=[str(f.id) for f in files], staff_count=len(staff),
                             created_by=user_id)
    session.add(c)
    await session.flush()
    session.add_all([AttendanceCorrectionStaff(correction_id=c.id, staff_id=sid) for sid, _no, _n in staff])
    await mark_months_dirty(session, tenant(), _months(data.date_from, data.date_to), utcnow())
    await record_audit(session, action="attendance_correction.create", target_type="attendance_correction",
                       target_id=str(c.id), details={
                           "dateFrom": data.date_from.isoformat(), "dateTo": data.date_to.isoformat(),
                           "sessions": data.sessions, "kind": data.kind, "reason": reason,
                           "staffCount": len(staff), "staff": [n for _sid, _no, n in staff[:50]],
                           "files": [f.name for f in files]})
    await session.commit()
    return (await _views(session, [c]))[0]


async def void_correction(session: AsyncSession, user_id: UUID, correction_id: UUID, data: s.CorrectionVoidIn
                          ) -> s.CorrectionView:
    c = await session.get(AttendanceCorrection, correction_id)
    if c is None:
        raise AppError("not_found", "更正记录不存在", "Correction not found", status=404)
    if c.voided_at is not None:
        raise AppError("already_voided", "该更正已作废", "This correction is void already", status=409)
    reason = data.reason.strip()
    if not reason:
        raise _bad("reason_required", "reason", "请填写作废原因", "Give the reason for voiding it")
    c.voided_at, c.voided_by, c.void_reason = utcnow(), user_id, reason
    await mark_months_dirty(session, tenant(), _months(c.date_from, c.date_to), utcnow())
    await record_audit(session, action="attendance_correction.void", target_type="attendance_correction",
                       target_id=str(c.id), details={"dateFrom": c.date_from.isoformat(),
                                                     "dateTo": c.date_to.isoformat(), "reason": reason,
                                                     "staffCount": c.staff_count})
    await session.commit()
    return (await _views(session, [c]))[0]


async def list_corrections(session: AsyncSession, page: PageRequest) -> s.CorrectionPage:
    """Newest first; the search matches the reason or the name / employee number of anyone it applies to."""
    c, cs = AttendanceCorrection, AttendanceCorrectionStaff
    stmt = select(c)
    if page.search:
        like = f"%{page.search}%"
        named = exists(select(cs.id).join(Staff, Staff.id == cs.staff_id).where(
            cs.correction_id == c.id, or_(Staff.name.ilike(like), Staff.employee_no.ilike(like))))
        stmt = stmt.where(or_(c.reason.ilike(like), named))
    total = await session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    items = (await session.scalars(stmt.order_by(c.created_at.desc(), c.id.desc())
                                   .limit(page.limit).offset(page.offset))).all()
    return s.CorrectionPage(items=await _views(session, list(items)), total=total, limit=page.limit,
                            offset=page.offset)


async def _views(session: AsyncSession, items: list[AttendanceCorrection]) -> list[s.CorrectionView]:
    if not items:
        return []
    ids = [c.id for c in items]
    names: dict[UUID, list[str]] = {i: [] for i in ids}
    for cid, name in (await session.execute(
            select(AttendanceCorrectionStaff.correction_id, Staff.name)
            .join(Staff, Staff.id == AttendanceCorrectionStaff.staff_id)
            .where(AttendanceCorrectionStaff.correction_id.in_(ids)).order_by(Staff.employee_no))).all():
        if len(names[cid]) < SHOWN_NAMES:
            names[cid].append(name)
    file_ids = {UUID(f) for c in items for f in c.file_ids or ()}
    files = {f.id: f for f in (await get_files(session, file_ids) if file_ids else [])}
    users = {c.created_by for c in items} | {c.voided_by for c in items}
    people: dict[UUID, str] = {uid: name for uid, name in (await session.execute(
        select(User.id, User.display_name).where(User.id.in_([u for u in users if u is not None])))).all()}
    return [s.CorrectionView(
        id=c.id, date_from=c.date_from, date_to=c.date_to, sessions=c.sessions.value, kind=c.kind.value,
        reason=c.reason, files=[s.CorrectionFile(id=f.id, name=f.name, mime=f.mime)
                                for f in (files.get(UUID(i)) for i in c.file_ids or ()) if f is not None],
        staff_count=c.staff_count, staff_names=names[c.id], created_at=c.created_at,
        created_by=people.get(c.created_by) if c.created_by else None, voided_at=c.voided_at,
        voided_by=people.get(c.voided_by) if c.voided_by else None, void_reason=c.void_reason,
    ) for c in items]

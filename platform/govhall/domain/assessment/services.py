"""Recording violations and bonuses, the catalogue, the tenant-month lock, and who sees what.

Visibility follows ``domain/org/rules.py`` (``StaffScope``): center admins, provincial admins and duty officers
see the whole center, a chief representative their own department, everyone else only their own records.
Every write is audited in its transaction; records are never deleted (void and amend are new audited states).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, cast, get_args
from uuid import UUID

from advanced_alchemy.mixins.uuid import uuid7
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.audit import record_audit
from govhall.clock import local_today, utcnow, zone
from govhall.domain.assessment import schemas as s
from govhall.domain.assessment.models import Appeal, AssessmentMonth, BonusRecord, ReturnCase, ViolationRecord
from govhall.domain.attendance.ingest import dialect_insert, tenant_timezone
from govhall.domain.identity.models import User
from govhall.domain.org.models import Department, Staff, StaffStatus, Window
from govhall.domain.org.rules import StaffScope, scope_for
from govhall.errors import AppError, field_error, not_found
from govhall.files.services import get_files
from govhall.log import get_logger
from govhall.packs.calendar import add_working_days as calendar_add_working_days
from govhall.packs.services import TenantHooks, enabled_hooks
from govhall.packs.types import AssessmentOptions, BonusType, ViolationType
from govhall.schemas import parse_month as wire_month
from govhall.tenancy.context import current_tenant_id
from govhall.tenancy.guard import ROWS_CHECKED, tenant_rows

log = get_logger(__name__)

POINTS_PACK = "point_values"
LIVE = ("recorded", "appealed", "upheld", "reduced")
"""Statuses that count on a scorecard (void and overturned records do not)."""


def bad(code: str, field: str, zh: str, en: str, status: int = 400) -> AppError:
    return AppError(code, zh, en, status=status, fields=[field_error(field, zh, en)])


def tenant() -> UUID:
    tid = current_tenant_id()
    if tid is None:  # pragma: no cover - every route is guarded
        raise AppError("forbidden", "您没有执行此操作的权限", "You are not allowed to do this", status=403)
    return tid


@dataclass(frozen=True)
class Actor:
    """The user acting in this tenant: their roles, own staff record and staff scope."""

    user_id: UUID
    roles: frozenset[str]
    staff: Staff | None
    scope: StaffScope

    @property
    def center_wide(self) -> bool:
        return self.scope.everyone


async def actor(session: AsyncSession, authz: Any, user: Any) -> Actor:
    tid = tenant()
    roles = frozenset(await authz.roles_in(user.id, str(tid)))
    own = None
    if user.staff_id is not None and user.tenant_id == tid:
        own = await session.get(Staff, user.staff_id)
    return Actor(user.id, roles, own, scope_for(set(roles), own))


def parse_month(raw: str) -> date:
    return wire_month(raw)


def month_end(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


async def today(session: AsyncSession) -> date:
    return local_today(await tenant_timezone(session, tenant()))


# ---- the catalogue --------------------------------------------------------------------------------------------


@dataclass
class Rules:
    hooks: TenantHooks
    violations: dict[str, ViolationType]
    bonuses: dict[str, BonusType]
    options: AssessmentOptions

    def categories(self) -> list[s.Category]:
        pv = self.hooks.rules.settings.get(POINTS_PACK)
        cats = getattr(pv, "categories", ()) if pv is not None else ()
        return [s.Category(key=c.key, name=c.name, name_en=c.name_en or c.key, max_points=c.max_points)
                for c in cats]


async def rules_on(session: AsyncSession, day: date) -> Rules:
    rules = rules_of(await enabled_hooks(session, tenant(), day))
    if rules is None:
        raise AppError("assessment_not_enabled", "本中心未启用百分制考核规则（规则配置 › 百分制考核）",
                       "This center has not enabled the point-values assessment pack", status=409)
    return rules


def rules_of(hooks: TenantHooks) -> Rules | None:
    """The assessment rules of ``hooks`` (the saved ones or a what-if's candidate); None without the points pack."""
    cat = hooks.hook.govhall_violation_catalogue(rules=hooks.rules)
    if cat is None:
        return None
    bonuses = hooks.hook.govhall_bonus_catalogue(rules=hooks.rules) or ()
    options = hooks.hook.govhall_assessment_options(rules=hooks.rules) or AssessmentOptions()
    return Rules(hooks, {v.key: v for v in cat}, {b.key: b for b in bonuses}, options)


async def catalogue_view(session: AsyncSession, day: date) -> s.Catalogue:
    r = await rules_on(session, day)
    names = {c.key: c.name for c in r.categories()}
    return s.Catalogue(
        categories=r.categories(),
        violations=[s.CatalogueItem(key=v.key, name=v.name_zh, name_en=v.name_en, category=v.category,
                                    category_name=names.get(v.category, v.category), clause=v.clause,
                                    points=list(v.points), points_min=v.points_min, points_max=v.points_max,
                                    subject=v.subject, evidence_required=v.evidence_required,
                                    warn_first=v.warn_first, fine_yuan=v.fine_yuan,
                                    immediate_return=v.immediate_return) for v in r.violations.values()],
        bonuses=[s.CatalogueItem(key=b.key, name=b.name_zh, name_en=b.name_en, category=b.category,
                                 category_name=names.get(b.category, b.category), clause=b.clause,
                                 points=[b.points], points_min=b.points_min, points_max=b.points_max,
                                 monthly_cap=b.monthly_cap) for b in r.bonuses.values()],
        appeal_working_days=r.options.appeal_working_days, return_authority=r.options.return_authority,
        return_authority_outside=r.options.return_authority_outside)


# ---- working days ---------------------------------------------------------------------------------------------


async def add_working_days(session: AsyncSession, start: date, n: int) -> date:
    """The n-th working day after ``start`` on the center's own work calendar (statutory holidays and 调休 days
    respected; 409 ``calendar_year_missing`` for a year without calendar data)."""
    return await calendar_add_working_days(session, tenant(), start, n)


# ---- the tenant-month lock ------------------------------------------------------------------------------------


async def lock_month(session: AsyncSession, month: date) -> AssessmentMonth:
    """The month's close row, locked for this transaction (created open if missing). Recording and closing both
    take it, so a record either lands before a close or sees the month closed and is refused."""
    now = utcnow()
    stmt = dialect_insert(session, AssessmentMonth.__table__).values(tenant_rows([dict(
        id=uuid7(), tenant_id=tenant(), month=month, status="open", reopened=0, created_at=now, updated_at=now)],
        "assessment_month"))
    await session.execute(stmt.on_conflict_do_nothing(index_elements=["tenant_id", "month"])
                          .execution_options(**ROWS_CHECKED))
    row = await session.scalar(select(AssessmentMonth).where(AssessmentMonth.month == month).with_for_update()
                               .execution_options(populate_existing=True))
    assert row is not None
    return row


def month_closed(month: date) -> AppError:
    return AppError("month_closed", f"{month:%Y年%m月} 的考核已结算，不能再记录或更正（请先由中心管理员重新开放）",
                    f"{month:%Y-%m} is closed; reopen it before recording or correcting", status=409)


# ---- recording ------------------------------------------------------------------------------------------------


async def _subject(session: AsyncSession, a: Actor, subject: str, data: s.RecordIn
                   ) -> tuple[Staff | None, Window | None, Department | None]:
    if subject == "staff":
        if data.staff_id is None:
            raise bad("staff_required", "staffId", "请选择工作人员", "Choose a staff member")
        staff = await session.get(Staff, data.staff_id)
        if staff is None or not a.scope.allows(staff):
            raise not_found("工作人员", "Staff member")
        return staff, None, None
    if subject == "window":
        if data.window_id is None:
            raise bad("window_required", "windowId", "该项目按窗口考核，请选择窗口", "This item is about a window: choose one")
        window = await session.get(Window, data.window_id)
        if window is None or not (a.scope.everyone or window.department_id == a.scope.department_id):
            raise not_found("窗口", "Window")
        return None, window, None
    dept_id = data.department_id
    dept = await session.get(Department, dept_id) if dept_id else None
    if dept is None or not (a.scope.everyone or dept.id == a.scope.department_id):
        raise not_found("部门", "Department")
    return None, None, dept


async def check_evidence(session: AsyncSession, ids: list[UUID]) -> list[str]:
    """Evidence must be files of this center (the tenant file store); ``file_not_found`` otherwise."""
    if not ids:
        return []
    files = await get_files(session, ids)
    return [str(f.id) for f in files]


async def record(session: AsyncSession, a: Actor, data: s.RecordIn, *, bonus: bool = False,
                 amends: UUID | None = None, commit: bool = True) -> ViolationRecord | BonusRecord:
    """Record one violation (or bonus) after checking it against the center's catalogue in force on its day."""
    if not 0 < data.quantity <= 100:
        raise bad("invalid_quantity", "quantity", "数量应大于 0 且不超过 100", "The quantity must be above 0, at most 100")
    if data.note is not None and len(data.note) > 500:
        raise bad("note_too_long", "note", "备注不能超过 500 字", "The note is at most 500 characters")
    today_ = await today(session)
    if data.day > today_:
        raise bad("day_in_future", "day", "日期不能晚于今天", "The day cannot be in the future")
    rules = await rules_on(session, data.day)
    item: ViolationType | BonusType | None = (rules.bonuses if bonus else rules.violations).get(data.kind)
    if item is None:
        raise bad("unknown_kind", "kind", "本中心考核细则中没有该项目", "This item is not in the center's catalogue")
    subject = getattr(item, "subject", "staff")
    staff, window, dept = await _subject(session, a, subject, data)
    if staff is not None and staff.status is not StaffStatus.active:
        raise bad("staff_not_employed", "staffId", f"{staff.name} 当日不在岗（状态：{staff.status.value}）",
                  f"{staff.name} was not employed at the center on that day ({staff.status.value})")
    if item.points_max > 0:
        if data.points is None or not item.points_min <= data.points <= item.points_max:
            raise bad("points_out_of_range", "points", f"该项目视情节扣分，请填写 {item.points_min:g}—{item.points_max:g} 分",
                      f"Choose points between {item.points_min:g} and {item.points_max:g}")
    elif data.points is not None:
        raise bad("points_not_allowed", "points", "该项目按细则固定扣分，不能自定分值",
                  "This item has fixed points")
    if getattr(item, "evidence_required", False) and not data.evidence:
        raise bad("evidence_required", "evidence", "该项目须上传证据照片", "This item needs an evidence photo")
    evidence = await check_evidence(session, data.evidence)
    month = data.day.replace(day=1)
    lock = await lock_month(session, month)
    if lock.status != "open":
        raise month_closed(month)
    model = BonusRecord if bonus else ViolationRecord
    now = utcnow()  # the app clock (the appeal deadline counts from the day of the record)
    row = model(created_at=now, updated_at=now, subject=subject, staff_id=staff.id if staff else None,
                window_id=window.id if window else (staff.window_id if staff else None),
                department_id=dept.id if dept else (window.department_id if window else
                                                    (staff.department_id if staff else None)),
                kind=item.key, name=item.name_zh, category=item.category, clause=item.clause, day=data.day,
                quantity=data.quantity, points=data.points, source=data.source, source_ref=data.source_ref,
                evidence=evidence, note=(data.note or "").strip() or None, recorded_by=a.user_id,
                status="recorded", amends_id=amends)
    if not bonus:
        row.sanction = data.sanction  # type: ignore[union-attr]  # not a bonus: row is a ViolationRecord and data a violation
    session.add(row)
    await session.flush()
    what = "bonus" if bonus else "violation"
    await record_audit(session, action=f"assessment.{what}.record", target_type=f"assessment_{what}",
                       target_id=str(row.id), details={
                           "kind": item.key, "day": data.day.isoformat(), "quantity": data.quantity,
                           "points": data.points, "subject": subject,
                           "staffId": str(staff.id) if staff else None, "source": data.source,
                           "clause": item.clause, "evidence": evidence, "amends": str(amends) if amends else None})
    if not bonus and staff is not None and getattr(item, "immediate_return", False):
        from govhall.domain.assessment.returns import open_case

        await open_case(session, staff.id, month, [{"name": item.name_zh, "clause": item.clause,
                                                    "recordIds": [str(row.id)], "immediate": True}])
    if commit:
        await session.commit()
    log.info("assessment_recorded", kind=item.key, type=what, source=data.source)
    return row


@dataclass(frozen=True)
class NewViolation:
    """One violation another domain records (patrols, meetings, complaints, cases): see ``record_violations``."""

    kind: str
    """A key of the center's catalogue in force on ``day`` (``GET .../assessment/catalogue``)."""
    day: date
    source: str
    """patrol, meeting, complaint, case or manual (attendance is the month close's bridge only)."""
    source_ref: str
    """The caller's own id of what the record comes from (e.g. ``patrol/<id>/3``): idempotency key."""
    staff_id: UUID | None = None
    window_id: UUID | None = None
    department_id: UUID | None = None
    quantity: float = 1
    points: float | None = None
    """Only for range items (扣10-20分): the points chosen within the range."""
    evidence: tuple[UUID, ...] = ()
    """Tenant file-store ids (``govhall.files``)."""
    note: str | None = None
    sanction: str | None = None


EXTERNAL_SOURCES = ("patrol", "meeting", "complaint", "case", "manual")


def system_actor(recorded_by: UUID) -> Actor:
    """A center-wide actor for records another domain creates on a user's behalf (that domain checked who may)."""
    from govhall.authz.visibility import Reach

    return Actor(recorded_by, frozenset(), None, StaffScope(reach=Reach.center))


async def record_violations(session: AsyncSession, records: list[NewViolation], *, recorded_by: UUID,
                            actor: Actor | None = None) -> list[ViolationRecord]:
    """Record a batch of violations from another domain in the CALLER's transaction (no commit here).

    Each record is checked exactly as a hand-recorded one (catalogue kind on its day, subject of this center and
    employed, quantity > 0, range points, evidence of this center, the month still open) and audited; an immediate
    return-to-unit kind opens its case. The first bad record raises ``AppError`` (4xx, zh+en) and the caller's
    rollback leaves nothing written. Idempotent: a record whose ``(source, source_ref, subject)`` already exists is
    returned as it is, not recorded twice. ``actor`` (optional) limits subjects to that user's staff scope;
    without it the batch is center-wide. Call inside the tenant scope (the route guard or ``tenant_scope``)."""
    a = actor or system_actor(recorded_by)
    out: list[ViolationRecord] = []
    for i, r in enumerate(records):
        if r.source not in EXTERNAL_SOURCES:
            raise bad("invalid_source", f"records[{i}].source", "来源应为 巡查、会议、投诉、办件 或 手工",
                      "The source must be patrol, meeting, complaint, case or manual")
        if not r.source_ref or len(r.source_ref) > 100:
            raise bad("source_ref_required", f"records[{i}].sourceRef", "须提供来源编号（不超过100字）",
                      "A source reference (up to 100 characters) is required")
        same = [ViolationRecord.source == r.source, ViolationRecord.source_ref == r.source_ref]
        if r.staff_id is not None:
            same.append(ViolationRecord.staff_id == r.staff_id)
        else:
            same += [ViolationRecord.staff_id.is_(None), ViolationRecord.window_id == r.window_id
                     if r.window_id is not None else ViolationRecord.department_id == r.department_id]
        existing = await session.scalar(select(ViolationRecord).where(*same))
        if existing is not None:
            out.append(existing)
            continue
        if r.sanction is not None and r.sanction not in get_args(s.Sanction):
            raise bad("invalid_sanction", f"records[{i}].sanction", "处理方式无效", "Unknown sanction")
        data = s.RecordIn(kind=r.kind, day=r.day, quantity=r.quantity, staff_id=r.staff_id, window_id=r.window_id,
                          department_id=r.department_id, points=r.points, source=cast("s.Source", r.source),
                          source_ref=r.source_ref, evidence=list(r.evidence), note=r.note,
                          sanction=cast("s.Sanction | None", r.sanction))
        row = await record(session, a, data, commit=False)
        assert isinstance(row, ViolationRecord)
        out.append(row)
    return out


async def _load(session: AsyncSession, a: Actor, model: Any, record_id: UUID) -> Any:
    row = await session.scalar(select(model).where(model.id == record_id))
    if row is None:
        raise not_found("考核记录", "Record")
    if row.staff_id is not None:
        staff = await session.get(Staff, row.staff_id)
        if not a.scope.allows(staff):
            raise not_found("考核记录", "Record")
    elif not a.scope.everyone and row.department_id != a.scope.department_id:
        raise not_found("考核记录", "Record")
    return row


async def void(session: AsyncSession, a: Actor, record_id: UUID, reason: str, *, bonus: bool = False,
               commit: bool = True) -> Any:
    model = BonusRecord if bonus else ViolationRecord
    row = await _load(session, a, model, record_id)
    lock = await lock_month(session, row.day.replace(day=1))
    if lock.status != "open":
        raise month_closed(row.day.replace(day=1))
    if row.status not in ("recorded",):
        raise AppError("not_voidable", "该记录已作废或正在申诉，不能作废", "This record is void or under appeal",
                       status=409)
    row.status, row.void_reason = "void", reason.strip()
    what = "bonus" if bonus else "violation"
    await record_audit(session, action=f"assessment.{what}.void", target_type=f"assessment_{what}",
                       target_id=str(row.id), details={"reason": reason.strip(), "kind": row.kind})
    if commit:
        await session.commit()
    return row


async def amend(session: AsyncSession, a: Actor, record_id: UUID, data: s.AmendIn, *, bonus: bool = False
                ) -> Any:
    """A correction: the old record becomes void and a new one (pointing to it) is recorded, in one transaction."""
    await void(session, a, record_id, data.reason, bonus=bonus, commit=False)
    row = await record(session, a, data.record, bonus=bonus, amends=record_id, commit=False)
    await session.commit()
    return row


# ---- reading ----------------------------------------------------------------------------------------------------


async def names(session: AsyncSession, rows: list[Any]) -> dict[str, dict[UUID, str]]:
    staff_ids = {r.staff_id for r in rows if r.staff_id}
    win_ids = {r.window_id for r in rows if r.window_id}
    dept_ids = {r.department_id for r in rows if r.department_id}
    user_ids = {r.recorded_by for r in rows if r.recorded_by}
    out: dict[str, dict[UUID, str]] = {"staff": {}, "window": {}, "department": {}, "user": {}}
    if staff_ids:
        out["staff"] = dict((await session.execute(select(Staff.id, Staff.name).where(Staff.id.in_(staff_ids)))).all())
    if win_ids:
        out["window"] = {i: f"{n} {nm}" for i, n, nm in (await session.execute(
            select(Window.id, Window.number, Window.name).where(Window.id.in_(win_ids))))}
    if dept_ids:
        out["department"] = dict((await session.execute(
            select(Department.id, Department.name).where(Department.id.in_(dept_ids)))).all())
    if user_ids:
        out["user"] = dict((await session.execute(
            select(User.id, User.display_name).where(User.id.in_(user_ids)))).all())
    return out


def view(r: Any, n: dict[str, dict[UUID, str]], appeal_status: str | None = None) -> s.RecordView:
    bonus = isinstance(r, BonusRecord)
    return s.RecordView(
        id=r.id, type="bonus" if bonus else "violation", subject=r.subject, staff_id=r.staff_id,
        staff_name=n["staff"].get(r.staff_id) if r.staff_id else None, window_id=r.window_id,
        window_label=n["window"].get(r.window_id) if r.window_id else None, department_id=r.department_id,
        department_name=n["department"].get(r.department_id) if r.department_id else None, kind=r.kind,
        name=r.name, category=r.category, clause=r.clause, day=r.day, quantity=r.quantity, points=r.points,
        source=r.source, source_ref=r.source_ref, evidence=list(r.evidence or []), note=r.note,
        recorded_by=r.recorded_by, recorder_name=n["user"].get(r.recorded_by) if r.recorded_by else None,
        recorded_at=r.created_at, status=r.status, sanction=None if bonus else r.sanction, amends_id=r.amends_id,
        void_reason=r.void_reason, appeal_status=appeal_status)


async def list_records(session: AsyncSession, a: Actor, *, month: date, bonus: bool = False,
                       staff_id: UUID | None = None, department_id: UUID | None = None, source: str | None = None,
                       status: str | None = None, kind: str | None = None, page: int = 1, page_size: int = 20
                       ) -> s.RecordPage:
    model = BonusRecord if bonus else ViolationRecord
    stmt = select(model).where(model.day >= month, model.day <= month_end(month))
    if not a.scope.everyone:
        crit = a.scope.criteria(model, staff_column="staff_id")
        if a.scope.department_id is not None:
            crit = crit | (model.department_id == a.scope.department_id)
        stmt = stmt.where(crit)
    for col, value in ((model.staff_id, staff_id), (model.department_id, department_id), (model.source, source),
                       (model.status, status), (model.kind, kind)):
        if value is not None:
            stmt = stmt.where(col == value)
    total = await session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = list((await session.scalars(stmt.order_by(model.day.desc(), model.created_at.desc())
                                       .offset((page - 1) * page_size).limit(page_size))).all())
    n = await names(session, rows)
    appeals: dict[UUID, str] = {}
    if rows and not bonus:
        appeals = dict((await session.execute(select(Appeal.record_id, Appeal.status).where(
            Appeal.record_id.in_([r.id for r in rows])))).all())
    return s.RecordPage(items=[view(r, n, appeals.get(r.id)) for r in rows], total=total, page=page,
                        page_size=page_size)


async def recordable(session: AsyncSession, a: Actor) -> list[s.WindowOption]:
    """Windows with their staff, for the phone form (window -> person): the center for duty officers and admins,
    the own department for a chief representative."""
    staff_q = select(Staff).where(Staff.status == StaffStatus.active, a.scope.criteria(Staff))
    if not a.scope.everyone and a.scope.department_id is None:
        return []
    staff = list((await session.scalars(staff_q.order_by(Staff.employee_no))).all())
    wq = select(Window, Department.name).join(Department, Department.id == Window.department_id)
    if not a.scope.everyone:
        wq = wq.where(Window.department_id == a.scope.department_id)
    out: list[s.WindowOption] = []
    by_window: dict[UUID | None, list[Staff]] = {}
    for st in staff:
        by_window.setdefault(st.window_id, []).append(st)
    for w, dname in (await session.execute(wq.order_by(Window.number))).all():
        out.append(s.WindowOption(id=w.id, label=f"{w.number} {w.name}", department_id=w.department_id,
                                  department_name=dname, staff=[s.PersonOption(id=p.id, name=p.name,
                                                                               employee_no=p.employee_no)
                                                                for p in by_window.get(w.id, [])]))
    rest = by_window.get(None, [])
    if rest:
        out.append(s.WindowOption(id=None, label="未分配窗口", department_id=None, department_name=None,
                                  staff=[s.PersonOption(id=p.id, name=p.name, employee_no=p.employee_no)
                                         for p in rest]))
    return out


async def open_appeals(session: AsyncSession) -> int:
    return await session.scalar(select(func.count(Appeal.id)).where(Appeal.status == "pending")) or 0


async def case_count(session: AsyncSession, month: date) -> int:
    return await session.scalar(select(func.count(ReturnCase.id)).where(ReturnCase.month == month)) or 0


def local_date(at: datetime, tz: str) -> date:
    return at.astimezone(zone(tz)).date() if at.tzinfo else at.replace(tzinfo=UTC).astimezone(zone(tz)).date()

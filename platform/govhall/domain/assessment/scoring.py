"""Scoring a tenant-month: the records as the pack's ``StaffMonth`` inputs, one ``govhall_score_month`` call for
the whole month, stored scorecard rows, and the explained scorecard a clerk sees."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

import msgspec
from sqlalchemy import case, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from uuid_utils import uuid7 as uuid7_bytes

from govhall.domain.assessment import schemas as s
from govhall.domain.assessment.models import Appeal, AssessmentMonth, BonusRecord, Scorecard, ViolationRecord
from govhall.domain.assessment.models import UnitScorecard as UnitScorecardRow
from govhall.domain.assessment.services import (
    LIVE,
    POINTS_PACK,
    Actor,
    Rules,
    add_working_days,
    month_end,
    names,
    rules_on,
    tenant,
    today,
)
from govhall.domain.attendance.ingest import tenant_timezone
from govhall.domain.org.models import Department, Staff
from govhall.packs.types import (
    BonusEvent,
    ScoreLine,
    StaffMonth,
    TenantRules,
    UnitMember,
    UnitMonth,
    ViolationEvent,
)
from govhall.packs.types import Scorecard as PackCard


def fingerprint(rules: TenantRules) -> str:
    return hashlib.sha256(repr(rules.fingerprint).encode()).hexdigest()


def frozen_rules(rules: Rules, month_row: AssessmentMonth) -> TenantRules:
    """The rules a closed month was scored under (its stored point_values settings), whatever applies today."""
    base = rules.hooks.rules
    current = base.settings.get(POINTS_PACK)
    if month_row.rules is None or current is None:
        return base
    settings = dict(base.settings)
    settings[POINTS_PACK] = msgspec.convert(month_row.rules, type(current))
    return TenantRules(tenant_id=base.tenant_id, settings=settings, fingerprint=base.fingerprint)


def snapshot(rules: Rules) -> dict[str, Any] | None:
    current = rules.hooks.rules.settings.get(POINTS_PACK)
    return msgspec.to_builtins(current) if current is not None else None


@dataclass
class MonthRecords:
    """A month's live records by staff member and the year's earlier figures, as read; ``for_ids`` makes the
    pack's ``StaffMonth`` inputs of whichever staff members are scored."""

    vio: dict[UUID, list[ViolationEvent]]
    bon: dict[UUID, list[BonusEvent]]
    before: dict[UUID, float]
    quarter: dict[UUID, dict[str, float]]
    year: dict[UUID, dict[str, float]]

    def for_ids(self, ids: Iterable[UUID]) -> dict[UUID, StaffMonth]:
        """Those with records plus ``ids``."""
        vio, bon, before, quarter, year = self.vio, self.bon, self.before, self.quarter, self.year
        return {sid: StaffMonth(staff_id=str(sid), violations=tuple(vio.get(sid, ())),
                                bonuses=tuple(bon.get(sid, ())), year_deductions_before=float(before.get(sid) or 0),
                                quarter_counts_before=dict(quarter.get(sid, {})),
                                year_counts_before=dict(year.get(sid, {})))
                for sid in set(vio) | set(bon) | set(ids)}


async def staff_inputs(session: AsyncSession, month: date, staff_ids: Iterable[UUID] | None = None, *,
                       include: Iterable[UUID] = (), without_source: str | None = None) -> dict[UUID, StaffMonth]:
    """Every staff member's month as the pack sees it: live records of the month (void and overturned ones left
    out; ``without_source``: the month's records of that source too, the what-if supplies them), the deductions
    stored for earlier months of the year, and earlier counts of the quarter and year."""
    only = set(staff_ids) if staff_ids is not None else None
    records = await month_records(session, month, only, without_source=without_source)
    return records.for_ids((only or set()) | set(include))


async def month_records(session: AsyncSession, month: date, only: set[UUID] | None = None, *,
                        without_source: str | None = None) -> MonthRecords:
    """The reads behind ``staff_inputs`` (``only``: of these staff members)."""
    end = month_end(month)

    def scoped(stmt: Any, col: Any) -> Any:
        return stmt.where(col.in_(only)) if only is not None else stmt

    vio: dict[UUID, list[ViolationEvent]] = defaultdict(list)
    v = ViolationRecord
    for rid, sid, kind, day, qty, status, points, reduced in (await session.execute(scoped(select(
            v.id, v.staff_id, v.kind, v.day, v.quantity, v.status, v.points, v.reduced_points).where(
            v.day >= month, v.day <= end, v.subject == "staff", v.status.in_(LIVE),
            *([v.source != without_source] if without_source else [])), v.staff_id))):
        vio[sid].append(ViolationEvent(kind=kind, day=day, quantity=qty, ref=str(rid),
                                       points=reduced if status == "reduced" else points))
    bon: dict[UUID, list[BonusEvent]] = defaultdict(list)
    b = BonusRecord
    for rid, sid, kind, day, qty, points in (await session.execute(scoped(select(
            b.id, b.staff_id, b.kind, b.day, b.quantity, b.points).where(
            b.day >= month, b.day <= end, b.subject == "staff", b.status.in_(LIVE)), b.staff_id))):
        bon[sid].append(BonusEvent(kind=kind, day=day, quantity=qty, ref=str(rid), points=points))
    year_start = month.replace(month=1)
    quarter_start = month.replace(month=(month.month - 1) // 3 * 3 + 1)
    before: dict[UUID, float] = {}
    if month > year_start:
        before = dict((await session.execute(scoped(select(Scorecard.staff_id, func.sum(Scorecard.deducted)).where(
            Scorecard.month >= year_start, Scorecard.month < month), Scorecard.staff_id)
            .group_by(Scorecard.staff_id))).all())
    quarter: dict[UUID, dict[str, float]] = defaultdict(dict)
    year: dict[UUID, dict[str, float]] = defaultdict(dict)
    if month > year_start:
        in_q = case((ViolationRecord.day >= quarter_start, 1), else_=0).label("in_quarter")
        counts = select(ViolationRecord.staff_id, ViolationRecord.kind, in_q,
                        func.sum(ViolationRecord.quantity)).where(
            ViolationRecord.day >= year_start, ViolationRecord.day < month, ViolationRecord.status.in_(LIVE),
            ViolationRecord.subject == "staff").group_by(ViolationRecord.staff_id, ViolationRecord.kind, in_q)
        for sid, kind, in_quarter, n in (await session.execute(scoped(counts, ViolationRecord.staff_id))):
            year[sid][kind] = year[sid].get(kind, 0) + float(n)
            if in_quarter:
                quarter[sid][kind] = quarter[sid].get(kind, 0) + float(n)
    return MonthRecords(vio, bon, before, quarter, year)


def score(rules: Rules, tenant_rules: TenantRules, month: date, inputs: Iterable[StaffMonth]) -> dict[str, PackCard]:
    """ONE hook call for the whole tenant-month."""
    return rules.hooks.hook.govhall_score_month(rules=tenant_rules, month=month, staff=list(inputs)) or {}


def line_dict(line: Any) -> dict[str, Any]:
    """A stored line: the record id, the rule (kind, name, category, clause), the day, which occurrence, points;
    the English name, quantity, fine, sanction and warning only where they differ from their defaults (the
    readers default them), so a center's month stays small to write."""
    out = {"recordId": line.ref, "kind": line.kind, "name": line.name_zh, "category": line.category,
           "clause": line.clause, "day": line.day.isoformat(), "occurrence": line.occurrence, "points": line.points}
    if line.name_en != line.kind:
        out["nameEn"] = line.name_en
    if line.quantity != 1:
        out["quantity"] = line.quantity
    if line.fine_yuan:
        out["fineYuan"] = line.fine_yuan
    if line.sanction:
        out["sanction"] = line.sanction
    if line.warning:
        out["warning"] = True
    return out


def card_row(tid: UUID, month: date, card: PackCard, staff: tuple[UUID | None, UUID | None], now: Any,
             staff_id: UUID | None = None) -> dict[str, Any]:
    """``staff_id``: the card's staff id as a UUID when the caller has it (parsing 1,000 of them costs)."""
    return {"id": new_id(), "tenant_id": tid, "month": month, "staff_id": staff_id or UUID(card.staff_id),
            "department_id": staff[0], "window_id": staff[1], "categories": dict(card.categories),
            "total": card.total, "deducted": card.deducted, "bonus": card.bonus, "pay_yuan": card.pay_yuan,
            "fines_yuan": card.fines_yuan, "return_to_unit": card.return_to_unit,
            "return_reasons": list(card.return_reasons), "award_eligible": card.award_eligible,
            "year_deductions": card.year_deductions, "lines": [line_dict(x) for x in card.lines],
            "created_at": now, "updated_at": now}


def new_id() -> UUID:
    """A time-ordered UUID (v7) as the stdlib type, without the per-call int round trip of the compat wrapper."""
    return UUID(bytes=uuid7_bytes().bytes)


# ---- the explained scorecard ------------------------------------------------------------------------------------


async def card_view(session: AsyncSession, a: Actor, staff: Staff, month: date) -> s.ScorecardView:
    """A staff member's month, every line explained: the rule's name, the clause, 第n次, points, evidence, who
    recorded it, and the appeal state. Stored scorecards once the month is published (or closed, for the center);
    otherwise computed now, marked provisional."""
    row = await session.scalar(select(AssessmentMonth).where(AssessmentMonth.month == month))
    status = row.status if row else "open"
    own = a.staff is not None and a.staff.id == staff.id
    stored = None
    if status == "published" or (status == "closed" and not own):
        stored = await session.scalar(select(Scorecard).where(Scorecard.month == month,
                                                              Scorecard.staff_id == staff.id))
    rules = await rules_on(session, min(month_end(month), max(month, await today(session))))
    tr = frozen_rules(rules, row) if row is not None and row.status != "open" else rules.hooks.rules
    sanctions_only = bool(getattr(tr.settings.get(POINTS_PACK), "sanctions_only", False))
    if stored is not None:
        categories, lines = stored.categories, stored.lines
        head: Any = stored
        state = status
    else:
        inputs = await staff_inputs(session, month, [staff.id])
        card = score(rules, tr, month, [inputs[staff.id]])[str(staff.id)]
        categories, lines = card.categories, [line_dict(x) for x in card.lines]
        head = card
        state = "provisional"
    ids = [UUID(x["recordId"]) for x in lines if x.get("recordId")]
    recs: dict[UUID, Any] = {}
    if ids:
        for model in (ViolationRecord, BonusRecord):
            for r in (await session.scalars(select(model).where(model.id.in_(ids)))):
                recs[r.id] = r
    excluded_rows = list((await session.scalars(select(ViolationRecord).where(
        ViolationRecord.staff_id == staff.id, ViolationRecord.day >= month, ViolationRecord.day <= month_end(month),
        ViolationRecord.status.in_(("void", "overturned"))))).all())
    n = await names(session, [*recs.values(), *excluded_rows])
    appeals = {}
    if recs or excluded_rows:
        appeals = dict((await session.execute(select(Appeal.record_id, Appeal.status).where(
            Appeal.record_id.in_([*recs, *(r.id for r in excluded_rows)])))).all())
    tz = await tenant_timezone(session, tenant())
    deadlines: dict[date, date] = {}
    today_ = await today(session)

    async def deadline(r: Any) -> date:
        from govhall.domain.assessment.services import local_date

        d = local_date(r.created_at, tz)
        if d not in deadlines:
            deadlines[d] = await add_working_days(session, d, rules.options.appeal_working_days)
        return deadlines[d]

    async def line(x: dict[str, Any]) -> s.CardLine:
        r = recs.get(UUID(x["recordId"])) if x.get("recordId") else None
        is_violation = isinstance(r, ViolationRecord)
        dl = await deadline(r) if is_violation else None
        appeal = appeals.get(r.id) if r is not None else None
        return s.CardLine(
            record_id=x.get("recordId", ""), type="violation" if is_violation or x["points"] <= 0 else "bonus",
            kind=x["kind"], name=x["name"], name_en=x.get("nameEn", x["kind"]), category=x["category"],
            clause=x.get("clause", ""), day=date.fromisoformat(x["day"]) if isinstance(x["day"], str) else x["day"],
            occurrence=x["occurrence"], quantity=x.get("quantity", 1), points=x["points"],
            fine_yuan=x.get("fineYuan", 0), sanction=x.get("sanction", ""), warning=x.get("warning", False),
            source=r.source if r is not None else "", evidence=list(r.evidence or []) if r is not None else [],
            note=r.note if r is not None else None,
            recorder_name=n["user"].get(r.recorded_by) if r is not None and r.recorded_by else None,
            status=r.status if r is not None else "", appeal_status=appeal, appeal_deadline=dl,
            can_appeal=bool(own and is_violation and r is not None and r.status == "recorded" and appeal is None
                            and dl is not None and today_ <= dl))

    cats = []
    built = [await line(x) for x in lines]
    for c in rules.categories() if state == "provisional" else _stored_categories(row, rules):
        cats.append(s.CategoryScore(key=c.key, name=c.name, name_en=c.name_en, max_points=c.max_points,
                                    score=float(categories.get(c.key, 0)),
                                    lines=[b for b in built if b.category == c.key]))
    excluded = []
    for r in excluded_rows:
        excluded.append(s.CardLine(record_id=str(r.id), type="violation", kind=r.kind, name=r.name, name_en=r.kind,
                                   category=r.category, clause=r.clause, day=r.day, occurrence=0,
                                   quantity=r.quantity, points=0, fine_yuan=0, sanction="", warning=False,
                                   source=r.source, evidence=list(r.evidence or []), note=r.void_reason or r.note,
                                   recorder_name=n["user"].get(r.recorded_by) if r.recorded_by else None,
                                   status=r.status, appeal_status=appeals.get(r.id), appeal_deadline=None,
                                   can_appeal=False))
    dept = await session.get(Department, staff.department_id) if staff.department_id else None
    return s.ScorecardView(
        staff_id=staff.id, staff_name=staff.name, employee_no=staff.employee_no,
        department_name=dept.name if dept else None, month=f"{month:%Y-%m}", state=state,  # type: ignore[arg-type]  # state is one of the ScorecardView literals
        total=head.total, deducted=head.deducted, bonus=head.bonus, pay_yuan=head.pay_yuan,
        fines_yuan=head.fines_yuan, return_to_unit=head.return_to_unit, return_reasons=list(head.return_reasons),
        award_eligible=head.award_eligible, year_deductions=head.year_deductions, categories=cats,
        excluded=excluded, sanctions_only=sanctions_only)


def _stored_categories(row: AssessmentMonth | None, rules: Rules) -> list[s.Category]:
    if row is None or not row.rules:
        return rules.categories()
    return [s.Category(key=c["key"], name=c["name"], name_en=c.get("name_en") or c["key"], max_points=c["max_points"])
            for c in row.rules.get("categories", [])]


# ---- window and department scorecards ---------------------------------------------------------------------------


def _score_line(x: dict[str, Any]) -> ScoreLine:
    return ScoreLine(kind=x["kind"], name_zh=x["name"], name_en=x.get("nameEn", x["kind"]), category=x["category"],
                     day=date.fromisoformat(x["day"]) if isinstance(x["day"], str) else x["day"],
                     occurrence=x["occurrence"], points=x["points"], ref=x.get("recordId", ""),
                     clause=x.get("clause", ""), quantity=x.get("quantity", 1), fine_yuan=x.get("fineYuan", 0),
                     sanction=x.get("sanction", ""), warning=x.get("warning", False))


async def chief_staff_ids(session: AsyncSession) -> set[UUID]:
    """Staff members whose account holds the chief representative role in this center."""
    from govhall.authz.models import RoleAssignment
    from govhall.authz.permissions import Role
    from govhall.domain.identity.models import User

    return set(await session.scalars(select(User.staff_id).join(RoleAssignment, RoleAssignment.user_id == User.id)
                                     .where(RoleAssignment.role == Role.chief_representative.value,
                                            User.staff_id.is_not(None))))


@dataclass
class UnitInputs:
    """What the window and department scorecards of a month are made from, besides the staff scorecards: the
    units, the records whose subject is a unit, the chief representatives, and (``members``) each person's
    (staff, department, window, deduction lines) when the stored cards are the source."""

    windows: Mapping[UUID, UUID | None]
    departments: list[UUID]
    own_v: dict[UUID, list[ViolationEvent]]
    own_b: dict[UUID, list[BonusEvent]]
    chiefs: set[UUID]
    members: list[tuple[UUID, UUID | None, UUID | None, tuple[ScoreLine, ...]]] | None = None


def unit_cards_off(tenant_rules: TenantRules) -> bool:
    pv = tenant_rules.settings.get(POINTS_PACK)
    return pv is not None and not getattr(pv, "unit_scorecards", ("window",))


async def unit_inputs(session: AsyncSession, month: date, *, stored_cards: bool = False) -> UnitInputs:
    """The reads behind the unit scorecards (``stored_cards``: the members' lines from the stored scorecards)."""
    from govhall.domain.org.models import Window

    end = month_end(month)
    windows = dict((await session.execute(select(Window.id, Window.department_id))).all())
    departments = list(await session.scalars(select(Department.id)))
    own_v: dict[UUID, list[ViolationEvent]] = defaultdict(list)
    v = ViolationRecord
    for rid, subject, wid, did, kind, day, qty, status, points, reduced in (await session.execute(select(
            v.id, v.subject, v.window_id, v.department_id, v.kind, v.day, v.quantity, v.status, v.points,
            v.reduced_points).where(v.day >= month, v.day <= end, v.subject != "staff", v.status.in_(LIVE)))):
        unit = wid if subject == "window" else did
        if unit is not None:
            own_v[unit].append(ViolationEvent(kind=kind, day=day, quantity=qty, ref=str(rid),
                                              points=reduced if status == "reduced" else points))
    own_b: dict[UUID, list[BonusEvent]] = defaultdict(list)
    b = BonusRecord
    for rid, subject, wid, did, kind, day, qty, points in (await session.execute(select(
            b.id, b.subject, b.window_id, b.department_id, b.kind, b.day, b.quantity, b.points).where(
            b.day >= month, b.day <= end, b.subject != "staff", b.status.in_(LIVE)))):
        unit = wid if subject == "window" else did
        if unit is not None:
            own_b[unit].append(BonusEvent(kind=kind, day=day, quantity=qty, ref=str(rid), points=points))
    members = None
    if stored_cards:
        members = [(sid, did, wid, tuple(_score_line(x) for x in lines if x["points"] < 0))
                   for sid, did, wid, lines in (await session.execute(select(
                       Scorecard.staff_id, Scorecard.department_id, Scorecard.window_id, Scorecard.lines).where(
                       Scorecard.month == month)))]
    return UnitInputs(windows, departments, own_v, own_b, await chief_staff_ids(session), members)


def unit_rows(rules: Rules, tenant_rules: TenantRules, month: date, now: Any, ui: UnitInputs,
              cards: dict[str, PackCard] | None = None,
              placed: dict[UUID, tuple[UUID | None, UUID | None]] | None = None,
              ids: dict[str, UUID] | None = None) -> list[dict[str, Any]]:
    """The month's unit scorecard rows: ONE ``govhall_score_units`` call. No I/O (the close runs it in a thread
    while the staff scorecards are written)."""
    bars = {k for k, item in rules.violations.items() if item.bars_awards in ("window", "both")}
    by_window: dict[UUID, list[UnitMember]] = defaultdict(list)
    by_dept: dict[UUID, list[UnitMember]] = defaultdict(list)
    if ui.members is not None:
        members = ui.members
    else:
        assert cards is not None and placed is not None
        ids = ids or {}
        members = []
        for c in cards.values():
            sid = ids.get(c.staff_id) or UUID(c.staff_id)
            members.append((sid, *placed.get(sid, (None, None)), tuple(x for x in c.lines if x.points < 0)))
    chiefs = ui.chiefs
    for sid, did, wid, deductions in members:
        if not deductions and sid not in chiefs:
            m = UnitMember(staff_id=str(sid))
        else:
            m = UnitMember(staff_id=str(sid), chief=sid in chiefs, lines=deductions,
                           bars_window=any(x.kind in bars for x in deductions))
        if wid is not None:
            by_window[wid].append(m)
        if did is not None:
            by_dept[did].append(m)
    units = [UnitMonth(unit_id=str(w), subject="window", violations=tuple(ui.own_v.get(w, ())),
                       bonuses=tuple(ui.own_b.get(w, ())), members=tuple(by_window.get(w, ()))) for w in ui.windows]
    units += [UnitMonth(unit_id=str(d), subject="department", violations=tuple(ui.own_v.get(d, ())),
                        bonuses=tuple(ui.own_b.get(d, ())), members=tuple(by_dept.get(d, ())))
              for d in ui.departments]
    scored = rules.hooks.hook.govhall_score_units(rules=tenant_rules, month=month, units=units) or {}
    tid = tenant()
    rows = []
    for c in scored.values():
        uid = UUID(c.unit_id)
        rows.append({"id": new_id(), "tenant_id": tid, "month": month, "subject": c.subject, "unit_id": uid,
                     "window_id": uid if c.subject == "window" else None,
                     "department_id": ui.windows.get(uid) if c.subject == "window" else uid,
                     "categories": dict(c.categories), "total": c.total, "deducted": c.deducted, "bonus": c.bonus,
                     "award_eligible": c.award_eligible,
                     "lines": [{**line_dict(x), "staffId": x.staff_id or None} for x in c.lines],
                     "created_at": now, "updated_at": now})
    return rows


async def write_unit_cards(session: AsyncSession, month: date, rows: list[dict[str, Any]]) -> int:
    """Replace the month's unit scorecard rows."""
    from govhall.tenancy.bulk import bulk_insert

    await session.execute(delete(UnitScorecardRow).where(UnitScorecardRow.month == month)
                          .execution_options(synchronize_session=False))
    await bulk_insert(session, UnitScorecardRow.__table__, rows)
    return len(rows)


async def store_unit_cards(session: AsyncSession, rules: Rules, tenant_rules: TenantRules, month: date,
                           now: Any) -> int:
    """Window and department scorecards from the month's stored staff scorecards and the records whose subject is
    the unit (an appeal's rescoring); the month's unit rows are replaced. Returns how many."""
    if unit_cards_off(tenant_rules):
        return await write_unit_cards(session, month, [])
    ui = await unit_inputs(session, month, stored_cards=True)
    return await write_unit_cards(session, month, unit_rows(rules, tenant_rules, month, now, ui))


async def unit_cards_view(session: AsyncSession, month: date) -> list[s.UnitCardView]:
    """The month's stored window and department scorecards, each line with its rule, clause and the member."""
    from govhall.domain.org.models import Window

    rows = list((await session.scalars(select(UnitScorecardRow).where(UnitScorecardRow.month == month)
                                       .order_by(UnitScorecardRow.subject.desc(), UnitScorecardRow.total))).all())
    wnames = {i: f"{n} {nm}" for i, n, nm in (await session.execute(select(Window.id, Window.number, Window.name)))}
    dnames = dict((await session.execute(select(Department.id, Department.name))).all())
    sids = {UUID(x["staffId"]) for r in rows for x in r.lines if x.get("staffId")}
    snames = dict((await session.execute(select(Staff.id, Staff.name).where(Staff.id.in_(sids))))
                  .all()) if sids else {}
    out = []
    for r in rows:
        out.append(s.UnitCardView(
            subject="window" if r.subject == "window" else "department", unit_id=r.unit_id,
            name=wnames.get(r.unit_id, "") if r.subject == "window" else dnames.get(r.unit_id, ""),
            department_name=dnames.get(r.department_id) if r.department_id else None, categories=dict(r.categories),
            total=r.total, deducted=r.deducted, bonus=r.bonus, award_eligible=r.award_eligible,
            lines=[s.UnitLine(record_id=x.get("recordId", ""), name=x["name"], clause=x.get("clause", ""),
                              category=x["category"], day=date.fromisoformat(x["day"]), occurrence=x["occurrence"],
                              points=x["points"], staff_name=snames.get(UUID(x["staffId"])) if x.get("staffId")
                              else None) for x in r.lines]))
    return out

"""The year sheet (年度考核): per staff member the stored scorecards of the year's closed months, leave days by
type and days of absence from the attendance tables, and ONE ``govhall_annual_consequences`` call: award
eligibility, the annual bonus cancelled and why (000 篇七 工作制度 二.5), 优秀首席代表 candidates where the rules
have them (000 篇七 服务制度 六(五)2)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.clock import zone
from govhall.domain.assessment import schemas as s
from govhall.domain.assessment.models import AssessmentMonth, Scorecard
from govhall.domain.assessment.scoring import chief_staff_ids
from govhall.domain.assessment.services import POINTS_PACK, rules_on, tenant, today
from govhall.domain.attendance.ingest import tenant_timezone
from govhall.domain.attendance.models import AttendanceDay, AttendanceMonth, LeaveRecord
from govhall.domain.org.models import Department, Staff
from govhall.errors import AppError
from govhall.packs.types import MonthResult, StaffYear
from govhall.tenancy.models import Tenant


async def _leave_and_absence(session: AsyncSession, year: int, until: date
                             ) -> tuple[dict[UUID, dict[str, float]], dict[UUID, float]]:
    """Leave days by type (each attendance day's leave half days, typed by the leave record covering it) and
    absence days (absence half days plus the monthly conversions), from Jan 1 to ``until``."""
    start = date(year, 1, 1)
    z = zone(await tenant_timezone(session, tenant()))
    leaves: dict[UUID, list[tuple[date, date, str]]] = defaultdict(list)
    lo = datetime.combine(start, time.min, z)
    hi = datetime.combine(until + timedelta(days=1), time.min, z)
    for sid, a, b, kind in (await session.execute(select(
            LeaveRecord.staff_id, LeaveRecord.starts_at, LeaveRecord.ends_at, LeaveRecord.kind).where(
            LeaveRecord.starts_at < hi, LeaveRecord.ends_at > lo))):
        leaves[sid].append((a.astimezone(z).date(), b.astimezone(z).date(), kind or "personal"))
    leave: dict[UUID, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    absence: dict[UUID, float] = defaultdict(float)
    for sid, d, absent, half in (await session.execute(select(
            AttendanceDay.staff_id, AttendanceDay.work_date, AttendanceDay.absence_half_days,
            AttendanceDay.leave_half_days).where(AttendanceDay.work_date >= start, AttendanceDay.work_date <= until,
                                                 (AttendanceDay.leave_half_days > 0)
                                                 | (AttendanceDay.absence_half_days > 0)))):
        if half:
            kind = next((k for a, b, k in leaves.get(sid, ()) if a <= d <= b), "personal")
            leave[sid][kind] += half / 2
        if absent:
            absence[sid] += absent / 2
    for sid, converted in (await session.execute(select(AttendanceMonth.staff_id, AttendanceMonth.converted_half_days)
                                                 .where(AttendanceMonth.month >= start,
                                                        AttendanceMonth.month <= until))):
        if converted:
            absence[sid] += converted / 2
    return {k: dict(v) for k, v in leave.items()}, dict(absence)


def parse_year(raw: str) -> int:
    if not (len(raw) == 4 and raw.isascii() and raw.isdigit()):
        raise AppError("invalid_year", "年份格式应为 YYYY", "The year must be YYYY", status=400)
    return int(raw)


async def annual_view(session: AsyncSession, year: int) -> s.AnnualView:
    today_ = await today(session)
    if not 2000 <= year <= today_.year:
        raise AppError("invalid_year", "年份无效", "Invalid year", status=400)
    until = min(date(year, 12, 31), today_)
    rules = await rules_on(session, until)
    closed = sorted(await session.scalars(select(AssessmentMonth.month).where(
        AssessmentMonth.month >= date(year, 1, 1), AssessmentMonth.month <= date(year, 12, 1),
        AssessmentMonth.status != "open")))
    months: dict[UUID, list[MonthResult]] = defaultdict(list)
    if closed:
        for sid, m, total, deducted, eligible, ret in (await session.execute(select(
                Scorecard.staff_id, Scorecard.month, Scorecard.total, Scorecard.deducted, Scorecard.award_eligible,
                Scorecard.return_to_unit).where(Scorecard.month.in_(closed)).order_by(Scorecard.month))):
            months[sid].append(MonthResult(month=m, total=total, deducted=deducted, award_eligible=eligible,
                                           return_to_unit=ret))
    leave, absence = await _leave_and_absence(session, year, until)
    chiefs = await chief_staff_ids(session)
    people = {sid: (no, name, dept) for sid, no, name, dept in (await session.execute(
        select(Staff.id, Staff.employee_no, Staff.name, Department.name)
        .outerjoin(Department, Department.id == Staff.department_id).where(Staff.id.in_(set(months)))))}
    inputs = [StaffYear(staff_id=str(sid), chief=sid in chiefs, months=tuple(months[sid]),
                        leave_days=leave.get(sid, {}), absence_days=absence.get(sid, 0.0)) for sid in people]
    results = rules.hooks.hook.govhall_annual_consequences(rules=rules.hooks.rules, year=year, staff=inputs) or {}
    rows = []
    for y in inputs:
        r = results.get(y.staff_id)
        if r is None:
            continue
        sid = UUID(y.staff_id)
        no, name, dept = people[sid]
        rows.append(s.AnnualRow(staff_id=sid, employee_no=no, name=name, department_name=dept, chief=y.chief,
                                months_scored=r.months_scored, average_total=r.average_total,
                                deductions=r.deductions, leave_days=dict(y.leave_days), absence_days=y.absence_days,
                                award_eligible=r.award_eligible, award_reasons=list(r.award_reasons),
                                bonus_cancelled=r.bonus_cancelled, bonus_reasons=list(r.bonus_reasons),
                                chief_candidate=r.chief_candidate))
    rows.sort(key=lambda r: (not r.chief_candidate, -r.average_total, r.employee_no))
    center = await session.scalar(select(Tenant.name).where(Tenant.id == tenant())) or ""
    pv = rules.hooks.rules.settings.get(POINTS_PACK)
    return s.AnnualView(year=year, center=center, months_closed=[f"{m:%Y-%m}" for m in closed], rows=rows,
                        chief_candidates=int(getattr(pv, "chief_award_candidates", 0) or 0))


YEAR_COLUMNS = ("序号", "工号", "姓名", "部门", "考核月数", "月均得分", "全年扣分", "病事假（天）", "旷工（天）",
                "评先评优", "不得评先原因", "年度考核奖", "取消原因", "优秀首席代表候选")


def year_xlsx(data: s.AnnualView) -> bytes:
    """The year sheet as a printable form (the monthly attendance sheet's helpers): title, center and year
    (2026年), the months closed, one bordered row per person (award eligibility, the annual bonus cancelled and
    why, 优秀首席代表 candidates), the 制表人/审核人/日期 block, landscape A4 one page wide, header repeated."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    from govhall.domain.printable import bordered, print_setup, sign_block, title_row

    wb = Workbook()
    ws = wb.worksheets[0]
    ws.title = f"{data.year}年度考核"
    width = len(YEAR_COLUMNS)
    title_row(ws, f"{data.center}{data.year}年度考核汇总表", width)
    months = "、".join(f"{int(m[5:])}月" for m in data.months_closed) or "无"
    ws.append([f"单位：{data.center}", None, None, None, f"年度：{data.year}年", None, None, None,
               f"已结算月份：{months}"])
    ws.append(list(YEAR_COLUMNS))
    for i, r in enumerate(data.rows, start=1):
        sick_personal = sum(v for k, v in r.leave_days.items() if k in ("sick", "personal"))
        ws.append([i, r.employee_no, r.name + ("（首席代表）" if r.chief else ""), r.department_name or "",
                   r.months_scored, r.average_total, r.deductions, sick_personal, r.absence_days,
                   "可以" if r.award_eligible else "不得", "；".join(r.award_reasons),
                   "取消" if r.bonus_cancelled else "保留", "；".join(r.bonus_reasons),
                   "候选" if r.chief_candidate else ""])
    last_row = ws.max_row
    bordered(ws, 3, last_row, width, header_rows=1, left_columns=4)
    wrap = Alignment(vertical="center", wrap_text=True)
    for row in range(4, last_row + 1):
        for col in (11, 13):  # the reasons: left-aligned, wrapped
            ws.cell(row, col).alignment = wrap
    for col, w in enumerate((5, 8, 14, 14, 7, 8, 8, 8, 7, 8, 36, 8, 36, 9), start=1):
        ws.column_dimensions[get_column_letter(col)].width = w
    ws.row_dimensions[3].height = 32
    ws.freeze_panes = "A4"
    ws.append([])
    ws.append([("说明：全年扣分达到规定分数或当月考核取消评先资格的，不得评先评优；全年病事假累计超过规定天数、累计旷工"
                "达到规定天数的，取消年度考核奖（000 篇七 工作制度 二.5）。")])
    sign_block(ws, True, (1, 6, 11))
    print_setup(ws, width, "3:3", True)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

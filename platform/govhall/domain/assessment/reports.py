"""The pay list (考核资金) and the per-department monthly notice for the home units (xlsx and a printable page)."""

from __future__ import annotations

import io
from datetime import date
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.domain.assessment import schemas as s
from govhall.domain.assessment.models import AssessmentMonth, Scorecard
from govhall.domain.assessment.scoring import _stored_categories
from govhall.domain.assessment.services import month_end, rules_on, tenant
from govhall.domain.org.models import Department, Staff, Window
from govhall.errors import AppError, not_found
from govhall.tenancy.models import Tenant


async def _month_row(session: AsyncSession, month: date) -> AssessmentMonth:
    row = await session.scalar(select(AssessmentMonth).where(AssessmentMonth.month == month))
    if row is None or row.status == "open":
        raise AppError("not_closed", f"{month:%Y年%m月} 尚未结算", f"{month:%Y-%m} is not closed", status=409)
    return row


async def pay_list(session: AsyncSession, month: date) -> s.PayList:
    row = await _month_row(session, month)
    rules = await rules_on(session, month_end(month))
    center = await session.scalar(select(Tenant.name).where(Tenant.id == tenant())) or ""
    q = (select(Scorecard, Staff.employee_no, Staff.name, Department.name, Window.number, Window.name)
         .join(Staff, Staff.id == Scorecard.staff_id)
         .outerjoin(Department, Department.id == Scorecard.department_id)
         .outerjoin(Window, Window.id == Scorecard.window_id)
         .where(Scorecard.month == month).order_by(Department.name, Staff.employee_no))
    rows = [s.PayRow(staff_id=c.staff_id, employee_no=no, name=name, department_id=c.department_id, department_name=dept,
                     window_label=f"{wn} {wname}" if wn else None, categories=dict(c.categories), total=c.total,
                     deducted=c.deducted, bonus=c.bonus, pay_yuan=c.pay_yuan, fines_yuan=c.fines_yuan,
                     return_to_unit=c.return_to_unit, award_eligible=c.award_eligible)
            for c, no, name, dept, wn, wname in (await session.execute(q)).all()]
    return s.PayList(month=f"{month:%Y-%m}", status=row.status, center=center,
                     categories=_stored_categories(row, rules), rows=rows,
                     total_pay_yuan=round(sum(r.pay_yuan for r in rows), 2),
                     total_fines_yuan=round(sum(r.fines_yuan for r in rows), 2))


async def department_notice(session: AsyncSession, month: date, department_id: UUID) -> s.DepartmentNotice:
    await _month_row(session, month)
    dept = await session.get(Department, department_id)
    if dept is None:
        raise not_found("部门", "Department")
    center = await session.scalar(select(Tenant.name).where(Tenant.id == tenant())) or ""
    people = []
    q = (select(Scorecard, Staff.name, Staff.employee_no).join(Staff, Staff.id == Scorecard.staff_id)
         .where(Scorecard.month == month, Scorecard.department_id == department_id).order_by(Staff.employee_no))
    for c, name, no in (await session.execute(q)).all():
        lines = [s.NoticeLine(day=date.fromisoformat(x["day"]), name=x["name"], clause=x.get("clause", ""),
                              points=x["points"], fine_yuan=x.get("fineYuan", 0)) for x in c.lines]
        people.append(s.NoticePerson(name=name, employee_no=no, total=c.total, pay_yuan=c.pay_yuan,
                                     fines_yuan=c.fines_yuan, return_to_unit=c.return_to_unit, lines=lines))
    return s.DepartmentNotice(month=f"{month:%Y-%m}", center=center, department_id=dept.id,
                              department_name=dept.name, people=people)


def pay_xlsx(data: s.PayList) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.worksheets[0]  # a new Workbook holds one sheet (wb.active may be None in the type)
    ws.title = f"{data.month} 考核"
    ws.append([f"{data.center} {data.month} 月度考核及考核资金"])
    ws["A1"].font = Font(bold=True, size=14)
    head = ["工号", "姓名", "部门", "窗口", *[c.name for c in data.categories], "扣分", "加分", "得分", "考核资金（元）",
            "罚款（元）", "退回原单位", "评先资格"]
    ws.append(head)
    for c in range(1, len(head) + 1):
        ws.cell(2, c).font = Font(bold=True)
    for r in data.rows:
        ws.append([r.employee_no, r.name, r.department_name or "", r.window_label or "",
                   *[r.categories.get(c.key, 0) for c in data.categories], r.deducted, r.bonus, r.total, r.pay_yuan,
                   r.fines_yuan, "是" if r.return_to_unit else "", "有" if r.award_eligible else "取消"])
    ws.append(["合计", "", "", "", *["" for _ in data.categories], "", "", "", data.total_pay_yuan,
               data.total_fines_yuan])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def notice_xlsx(data: s.DepartmentNotice) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.worksheets[0]  # a new Workbook holds one sheet (wb.active may be None in the type)
    ws.title = "考核通报"
    ws.append([f"关于{data.department_name}进驻{data.center}工作人员 {data.month} 月考核情况的通报"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(["工号", "姓名", "得分", "考核资金（元）", "罚款（元）", "日期", "扣分/加分事项", "依据", "分值"])
    for p in data.people:
        first = True
        for line in p.lines or (None,):
            base = [p.employee_no, p.name, p.total, p.pay_yuan, p.fines_yuan] if first else ["", "", "", "", ""]
            first = False
            if line is None:
                ws.append([*base, "", "无扣分", "", ""])
            else:
                ws.append([*base, line.day.isoformat(), line.name, line.clause, line.points])
        if p.return_to_unit:
            ws.append(["", p.name, "", "", "", "", "已触发《退回制度》，另行通知", "", ""])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

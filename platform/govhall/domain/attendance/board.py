"""Today's board (duty officer: the center; chief representative: their department) and the monthly sheet with
its Excel export (center admin)."""

from __future__ import annotations

import io
from datetime import date, timedelta
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.authz.visibility import Reach
from govhall.clock import utcnow, zone
from govhall.domain.attendance import schemas as s
from govhall.domain.attendance.evaluation import corrected_day, ensure_month
from govhall.domain.attendance.ingest import tenant_timezone
from govhall.domain.attendance.inputs import (
    Cover,
    leave_kind_on,
    leave_on,
    load_corrections,
    load_covers,
    load_leaves,
    load_off_post,
    load_punches,
    load_staff,
)
from govhall.domain.attendance.models import AttendanceDay, AttendanceMonth
from govhall.domain.attendance.rules import DayPlan, DayResult, compile_day, evaluate_day, hhmm
from govhall.domain.attendance.services import Viewer, correction_marks, session_views, tenant, totals_view
from govhall.domain.attendance.settings import rules_for
from govhall.domain.org.models import Department, Window
from govhall.errors import AppError
from govhall.packs.calendar import work_calendar
from govhall.paging import PageRequest

BOARD_STATES = ("in", "late", "left", "on_leave", "not_punched", "absent", "upcoming", "rest")


def board_state(plan: DayPlan, r: DayResult, now_sec: int) -> str:
    """Where a person is now: in / late / left / on_leave / not_punched / absent / upcoming / rest."""
    if plan.is_rest_day:
        return "rest"
    current = None
    for i, sp in enumerate(plan.sessions):
        if sp.required and sp.in_lo <= now_sec:
            current = i
    if current is None:
        return "upcoming"
    row, sp = r.sessions[current], plan.sessions[current]
    status = row.get("status")
    if status == "leave":
        return "on_leave"
    if status in ("corrected", "outing"):
        return "in"  # the center corrected the session, or an approved outing: present
    if row.get("in") is None and row.get("out") is None:
        return "absent" if now_sec > sp.out_hi else "not_punched"
    if row.get("out") is not None and now_sec >= sp.end:
        return "left"
    if row.get("lateMinutes"):
        return "late"
    if row.get("in") is None:
        return "not_punched"
    return "in"


async def _names(session: AsyncSession) -> tuple[dict[UUID, str], dict[UUID, str]]:
    depts = dict((await session.execute(select(Department.id, Department.name))).all())
    windows = {i: f"{n} {name}" for i, n, name in (await session.execute(
        select(Window.id, Window.number, Window.name))).all()}
    return depts, windows


def _cover(c: Cover | None) -> s.BoardCover | None:
    if c is None:
        return None
    return s.BoardCover(name=c.name, external=c.external, on_post=c.on_post, on_post_first=c.on_post_first,
                        status=c.status)


def _scoped_staff_filter(v: Viewer) -> UUID | None:
    if v.scope.reach is Reach.center:
        return None
    if v.scope.reach is Reach.department:
        return v.scope.department_id
    raise AppError("forbidden", "您只能查看本部门（窗口）的考勤", "You may only see your own department's attendance",
                   status=403)


async def board(session: AsyncSession, v: Viewer, page: PageRequest | None = None,
                only_state: str | None = None) -> s.Board:
    """Today's board: counts over everyone in the viewer's reach, rows of one page (``page``: search by name or
    employee number, limit/offset after the board's order; None = every row), ``only_state`` keeps rows in that state."""
    tid = tenant()
    department_id = _scoped_staff_filter(v)
    tz = await tenant_timezone(session, tid)
    now = utcnow()
    local = now.astimezone(zone(tz))
    today = local.date()
    rules = await rules_for(session, tid, today)
    sched = (await work_calendar(session, tid, today, today))[today]
    plan = compile_day(sched, rules)
    staff = await load_staff(session, department_id=department_id)
    ids = {x.id for x in staff}
    punches = await load_punches(session, today, today, staff)
    leaves = await load_leaves(session, today, today, tz, ids)
    off = await load_off_post(session, today, today, ids)
    corrections = await load_corrections(session, today, today, ids)
    depts, windows = await _names(session)
    covers = await load_covers(session, today, set(leaves))
    now_sec = local.hour * 3600 + local.minute * 60 + local.second
    rows = []
    counts = dict.fromkeys(BOARD_STATES, 0)
    for x in staff:
        ps = sorted(punches.get((x.id, today), []))
        spans = corrections.get((x.id, today))
        if spans:
            r = corrected_day(plan, ps, leave_on(leaves.get(x.id, ()), today), rules, off.get((x.id, today), ()),
                              now_sec, (), spans)
        else:
            r = evaluate_day(plan, ps, leave_on(leaves.get(x.id, ()), today), rules,
                             off_post=off.get((x.id, today), ()), now=now_sec)
        state = board_state(plan, r, now_sec)
        counts[state] += 1
        rows.append(s.BoardRow(
            staff_id=x.id, name=x.name, employee_no=x.employee_no, department=depts.get(x.department_id),  # type: ignore[arg-type]  # department/window ids are set for staff on the board
            window=windows.get(x.window_id), state=state, finding=r.finding.value,  # type: ignore[arg-type]  # state is one of the BoardRow literals (board_state answers them)
            sessions=session_views(r, plan.sessions), first_punch=hhmm(ps[0]) if ps else None,
            last_punch=hhmm(ps[-1]) if ps else None, late_minutes=r.late_minutes,
            leave_type=leave_kind_on(leaves[x.id], today) if state == "on_leave" and x.id in leaves else None,
            cover=_cover(covers.get(x.id)) if state == "on_leave" else None,
            corrections=correction_marks(r.corrections),
        ))
    order = {st: i for i, st in enumerate(("late", "not_punched", "absent", "on_leave", "in", "left", "upcoming",
                                           "rest"))}
    rows.sort(key=lambda row: (order[row.state], row.department or "", row.employee_no))
    current = next((sp.label for sp in reversed(plan.sessions) if sp.in_lo <= now_sec), None)
    page = page or PageRequest(limit=max(1, len(rows)), offset=0, search="")
    found = page.search_in((row for row in rows if only_state is None or row.state == only_state), lambda row: (row.name, row.employee_no))
    return s.Board(date=today, now=local, workday=sched.workday, reason=sched.reason, current_session=current,
                   counts=counts, rows=page.slice(found), scope=v.scope.reach.value, total=len(found),
                   limit=page.limit, offset=page.offset)


# ---- the monthly sheet ------------------------------------------------------------------------------------------


async def sheet(session: AsyncSession, month: date, page: PageRequest | None = None) -> s.Sheet:
    """The month's sheet; ``page`` searches staff by name or employee number and reads the days of one page only
    (None = everyone, as the xlsx export needs)."""
    tid = tenant()
    ctx = await ensure_month(session, tid, month)
    everyone = await load_staff(session)
    page = page or PageRequest(limit=max(1, len(everyone)), offset=0, search="")
    matching = page.search_in(everyone, lambda x: (x.name, x.employee_no))
    staff = page.slice(matching)
    ids = [x.id for x in staff]
    depts, windows = await _names(session)
    found: dict[UUID, dict[str, str]] = {x.id: {} for x in staff}
    types: dict[UUID, dict[str, str]] = {x.id: {} for x in staff}
    marks: dict[UUID, dict[str, list[s.CorrectionMark]]] = {x.id: {} for x in staff}
    for sid, d, finding, details in (await session.execute(
            select(AttendanceDay.staff_id, AttendanceDay.work_date, AttendanceDay.finding, AttendanceDay.details)
            .where(AttendanceDay.work_date >= ctx.start, AttendanceDay.work_date <= ctx.end,
                   AttendanceDay.staff_id.in_(ids)))):
        if sid in found:
            found[sid][d.isoformat()] = finding
            if details and details.get("leaveType"):
                types[sid][d.isoformat()] = details["leaveType"]
            if details and details.get("corrections"):
                marks[sid][d.isoformat()] = correction_marks(details["corrections"])
    months = {m.staff_id: m for m in (await session.scalars(
        select(AttendanceMonth).where(AttendanceMonth.month == ctx.month, AttendanceMonth.staff_id.in_(ids)))).all()}
    dates = [ctx.start + timedelta(days=i) for i in range((ctx.end - ctx.start).days + 1)]
    workdays = [d for d in dates if not ctx.plan(d).is_rest_day]
    pending = [d for d in workdays if d <= ctx.today and (ctx.final_through is None or d > ctx.final_through)]
    final_workdays = [d.isoformat() for d in workdays if ctx.final_through is not None and d <= ctx.final_through]
    rows = []
    for x in staff:
        days = found[x.id]
        for key in final_workdays:
            days.setdefault(key, "on_time")  # plain days are not stored (evaluation.is_plain)
        for d in pending:
            days.setdefault(d.isoformat(), "today" if d == ctx.today else "pending")
        rows.append(s.SheetRow(staff_id=x.id, name=x.name, employee_no=x.employee_no,
                               department=depts.get(x.department_id), window=windows.get(x.window_id),  # type: ignore[arg-type]  # department/window ids are set for staff on the board
                               days=days, totals=totals_view(months.get(x.id)), leave_types=types[x.id],
                               leave_by_type=dict(((months[x.id].details or {}).get("leaveByType") or {})
                                                  if x.id in months else {}),
                               corrections=marks[x.id]))
    from govhall.domain.attendance.evaluation import month_state

    state = await month_state(session, ctx.month)
    return s.Sheet(month=ctx.month.strftime("%Y-%m"), dates=dates, workdays=workdays, rows=rows,
                   final_through=ctx.final_through, evaluated_at=state.evaluated_at if state else None,
                   total=len(matching), limit=page.limit, offset=page.offset)


SYMBOLS = {
    "on_time": ("√", "OK"), "late": ("迟", "L"), "early_leave": ("退", "E"), "late_early": ("迟退", "LE"),
    "missed_punch": ("缺", "M"), "absence": ("旷", "A"), "on_leave": ("假", "V"), "rest_day": ("休", "-"),
    "pending": ("待", "…"), "today": ("今", "T"),
}
LEGEND = {
    "on_time": ("正常", "On time"), "late": ("迟到", "Late"), "early_leave": ("早退", "Early leave"),
    "late_early": ("迟到且早退", "Late and early leave"), "missed_punch": ("未签到（缺卡）", "Missed punch"),
    "absence": ("旷工", "Unexcused absence"), "on_leave": ("请假", "On leave"), "rest_day": ("休息日", "Rest day"),
    "pending": ("待考勤机数据", "Waiting for terminal data"), "today": ("今天", "Today"),
}
LEAVE_SYMBOLS = {
    "personal": ("事", "VP", "事假", "personal"), "sick": ("病", "VS", "病假", "sick"),
    "annual": ("年", "VA", "年休假", "annual"), "marriage": ("婚", "VM", "婚假", "marriage"),
    "maternity": ("产", "VB", "产假", "maternity"), "family_visit": ("探", "VF", "探亲假", "family visit"),
    "bereavement": ("丧", "VD", "丧假", "bereavement"), "official": ("公", "VO", "公假", "official"),
}
"""A day on leave shows its type in the sheet (请假 with the type, never 旷工)."""
CORRECTED = ("更", "C", "考勤更正（中心更正，见更正记录）", "Corrected by the center (see the corrections)")
TOTAL_COLUMNS = [
    ("workdays", "应出勤（天）", "Workdays"), ("on_time_days", "正常（天）", "On time (days)"),
    ("late_count", "迟到（次）", "Late (times)"), ("late_minutes", "迟到（分钟）", "Late (minutes)"),
    ("early_count", "早退（次）", "Early leave (times)"), ("early_minutes", "早退（分钟）", "Early leave (minutes)"),
    ("missed_punches", "未签到（次）", "Missed punches"), ("absence_half_days", "旷工（半天）", "Absence (half days)"),
    ("converted_half_days", "折算旷工（半天）", "Converted absence (half days)"),
    ("total_absence_half_days", "旷工合计（半天）", "Total absence (half days)"),
    ("leave_half_days", "请假（半天）", "Leave (half days)"),
]


WEEKDAYS = (("一", "二", "三", "四", "五", "六", "日"), ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"))


def month_title(month: str, zh: bool) -> str:
    """"2026-11" as 2026年11月 (zh) or November 2026 (en)."""
    y, m = (int(x) for x in month.split("-"))
    return f"{y}年{m}月" if zh else date(y, m, 1).strftime("%B %Y")


def sheet_xlsx(data: s.Sheet, center: str, lang: str = "zh") -> bytes:
    """The monthly sheet as a form a hall prints and files: title, center and month (2026年11月), a day row and a
    weekday row, one bordered row per person with the month's totals, the 制表人/审核人/日期 block, landscape,
    fitted to one page wide, header rows repeated on every printed page."""
    from openpyxl import Workbook
    from openpyxl.styles import PatternFill
    from openpyxl.utils import get_column_letter

    from govhall.domain.printable import bordered, print_setup, sign_block, title_row

    zh = lang != "en"
    wb = Workbook()
    ws = wb.worksheets[0]  # a new Workbook holds one sheet (wb.active may be None in the type)
    ws.title = f"{data.month} 考勤" if zh else f"{data.month} attendance"
    month = month_title(data.month, zh)
    head = (["工号", "姓名", "部门", "窗口"] if zh else ["No.", "Name", "Department", "Window"])
    head += [f"{d.day}" for d in data.dates] + [zh_ if zh else en for _k, zh_, en in TOTAL_COLUMNS]
    width = len(head)
    title_row(ws, f"{center}{month}考勤表" if zh else f"{center} — attendance sheet, {month}", width)
    final = data.final_through.isoformat() if data.final_through else "—"
    if zh and data.final_through:
        final = f"{data.final_through.year}年{data.final_through.month}月{data.final_through.day}日"
    ws.append([f"单位：{center}" if zh else f"Center: {center}", None, None, None,
               f"月份：{month}" if zh else f"Month: {month}"])
    ws.cell(2, width - 5, f"数据截至：{final}" if zh else f"Final through: {final}")
    ws.append(head)
    ws.append(["星期" if zh else "Day", None, None, None]
              + [WEEKDAYS[0 if zh else 1][d.weekday()] for d in data.dates] + [None] * len(TOTAL_COLUMNS))
    ws.merge_cells("A4:D4")
    for i in range(len(TOTAL_COLUMNS)):
        col = 5 + len(data.dates) + i
        ws.merge_cells(start_row=3, start_column=col, end_row=4, end_column=col)
    fills = {"late": "FFF2CC", "early_leave": "FFF2CC", "late_early": "FFE699", "missed_punch": "FCE4D6",
             "absence": "F8CBAD", "on_leave": "DDEBF7", "rest_day": "EDEDED"}
    workdays = {d.isoformat() for d in data.workdays}
    for row in data.rows:
        cells: list[object] = [row.employee_no, row.name, row.department or "", row.window or ""]
        for d in data.dates:
            key = d.isoformat()
            finding = row.days.get(key) or ("" if key in workdays else "rest_day")
            sym = SYMBOLS.get(finding)
            kind = row.leave_types.get(key) if finding == "on_leave" else None
            if kind in LEAVE_SYMBOLS:
                text = LEAVE_SYMBOLS[kind][0 if zh else 1]  # 请假 with its type: 事 / 病 / 年 ...
            else:
                text = sym[0 if zh else 1] if sym else ""
            if key in row.corrections:  # 考勤更正: 更 alone on a day it made whole, after the finding otherwise
                mark = CORRECTED[0 if zh else 1]
                text = mark if finding == "on_time" else text + mark
            cells.append(text)
        totals = row.totals
        cells += [getattr(totals, k) for k, _zh, _en in TOTAL_COLUMNS]
        ws.append(cells)
        r = ws.max_row
        for i, d in enumerate(data.dates):
            finding = row.days.get(d.isoformat()) or ("" if d.isoformat() in workdays else "rest_day")
            if finding in fills:
                ws.cell(r, 5 + i).fill = PatternFill("solid", fgColor=fills[finding])
    bordered(ws, 3, ws.max_row, width, header_rows=2, left_columns=4)
    ws.row_dimensions[3].height = 42
    for i in range(5, 5 + len(data.dates)):
        ws.column_dimensions[get_column_letter(i)].width = 4
    for i in range(5 + len(data.dates), width + 1):
        ws.column_dimensions[get_column_letter(i)].width = 7
    ws.column_dimensions["A"].width = 8
    ws.column_dimensions["B"].width = 10
    ws.column_dimensions["C"].width = 14
    ws.column_dimensions["D"].width = 12
    ws.freeze_panes = "E5"
    legend_line = "　".join(f"{SYMBOLS[k][0 if zh else 1]} {z if zh else e}" for k, (z, e) in LEGEND.items()
                           if k not in ("today", "pending"))
    legend_line += f"　{CORRECTED[0 if zh else 1]} {CORRECTED[2 if zh else 3]}"
    ws.append([])
    ws.append([("图例：" if zh else "Legend: ") + legend_line])
    sign_block(ws, zh)
    print_setup(ws, width, "3:4", zh)
    legend = wb.create_sheet("图例" if zh else "Legend")
    legend.append(["符号", "含义"] if zh else ["Symbol", "Meaning"])
    for key, (z, e) in LEGEND.items():
        legend.append([SYMBOLS[key][0 if zh else 1], z if zh else e])
    for key, (sym_zh, sym_en, z, e) in LEAVE_SYMBOLS.items():
        legend.append([sym_zh if zh else sym_en, z if zh else f"On leave: {e}"])
    legend.append([CORRECTED[0 if zh else 1], CORRECTED[2 if zh else 3]])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

"""Excel roster import (花名册导入): one .xlsx sheet of staff, all rows checked first, then written in one
transaction (created or, for a known employee number, updated), audited as one event. Nothing is written when a
single row is wrong; every wrong row is reported with its row number.

Columns (first row, zh-CN or English headers, any order): 姓名/name, 工号/employee_no (required);
电话/phone, 部门/department (by name), 窗口号/window (by number) (optional).

The file is read off the event loop (``govhall.files.limits.run_bounded``) within the upload limits: its bytes,
its zip directory (announced uncompressed sizes and ratios, checked before openpyxl opens anything), at most
``MAX_SHEET_ROWS`` rows of any kind (empty rows count: 4 million of them fit in 36 KB) and the time budget.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.audit import record_audit
from govhall.domain.org.models import Department, Staff, StaffStatus, Window
from govhall.domain.org.names import normalize_name
from govhall.errors import AppError, field_error
from govhall.files import limits as upload_limits

MAX_ROWS = 2000
"""Staff rows (non-empty) per import."""
MAX_SHEET_ROWS = 5000
"""Rows of the sheet read at most, empty ones included (the header is row 1)."""
HEADERS = {
    "name": ("姓名", "name"),
    "employee_no": ("工号", "employee_no", "employee no", "employeeno"),
    "phone": ("电话", "手机", "phone"),
    "department": ("部门", "进驻单位", "department"),
    "window": ("窗口号", "窗口", "window"),
}
TEMPLATE_HEADERS = ["姓名", "工号", "电话", "部门", "窗口号"]


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int


def _bad(zh: str, en: str, fields: list[dict[str, Any]] | None = None) -> AppError:
    return AppError("roster_invalid", zh, en, fields=fields or [])


def _too_many_rows() -> AppError:
    return AppError("roster_too_many_rows",
                    f"工作表超过 {MAX_SHEET_ROWS} 行（空行也计算在内），请删除多余的行后再导入",
                    f"The sheet has more than {MAX_SHEET_ROWS} rows (empty rows count too); delete the extra rows "
                    f"and import again", status=413, details={"maxRows": MAX_SHEET_ROWS})


def _unreadable() -> AppError:
    return _bad("无法读取文件，请上传 .xlsx 格式的花名册", "Cannot read the file; upload an .xlsx roster")


def _read_rows(content: bytes, budget: upload_limits.Budget) -> list[dict[str, str]]:
    """Runs in the upload worker pool (``run_bounded``), never on the event loop."""
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as zf:
            upload_limits.check_zip(zf)
    except (zipfile.BadZipFile, EOFError, ValueError):
        raise _unreadable() from None
    budget.check()
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:
        raise _unreadable() from None
    try:
        sheet = wb.worksheets[0]
        # max_row bounds openpyxl too: it would otherwise fill in every row up to the sheet's announced
        # dimension or the next row number, however large, with empty rows.
        rows = sheet.iter_rows(max_col=10, max_row=MAX_SHEET_ROWS + 1, values_only=True)
        header = next(rows, None)
        if header is None:
            raise _bad("文件是空的", "The file is empty")
        columns: dict[str, int] = {}
        for idx, cell in enumerate(header):
            label = str(cell or "").strip().lower()
            for key, names in HEADERS.items():
                if label in names:
                    columns[key] = idx
        missing = [HEADERS[k][0] for k in ("name", "employee_no") if k not in columns]
        if missing:
            raise _bad(f"第 1 行缺少列：{'、'.join(missing)}", f"Row 1 lacks the columns: {', '.join(missing)}")
        out: list[dict[str, str]] = []
        for n, values in enumerate(rows, start=2):  # every row counts, empty or not
            if n > MAX_SHEET_ROWS:
                raise _too_many_rows()
            if n % 256 == 0:
                budget.check()
            record = {k: str(values[i]).strip() if i < len(values) and values[i] is not None else ""
                      for k, i in columns.items()}
            if not any(record.values()):
                continue
            if len(out) >= MAX_ROWS:
                raise _bad(f"一次最多导入 {MAX_ROWS} 行", f"At most {MAX_ROWS} rows per import")
            out.append(record)
        return out
    except (upload_limits.BudgetExceeded, AppError):
        raise
    except Exception:
        raise _unreadable() from None
    finally:
        wb.close()


async def read_roster(content: bytes) -> list[dict[str, str]]:
    """The roster's rows, read in the upload worker pool within the upload limits (413/400 otherwise)."""
    upload_limits.check_bytes(len(content))
    return await upload_limits.run_bounded(lambda budget: _read_rows(content, budget))


@dataclass
class CheckedRoster:
    """The rows of a roster found correct, with the staff they update (by employee number)."""

    clean: list[dict[str, Any]]
    existing: dict[str, Staff]


async def check_roster(session: AsyncSession, rows: list[dict[str, str]]) -> CheckedRoster:
    """Every row checked against the center's departments, windows and staff; 400 ``roster_invalid`` naming every
    wrong row when any is wrong."""
    if not rows:
        raise _bad("文件中没有人员", "No staff rows in the file")
    departments = {d.name: d for d in (await session.scalars(select(Department))).all()}
    windows = {w.number: w for w in (await session.scalars(select(Window))).all()}
    existing = {s.employee_no: s for s in (await session.scalars(select(Staff))).all()}
    errors: list[dict[str, Any]] = []
    clean: list[dict[str, Any]] = []
    seen: set[str] = set()
    for n, row in enumerate(rows, start=2):
        def err(field: str, zh: str, en: str, n: int = n) -> None:
            errors.append(field_error(f"row{n}.{field}", f"第 {n} 行：{zh}", f"Row {n}: {en}"))

        try:
            name = normalize_name(row.get("name", ""))
        except AppError:
            err("name", "姓名为空或含不可见字符", "name is empty or has invisible characters")
            name = ""
        no = row.get("employee_no", "")
        if not no or len(no) > 64:
            err("employeeNo", "工号为空或过长", "employee number empty or too long")
        elif no in seen:
            err("employeeNo", f"工号 {no} 在文件中重复", f"employee number {no} appears twice")
        seen.add(no)
        dept = departments.get(row["department"]) if row.get("department") else None
        if row.get("department") and dept is None:
            err("department", f"部门“{row['department']}”不存在", f"unknown department {row['department']!r}")
        win = windows.get(row["window"]) if row.get("window") else None
        if row.get("window") and win is None:
            err("window", f"窗口号“{row['window']}”不存在", f"unknown window {row['window']!r}")
        if win is not None and dept is not None and win.department_id != dept.id:
            err("window", f"窗口 {win.number} 不属于“{dept.name}”", f"window {win.number} is not in {dept.name}")
        phone = row.get("phone") or None
        if phone and len(phone) > 32:
            err("phone", "电话过长", "phone too long")
        clean.append({"name": name, "employee_no": no, "phone": phone,
                      "department_id": dept.id if dept else (win.department_id if win else None),
                      "window_id": win.id if win else None})
    if errors:
        raise AppError("roster_invalid", f"花名册有 {len(errors)} 处错误，未导入任何人员",
                       f"{len(errors)} problems in the roster; nothing was imported", fields=errors[:200])
    return CheckedRoster(clean, existing)


Progress = Callable[[int, int], Awaitable[None]]
APPLY_CHUNK = 250
"""Rows written (flushed) between two progress reports of the import job."""


async def apply_roster(session: AsyncSession, checked: CheckedRoster, progress: Progress | None = None
                       ) -> ImportResult:
    """Create or update the checked rows and audit the import, in one transaction (committed here). ``progress(done,
    total)``: called every ``APPLY_CHUNK`` rows, after they were flushed."""
    created = updated = 0
    total = len(checked.clean)
    for i, item in enumerate(checked.clean, start=1):
        person = checked.existing.get(item["employee_no"])
        if person is None:
            session.add(Staff(**item, status=StaffStatus.active))
            created += 1
        else:
            for k, v in item.items():
                setattr(person, k, v)
            updated += 1
        if progress is not None and (i % APPLY_CHUNK == 0 or i == total):
            await session.flush()
            await progress(i, total)
    await record_audit(session, action="staff.import", target_type="staff", target_id=None,
                       details={"created": created, "updated": updated,
                                "employeeNos": [i["employee_no"] for i in checked.clean][:500]})
    await session.commit()
    return ImportResult(created, updated)


async def import_roster(session: AsyncSession, content: bytes, *, max_rows: int | None = None,
                        too_many: Callable[[int, int], AppError] | None = None) -> ImportResult:
    """Read, check and apply a roster. More than ``max_rows`` staff rows: ``too_many(rows, max_rows)`` is raised
    before anything is checked or written (409 ``use_background_job``: the import job applies it)."""
    rows = await read_roster(content)
    if max_rows is not None and too_many is not None and len(rows) > max_rows:
        raise too_many(len(rows), max_rows)
    return await apply_roster(session, await check_roster(session, rows))


def template_xlsx() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.worksheets[0]  # a new Workbook holds one sheet (wb.active may be None in the type)
    ws.title = "花名册"
    ws.append(TEMPLATE_HEADERS)
    ws.append(["张三", "T100", "13800000000", "县市场监督管理局", "01"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

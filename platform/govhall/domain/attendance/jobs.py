"""The attendance domain's background jobs (govhall.jobs): the month sheet as xlsx and a month's evaluation.

A center with more than ``sync_limits().staff`` staff (``GOVHALL_JOB_STAFF``, default 300) gets ``409 use_background_job`` from ``GET .../sheet.xlsx`` and
``POST .../evaluate`` and starts the job instead (the UI does it for the user): both read every staff member's month,
which at 10,000 staff is seconds of work that would otherwise hold a worker (issue 16)."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.authz.permissions import ATTENDANCE_SHEET
from govhall.clock import local_today
from govhall.domain.attendance import board as boards
from govhall.domain.attendance import services as svc
from govhall.domain.attendance.evaluation import evaluate_month
from govhall.domain.attendance.ingest import tenant_timezone
from govhall.domain.org.models import Staff
from govhall.errors import AppError, field_error
from govhall.jobs.runner import JobContext, JobResult, register, sync_limits, use_background_job
from govhall.tenancy.models import Tenant

SHEET_XLSX = "attendance.sheet_xlsx"
EVALUATE = "attendance.evaluate"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_MONTH = re.compile(r"^\d{4}-\d{2}$")


async def refuse_if_big(session: AsyncSession, kind: str, *, download: bool = True) -> None:
    """409 ``use_background_job`` when the current tenant has more staff than ``sync_limits().staff``."""
    limit = sync_limits().staff
    n = await session.scalar(select(func.count()).select_from(Staff)) or 0
    if n > limit:
        raise use_background_job(kind, n, limit, unit=("人", "staff"), download=download)


def _params(p: dict[str, Any]) -> dict[str, Any]:
    month, lang = p.get("month") or "", p.get("lang") or "zh"
    if month and not (isinstance(month, str) and _MONTH.match(month)):
        raise AppError("invalid_month", "月份格式应为 YYYY-MM", "Month must be YYYY-MM", status=400,
                       fields=[field_error("month", "月份格式应为 YYYY-MM", "Month must be YYYY-MM")])
    if lang not in ("zh", "en"):
        raise AppError("invalid_lang", "语言应为 zh 或 en", "Language must be zh or en", status=400)
    return {"month": month, "lang": lang}


async def _sheet_xlsx(ctx: JobContext) -> JobResult:
    async with ctx.session_factory() as session:
        month = svc.parse_month(ctx.params.get("month") or None,
                                local_today(await tenant_timezone(session, ctx.tenant_id)))
        await ctx.progress(5)
        data = await boards.sheet(session, month)
        center = await session.scalar(select(Tenant.name).where(Tenant.id == ctx.tenant_id)) or ""
        await session.commit()
    await ctx.progress(60)
    lang = ctx.params.get("lang", "zh")
    body = await ctx.in_thread(boards.sheet_xlsx, data, center, lang)
    name = f"{center}-考勤-{data.month}.xlsx" if lang == "zh" else f"attendance-{data.month}.xlsx"
    return JobResult(name=name, media_type=XLSX, data=body, summary={"month": data.month, "staff": data.total})


async def _evaluate(ctx: JobContext) -> JobResult:
    async with ctx.session_factory() as session:
        month = svc.parse_month(ctx.params.get("month") or None,
                                local_today(await tenant_timezone(session, ctx.tenant_id)))
        await ctx.progress(5)
        summary = await evaluate_month(session, ctx.tenant_id, month)
    return JobResult(summary={"month": month.strftime("%Y-%m"), "staff": summary.staff, "days": summary.days,
                              "seconds": round(summary.seconds, 3)})


register(SHEET_XLSX, ATTENDANCE_SHEET, "考勤月报表导出（Excel）", "Attendance month sheet (xlsx)", _sheet_xlsx, _params)
register(EVALUATE, ATTENDANCE_SHEET, "月度考勤计算", "Evaluate the attendance month", _evaluate, _params)

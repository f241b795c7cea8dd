"""The work calendar and the dress code of a tenant over a date range: what attendance and the home page use.

``work_calendar(session, tenant_id, start, end)`` resolves the tenant's rules in force on each date (settings
versions!) and calls the enabled packs' batch hook once per span of unchanged rules.
"""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from govhall.errors import AppError, field_error
from govhall.packs.services import TenantHooks, enabled_hooks, hooks_by_span, resolved_settings, rule_error
from govhall.packs.types import DaySchedule, DressCode, PackRuleError

__all__ = ("MAX_RANGE_DAYS", "dress_codes", "enabled_hooks", "resolved_settings", "work_calendar")

MAX_RANGE_DAYS = 400


def _check_range(start: dt.date, end: dt.date) -> list[dt.date]:
    if end < start:
        raise AppError("invalid_range", "结束日期不能早于开始日期", "The end date is before the start date", status=400,
                       fields=[field_error("end", "结束日期不能早于开始日期", "End is before start")])
    n = (end - start).days + 1
    if n > MAX_RANGE_DAYS:
        zh, en = f"一次最多查询 {MAX_RANGE_DAYS} 天", f"At most {MAX_RANGE_DAYS} days per request"
        raise AppError("range_too_long", zh, en, status=400, fields=[field_error("end", zh, en)])
    return [start + dt.timedelta(days=i) for i in range(n)]


def _not_enabled(zh_pack: str, en_pack: str, day: dt.date) -> AppError:
    return AppError(
        "pack_not_enabled", f"本中心在 {day.isoformat()} 未启用“{zh_pack}”规则包，请先在“规则配置”中启用",
        f"The {en_pack} pack is not enabled for this center on {day.isoformat()}; enable it under Rules first",
        status=409,
    )


async def work_calendar(session: AsyncSession, tenant_id: UUID, start: dt.date, end: dt.date, *,
                        spans: list[tuple[dt.date, dt.date, TenantHooks]] | None = None
                        ) -> dict[dt.date, DaySchedule]:
    """The tenant's ``DaySchedule`` of every date in [start, end] (both included). ``spans``: the caller's
    ``hooks_by_span`` of the same range, when it has them already (saves reading the settings chain again).

    :raises AppError: 409 ``calendar_year_missing`` when a year is covered neither by the chinesecalendar
        package nor by the tenant's own calendar; 409 ``pack_not_enabled`` when no enabled pack answers.
    """
    _check_range(start, end)
    out: dict[dt.date, DaySchedule] = {}
    if spans is None:
        spans = await hooks_by_span(session, tenant_id, start, end)
    for s, e, hooks in spans:
        days = [s + dt.timedelta(days=i) for i in range((e - s).days + 1)]
        try:
            answer = hooks.hook.govhall_work_calendar(rules=hooks.rules, days=days)
        except PackRuleError as exc:
            raise rule_error(exc) from exc
        if answer is None:
            raise _not_enabled("作息时间", "work hours", s)
        out.update(answer)
    return out


async def dress_codes(session: AsyncSession, tenant_id: UUID, start: dt.date, end: dt.date,
                      employee_no: str | None = None) -> dict[dt.date, DressCode]:
    """The dress code of every date in [start, end]; with ``employee_no``, that person's exemptions applied."""
    _check_range(start, end)
    out: dict[dt.date, DressCode] = {}
    for s, e, hooks in await hooks_by_span(session, tenant_id, start, end):
        days = [s + dt.timedelta(days=i) for i in range((e - s).days + 1)]
        answer = hooks.hook.govhall_dress_code(rules=hooks.rules, days=days)
        if answer is None:
            raise _not_enabled("着装规范", "uniform seasons", s)
        if employee_no:
            exempt = hooks.hook.govhall_dress_exemptions(rules=hooks.rules, days=days, employee_nos=[employee_no])
            for day, reason in ((exempt or {}).get(employee_no) or {}).items():
                if day in answer:
                    answer[day] = _with_exemption(answer[day], reason)
        out.update(answer)
    return out


def _with_exemption(code: DressCode, reason: str) -> DressCode:
    import msgspec

    return msgspec.structs.replace(code, exempt_reason=reason)

"""The patrols pack's plan for a span of days (one batch hook call per span of unchanged rules)."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from govhall.errors import AppError
from govhall.packs.calendar import work_calendar
from govhall.packs.services import hooks_by_span
from govhall.packs.types import DaySchedule, PatrolPlan

PACK = "patrols"


def not_enabled() -> AppError:
    return AppError("patrols_not_enabled", "本中心未启用“巡查与值班”规则包（规则配置 › 巡查与值班）",
                    "This center has not enabled the patrols pack (Rules › Patrols and duty)", status=409)


async def patrol_plans(session: AsyncSession, tenant_id: UUID, start: date, end: date, *, required: bool = True
                       ) -> tuple[dict[date, PatrolPlan], dict[date, DaySchedule]]:
    """Every day's ``PatrolPlan`` and work calendar in [start, end]. Days whose rules do not enable the pack are
    missing; with ``required`` and no day planned: 409 ``patrols_not_enabled``."""
    spans = await hooks_by_span(session, tenant_id, start, end)
    if not any(PACK in hooks.enabled for _s, _e, hooks in spans):
        if required:
            raise not_enabled()
        return {}, {}
    calendar = await work_calendar(session, tenant_id, start, end, spans=spans)
    out: dict[date, PatrolPlan] = {}
    for s, e, hooks in spans:
        if PACK not in hooks.enabled:
            continue
        days = [calendar[s + timedelta(days=i)] for i in range((e - s).days + 1)]
        answer = hooks.hook.govhall_patrol_plan(rules=hooks.rules, days=days)
        out.update(answer or {})
    if required and not out:
        raise not_enabled()
    return out, calendar

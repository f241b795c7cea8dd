"""The what-if over the centers below as a background job (govhall.jobs): ``POST .../packs/{pack}/impact
?scope=subtree`` answers ``409 use_background_job`` when more centers than ``sync_limits().centers``
(``GOVHALL_JOB_CENTERS``, default 10) have the pack on; the job ``packs.impact_subtree`` previews the candidate
over every one of them (no time budget), reports its progress per center, evaluates each center's month in a worker
thread, and leaves the same JSON answer as the request (``ImpactOut``) as its result file (issue 16)."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from typing import Any

import msgspec

from govhall.authz.permissions import PACK_SETTINGS_LOCK, PACK_SETTINGS_UPDATE
from govhall.domain.rulescode.impact import SUBTREE_JOB, subtree_impact
from govhall.errors import AppError, field_error
from govhall.jobs.runner import JobContext, JobResult, register
from govhall.packs.manager import get_host

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _bad(field: str, zh: str, en: str) -> AppError:
    return AppError("invalid_parameter", f"{field}：{zh}", f"{field}: {en}", status=400,
                    fields=[field_error(field, zh, en)])


def _params(p: dict[str, Any]) -> dict[str, Any]:
    """The request's body plus the pack: ``{pack, enabled, overrides, locks?, month?}``."""
    pack = p.get("pack")
    if not isinstance(pack, str) or pack not in get_host().packs:
        raise AppError("unknown_pack", "没有这个规则包", "No such pack", status=400,
                       fields=[field_error("pack", "没有这个规则包", "No such pack")])
    enabled = p.get("enabled")
    if not isinstance(enabled, bool):
        raise _bad("enabled", "应为 true 或 false", "must be true or false")
    overrides = p.get("overrides", {})
    if not isinstance(overrides, dict):
        raise _bad("overrides", "应为对象", "must be an object")
    locks = p.get("locks")
    if locks is not None and not (isinstance(locks, list) and all(isinstance(x, str) for x in locks)):
        raise _bad("locks", "应为字段名的列表", "must be a list of field names")
    month = p.get("month")
    if month is not None and not (isinstance(month, str) and _MONTH.match(month)):
        raise _bad("month", "格式应为 YYYY-MM", "use YYYY-MM")
    return {"pack": pack, "enabled": enabled, "overrides": overrides, "locks": locks, "month": month}


async def _subtree(ctx: JobContext) -> JobResult:
    from govhall.domain.rulescode.controllers import subtree_out  # the controllers import this module

    p = ctx.params
    month = dt.date(int(p["month"][:4]), int(p["month"][5:]), 1) if p.get("month") else None
    can_lock = bool(ctx.authz and await ctx.authz.allowed(ctx.created_by, str(ctx.tenant_id), PACK_SETTINGS_LOCK))

    async def on_center(done: int, total: int) -> None:
        await ctx.step(done, total)

    async with ctx.session_factory() as session:
        tree = await subtree_impact(session, ctx.tenant_id, p["pack"], enabled=p["enabled"],
                                    overrides=p.get("overrides") or {}, locks=p.get("locks"),
                                    month=month, can_lock=can_lock, budget_seconds=None,
                                    on_center=on_center, offload=asyncio.to_thread)
        await session.rollback()  # read-only, whatever the evaluation touched
    out = subtree_out(tree)
    return JobResult(name=f"what-if-{p['pack']}-{out.month}.json", media_type="application/json",
                     data=msgspec.json.encode(out),
                     summary={"month": out.month, "centers": len(out.centers or []), "staff": out.staff,
                              "changedDays": out.changed_days, "unaffected": len(out.unaffected or [])})


register(SUBTREE_JOB, PACK_SETTINGS_UPDATE, "规则影响预览（下级中心）", "What-if over the centers below", _subtree, _params)

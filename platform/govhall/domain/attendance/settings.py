"""Where the attendance rules of a tenant come from: the attendance_rules pack's resolved settings.

Request paths (every clock-in and terminal batch) read them through a short per-process cache: resolving
walks the tenant tree (a few queries), and a settings change reaching punches within ``TTL_SECONDS`` is
enough for what ingestion uses (back-dating window, clock tolerance, web clock-in). The month evaluation does
not use this cache: it reads the rules in force on each day itself.
"""

from __future__ import annotations

import time
from datetime import date
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from govhall.domain.attendance.rules import AttendanceRules
from govhall.errors import AppError

PACK = "attendance_rules"
TTL_SECONDS = 30.0
_MAX = 4096
_cache: dict[tuple[UUID, date], tuple[float, AttendanceRules]] = {}


async def rules_for(session: AsyncSession, tenant_id: UUID, on: date) -> AttendanceRules:
    """The tenant's attendance rules in force on ``on`` (the pack's defaults when it is not installed)."""
    key = (tenant_id, on)
    hit = _cache.get(key)
    now = time.monotonic()
    if hit is not None and now - hit[0] < TTL_SECONDS:
        return hit[1]
    from govhall.packs.services import resolved_settings

    try:
        rules = AttendanceRules.from_settings(await resolved_settings(session, tenant_id, PACK, on))
    except AppError:
        rules = AttendanceRules()
    if len(_cache) >= _MAX:
        _cache.clear()
    _cache[key] = (now, rules)
    return rules


def forget(tenant_id: UUID | None = None) -> None:
    """Drop cached rules (tests, or after a settings change in this process)."""
    if tenant_id is None:
        _cache.clear()
    else:
        for key in [k for k in _cache if k[0] == tenant_id]:
            del _cache[key]

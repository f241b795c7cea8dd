"""Where the attendance rules of a tenant come from: the attendance_rules pack's resolved settings.

Request paths (every clock-in and terminal batch) read them from the tenant's cached settings chain
(``govhall.packs.cache``): no query once the chain is cached, and every worker drops the chain the moment a
version is saved at the tenant or above, so a rule change applies to the very next punch. A version saved
with a future effective date applies from that date on its own: the chain holds every version, and the rules
are resolved for the punch's date. The month evaluation reads the rules in force on each day itself.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from govhall.domain.attendance.rules import AttendanceRules
from govhall.errors import AppError

PACK = "attendance_rules"


async def rules_for(session: AsyncSession, tenant_id: UUID, on: date) -> AttendanceRules:
    """The tenant's attendance rules in force on ``on`` (the pack's defaults when it is not installed)."""
    from govhall.packs.services import resolved_settings

    try:
        settings = await resolved_settings(session, tenant_id, PACK, on)
    except AppError:
        return AttendanceRules()
    return AttendanceRules.from_settings(settings)  # type: ignore[arg-type]  # the attendance_rules pack resolves to its AttendanceRulesSettings


def forget(tenant_id: UUID | None = None) -> None:
    """After settings were saved by a session outside the app (tests, the CLI): drop this process's copies."""
    from govhall.packs.cache import forget as forget_chains

    forget_chains(tenant_id)

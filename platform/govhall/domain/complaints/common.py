"""What complaints and cases share: the tenant, the clock, the pack's hooks and settings, the acting user."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from govhall.clock import utcnow, zone
from govhall.domain.assessment.services import Actor, tenant
from govhall.domain.assessment.services import actor as assessment_actor
from govhall.domain.attendance.ingest import tenant_timezone
from govhall.errors import AppError, field_error
from govhall.packs.services import TenantHooks, enabled_hooks

PACK = "complaints"
WRITTEN_CHANNELS = frozenset({"letter", "mailbox", "web"})

__all__ = ("PACK", "WRITTEN_CHANNELS", "Actor", "Who", "bad", "hooks_on", "now_local", "tenant", "tz", "who")


def bad(code: str, field: str, zh: str, en: str, status: int = 400) -> AppError:
    return AppError(code, zh, en, status=status, fields=[field_error(field, zh, en)])


@dataclass(frozen=True)
class Who:
    """The acting user: the assessment's actor (roles, own staff, staff scope) and their permissions here."""

    a: Actor
    perms: frozenset[str]

    def can(self, key: str) -> bool:
        return key in self.perms


async def who(session: AsyncSession, authz: Any, user: Any) -> Who:
    a = await assessment_actor(session, authz, user)
    return Who(a, frozenset(await authz.permissions_in(user.id, str(tenant()))))


async def tz(session: AsyncSession) -> Any:
    return zone(await tenant_timezone(session, tenant()))


async def now_local(session: AsyncSession) -> datetime:
    return utcnow().astimezone(await tz(session))


async def hooks_on(session: AsyncSession, at: datetime) -> TenantHooks:
    hooks = await enabled_hooks(session, tenant(), at.astimezone(await tz(session)).date())
    if PACK not in hooks.enabled:
        raise AppError("pack_not_enabled", "本中心未启用“投诉与办件时限”规则包，请先在规则配置中启用",
                       "This center has not enabled the complaints pack (Rules)", status=409)
    return hooks


def tenant_id() -> UUID:
    return tenant()

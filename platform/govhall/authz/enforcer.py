"""The process's Casbin enforcer: shared role permissions from code, role assignments loaded per tenant.

Assignments are loaded lazily, one tenant (domain) at a time, the first time a request needs it, so a worker
holds only the tenants it serves. ``invalidate(tenant)`` drops a tenant so the next request reloads it; the
policy-change notifier calls it in every worker.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any
from uuid import UUID

import casbin
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.authz.permissions import PLATFORM_DOMAIN, ROLE_PERMISSIONS, Permission, Role
from govhall.tenancy.context import system_scope, tenant_scope

MODEL_PATH = Path(__file__).with_name("model.conf")


def _valid_domain(domain: str) -> bool:
    if domain == PLATFORM_DOMAIN:
        return True
    try:
        UUID(domain)
    except ValueError:
        return False
    return True


class Authorizer:
    def __init__(self, session_factory: Callable[[], Any]) -> None:
        self._session_factory = session_factory
        self.enforcer = casbin.Enforcer(str(MODEL_PATH))
        self.enforcer.enable_auto_save(False)
        self.enforcer.add_policies(
            [[role.value, p.obj, p.act] for role, perms in ROLE_PERMISSIONS.items() for p in sorted(perms)]
        )
        self._loaded: set[str] = set()
        self._lock = asyncio.Lock()
        # Bumped by invalidate(): a load that overlapped an invalidation is not trusted (it may have read the
        # rows just before the change committed) and is repeated.
        self._generation: dict[str, int] = {}

    async def ensure_domain(self, domain: str) -> None:
        if domain in self._loaded:
            return
        async with self._lock:
            for _ in range(5):
                if domain in self._loaded:
                    return
                generation = self._generation.get(domain, 0)
                rows = await self._load_rows(domain)
                # From here to the end of the block nothing awaits: no request sees a half-replaced domain.
                self._drop(domain)
                if rows:
                    self.enforcer.add_named_grouping_policies("g", rows)
                if self._generation.get(domain, 0) == generation:
                    self._loaded.add(domain)
                    return

    async def _load_rows(self, domain: str) -> list[list[str]]:
        from govhall.domain.identity.models import RoleAssignment, User

        session: AsyncSession
        if domain == PLATFORM_DOMAIN:
            with system_scope():
                async with self._session_factory() as session:
                    ids = (await session.scalars(select(User.id).where(User.is_platform_admin.is_(True)))).all()
            return [[str(i), Role.platform_admin.value, PLATFORM_DOMAIN] for i in ids]
        with tenant_scope(UUID(domain)):
            async with self._session_factory() as session:
                result = await session.execute(select(RoleAssignment.user_id, RoleAssignment.role))
                return [[str(uid), role, domain] for uid, role in result.all() if role != Role.platform_admin.value]

    def _drop(self, domain: str) -> None:
        self.enforcer.remove_filtered_named_grouping_policy("g", 2, domain)

    def invalidate(self, domain: str) -> None:
        """Forget a tenant's assignments; the next request reloads them from the database."""
        self._generation[domain] = self._generation.get(domain, 0) + 1
        self._loaded.discard(domain)
        self._drop(domain)

    def invalidate_all(self) -> None:
        for domain in list(self._loaded | set(self._generation)):
            self.invalidate(domain)

    async def allowed(self, user_id: UUID | str, domain: str, perm: Permission) -> bool:
        if not domain or not _valid_domain(domain):
            return False
        await self.ensure_domain(domain)
        return bool(self.enforcer.enforce(str(user_id), domain, perm.obj, perm.act))

    async def roles_in(self, user_id: UUID | str, domain: str) -> list[str]:
        if not _valid_domain(domain):
            return []
        await self.ensure_domain(domain)
        return sorted(self.enforcer.get_roles_for_user_in_domain(str(user_id), domain))

    async def permissions_in(self, user_id: UUID | str, domain: str) -> list[str]:
        roles = await self.roles_in(user_id, domain)
        return sorted({p.key for r in roles if r in Role.__members__ for p in ROLE_PERMISSIONS[Role(r)]})

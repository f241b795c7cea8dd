"""The process's Casbin enforcer: shared role permissions from code, role assignments loaded per tenant.

Assignments are loaded lazily, one tenant (domain) at a time, the first time a request needs it, and kept in
a least-recently-used set of at most ``max_tenants`` domains (GOVHALL_AUTHZ_CACHE_TENANTS): a worker holds the
tenants it serves lately, never the whole platform, and a long-running worker does not grow without bound (each
drop also costs Casbin a pass over the rows held, so the bound keeps that cheap too). An evicted tenant is simply
reloaded on its next request. ``invalidate(tenant)`` drops a tenant so the next request reloads it; the
change bus (``govhall.bus``, topic ``policy``) calls it in every worker once ``connect(bus)`` subscribed it.

Role assignments of tenants are ``govhall.authz.models.RoleAssignment`` rows. The reserved ``platform`` domain
has no rows of its own: who is a platform admin is a property of the account, so the app passes a
``platform_admins(session)`` loader (the identity domain's); without one the platform domain holds no one.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from typing import Any
from uuid import UUID

import casbin
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.authz.models import RoleAssignment
from govhall.authz.permissions import PLATFORM_DOMAIN, ROLE_PERMISSIONS, Permission, Role
from govhall.bus import POLICY, ChangeBus
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


DEFAULT_MAX_TENANTS = 1000


PlatformAdmins = Callable[[AsyncSession], Awaitable[Iterable[UUID]]]
"""Reads the ids of the platform admins (called under ``system_scope()``)."""


class Authorizer:
    def __init__(self, session_factory: Callable[[], Any], *, max_tenants: int = DEFAULT_MAX_TENANTS,
                 platform_admins: PlatformAdmins | None = None) -> None:
        if max_tenants < 1:
            raise ValueError("max_tenants must be at least 1")
        self._session_factory = session_factory
        self._platform_admins = platform_admins
        self.max_tenants = max_tenants
        self.enforcer = casbin.Enforcer(str(MODEL_PATH))
        self.enforcer.enable_auto_save(False)
        self.enforcer.add_policies(
            [[role.value, p.obj, p.act] for role, perms in ROLE_PERMISSIONS.items() for p in sorted(perms)]
        )
        self._loaded: OrderedDict[str, None] = OrderedDict()  # least recently used first
        self._lock = asyncio.Lock()
        # The domain being loaded (loads run one at a time, under the lock) and whether invalidate() hit it
        # meanwhile: such a load is not trusted (it may have read the rows just before the change committed)
        # and is repeated.
        self._loading: str | None = None
        self._stale = False
        self.loads = 0
        self.evictions = 0

    def connect(self, bus: ChangeBus) -> None:
        """Drop a tenant's assignments whenever the bus says they changed, in any worker."""
        bus.subscribe(POLICY, self.invalidate, self.invalidate_all)

    def loaded_domains(self) -> list[str]:
        """The domains held, least recently used first."""
        return list(self._loaded)

    async def ensure_domain(self, domain: str) -> None:
        if domain in self._loaded:
            self._loaded.move_to_end(domain)
            return
        async with self._lock:
            for _ in range(5):
                if domain in self._loaded:
                    self._loaded.move_to_end(domain)
                    return
                self._loading, self._stale = domain, False
                try:
                    rows = await self._load_rows(domain)
                finally:
                    self._loading = None
                self.loads += 1
                if self._stale:
                    continue  # nothing of an untrusted load is kept; after 5 tries the domain denies (fail closed)
                # From here to the end of the block nothing awaits: no request sees a half-replaced domain, and
                # the caller's enforce() runs before any other load could evict this one.
                self._drop(domain)
                if rows:
                    self.enforcer.add_named_grouping_policies("g", rows)
                self._loaded[domain] = None
                self._evict()
                return

    def _evict(self) -> None:
        while len(self._loaded) > self.max_tenants:
            oldest, _ = self._loaded.popitem(last=False)
            self._drop(oldest)
            self.evictions += 1

    async def _load_rows(self, domain: str) -> list[list[str]]:
        session: AsyncSession
        if domain == PLATFORM_DOMAIN:
            if self._platform_admins is None:
                return []
            with system_scope():
                async with self._session_factory() as session:
                    ids = list(await self._platform_admins(session))
            return [[str(i), Role.platform_admin.value, PLATFORM_DOMAIN] for i in ids]
        with tenant_scope(UUID(domain)):
            async with self._session_factory() as session:
                result = await session.execute(select(RoleAssignment.user_id, RoleAssignment.role))
                return [[str(uid), role, domain] for uid, role in result.all() if role != Role.platform_admin.value]

    def _drop(self, domain: str) -> None:
        self.enforcer.remove_filtered_named_grouping_policy("g", 2, domain)

    def invalidate(self, domain: str) -> None:
        """Forget a tenant's assignments; the next request reloads them from the database."""
        if domain == self._loading:
            self._stale = True
        # Only held domains have rows in the enforcer (eviction and untrusted loads leave none behind), so a
        # notice about a tenant this worker does not hold costs nothing.
        if domain in self._loaded:
            del self._loaded[domain]
            self._drop(domain)

    def invalidate_all(self) -> None:
        if self._loading is not None:
            self._stale = True
        for domain in list(self._loaded):
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

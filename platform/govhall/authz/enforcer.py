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
from casbin.persist.adapter import Adapter
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


class _Rows(Adapter):
    """Hands Casbin the rows already read (policy lines appended as they come: linear, no duplicate scan)."""

    def __init__(self, rows: list[list[str]]) -> None:
        self._rows = rows

    def load_policy(self, model: Any) -> None:
        p, g = model.model["p"]["p"].policy, model.model["g"]["g"].policy
        for rule in _SHARED_P:
            p.append(rule)
        for rule in self._rows:
            g.append(rule)


_SHARED_P = [[role.value, p.obj, p.act] for role, perms in ROLE_PERMISSIONS.items() for p in sorted(perms)]


def build_enforcer(rows: list[list[str]]) -> casbin.FastEnforcer:
    """One tenant's enforcer: the shared role permissions and the tenant's assignments.

    Linear in the rows: Casbin's domain role manager defaults to an equality *matching function* that makes every
    link scan all roles (quadratic: 25 s for 6,000 accounts); exact names need none, so it is removed before the
    rows are loaded. ``FastEnforcer`` indexes the permission rows by (object, action) (the request puts them at the
    same positions as the policy: ``r = sub, obj, act, dom``), so a decision evaluates the few rows of the roles
    holding that permission instead of all of them."""
    e = casbin.FastEnforcer(str(MODEL_PATH), cache_key_order=[1, 2])
    e.enable_auto_save(False)
    e.get_role_manager().add_matching_func(None)
    e.set_adapter(_Rows(rows))
    e.load_policy()
    return e


class Authorizer:
    def __init__(self, session_factory: Callable[[], Any], *, max_tenants: int = DEFAULT_MAX_TENANTS,
                 platform_admins: PlatformAdmins | None = None) -> None:
        if max_tenants < 1:
            raise ValueError("max_tenants must be at least 1")
        self._session_factory = session_factory
        self._platform_admins = platform_admins
        self.max_tenants = max_tenants
        # One small enforcer per tenant held (least recently used first): a decision's cost does not grow with
        # the tenants held, loading or dropping a tenant touches only its own rows.
        self._loaded: OrderedDict[str, casbin.FastEnforcer] = OrderedDict()
        self._lock = asyncio.Lock()
        # The domain being loaded (loads run one at a time, under the lock) and whether invalidate() hit it
        # meanwhile: such a load is not trusted (it may have read the rows just before the change committed)
        # and is repeated.
        self._loading: str | None = None
        self._stale = False
        self.loads = 0
        self.evictions = 0
        self.trusted: Callable[[], bool] = lambda: True
        """Whether the cached assignments may be used (the policy bus sets it: only while it is listening)."""
        self.fresh_reads = 0

    def connect(self, bus: ChangeBus) -> None:
        """Drop a tenant's assignments whenever the bus says they changed, in any worker."""
        bus.subscribe(POLICY, self.invalidate, self.invalidate_all)
        self.trusted = lambda: bus.listening  # not listening: cached assignments are not trusted (fail closed)

    def loaded_domains(self) -> list[str]:
        """The domains held, least recently used first."""
        return list(self._loaded)

    def enforcer_for(self, domain: str) -> casbin.FastEnforcer | None:
        """The enforcer held for ``domain`` (None when not held)."""
        return self._loaded.get(domain)

    async def ensure_domain(self, domain: str) -> casbin.FastEnforcer:
        held = self._loaded.get(domain)
        if held is not None:
            self._loaded.move_to_end(domain)
            return held
        async with self._lock:
            for _ in range(5):
                held = self._loaded.get(domain)
                if held is not None:
                    self._loaded.move_to_end(domain)
                    return held
                self._loading, self._stale = domain, False
                try:
                    rows = await self._load_rows(domain)
                    # Built off the event loop (a center of 10,000 accounts is a few hundred ms of CPU).
                    built = await asyncio.to_thread(build_enforcer, rows) if len(rows) > 500 else build_enforcer(rows)
                finally:
                    self._loading = None
                self.loads += 1
                if self._stale:
                    continue  # nothing of an untrusted load is kept; after 5 tries the domain denies (fail closed)
                self._loaded[domain] = built
                self._evict()
                return built
            return build_enforcer([])

    def _evict(self) -> None:
        while len(self._loaded) > self.max_tenants:
            self._loaded.popitem(last=False)
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

    def invalidate(self, domain: str) -> None:
        """Forget a tenant's assignments; the next request reloads them from the database."""
        if domain == self._loading:
            self._stale = True
        # A notice about a tenant this worker does not hold costs nothing.
        self._loaded.pop(domain, None)

    def invalidate_all(self) -> None:
        if self._loading is not None:
            self._stale = True
        for domain in list(self._loaded):
            self.invalidate(domain)

    async def allowed(self, user_id: UUID | str, domain: str, perm: Permission) -> bool:
        if not domain or not _valid_domain(domain):
            return False
        if not self.trusted():
            return any(perm in ROLE_PERMISSIONS[Role(r)] for r in await self._fresh_roles(str(user_id), domain))
        enforcer = await self.ensure_domain(domain)
        return bool(enforcer.enforce(str(user_id), perm.obj, perm.act, domain))

    async def roles_in(self, user_id: UUID | str, domain: str) -> list[str]:
        if not _valid_domain(domain):
            return []
        if not self.trusted():
            return await self._fresh_roles(str(user_id), domain)
        enforcer = await self.ensure_domain(domain)
        return sorted(enforcer.get_roles_for_user_in_domain(str(user_id), domain))

    async def _fresh_roles(self, user_id: str, domain: str) -> list[str]:
        """The user's roles in ``domain`` read now from the database, bypassing the cache (fail closed while the
        policy bus is not listening: a revoke announced meanwhile would be missed)."""
        self.fresh_reads += 1
        self.invalidate_all()  # whatever is cached may be stale by the time the bus listens again
        rows = await self._load_rows(domain)
        return sorted({role for uid, role, _d in rows if uid == user_id and role in Role.__members__})

    async def permissions_in(self, user_id: UUID | str, domain: str) -> list[str]:
        roles = await self.roles_in(user_id, domain)
        return sorted({p.key for r in roles if r in Role.__members__ for p in ROLE_PERMISSIONS[Role(r)]})

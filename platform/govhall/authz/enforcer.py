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

_ROLES_HOLDING: dict[tuple[str, str], tuple[str, ...]] = {}
"""(object, action) -> the roles whose shared ``p`` rows grant it: the rows the matcher's ``r.obj == p.obj &&
r.act == p.act`` selects, indexed once per process."""
for _role, _obj, _act in _SHARED_P:
    _ROLES_HOLDING[(_obj, _act)] = (*_ROLES_HOLDING.get((_obj, _act), ()), _role)

USER_KEY_SEP = "/"
"""A ``policy`` notice key ``<tenant>/<user>``: only that user's assignments in that tenant changed."""


def decide(enforcer: casbin.FastEnforcer, user: str, obj: str, act: str, domain: str) -> bool:
    """The model's decision (``model.conf``) without evaluating the matcher expression per row: the roles holding
    (obj, act) are looked up in the index above, and ``g(r.sub, p.sub, r.dom)`` is asked of the enforcer's own role
    manager, the very links ``enforce`` would follow. A few µs instead of Casbin's 150-550 µs per ``enforce``
    (``tests/authz/test_fast_decision.py`` checks both agree for every role and permission)."""
    if not domain or domain == "*":
        return False
    roles = _ROLES_HOLDING.get((obj, act))
    if not roles:
        return False
    has_link = enforcer.get_role_manager().has_link
    return any(has_link(user, role, domain) for role in roles)


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
    # Casbin builds a domain's role links lazily, on the first decision in it (100 ms for 10,000 accounts): build
    # them now, where the load runs (off the event loop for big tenants), so no request pays for it.
    rm = e.get_role_manager()
    for domain in {r[2] for r in rows}:
        rm.get_users(Role.center_admin.value, domain)
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
        # Users whose assignments changed in a held tenant (``<tenant>/<user>`` notices): re-read, just those rows,
        # before the tenant's next decision, instead of reloading the whole tenant.
        self._dirty: dict[str, set[str]] = {}
        self.user_reloads = 0
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
        if held is not None and domain not in self._dirty:
            self._loaded.move_to_end(domain)
            return held
        async with self._lock:
            if domain in self._dirty and domain in self._loaded:
                refreshed = await self._refresh_users(domain)
                if refreshed is not None:
                    return refreshed
            for _ in range(5):
                held = self._loaded.get(domain)
                if held is not None and domain not in self._dirty:
                    self._loaded.move_to_end(domain)
                    return held
                self._loaded.pop(domain, None)
                self._dirty.pop(domain, None)
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
            gone, _e = self._loaded.popitem(last=False)
            self._dirty.pop(gone, None)
            self.evictions += 1

    async def _refresh_users(self, domain: str) -> casbin.FastEnforcer | None:
        """Re-read the assignments of the users marked changed in a held tenant and replace just their links (an
        indexed read of a few rows; the rest of the tenant stays loaded). None when it could not settle (notices
        for the same tenant kept coming): the caller reloads the tenant."""
        for _ in range(5):
            users = self._dirty.pop(domain, set())
            enforcer = self._loaded.get(domain)
            if enforcer is None:
                return None
            if not users:
                self._loaded.move_to_end(domain)
                return enforcer
            self._loading, self._stale = domain, False
            try:
                rows = await self._load_rows(domain, users)
            finally:
                self._loading = None
            if self._stale or domain not in self._loaded:
                self._dirty.setdefault(domain, set()).update(users)  # a notice came meanwhile: read them again
                continue
            # Remove every link of these users in this domain, then add what the database holds now.
            for user in users:
                old = enforcer.get_filtered_named_grouping_policy("g", 0, user, "", domain)
                if old:
                    enforcer.remove_named_grouping_policies("g", old)
            if rows:
                enforcer.add_named_grouping_policies("g", rows)
            self.user_reloads += 1
        self._loaded.pop(domain, None)
        self._dirty.pop(domain, None)
        return None

    async def _load_rows(self, domain: str, users: set[str] | None = None) -> list[list[str]]:
        session: AsyncSession
        if domain == PLATFORM_DOMAIN:
            if self._platform_admins is None:
                return []
            with system_scope():
                async with self._session_factory() as session:
                    ids = list(await self._platform_admins(session))
            return [[str(i), Role.platform_admin.value, PLATFORM_DOMAIN] for i in ids
                    if users is None or str(i) in users]
        stmt = select(RoleAssignment.user_id, RoleAssignment.role)
        if users is not None:
            stmt = stmt.where(RoleAssignment.user_id.in_([UUID(u) for u in users]))
        with tenant_scope(UUID(domain)):
            async with self._session_factory() as session:
                result = await session.execute(stmt)
                return [[str(uid), role, domain] for uid, role in result.all() if role != Role.platform_admin.value]

    def invalidate(self, domain: str) -> None:
        """Forget a tenant's assignments; the next request reloads them from the database. A key
        ``<tenant>/<user>`` forgets only that user's assignments in the tenant (re-read before its next decision)."""
        if USER_KEY_SEP in domain:
            tenant, user = domain.split(USER_KEY_SEP, 1)
            if tenant == self._loading:
                self._stale = True
            if tenant in self._loaded:
                self._dirty.setdefault(tenant, set()).add(user)
            return
        if domain == self._loading:
            self._stale = True
        # A notice about a tenant this worker does not hold costs nothing.
        self._loaded.pop(domain, None)
        self._dirty.pop(domain, None)

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
        return decide(enforcer, str(user_id), perm.obj, perm.act, domain)

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

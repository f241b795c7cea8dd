"""The tenant tree a user may see, a level (or a search) at a time (issue 16, "A tenant tree that pages").

The visibility rule is the one Casbin decides (``tenant:read`` in each tenant), written as SQL over the same
``role_assignment`` rows the enforcer loads: a tenant is visible when the user holds a role granting
``tenant:read`` in it and it lies in the user's home subtree; a platform admin (``tenant:read`` in the reserved
platform domain) sees every tenant. ``tests/org/test_tenant_tree.py`` checks the SQL against the enforcer, tenant by
tenant, for every demo login. A level is two statements whatever its size: the page (the children of ``parent``, or a
search) with the total for paging (a window count), then one grouped statement counting each page row's visible
children and descendants (``childCount``, ``descendantCount``) over an index range of the bytewise path; nothing
below the level is sent (``tests/org/test_tenant_tree.py`` counts the statements).

Rows of other tenants are read outside the request's tenant scope: the ORM guard stands aside (``system_scope``)
and, on PostgreSQL, the SELECT-only RLS policy of ``role_assignment`` for ``app.account_authority`` (migration
0008_security, made cheap and estimable in 0015_tree) shows the rows of this one account, for this read alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, and_, case, exists, func, or_, select, text, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from govhall.authz.models import RoleAssignment
from govhall.authz.permissions import PLATFORM_DOMAIN, ROLE_PERMISSIONS, TENANT_ONBOARD, TENANT_READ, Role
from govhall.errors import not_found
from govhall.tenancy.context import system_scope
from govhall.tenancy.models import Tenant, TenantLevel

READ_ROLES = sorted(r.value for r, ps in ROLE_PERMISSIONS.items() if TENANT_READ in ps and r is not Role.platform_admin)
ONBOARD_ROLES = sorted(r.value for r, ps in ROLE_PERMISSIONS.items()
                       if TENANT_ONBOARD in ps and r is not Role.platform_admin)
NO_ONBOARD_BELOW = (TenantLevel.township, TenantLevel.platform)
DEFAULT_LIMIT = 100
MAX_LIMIT = 500


@dataclass(frozen=True, slots=True)
class TreeNode:
    tenant: Tenant
    can_onboard: bool
    child_count: int
    descendant_count: int
    ancestors: list[str]
    """Names of the ancestors, the province first (search results only; empty otherwise)."""


@dataclass(frozen=True, slots=True)
class TreePage:
    nodes: list[TreeNode]
    total: int


class _Viewer:
    def __init__(self, user: Any, home: Tenant, platform: bool, platform_onboard: bool) -> None:
        self.user_id: UUID = user.id
        self.home = home
        self.platform = platform
        self.platform_onboard = platform_onboard

    def holds(self, tenant_id: ColumnElement[Any], roles: list[str]) -> ColumnElement[bool]:
        ra = aliased(RoleAssignment)
        return exists().where(ra.tenant_id == tenant_id, ra.user_id == self.user_id, ra.role.in_(roles))

    def visible(self, t: Any) -> ColumnElement[bool]:
        if self.platform:
            return true()
        return and_(t.path.startswith(self.home.path), self.holds(t.id, READ_ROLES))

    def can_onboard(self, t: Any) -> ColumnElement[bool]:
        may = self.holds(t.id, ONBOARD_ROLES)
        if self.platform_onboard:
            may = or_(may, t.id == self.home.id)
        return and_(may, t.level.not_in(NO_ONBOARD_BELOW))


async def _viewer(session: AsyncSession, authz: Any, user: Any) -> _Viewer | None:
    home = await session.get(Tenant, user.tenant_id)
    if home is None:
        return None
    platform = bool(user.is_platform_admin) and await authz.allowed(user.id, PLATFORM_DOMAIN, TENANT_READ)
    platform_onboard = bool(user.is_platform_admin) and await authz.allowed(user.id, PLATFORM_DOMAIN, TENANT_ONBOARD)
    return _Viewer(user, home, platform, platform_onboard)


async def _counts(session: AsyncSession, v: _Viewer, tenants: list[Tenant]) -> tuple[dict[UUID, int], dict[UUID, int]]:
    """Visible children and visible descendants of each of ``tenants``, in one grouped statement: each tenant's
    subtree is an index range on the (bytewise) path, ``p.path < d.path < subtree_upper(p.path)``, read once for the
    page. No count per row: a correlated ``COUNT(*) ... WHERE path LIKE t.path || '%'`` per page row is what no index
    serves and, on PostgreSQL, whose plan multiplied the page by the user's (misestimated) role rows (issue 16)."""
    ids = [t.id for t in tenants if t.level not in NO_ONBOARD_BELOW]  # nothing below townships and the platform
    children: dict[UUID, int] = dict.fromkeys((t.id for t in tenants), 0)
    descendants = dict(children)
    if not ids:
        return children, descendants
    p = aliased(Tenant, name="p")
    d = aliased(Tenant, name="d")
    upper = func.substr(p.path, 1, func.length(p.path) - 1) + "0"
    stmt = (select(p.id, func.count(), func.sum(case((d.parent_id == p.id, 1), else_=0)))
            .join(d, and_(d.path > p.path, d.path < upper))
            .where(p.id.in_(ids), v.visible(d)).group_by(p.id))
    for tid, below, kids in (await session.execute(stmt)).all():
        descendants[tid], children[tid] = int(below), int(kids or 0)
    return children, descendants


async def _page(session: AsyncSession, v: _Viewer, where: Callable[[Any], ColumnElement[bool]], limit: int, offset: int,
                with_ancestors: bool) -> TreePage:
    t = aliased(Tenant, name="t")
    # The page with the level's total (a window count), then the counts below the page's rows from one read.
    stmt = (select(t, v.can_onboard(t).label("can"), func.count().over().label("total"))
            .where(where(t), v.visible(t)).order_by(t.division_code, t.id).limit(limit).offset(offset))
    rows = (await session.execute(stmt)).all()
    total = rows[0].total if rows else 0
    if not rows and offset:
        total = await session.scalar(select(func.count()).select_from(t).where(where(t), v.visible(t))) or 0
    names: dict[str, str] = {}
    if with_ancestors and rows:
        ids = {p for r in rows for p in r[0].path.strip("/").split("/")[:-1]}
        if ids:
            names = {str(i): n for i, n in (await session.execute(
                select(Tenant.id, Tenant.name).where(Tenant.id.in_([UUID(x) for x in ids])))).all()}
    children, descendants = await _counts(session, v, [r[0] for r in rows]) if rows else ({}, {})
    nodes = [TreeNode(r[0], bool(r.can), children[r[0].id], descendants[r[0].id],
                      [names.get(p, "") for p in r[0].path.strip("/").split("/")[:-1]] if with_ancestors else [])
             for r in rows]
    return TreePage(nodes, int(total))


async def tenant_tree_page_across_tenants(session: AsyncSession, authz: Any, user: Any, *, parent: UUID | None,
                                          search: str, tenant: UUID | None = None, limit: int = DEFAULT_LIMIT, offset: int = 0) -> TreePage:
    """One level of the tree the user may see: the top (``parent`` None, no search), the children of ``parent``,
    or the tenants whose name contains / division code starts with ``search``; paged by division code. Reads role
    rows of every tenant (of this account only): hence outside the tenant scope."""
    limit, offset = max(1, min(limit, MAX_LIMIT)), max(0, offset)
    pg = (await session.connection()).dialect.name == "postgresql"
    if pg:
        # Plans for these parameters, every time: the same statement serves a subtree of 10 and one of 10,000, and a
        # generic plan cached by the connection's prepared statement when the tree was small (or its statistics
        # stale) ran for minutes once the tree had grown (issue 16). Both settings are undone below (and end with the
        # transaction anyway).
        await session.execute(text("SELECT set_config('app.account_authority', :v, true), "
                                   "set_config('plan_cache_mode', 'force_custom_plan', true)"), {"v": str(user.id)})
    try:
        with system_scope():
            v = await _viewer(session, authz, user)
            if v is None:
                return TreePage([], 0)
            if tenant is not None:
                return await _page(session, v, lambda t: t.id == tenant, 1, 0, with_ancestors=True)
            if search:
                needle = search.strip()[:100]
                like = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                return await _page(session, v, lambda t: or_(t.name.ilike(f"%{like}%", escape="\\"),
                                                             t.division_code.startswith(needle, autoescape=True)),
                                   limit, offset, with_ancestors=True)
            if parent is not None:
                p = aliased(Tenant)
                seen = await session.scalar(select(p.id).where(p.id == parent, v.visible(p)))
                if seen is None:
                    raise not_found("机构", "Tenant")
                return await _page(session, v, lambda t: t.parent_id == parent, limit, offset, with_ancestors=False)
            if v.platform:
                return await _page(session, v, lambda t: t.parent_id.is_(None), limit, offset, with_ancestors=False)
            home_seen = await session.scalar(select(func.count()).select_from(Tenant).where(
                Tenant.id == v.home.id, v.visible(Tenant)))
            if home_seen:
                return await _page(session, v, lambda t: t.id == v.home.id, limit, offset, with_ancestors=False)

            def top(t: Any) -> ColumnElement[bool]:  # visible, with no visible parent
                up = aliased(Tenant)
                return ~exists().where(up.id == t.parent_id, v.visible(up))
            return await _page(session, v, top, limit, offset, with_ancestors=True)
    finally:
        if pg:
            await session.execute(text("SELECT set_config('app.account_authority', '', true), "
                                       "set_config('plan_cache_mode', 'auto', true)"))

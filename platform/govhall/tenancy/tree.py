"""The tenant tree: adding a node under a parent (validated), the province at the top of a branch, ancestors and
subtrees.

A new center also needs the inherited provincial grants of its ancestors: domains create tenants through
``govhall.domain.org.tenants.create_tenant``, which adds the node here and then writes the grants
(``govhall.authz.grants.inherit_grants``) in the same transaction.
"""

from __future__ import annotations

import re
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from uuid_utils.compat import uuid7

from govhall.errors import AppError, field_error
from govhall.names import normalize_name
from govhall.tenancy.models import Tenant, TenantLevel

DIVISION_CODE = re.compile(r"^\d{6}(-[0-9A-Za-z]{1,8})?$")


def _invalid(field: str, zh: str, en: str) -> AppError:
    return AppError("invalid_tenant", zh, en, status=400, fields=[field_error(field, zh, en)])


async def add_tenant(session: AsyncSession, *, name: str, level: TenantLevel, division_code: str,
                     parent: Tenant | None, template: str | None = None) -> Tenant:
    """Validate and insert a tenant node under ``parent`` (flushed, not committed). No grants: see the module doc."""
    name = normalize_name(name, "name", max_len=200, person=False)  # tenants as code too, not only the API
    if not DIVISION_CODE.match(division_code):
        raise _invalid("divisionCode", "行政区划代码应为 6 位数字，可加后缀（如 421123-01）",
                       "Division code must be 6 digits, optionally with a suffix (e.g. 421123-01)")
    if level is TenantLevel.platform or (parent is not None and parent.level is TenantLevel.platform):
        raise _invalid("level", "平台租户是保留的，不能在其下或以其层级创建机构",
                       "The platform tenant is reserved: nothing is created at its level or below it")
    if parent is not None and level.rank <= parent.level.rank:
        raise _invalid("level", "下级机构的层级必须低于上级", "A child must be at a lower level than its parent")
    if parent is None and level is not TenantLevel.province:
        raise _invalid("parentId", "市、县、乡镇机构必须有上级", "City, county and township tenants need a parent")
    await ensure_division_code_free(session, division_code)
    tid = UUID(str(uuid7()))
    tenant = Tenant(id=tid, name=name, level=level, division_code=division_code,
                    parent_id=parent.id if parent else None, template=template,
                    path=f"{parent.path if parent else '/'}{tid}/")
    session.add(tenant)
    await session.flush()
    return tenant


async def ensure_division_code_free(session: AsyncSession, division_code: str) -> None:
    """The friendly early answer; a request that loses the race to the same code gets the same 409 from the unique
    constraint (``errors.UNIQUE_CONFLICTS``)."""
    if await session.scalar(select(Tenant.id).where(Tenant.division_code == division_code)):
        raise AppError("duplicate_division_code", "该行政区划代码已被使用", "Division code already in use",
                       status=409, fields=[field_error("divisionCode", "代码已被使用", "Already in use")])


def root_id(tenant: Tenant) -> UUID:
    """The province at the top of the tenant's branch."""
    return UUID(tenant.path.strip("/").split("/")[0])


def ancestor_ids(tenant: Tenant) -> list[UUID]:
    """The tenant's ancestors, the province first, without the tenant itself."""
    return [UUID(p) for p in tenant.path.strip("/").split("/")[:-1]]


def subtree_upper(path: str) -> str:
    """The first path after ``path``'s subtree: ``path`` with its closing '/' made '0' (the next byte). The tenants
    strictly below ``path`` are exactly ``path < x.path < subtree_upper(path)`` when paths compare bytewise (the
    column's collation, migration 0015_tree), which is an index range."""
    return path[:-1] + "0"


async def subtree(session: AsyncSession, root: Tenant) -> list[Tenant]:
    """``root`` and every tenant below it, in path order."""
    rows = await session.scalars(select(Tenant).where(Tenant.path.startswith(root.path)).order_by(Tenant.path))
    return list(rows.all())

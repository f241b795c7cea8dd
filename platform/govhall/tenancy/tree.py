"""The tenant tree: creating centers under a parent, subtree queries, inherited provincial authority."""

from __future__ import annotations

import re
from collections.abc import Iterable
from uuid import UUID

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from uuid_utils.compat import uuid7

from govhall.authz.permissions import Role
from govhall.domain.identity.models import RoleAssignment
from govhall.domain.org.models import Tenant, TenantLevel
from govhall.errors import AppError, field_error
from govhall.tenancy.context import tenant_scope

DIVISION_CODE = re.compile(r"^\d{6}(-[0-9A-Za-z]{1,8})?$")
# Roles whose holders govern every tenant below the one they were granted in.
INHERITED_ROLES = (Role.provincial_admin.value,)


def _invalid(field: str, zh: str, en: str) -> AppError:
    return AppError("invalid_tenant", zh, en, status=400, fields=[field_error(field, zh, en)])


async def create_tenant(session: AsyncSession, *, name: str, level: TenantLevel, division_code: str,
                        parent: Tenant | None, template: str | None = None) -> Tenant:
    """Create a tenant under ``parent`` and copy the parent chain's inherited grants into it (one transaction)."""
    name = name.strip()
    if not name or len(name) > 200:
        raise _invalid("name", "名称不能为空且不超过 200 字", "Name must be 1-200 characters")
    if not DIVISION_CODE.match(division_code):
        raise _invalid("divisionCode", "行政区划代码应为 6 位数字，可加后缀（如 421123-01）",
                       "Division code must be 6 digits, optionally with a suffix (e.g. 421123-01)")
    if parent is not None and level.rank <= parent.level.rank:
        raise _invalid("level", "下级机构的层级必须低于上级", "A child must be at a lower level than its parent")
    if parent is None and level is not TenantLevel.province:
        raise _invalid("parentId", "市、县、乡镇机构必须有上级", "City, county and township tenants need a parent")
    if await session.scalar(select(Tenant.id).where(Tenant.division_code == division_code)):
        raise AppError("duplicate_division_code", "该行政区划代码已被使用", "Division code already in use",
                       status=409, fields=[field_error("divisionCode", "代码已被使用", "Already in use")])
    tid = UUID(str(uuid7()))
    tenant = Tenant(id=tid, name=name, level=level, division_code=division_code,
                    parent_id=parent.id if parent else None, template=template,
                    path=f"{parent.path if parent else '/'}{tid}/")
    session.add(tenant)
    await session.flush()
    if parent is not None:
        await inherit_grants(session, tenant)
    return tenant


def root_id(tenant: Tenant) -> UUID:
    """The province at the top of the tenant's branch."""
    return UUID(tenant.path.strip("/").split("/")[0])


async def lock_grants(session: AsyncSession, province_id: UUID) -> None:
    """Serialise, per province, the transactions that write inherited grants (onboarding a center below it,
    appointing or revoking one of its provincial admins): otherwise a center created while an admin is appointed
    could miss the grant (each reads the other's state from before). PostgreSQL: an advisory lock for the
    transaction; SQLite: a no-op write makes the transaction the single writer before it reads."""
    if (await session.connection()).dialect.name == "postgresql":
        await session.execute(select(func.pg_advisory_xact_lock(func.hashtextextended(f"grants:{province_id}", 0))))
    else:
        await session.execute(text("UPDATE role_assignment SET role = role WHERE 1 = 0"))


async def grant_inherited(session: AsyncSession, tenant_id: UUID, holders: Iterable[UUID]) -> list[UUID]:
    """Write explicit ``provincial_admin`` rows for ``holders`` into one tenant (skipping rows already there);
    returns the holders that got a new row. Used by onboarding (a new center inherits the province's admins)
    and by appointing a provincial admin (every tenant of the province gets the new one)."""
    with tenant_scope(tenant_id):
        present = set((await session.scalars(
            select(RoleAssignment.user_id).where(RoleAssignment.role == Role.provincial_admin.value)
            .execution_options(populate_existing=True)
        )).all())
        added = sorted(set(holders) - present)
        for uid in added:
            session.add(RoleAssignment(tenant_id=tenant_id, user_id=uid, role=Role.provincial_admin.value))
        await session.flush()
    return added


async def inherit_grants(session: AsyncSession, tenant: Tenant) -> list[UUID]:
    """Write explicit ``provincial_admin`` rows for every ancestor's provincial admins into ``tenant``."""
    await lock_grants(session, root_id(tenant))
    ancestor_ids = [UUID(p) for p in tenant.path.strip("/").split("/")[:-1]]
    holders: set[UUID] = set()
    for ancestor in ancestor_ids:
        with tenant_scope(ancestor):
            rows = await session.scalars(
                select(RoleAssignment.user_id).where(RoleAssignment.role.in_(INHERITED_ROLES))
                .execution_options(populate_existing=True)
            )
            holders.update(rows.all())
    await grant_inherited(session, tenant.id, holders)
    return sorted(holders)


async def subtree(session: AsyncSession, root: Tenant) -> list[Tenant]:
    rows = await session.scalars(select(Tenant).where(Tenant.path.startswith(root.path)).order_by(Tenant.path))
    return list(rows.all())

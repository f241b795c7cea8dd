"""Creating a center: a node of the tenant tree (``govhall.tenancy.tree``) with the inherited provincial grants of
its ancestors (``govhall.authz.grants``), in the caller's transaction."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from uuid_utils.compat import uuid7

from govhall.authz.grants import inherit_grants
from govhall.tenancy.context import system_scope
from govhall.tenancy.models import Tenant, TenantLevel
from govhall.tenancy.tree import add_tenant

PLATFORM_CODE = "platform"
"""Division code of the reserved platform tenant (never a valid code for onboarding: not 6 digits)."""


async def platform_tenant(session: AsyncSession) -> Tenant:
    """The reserved tenant that is home to platform admins' accounts (created by migration 0008_security)."""
    with system_scope():
        tenant = await session.scalar(select(Tenant).where(Tenant.division_code == PLATFORM_CODE))
        if tenant is None:
            tid = UUID(str(uuid7()))
            tenant = Tenant(id=tid, name="平台", level=TenantLevel.platform, division_code=PLATFORM_CODE,
                            parent_id=None, path=f"/{tid}/", template=None)
            session.add(tenant)
            await session.flush()
    return tenant


async def create_tenant(session: AsyncSession, *, name: str, level: TenantLevel, division_code: str,
                        parent: Tenant | None, template: str | None = None) -> Tenant:
    """Create a tenant under ``parent`` and copy the parent chain's inherited grants into it (one transaction)."""
    tenant = await add_tenant(session, name=name, level=level, division_code=division_code, parent=parent,
                              template=template)
    if parent is not None:
        await inherit_grants(session, tenant)
    return tenant

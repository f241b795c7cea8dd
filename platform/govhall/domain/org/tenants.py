"""Creating a center: a node of the tenant tree (``govhall.tenancy.tree``) with the inherited provincial grants of
its ancestors (``govhall.authz.grants``), in the caller's transaction."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from govhall.authz.grants import inherit_grants
from govhall.tenancy.models import Tenant, TenantLevel
from govhall.tenancy.tree import add_tenant


async def create_tenant(session: AsyncSession, *, name: str, level: TenantLevel, division_code: str,
                        parent: Tenant | None, template: str | None = None) -> Tenant:
    """Create a tenant under ``parent`` and copy the parent chain's inherited grants into it (one transaction)."""
    tenant = await add_tenant(session, name=name, level=level, division_code=division_code, parent=parent,
                              template=template)
    if parent is not None:
        await inherit_grants(session, tenant)
    return tenant

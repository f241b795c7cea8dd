"""Inherited authority: a provincial admin governs every tenant below the one it was granted in, written as
explicit ``provincial_admin`` role-assignment rows in each descendant (no wildcard or pattern domains)."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.authz.models import RoleAssignment
from govhall.authz.permissions import Role
from govhall.tenancy.context import tenant_scope
from govhall.tenancy.models import Tenant
from govhall.tenancy.tree import ancestor_ids, root_id

# Roles whose holders govern every tenant below the one they were granted in.
INHERITED_ROLES = (Role.provincial_admin.value,)


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
    holders: set[UUID] = set()
    for ancestor in ancestor_ids(tenant):
        with tenant_scope(ancestor):
            rows = await session.scalars(
                select(RoleAssignment.user_id).where(RoleAssignment.role.in_(INHERITED_ROLES))
                .execution_options(populate_existing=True)
            )
            holders.update(rows.all())
    await grant_inherited(session, tenant.id, holders)
    return sorted(holders)

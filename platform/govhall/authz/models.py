"""Role assignments: who holds which role in which tenant, the rows Casbin's ``g`` policy is loaded from."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from govhall.db.base import Base, TenantOwned

__all__ = ("RoleAssignment",)


class RoleAssignment(TenantOwned, Base):
    """A Casbin grouping row ``g, user, role, tenant`` kept as a real table (audited, RLS-protected).

    A provincial admin's authority over its subtree is written as explicit rows in each descendant tenant
    when that tenant is created, or in all of them at once when a platform admin appoints one
    (``govhall.authz.grants``); there are no wildcard or pattern domains.
    """

    __tablename__ = "role_assignment"
    __tenant_table_args__ = (UniqueConstraint("tenant_id", "user_id", "role", name="uq_role_assignment"),)

    user_id: Mapped[UUID] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(32))

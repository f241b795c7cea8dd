"""User accounts. A user belongs to one home tenant and may be linked to a staff record there."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from govhall.db.base import Base, TenantOwned, tenant_ref


class User(TenantOwned, Base):
    """A login. Tenant-owned (home tenant); the login lookup by username is the one system-scope read."""

    __tablename__ = "user_account"
    __tenant_table_args__ = (
        UniqueConstraint("username", name="uq_user_account_username"),
        tenant_ref("staff_id", "staff"),
    )

    username: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(255))
    staff_id: Mapped[UUID | None] = mapped_column()
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    sessions_valid_after: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    """Sessions created before this instant are dead (password change, disable, forced logout)."""
    otp_used_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    """When the current one-time password was used to log in (it is good for that one login only)."""
    retired_otp_hash: Mapped[str | None] = mapped_column(String(255))
    """Hash of the last one-time password, which may never be chosen as the account's own password."""
    is_platform_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    """Holds platform_admin in the reserved "platform" Casbin domain (never inside a tenant)."""


class RoleAssignment(TenantOwned, Base):
    """A Casbin grouping row ``g, user, role, tenant`` kept as a real table (audited, RLS-protected).

    A provincial admin's authority over its subtree is written as explicit rows in each descendant tenant
    when that tenant is created, or in all of them at once when a platform admin appoints one
    (``domain/org/provincial.py``); there are no wildcard or pattern domains.
    """

    __tablename__ = "role_assignment"
    __tenant_table_args__ = (UniqueConstraint("tenant_id", "user_id", "role", name="uq_role_assignment"),)

    user_id: Mapped[UUID] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(32))

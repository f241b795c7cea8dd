"""User accounts. A user belongs to one home tenant and may be linked to a staff record there."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import Boolean, Integer, String, UniqueConstraint, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from govhall.audit.services import name_actors_with
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
    is_platform_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    """Holds platform_admin in the reserved "platform" Casbin domain (never inside a tenant)."""


async def platform_admin_ids(session: AsyncSession) -> list[UUID]:
    """The accounts holding platform_admin (the enforcer's loader for the reserved "platform" domain)."""
    return list((await session.scalars(select(User.id).where(User.is_platform_admin.is_(True)))).all())


async def _username(session: AsyncSession, user_id: UUID) -> str | None:
    return await session.scalar(select(User.username).where(User.id == user_id))


name_actors_with(_username)  # audit events carry the actor's username at the time

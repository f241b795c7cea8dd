"""The tenant tree: a province > city > county > township hierarchy of centers, the one thing every floor above
``db`` belongs to. ``Tenant`` is not tenant-owned (it *is* the tenant) and stays outside RLS by design."""

from __future__ import annotations

import enum
from uuid import UUID

from sqlalchemy import Enum, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from govhall.db.base import Base

__all__ = ("Tenant", "TenantLevel")


class TenantLevel(str, enum.Enum):
    province = "province"
    city = "city"
    county = "county"
    township = "township"
    platform = "platform"
    """The one reserved tenant that is home to platform admins' accounts: outside every province, no children."""

    @property
    def rank(self) -> int:
        return list(TenantLevel).index(self)


class Tenant(Base):
    """A center (or the province / city node above centers). Not tenant-owned: it *is* the tenant."""

    __tablename__ = "tenant"
    __table_args__ = (UniqueConstraint("division_code", name="uq_tenant_division_code"),)

    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[TenantLevel] = mapped_column(Enum(TenantLevel, native_enum=False, length=16))
    division_code: Mapped[str] = mapped_column(String(32))
    """6-digit administrative division code plus an optional suffix for the center, e.g. 440507-01."""
    parent_id: Mapped[UUID | None] = mapped_column(ForeignKey("tenant.id", ondelete="RESTRICT"), index=True)
    path: Mapped[str] = mapped_column(String(1000).with_variant(String(1000, collation="C"), "postgresql"), index=True)
    """Materialised path of ancestor ids, '/a/b/c/' (self last): a subtree is ``path LIKE '/a/b/%'``, or the index
    range ``subtree_range`` gives. Compared bytewise (``COLLATE "C"`` on PostgreSQL, SQLite's default), so the range
    holds exactly the subtree (migration 0015_tree)."""
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Shanghai")
    template: Mapped[str | None] = mapped_column(String(64))
    """The pack template the center was onboarded from."""

    parent: Mapped[Tenant | None] = relationship(remote_side="Tenant.id", lazy="raise")

"""Model bases.

``TenantOwned`` marks every tenant-owned table: it adds ``tenant_id`` (first in the key, so indexes and a
future Citus distribution stay per tenant) and a unique ``(tenant_id, id)`` that other tenant rows reference
with composite foreign keys, so no row can point into another tenant.
"""

from __future__ import annotations

from uuid import UUID

from advanced_alchemy.base import UUIDv7AuditBase
from advanced_alchemy.types import GUID
from sqlalchemy import ForeignKey, ForeignKeyConstraint, UniqueConstraint
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

__all__ = ("Base", "TenantOwned", "tenant_ref")

Base = UUIDv7AuditBase


class TenantOwned:
    """Mixin for tenant-owned models. The ORM guard filters and stamps every class that has it."""

    @declared_attr
    def tenant_id(cls) -> Mapped[UUID]:
        return mapped_column(GUID(length=16), ForeignKey("tenant.id", ondelete="RESTRICT"), nullable=False)

    @declared_attr.directive
    def __table_args__(cls):
        extra = getattr(cls, "__tenant_table_args__", ())
        return (UniqueConstraint("tenant_id", "id", name=f"uq_{cls.__tablename__}_tenant_id_id"), *extra)


def tenant_ref(column: str, target_table: str, *, ondelete: str = "RESTRICT") -> ForeignKeyConstraint:
    """Composite FK ``(tenant_id, column) -> target_table(tenant_id, id)``: references cannot cross tenants."""
    return ForeignKeyConstraint(
        ["tenant_id", column],
        [f"{target_table}.tenant_id", f"{target_table}.id"],
        ondelete=ondelete,
        name=f"fk_{column}_{target_table}_tenant",
    )

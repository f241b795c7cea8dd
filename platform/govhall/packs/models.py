"""Pack settings as versions: every save of a tenant's pack settings is a new row, effective from a date."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from advanced_alchemy.types import GUID
from sqlalchemy import JSON, Boolean, Date, Index, Integer, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from govhall.db.base import Base, TenantOwned

_JSON = JSON().with_variant(JSONB(), "postgresql")


class PackSettingsVersion(TenantOwned, Base):
    """One version of one tenant's settings of one pack (append-only; never updated or deleted).

    The rules of tenant T on date D: for T and each ancestor, the version with the latest ``effective_from``
    <= D (ties: the higher ``version``); then defaults, overridden root to leaf, except fields locked above.
    """

    __tablename__ = "pack_settings_version"
    __tenant_table_args__ = (
        UniqueConstraint("tenant_id", "pack", "version", name="uq_pack_settings_version_tenant_pack_version"),
        Index("ix_pack_settings_version_tenant_pack_effective", "tenant_id", "pack", "effective_from"),
    )

    pack: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    """1, 2, 3, ... per (tenant, pack), in the order saved."""
    effective_from: Mapped[dt.date] = mapped_column(Date)
    enabled: Mapped[bool] = mapped_column(Boolean)
    """Whether this tenant uses the pack (a tenant's own choice; not inherited)."""
    overrides: Mapped[dict[str, Any]] = mapped_column(_JSON, default=dict)
    """Top-level settings fields set at this tenant (JSON values); the others are inherited."""
    locks: Mapped[list[str]] = mapped_column(_JSON, default=list)
    """Top-level fields this tenant fixes for every tenant below it."""
    note: Mapped[str | None] = mapped_column(String(500))
    changed_by_id: Mapped[UUID | None] = mapped_column(GUID(length=16))
    """The user who saved it (no foreign key: may be a provincial admin whose account lives in the province)."""
    changed_by_name: Mapped[str | None] = mapped_column(String(100))

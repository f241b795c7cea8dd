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
    pack_version: Mapped[str | None] = mapped_column(String(32))
    """The pack release that saved this version (``PackSpec.version``; None: saved before releases were kept)."""
    schema_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    """The settings schema ``overrides`` and ``locks`` were saved under (``PackSpec.schema_version``); resolution
    migrates them to the installed schema through the pack's ``govhall_settings_migrations``."""


class PackRelease(Base):
    """A pack's settings schema as installed on this platform, and the day it was first seen (platform-wide, not
    tenant-owned: every tenant runs the same installed code). ``govhall.packs.history`` reads these rows."""

    __tablename__ = "pack_release"
    __table_args__ = (UniqueConstraint("pack", "schema_version", name="uq_pack_release_pack_schema"),)

    pack: Mapped[str] = mapped_column(String(64))
    version: Mapped[str] = mapped_column(String(32))
    """The first release seen with this schema."""
    schema_version: Mapped[int] = mapped_column(Integer)
    installed_on: Mapped[dt.date] = mapped_column(Date)

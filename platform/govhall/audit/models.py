"""One audit event per change. Rows form a hash chain per tenant; the app role may only SELECT and INSERT."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from advanced_alchemy.types import GUID
from sqlalchemy import JSON, Integer, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from govhall.db.base import Base, TenantOwned


class AuditEvent(TenantOwned, Base):
    """``hash = HMAC-SHA256(key, canonical(prev_hash, tenant, seq, actor, action, target, details, time))``.

    ``seq`` counts 1, 2, 3, ... per tenant, so a deleted row leaves a gap; ``prev_hash`` links each row to the
    one before, so a reordered or inserted row breaks the chain; the HMAC key (from GOVHALL_SECRET_KEY) keeps
    someone with write access to the database from recomputing the chain after an edit.
    """

    __tablename__ = "audit_event"
    __tenant_table_args__ = (UniqueConstraint("tenant_id", "seq", name="uq_audit_event_tenant_seq"),)

    seq: Mapped[int] = mapped_column(Integer)
    actor_id: Mapped[UUID | None] = mapped_column(GUID(length=16))
    """The user who acted (no foreign key: the trail outlives accounts; may be a provincial admin of a parent)."""
    actor_name: Mapped[str | None] = mapped_column(String(100))
    """The actor's username at the time (kept even if the account is renamed or removed)."""
    action: Mapped[str] = mapped_column(String(64))
    """``<object>.<verb>``, e.g. ``staff.create``, ``role.revoke``, ``tenant.onboard``."""
    target_type: Mapped[str] = mapped_column(String(64))
    target_id: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSON().with_variant(JSONB(), "postgresql"), default=dict)
    request_id: Mapped[str | None] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

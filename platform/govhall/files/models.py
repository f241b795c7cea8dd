"""One stored file of a center: the bytes live on the shared volume, addressed by their SHA-256."""

from __future__ import annotations

from uuid import UUID

from advanced_alchemy.types import GUID
from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from govhall.db.base import Base, TenantOwned


class StoredFile(TenantOwned, Base):
    """``sha256``/``size``/``width``/``height`` describe the bytes as stored (images are re-encoded and
    downscaled on upload, so they differ from what the client sent). ``purpose`` says which domain owns the
    file (``leave.sick_note``, ``assessment.evidence``) and so which registered reader may open it.
    ``created_at`` comes from the base."""

    __tablename__ = "stored_file"
    __tenant_table_args__ = (
        Index("ix_stored_file_tenant_sha256", "tenant_id", "sha256"),
        Index("ix_stored_file_tenant_uploader", "tenant_id", "uploaded_by"),
    )

    sha256: Mapped[str] = mapped_column(String(64))
    mime: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(String(64))
    uploaded_by: Mapped[UUID] = mapped_column(GUID(length=16))
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)

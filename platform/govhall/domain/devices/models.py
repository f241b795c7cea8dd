"""A registered attendance terminal (face / fingerprint / web kiosk) of one center."""

from __future__ import annotations

from datetime import datetime

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import JSON, String, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from govhall.db.base import Base, TenantOwned


class Device(TenantOwned, Base):
    """The serial number is unique within a center (a terminal announces only its serial, e.g. ZKTeco's ``SN=``);
    the lookup by serial is the one read that happens before the tenant is known, and a serial registered in
    several centers belongs to the earliest unrevoked registration (``services._find_by_serial``). The token is
    random (256 bits) and only its SHA-256 is stored; it is shown once at registration."""

    __tablename__ = "device"
    __tenant_table_args__ = (UniqueConstraint("tenant_id", "serial_number", name="uq_device_tenant_serial"),)

    serial_number: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    last_seen_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    allowed_networks: Mapped[list[str]] = mapped_column(JSON().with_variant(JSONB(), "postgresql"), default=list,
                                                        server_default=text("'[]'"))
    """Normalised CIDRs the terminal may connect from (the socket peer; behind a trusted proxy, the client it
    names); empty = any address. A serial number alone is a weak credential for ADMS terminals."""

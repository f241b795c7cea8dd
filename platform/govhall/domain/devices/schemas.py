from __future__ import annotations

from datetime import datetime
from uuid import UUID

from govhall.schemas import CamelStruct


class Device(CamelStruct):
    id: UUID
    serial_number: str
    name: str
    revoked_at: datetime | None
    last_seen_at: datetime | None
    created_at: datetime


class DeviceIn(CamelStruct):
    serial_number: str
    name: str


class DeviceWithToken(CamelStruct):
    device: Device
    token: str
    """Shown once; the terminal sends it with every request. Only its SHA-256 is stored."""

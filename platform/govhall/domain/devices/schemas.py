from __future__ import annotations

from datetime import datetime
from typing import ClassVar
from uuid import UUID

import msgspec

from govhall.schemas import CamelStruct


class Device(CamelStruct):
    id: UUID
    serial_number: str
    name: str
    revoked_at: datetime | None
    last_seen_at: datetime | None
    created_at: datetime
    allowed_networks: list[str] = msgspec.field(default_factory=list)
    """CIDRs the terminal may connect from; empty = any address."""


class DeviceIn(CamelStruct):
    __names__: ClassVar[dict[str, tuple[int, bool]]] = {"name": (100, False)}
    serial_number: str
    name: str
    allowed_networks: list[str] | None = None
    """CIDRs the terminal may connect from; omitted: the registering admin's network (IPv4 /24, IPv6 /64);
    ``[]``: any address."""


class DevicePatch(CamelStruct, omit_defaults=True):
    __names__: ClassVar[dict[str, tuple[int, bool]]] = {"name": (100, False)}
    name: str | msgspec.UnsetType = msgspec.UNSET
    allowed_networks: list[str] | msgspec.UnsetType = msgspec.UNSET


class DeviceWithToken(CamelStruct):
    device: Device
    token: str
    """Shown once; the terminal sends it with every request. Only its SHA-256 is stored."""

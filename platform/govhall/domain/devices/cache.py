"""Terminals by serial number, kept per worker process and dropped in every worker when a device row changes.

A terminal batch used to start with the one cross-tenant read of the device table (on PostgreSQL between two
``set_config`` calls that open and close the narrow ``device_lookup`` RLS policy): three of a batch's ten
statements. The unrevoked registrations of a serial (what ``services._find_by_serial`` reads: id, tenant, token
hash, address allow-list) are kept here instead. Every change of a ``device`` row (register, rename, allow-list,
revoke; also a script's or the CLI's) is announced on the change bus under ``devices`` by ``govhall.bus.RowWatch``,
keyed by serial, so a revoked terminal is refused by every worker from the next batch on (through the bus's
``commit``, before the revoking request answers). The terminal's ``last_seen_at`` is written with the execution
option ``SEEN_OPTION`` and does not drop anything. While the bus is not listening the cache is not used.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from govhall.bus import RowCache, RowWatch
from govhall.domain.devices.models import Device

TOPIC = "devices"
CACHE_KEY = "govhall.device_cache"
SEEN_OPTION = "govhall_device_seen"
"""Execution option of the ``last_seen_at`` UPDATE: not a change the cache holds."""
WATCH = RowWatch(TOPIC, Device, lambda d: d.serial_number, CACHE_KEY, skip_option=SEEN_OPTION)
WATCH.install()


@dataclass(frozen=True, slots=True)
class DeviceRow:
    """What authenticating a terminal needs of its registration (never a session-bound ORM object)."""

    id: UUID
    tenant_id: UUID
    serial_number: str
    token_hash: str
    allowed_networks: tuple[str, ...]
    created_at: datetime


class DeviceCache(RowCache):
    """Registrations by serial (an unknown serial is kept as an empty tuple), at most ``size`` serials."""

    def __init__(self, size: int) -> None:
        super().__init__(size, WATCH)

    def get(self, serial: str) -> tuple[DeviceRow, ...] | None:
        rows: tuple[DeviceRow, ...] | None = super().get(serial)
        return rows

    def fits(self, key: Any, value: Any) -> bool:
        return all(r.serial_number == key for r in value)


def session_cache(session: Any) -> DeviceCache | None:
    cache = session.info.get(CACHE_KEY)
    return cache.for_session(session) if cache is not None else None


async def commit(session: Any) -> None:
    """Commit a change of device rows: every live worker has dropped its copies before this returns."""
    await WATCH.commit(session)

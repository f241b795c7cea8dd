"""Device credentials: register (token shown once), list, edit (name, address allow-list), revoke, and
authenticate a terminal's request.

Tokens are 256-bit random strings; the database keeps only their SHA-256 (a fast hash is right for random
secrets: there is nothing to brute-force). ``authenticate_device`` is the only read of the device table
before a tenant is known: by serial number, in system scope; on PostgreSQL the transaction sets
``app.device_lookup`` for that one statement, which a dedicated SELECT-only RLS policy honours.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.audit import record_audit, update_audited
from govhall.domain.devices import cache as device_cache
from govhall.domain.devices.cache import DeviceRow
from govhall.domain.devices.models import Device
from govhall.domain.devices.network import address_allowed, normalise_networks
from govhall.errors import AppError, field_error, not_found
from govhall.tenancy.context import system_scope, tenant_scope
from govhall.tenancy.service import TenantScopedService

TOKEN_PREFIX = "ghd_"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


async def _set_lookup(session: AsyncSession, on: bool) -> None:
    if (await session.connection()).dialect.name == "postgresql":
        await session.execute(text("SELECT set_config('app.device_lookup', :v, true)"), {"v": "on" if on else ""})


async def _find_by_serial(session: AsyncSession, serial: str) -> tuple[DeviceRow, ...]:
    """The one cross-tenant read of devices: the unrevoked devices with this serial, earliest registered first,
    under the narrow ``device_lookup`` RLS policy, or from the worker's cache of it (``devices/cache.py``, kept
    exact by the change bus). A serial is unique within a center, not across the platform (so registering one
    tells nothing about other centers); a serial-only terminal (ADMS) belongs to the earliest unrevoked
    registration, later ones of other centers stay dormant until it is revoked."""
    serial = (serial or "").strip()
    if not serial or len(serial) > 64 or not serial.isprintable():
        return ()
    cache = device_cache.session_cache(session)
    if cache is not None and (held := cache.get(serial)) is not None:
        return held
    generation = cache.generation if cache is not None else 0
    await _set_lookup(session, True)
    try:
        with system_scope():
            rows = (await session.execute(
                select(Device.id, Device.tenant_id, Device.serial_number, Device.token_hash, Device.allowed_networks,
                       Device.created_at)
                .where(Device.serial_number == serial, Device.revoked_at.is_(None))
                .order_by(Device.created_at, Device.id))).all()
    finally:
        await _set_lookup(session, False)
    found = tuple(DeviceRow(r.id, r.tenant_id, r.serial_number, r.token_hash, tuple(r.allowed_networks or ()),
                            r.created_at) for r in rows)
    if cache is not None:
        cache.put(serial, found, generation)
    return found


SEEN_EVERY = 60.0
"""Seconds: ``last_seen_at`` is written at most this often per terminal and worker (a terminal that uploads
every few seconds does not cost an UPDATE of its device row each time; the devices page shows it to the minute,
and ``attendance_device_sync.last_contact_at`` keeps the exact time of every contact)."""
_seen_written: dict[UUID, float] = {}


async def _seen(session: AsyncSession, device: DeviceRow) -> DeviceRow:
    now = time.monotonic()
    last = _seen_written.get(device.id)
    if last is not None and now - last < SEEN_EVERY:
        return device
    with tenant_scope(device.tenant_id):
        await session.execute(update(Device).where(Device.id == device.id).values(last_seen_at=datetime.now(UTC))
                              .execution_options(synchronize_session=False, **{device_cache.SEEN_OPTION: True}))
    if len(_seen_written) > 100_000:
        _seen_written.clear()
    _seen_written[device.id] = now
    return device


class AddressRefused(Exception):
    """A registered, unrevoked terminal (with the right token, where it has one) connected from an address its
    allow-list does not contain."""

    def __init__(self, device: DeviceRow, address: str | None) -> None:
        super().__init__(f"device {device.serial_number}: address {address} not allowed")
        self.device, self.address = device, address


def _check_address(device: DeviceRow, address: str | None) -> None:
    if not address_allowed(address, list(device.allowed_networks)):
        raise AddressRefused(device, address)


async def authenticate_device(session: AsyncSession, serial: str, token: str | None, *,
                              address: str | None = None) -> DeviceRow | None:
    """The device with this serial if it is not revoked and the token matches, else None; ``AddressRefused`` if
    it has an allow-list without ``address`` (checked only after the token, so it tells a stranger nothing).

    Records ``last_seen_at`` (the caller commits). The caller then works in ``tenant_scope(device.tenant_id)``.
    """
    candidates = await _find_by_serial(session, serial)
    given = hash_token(token) if token else ""
    device = None
    pool: list[DeviceRow | None] = [*candidates] or [None]
    for d in pool:  # the same work whether or not the serial exists
        if hmac.compare_digest(given, d.token_hash if d is not None else "0" * 64) and d is not None and token:
            device = d
    if device is None:
        return None
    _check_address(device, address)
    return await _seen(session, device)


def _check_name(raw: str) -> str:
    name = (raw or "").strip()
    if not name or len(name) > 100:
        raise AppError("invalid_name", "设备名称应为 1-100 个字符", "Device name: 1-100 characters",
                       fields=[field_error("name", "设备名称不正确", "Invalid name")])
    return name


class DeviceService(TenantScopedService):
    class Repo(SQLAlchemyAsyncRepository[Device]):
        model_type = Device

    repository_type = Repo

    async def register(self, *, serial_number: str, name: str,
                       allowed_networks: list[str] | None = None) -> tuple[Device, str]:
        serial = serial_number.strip()
        if not serial or len(serial) > 64 or not serial.isprintable() or " " in serial:
            raise AppError("invalid_serial", "序列号应为 1-64 个字符且不含空格", "Serial number: 1-64 characters, no spaces",
                           fields=[field_error("serialNumber", "序列号格式不正确", "Invalid serial number")])
        name = _check_name(name)
        networks = normalise_networks(allowed_networks or [])
        session = self.repository.session
        # unique within the center only (the ORM guard scopes this read): the answer tells nothing about other
        # centers' terminals (a serial taken elsewhere registers here too, dormant while the earlier one lives)
        taken = await session.scalar(select(Device.id).where(Device.serial_number == serial))
        if taken:
            raise AppError("duplicate_serial", "本中心已登记该序列号", "This center already registered this serial number",
                           status=409, fields=[field_error("serialNumber", "序列号已登记", "Already registered")])
        token = new_token()
        device = await self.create({"serial_number": serial, "name": name, "token_hash": hash_token(token),
                                    "allowed_networks": networks})
        await record_audit(session, action="device.register", target_type="device", target_id=str(device.id),
                           details={"serialNumber": serial, "name": name, "allowedNetworks": networks})
        await session.commit()
        return device, token

    async def update_device(self, device_id: UUID, changes: dict[str, Any]) -> Device:
        """Rename a terminal or change its address allow-list (``[]``: any address), audited before/after."""
        device = await self.get_one_or_none(id=device_id)
        if device is None:
            raise not_found("设备", "Device")
        if "name" in changes:
            changes["name"] = _check_name(changes["name"])
        if "allowed_networks" in changes:
            changes["allowed_networks"] = normalise_networks(changes["allowed_networks"])
        device = await update_audited(self.repository.session, device, changes, target_type="device",
                                      target_id=str(device_id))
        await device_cache.commit(self.repository.session)  # a narrowed allow-list holds in every worker at once
        return device

    async def revoke(self, device_id: UUID) -> Device:
        device = await self.get_one_or_none(id=device_id)
        if device is None:
            raise not_found("设备", "Device")
        if device.revoked_at is None:
            device.revoked_at = datetime.now(UTC)
            await record_audit(self.repository.session, action="device.revoke", target_type="device",
                               target_id=str(device.id), details={"serialNumber": device.serial_number})
            await device_cache.commit(self.repository.session)  # every worker refuses it before this answers
        return device


async def authenticate_push_device(session: AsyncSession, serial: str, *,
                                   address: str | None = None) -> DeviceRow | None:
    """A ZKTeco ADMS ("iclock") terminal: it announces only its serial number (``SN=``) and cannot send a token,
    so a registered, unrevoked serial is its credential (added for attendance, issue 5), narrowed by the
    device's address allow-list when it has one (``AddressRefused``). Unknown or revoked serials get None and
    the caller refuses the request, so the terminal keeps its records.

    Records ``last_seen_at`` like ``authenticate_device`` (the caller commits); a refused terminal is not "seen".
    """
    candidates = await _find_by_serial(session, serial)
    if not candidates:
        return None
    device = candidates[0]
    _check_address(device, address)
    return await _seen(session, device)

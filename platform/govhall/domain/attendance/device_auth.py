"""Guards for terminal routes: the device authenticates itself, then its tenant becomes the request's scope.

Terminal routes are ``opt=public()`` (no user session, no CSRF); these guards take the place of ``requires``:

- ``device_token_guard`` (JSON endpoint): ``X-Device-Serial`` + ``Authorization: Bearer <token>``;
- ``push_device_guard`` (ZKTeco ADMS): ``SN=<serial>`` of a registered, unrevoked terminal.

Both then hold the client address (the socket peer; ``X-Forwarded-For`` only from GOVHALL_TRUSTED_PROXIES)
against the device's allow-list, when it has one. The ADMS terminal (serial only) gets one and the same answer
for an unknown, a revoked and an address-refused serial (403 ``unknown_device``), so the endpoint is no oracle
for serial numbers; the JSON endpoint tells ``device_address_refused`` only after a correct token. Both are
throttled per client address and per serial (``govhall.domain.devices.throttle``); the reason of every refusal
goes to the log.

Both use the request's own database session (the one the handler gets), so the device lookup, the punches and
the ``last_seen_at`` update commit or roll back together.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from advanced_alchemy.extensions.litestar import SQLAlchemyPlugin
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.domain.devices.network import client_address
from govhall.domain.devices.services import AddressRefused, authenticate_device, authenticate_push_device
from govhall.domain.devices.throttle import DeviceThrottle
from govhall.errors import AppError
from govhall.log import get_logger
from govhall.tenancy.context import set_tenant

log = get_logger(__name__)

DEVICE_SCOPE_KEY = "govhall.device"


@dataclass(frozen=True, slots=True)
class DeviceIdentity:
    id: UUID
    tenant_id: UUID
    serial: str


def request_session(connection: ASGIConnection[Any, Any, Any, Any]) -> AsyncSession:
    """The request's session (the same object the handler's ``db_session`` dependency returns)."""
    plugin = connection.app.plugins.get(SQLAlchemyPlugin)
    config: Any = plugin.config[0] if isinstance(plugin.config, (list, tuple)) else plugin.config
    return config.provide_session(connection.app.state, connection.scope)


def current_device(connection: ASGIConnection[Any, Any, Any, Any]) -> DeviceIdentity:
    return connection.scope[DEVICE_SCOPE_KEY]  # type: ignore[literal-required]  # our own key in the ASGI scope


def _adopt(connection: ASGIConnection[Any, Any, Any, Any], device: Any) -> None:
    connection.scope[DEVICE_SCOPE_KEY] = DeviceIdentity(device.id, device.tenant_id,  # type: ignore[literal-required]  # our key
                                                        device.serial_number)
    set_tenant(device.tenant_id)


def _address(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    return client_address(connection, connection.app.state.settings.trusted_proxies)


def _throttle(connection: ASGIConnection[Any, Any, Any, Any]) -> DeviceThrottle:
    state = connection.app.state
    throttle = state.get("device_throttle")
    if throttle is None:
        settings = state.settings
        throttle = state.device_throttle = DeviceThrottle(settings.device_rate_per_minute,
                                                          settings.device_serial_rate_per_minute)
    return throttle


def _unknown_device() -> AppError:
    return AppError("unknown_device", "设备序列号未登记或已停用", "Unknown or revoked terminal serial number", status=403)


def _refused(connection: ASGIConnection[Any, Any, Any, Any], exc: AddressRefused, kind: str) -> AppError:
    peer = connection.client.host if connection.client else None
    # tenant_id makes the line land with the center's logs (log shipping routes by it)
    log.warning("device_address_refused", serial=exc.device.serial_number, kind=kind, address=exc.address,
                peer=peer, tenant_id=str(exc.device.tenant_id), device_id=str(exc.device.id),
                allowed=list(exc.device.allowed_networks or []))
    return AppError("device_address_refused",
                    f"该考勤机不允许从此地址（{exc.address or '未知'}）连接；请在“考勤设备”中调整允许的地址",
                    f"This terminal may not connect from {exc.address or 'an unknown address'}; "
                    "change its allowed addresses on the devices page", status=403)


async def device_token_guard(connection: ASGIConnection[Any, Any, Any, Any], _h: BaseRouteHandler) -> None:
    serial = connection.headers.get("x-device-serial", "")
    auth = connection.headers.get("authorization", "")
    token = auth[7:].strip() if auth[:7].lower() == "bearer " else None
    address = _address(connection)
    throttle = _throttle(connection)
    throttle.check(address, serial)
    try:
        device = await authenticate_device(request_session(connection), serial, token, address=address)
    except AddressRefused as exc:
        throttle.failed(address)
        raise _refused(connection, exc, "token") from None
    if device is None:
        throttle.failed(address)
        log.warning("device_auth_failed", serial=serial[:64], kind="token")
        raise AppError("device_unauthorized", "设备未登记、已停用或令牌不正确", "Unknown or revoked device, or wrong token",
                       status=401)
    _adopt(connection, device)


async def push_device_guard(connection: ASGIConnection[Any, Any, Any, Any], _h: BaseRouteHandler) -> None:
    serial = connection.query_params.get("SN", "")
    address = _address(connection)
    throttle = _throttle(connection)
    throttle.check(address, serial)
    try:
        device = await authenticate_push_device(request_session(connection), serial, address=address)
    except AddressRefused as exc:
        throttle.failed(address)
        _refused(connection, exc, "push")  # logged with its reason; answered like an unknown serial
        raise _unknown_device() from None
    if device is None:
        throttle.failed(address)
        log.warning("device_auth_failed", serial=serial[:64], kind="push")
        raise _unknown_device()
    _adopt(connection, device)

"""Guards for terminal routes: the device authenticates itself, then its tenant becomes the request's scope.

Terminal routes are ``opt=public()`` (no user session, no CSRF); these guards take the place of ``requires``:

- ``device_token_guard`` (JSON endpoint): ``X-Device-Serial`` + ``Authorization: Bearer <token>``;
- ``push_device_guard`` (ZKTeco ADMS): ``SN=<serial>`` of a registered, unrevoked terminal.

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

from govhall.domain.devices.services import authenticate_device, authenticate_push_device
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
    config = plugin.config[0] if isinstance(plugin.config, (list, tuple)) else plugin.config
    return config.provide_session(connection.app.state, connection.scope)


def current_device(connection: ASGIConnection[Any, Any, Any, Any]) -> DeviceIdentity:
    return connection.scope[DEVICE_SCOPE_KEY]  # type: ignore[typeddict-item,no-any-return]


def _adopt(connection: ASGIConnection[Any, Any, Any, Any], device: Any) -> None:
    connection.scope[DEVICE_SCOPE_KEY] = DeviceIdentity(device.id, device.tenant_id,  # type: ignore[typeddict-unknown-key]
                                                        device.serial_number)
    set_tenant(device.tenant_id)


async def device_token_guard(connection: ASGIConnection[Any, Any, Any, Any], _h: BaseRouteHandler) -> None:
    serial = connection.headers.get("x-device-serial", "")
    auth = connection.headers.get("authorization", "")
    token = auth[7:].strip() if auth[:7].lower() == "bearer " else None
    device = await authenticate_device(request_session(connection), serial, token)
    if device is None:
        log.warning("device_auth_failed", serial=serial[:64], kind="token")
        raise AppError("device_unauthorized", "设备未登记、已停用或令牌不正确", "Unknown or revoked device, or wrong token",
                       status=401)
    _adopt(connection, device)


async def push_device_guard(connection: ASGIConnection[Any, Any, Any, Any], _h: BaseRouteHandler) -> None:
    serial = connection.query_params.get("SN", "")
    device = await authenticate_push_device(request_session(connection), serial)
    if device is None:
        log.warning("device_auth_failed", serial=serial[:64], kind="push")
        raise AppError("unknown_device", "设备序列号未登记或已停用", "Unknown or revoked terminal serial number",
                       status=403)
    _adopt(connection, device)

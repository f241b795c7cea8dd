"""The one guard factory. ``requires("staff", "read")`` on a route: Casbin decides in the route's tenant.

The tenant comes from the ``tenant_id`` path parameter (``/api/t/{tenant_id}/...``) or, for routes without
one, the user's home tenant. After an allow the guard makes that tenant the request's tenant scope, so the
ORM guard and RLS scope every query; handlers never choose a tenant themselves.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import structlog
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from govhall.authz.permissions import PLATFORM_DOMAIN as PLATFORM
from govhall.authz.permissions import lookup
from govhall.errors import AppError
from govhall.log import get_logger
from govhall.tenancy.context import set_tenant

log = get_logger(__name__)

PERMISSION_OPT = "permission"
PUBLIC_OPT = "public"


def _forbidden() -> AppError:
    return AppError("forbidden", "您没有执行此操作的权限", "You are not allowed to do this", status=403)


def requires(obj: str, act: str, *, allow_password_change_pending: bool = False):  # type: ignore[no-untyped-def]
    perm = lookup(obj, act)

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _handler: BaseRouteHandler) -> None:
        user = connection.scope.get("user")
        if user is None:
            raise AppError("not_authenticated", "请先登录", "Please log in", status=401)
        # The session middleware runs outside the request-context middleware (which starts each request with a
        # clean structlog context), so the user is bound here, where every authorised request passes.
        structlog.contextvars.bind_contextvars(user_id=str(user.id))
        if user.must_change_password and not allow_password_change_pending:
            raise AppError("password_change_required", "首次登录请先修改密码", "Change your password first", status=403)
        raw = connection.path_params.get("tenant_id", user.tenant_id)
        tenant_id = raw if isinstance(raw, UUID) else UUID(str(raw))
        authz = connection.app.state.authz
        allowed = await authz.allowed(user.id, str(tenant_id), perm) or (
            # A platform admin's own (home-tenant) routes are decided in the reserved platform domain.
            user.is_platform_admin and tenant_id == user.tenant_id and await authz.allowed(user.id, PLATFORM, perm)
        )
        if not allowed:
            log.warning("authz_denied", permission=perm.key, target_tenant=str(tenant_id))
            raise _forbidden()
        set_tenant(tenant_id)

    guard.permission = perm  # type: ignore[attr-defined]
    return guard


def public() -> dict[str, bool]:
    """``opt=public()`` marks a route that needs no login (health, login, device protocol, the UI shell)."""
    return {PUBLIC_OPT: True}

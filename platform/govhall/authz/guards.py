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
from govhall.authz.permissions import Permission, lookup
from govhall.errors import AppError
from govhall.log import get_logger
from govhall.tenancy.context import set_tenant

log = get_logger(__name__)

PERMISSION_OPT = "permission"
PUBLIC_OPT = "public"


async def user_allowed(authz: Any, user: Any, tenant_id: UUID, perm: Permission) -> bool:
    """The one decision for a user in a tenant: Casbin in that tenant, and for a platform admin's own (home-tenant)
    routes also the reserved platform domain. Guards, and services that decide per tenant, ask this."""
    return await authz.allowed(user.id, str(tenant_id), perm) or (
        bool(user.is_platform_admin) and tenant_id == user.tenant_id and await authz.allowed(user.id, PLATFORM, perm)
    )


async def user_roles(authz: Any, user: Any, tenant_id: UUID) -> tuple[list[str], list[str]]:
    """The roles and permissions ``user_allowed`` decides with in ``tenant_id`` (the platform ones included at
    home), for showing them (``/api/auth/me``)."""
    roles = await authz.roles_in(user.id, str(tenant_id))
    perms = await authz.permissions_in(user.id, str(tenant_id))
    if user.is_platform_admin and tenant_id == user.tenant_id:
        roles = sorted({*roles, *await authz.roles_in(user.id, PLATFORM)})
        perms = sorted({*perms, *await authz.permissions_in(user.id, PLATFORM)})
    return roles, perms


def _forbidden() -> AppError:
    return AppError("forbidden", "您没有执行此操作的权限", "You are not allowed to do this", status=403)


def requires(obj: str, act: str, *, allow_password_change_pending: bool = False):
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
        if not await user_allowed(authz, user, tenant_id, perm):
            log.warning("authz_denied", permission=perm.key, target_tenant=str(tenant_id))
            raise _forbidden()
        set_tenant(tenant_id)

    guard.permission = perm  # type: ignore[attr-defined]  # the route-permission matrix reads this attribute off the guard function
    return guard


def public() -> dict[str, bool]:
    """``opt=public()`` marks a route that needs no login (health, login, device protocol, the UI shell)."""
    return {PUBLIC_OPT: True}

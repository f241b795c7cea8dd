"""/api/auth: login, logout, me, password."""

from __future__ import annotations

import time

import msgspec
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.authz.guards import public, requires, user_roles
from govhall.domain.devices.network import client_address
from govhall.domain.identity import services
from govhall.domain.identity.sessions import AuthUser, current_user_or_none, rotate_session_id
from govhall.domain.identity.throttle import LoginThrottle
from govhall.schemas import CamelStruct


class LoginIn(CamelStruct):
    username: str = msgspec.field()
    password: str = msgspec.field()


class PasswordIn(CamelStruct):
    current_password: str
    new_password: str


class TenantRef(CamelStruct):
    id: str
    name: str
    level: str


class Me(CamelStruct):
    id: str
    username: str
    display_name: str
    must_change_password: bool
    tenant: TenantRef
    roles: list[str]
    permissions: list[str]
    has_staff: bool = False
    """The account is linked to a staff record (only then clock-in and "my attendance" apply)."""


async def _me(request: Request, db_session: AsyncSession, user: AuthUser) -> Me:
    tenant = await services.home_tenant(db_session, user)
    authz = request.app.state.authz
    domain = str(user.tenant_id)
    roles, perms = await user_roles(authz, user, user.tenant_id)
    return Me(id=str(user.id), username=user.username, display_name=user.display_name,
              must_change_password=user.must_change_password,
              tenant=TenantRef(id=str(tenant.id), name=tenant.name, level=tenant.level.value) if tenant else
              TenantRef(id=domain, name="", level=""),
              roles=roles, permissions=perms, has_staff=user.staff_id is not None)


class AuthController(Controller):
    path = "/api/auth"
    tags = ["auth"]

    @post("/login", opt=public(), status_code=HTTP_200_OK)
    async def login(self, request: Request, db_session: NamedDependency[AsyncSession],
                    data: JSONBody[LoginIn]) -> Me:
        # the socket peer, or behind GOVHALL_TRUSTED_PROXIES the client they name (never a forged X-Forwarded-For)
        peer = client_address(request, request.app.state.settings.trusted_proxies) or "unknown"
        throttle = LoginThrottle(request.app.stores.get("login_throttle"), peer)
        user = await services.authenticate(db_session, data.username, data.password, throttle)
        await rotate_session_id(request)
        request.set_session(services.session_payload(user))
        await services.remember_users(db_session, [user.id])  # the worker's account cache: the next request reads none
        return await _me(request, db_session, user)

    @post("/logout", opt=public(), status_code=HTTP_200_OK)
    async def logout(self, request: Request, db_session: NamedDependency[AsyncSession]) -> dict[str, bool]:
        user = await current_user_or_none(request)
        if user is not None:
            await services.record_logout(db_session, user)
        await rotate_session_id(request)
        request.clear_session()
        return {"ok": True}

    @get("/me", guards=[requires("self", "read", allow_password_change_pending=True)])
    async def me(self, request: Request, db_session: NamedDependency[AsyncSession]) -> Me:
        return await _me(request, db_session, request.user)

    @post("/password", guards=[requires("self", "read", allow_password_change_pending=True)],
          status_code=HTTP_200_OK)
    async def change_password(self, request: Request, db_session: NamedDependency[AsyncSession],
                              data: JSONBody[PasswordIn]) -> Me:
        user = await services.change_password(db_session, request.user.id, data.current_password, data.new_password)
        await rotate_session_id(request)
        request.set_session({**services.session_payload(user), "iat": time.time() + 0.001})
        return await _me(request, db_session, user)

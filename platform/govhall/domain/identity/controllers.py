"""/api/auth: login, logout, me, password."""

from __future__ import annotations

import time

import msgspec
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.authz.guards import public, requires
from govhall.domain.identity import services
from govhall.domain.identity.sessions import AuthUser, current_user_or_none, rotate_session_id
from govhall.schemas import CamelStruct
from govhall.tenancy.context import system_scope
from govhall.tenancy.models import Tenant


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


async def _me(request: Request, db_session: AsyncSession, user: AuthUser) -> Me:
    with system_scope():
        tenant = await db_session.get(Tenant, user.tenant_id)
    authz = request.app.state.authz
    domain = str(user.tenant_id)
    roles = await authz.roles_in(user.id, domain)
    perms = await authz.permissions_in(user.id, domain)
    if user.is_platform_admin:
        roles = sorted({*roles, "platform_admin"})
        perms = sorted({*perms, *await authz.permissions_in(user.id, "platform")})
    return Me(id=str(user.id), username=user.username, display_name=user.display_name,
              must_change_password=user.must_change_password,
              tenant=TenantRef(id=str(tenant.id), name=tenant.name, level=tenant.level.value) if tenant else
              TenantRef(id=domain, name="", level=""),
              roles=roles, permissions=perms)


class AuthController(Controller):
    path = "/api/auth"
    tags = ["auth"]

    @post("/login", opt=public(), status_code=HTTP_200_OK)
    async def login(self, request: Request, db_session: NamedDependency[AsyncSession],
                    data: JSONBody[LoginIn]) -> Me:
        user = await services.authenticate(db_session, data.username, data.password)
        await rotate_session_id(request)
        request.set_session(services.session_payload(user))
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

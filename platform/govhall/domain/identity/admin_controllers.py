"""/api/t/{tenant_id}/users and /roles: a center's accounts and role assignments (center admin's work)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from advanced_alchemy.extensions.litestar.providers import create_service_dependencies
from advanced_alchemy.filters import FilterTypes
from advanced_alchemy.service import OffsetPagination
from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, SkipValidation

from govhall.authz.guards import requires
from govhall.bus import ChangeBus
from govhall.domain.identity import schemas as s
from govhall.domain.identity.accounts import RoleService, UserService
from govhall.domain.identity.models import User
from govhall.domain.org.schemas import set_fields

Filters = NamedDependency[SkipValidation[list[FilterTypes]]]
NO_STORE = {"Cache-Control": "no-store"}


def _out(u: User, roles: list[str]) -> s.UserOut:
    from datetime import UTC, datetime

    locked = bool(u.locked_until and u.locked_until > datetime.now(UTC))
    return s.UserOut(id=u.id, username=u.username, display_name=u.display_name, staff_id=u.staff_id,
                     is_active=u.is_active, must_change_password=u.must_change_password, locked=locked, roles=roles,
                     created_at=u.created_at)


async def _one(users: UserService, u: User) -> s.UserOut:
    return _out(u, (await users.roles_by_user([u.id])).get(u.id, []))


class UserController(Controller):
    path = "/api/t/{tenant_id:uuid}/users"
    tags = ["users"]
    dependencies = create_service_dependencies(
        UserService, key="users",
        filters={"pagination_type": "limit_offset", "pagination_size": 20, "sort_field": "created_at",
                 "sort_order": "asc", "search": "username,display_name", "search_ignore_case": True},
    )

    @get("/", guards=[requires("user", "read")])
    async def list_users(self, users: NamedDependency[UserService],
                         filters: Filters) -> OffsetPagination[s.UserOut]:
        items, total = await users.get_many_and_count(*filters)
        roles = await users.roles_by_user([u.id for u in items])
        limit = next((f.limit for f in filters if hasattr(f, "limit")), len(items))
        offset = next((f.offset for f in filters if hasattr(f, "offset")), 0)
        return OffsetPagination(items=[_out(u, roles.get(u.id, [])) for u in items], limit=limit, offset=offset,
                                total=total)

    @post("/", guards=[requires("user", "write")])
    async def create_user(self, users: NamedDependency[UserService], policy: NamedDependency[ChangeBus],
                          data: JSONBody[s.UserIn]) -> Response[s.UserWithPassword]:
        user, otp = await users.create_account(policy, username=data.username, display_name=data.display_name,
                                               staff_id=data.staff_id, roles=data.roles)
        return Response(s.UserWithPassword(user=await _one(users, user), one_time_password=otp), status_code=201,
                        headers=NO_STORE)

    @patch("/{user_id:uuid}", guards=[requires("user", "write")])
    async def update_user(self, users: NamedDependency[UserService], user_id: FromPath[UUID],
                          data: JSONBody[s.UserPatch]) -> s.UserOut:
        return await _one(users, await users.update_account(user_id, set_fields(data)))

    @post("/{user_id:uuid}/disable", guards=[requires("user", "write")], status_code=200)
    async def disable_user(self, request: Request[Any, Any, Any], users: NamedDependency[UserService],
                           user_id: FromPath[UUID]) -> s.UserOut:
        return await _one(users, await users.set_active(request.user.id, user_id, False))

    @post("/{user_id:uuid}/enable", guards=[requires("user", "write")], status_code=200)
    async def enable_user(self, request: Request[Any, Any, Any], users: NamedDependency[UserService],
                          user_id: FromPath[UUID]) -> s.UserOut:
        return await _one(users, await users.set_active(request.user.id, user_id, True))

    @post("/{user_id:uuid}/reset-password", guards=[requires("user", "write")], status_code=200)
    async def reset_password(self, request: Request[Any, Any, Any], users: NamedDependency[UserService],
                             user_id: FromPath[UUID]) -> Response[s.UserWithPassword]:
        user, otp = await users.reset_password(request.user.id, user_id)
        return Response(s.UserWithPassword(user=await _one(users, user), one_time_password=otp), headers=NO_STORE)


class RoleController(Controller):
    path = "/api/t/{tenant_id:uuid}/roles"
    tags = ["users"]
    dependencies = create_service_dependencies(RoleService, key="roles")

    @get("/", guards=[requires("user", "read")])
    async def list_roles(self, roles: NamedDependency[RoleService]) -> list[s.RoleAssignmentOut]:
        return [s.RoleAssignmentOut(**row) for row in await roles.list_assignments()]

    @post("/", guards=[requires("role", "assign")])
    async def assign_role(self, roles: NamedDependency[RoleService], policy: NamedDependency[ChangeBus],
                          data: JSONBody[s.RoleAssignmentIn]) -> s.RoleAssignmentOut:
        obj = await roles.assign(policy, data.user_id, data.role)
        row = next(r for r in await roles.list_assignments() if r["id"] == obj.id)
        return s.RoleAssignmentOut(**row)

    @delete("/{assignment_id:uuid}", guards=[requires("role", "assign")])
    async def revoke_role(self, request: Request[Any, Any, Any], roles: NamedDependency[RoleService],
                          policy: NamedDependency[ChangeBus], assignment_id: FromPath[UUID]) -> None:
        await roles.revoke(policy, request.user.id, assignment_id)

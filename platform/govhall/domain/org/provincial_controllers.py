"""/api/platform/provinces/{province_id}/admins: a platform admin appoints and revokes a province's provincial
admins (the grants go into every tenant of the province; ``domain/org/provincial.py``).

These routes carry no ``tenant_id``: the guard decides in the platform admin's home tenant and from there in the
reserved ``platform`` domain, the only place ``provincial_admin:*`` is granted.
"""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Response, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.authz.guards import requires
from govhall.authz.propagation import RevokeUnconfirmed, revoke_answer
from govhall.bus import ChangeBus
from govhall.domain.identity.models import User
from govhall.domain.org import provincial
from govhall.domain.org import schemas as s
from govhall.domain.org.onboarding import tenant_depth

NO_STORE = {"Cache-Control": "no-store"}


def _out(user: User, appointed_at) -> s.ProvincialAdminOut:
    return s.ProvincialAdminOut(user_id=user.id, username=user.username, display_name=user.display_name,
                                is_active=user.is_active, appointed_at=appointed_at)


class ProvincialAdminController(Controller):
    path = "/api/platform/provinces/{province_id:uuid}/admins"
    tags = ["tenants"]

    @get("/", guards=[requires("provincial_admin", "read")])
    async def list_provincial_admins(self, db_session: NamedDependency[AsyncSession],
                                     province_id: FromPath[UUID]) -> list[s.ProvincialAdminOut]:
        return [_out(h.user, h.appointed_at) for h in await provincial.provincial_admins(db_session, province_id)]

    @post("/", guards=[requires("provincial_admin", "appoint")])
    async def appoint_provincial_admin(self, db_session: NamedDependency[AsyncSession],
                                       policy: NamedDependency[ChangeBus], province_id: FromPath[UUID],
                                       data: JSONBody[s.AppointIn]) -> Response[s.AppointOut]:
        done = await provincial.appoint(db_session, policy, province_id, username=data.username,
                                        display_name=data.display_name)
        holder = next(h for h in await provincial.provincial_admins(db_session, province_id) if h.user.id == done.user.id)
        body = s.AppointOut(admin=_out(done.user, holder.appointed_at), tenants=done.tenants,
                            one_time_password=done.one_time_password)
        return Response(body, status_code=201, headers=NO_STORE)

    @delete("/{user_id:uuid}", guards=[requires("provincial_admin", "appoint")], status_code=200)
    async def revoke_provincial_admin(self, db_session: NamedDependency[AsyncSession],
                                      policy: NamedDependency[ChangeBus], province_id: FromPath[UUID],
                                      user_id: FromPath[UUID]) -> Response[RevokeUnconfirmed | None]:
        """204 when every worker confirmed the revoke; 200 with ``revoke_unconfirmed`` when not all did."""
        await provincial.revoke(db_session, policy, province_id, user_id)
        return revoke_answer(db_session)


class ProvinceController(Controller):
    path = "/api/platform/provinces"
    tags = ["tenants"]

    @post("/", guards=[requires("province", "create")])
    async def create_province(self, db_session: NamedDependency[AsyncSession],
                              data: JSONBody[s.ProvinceIn]) -> Response[s.TenantNode]:
        t = await provincial.create_province(db_session, name=data.name, division_code=data.division_code)
        return Response(s.TenantNode(id=t.id, name=t.name, level=t.level.value, division_code=t.division_code,
                                     parent_id=None, template=None, depth=tenant_depth(t), can_onboard=False,
                                     created_at=t.created_at), status_code=201)

"""/api/tenants (the tree the user may see) and /api/t/{parent}/tenants (onboard a center below a parent)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.authz.guards import requires
from govhall.bus import ChangeBus
from govhall.domain.org import schemas as s
from govhall.domain.org.onboarding import TEMPLATES, onboard_center, tenant_depth, visible_tenants
from govhall.tenancy.models import Tenant

NO_STORE = {"Cache-Control": "no-store"}


def _node(t: Tenant, can_onboard: bool) -> s.TenantNode:
    return s.TenantNode(id=t.id, name=t.name, level=t.level.value, division_code=t.division_code,
                        parent_id=t.parent_id, template=t.template, depth=tenant_depth(t), can_onboard=can_onboard,
                        created_at=t.created_at)


class TenantController(Controller):
    tags = ["tenants"]

    @get("/api/tenants", guards=[requires("tenant", "read")])
    async def list_tenants(self, request: Request[Any, Any, Any],
                           db_session: NamedDependency[AsyncSession]) -> s.TenantTree:
        rows = await visible_tenants(db_session, request.app.state.authz, request.user)
        return s.TenantTree(tenants=[_node(t, can) for t, can in rows],
                            templates=[s.Template(key=k, zh=zh, en=en) for k, (zh, en) in TEMPLATES.items()])

    @post("/api/t/{tenant_id:uuid}/tenants", guards=[requires("tenant", "onboard")])
    async def onboard(self, db_session: NamedDependency[AsyncSession], policy: NamedDependency[ChangeBus],
                      data: JSONBody[s.OnboardIn]) -> Response[s.OnboardOut]:
        done = await onboard_center(db_session, policy, level=data.level, division_code=data.division_code,
                                    name=data.name, template=data.template, admin_username=data.admin_username,
                                    admin_display_name=data.admin_display_name)
        body = s.OnboardOut(
            tenant=_node(done.tenant, False),
            admin=s.OnboardAdmin(id=done.admin.id, username=done.admin.username, display_name=done.admin.display_name),
            one_time_password=done.one_time_password,
        )
        return Response(body, status_code=201, headers=NO_STORE)

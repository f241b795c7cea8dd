"""/api/tenants (the tree the user may see) and /api/t/{parent}/tenants (onboard a center below a parent)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.authz.guards import requires
from govhall.bus import ChangeBus
from govhall.domain.org import schemas as s
from govhall.domain.org.onboarding import onboard_center, template_titles, tenant_depth
from govhall.domain.org.tenant_tree import DEFAULT_LIMIT, MAX_LIMIT, TreeNode, tenant_tree_page_across_tenants
from govhall.packs.services import Actor
from govhall.tenancy.models import Tenant

NO_STORE = {"Cache-Control": "no-store"}


def _node(t: Tenant, can_onboard: bool, shown: TreeNode | None = None) -> s.TenantNode:
    return s.TenantNode(id=t.id, name=t.name, level=t.level.value, division_code=t.division_code,
                        parent_id=t.parent_id, template=t.template, depth=tenant_depth(t), can_onboard=can_onboard,
                        created_at=t.created_at, child_count=shown.child_count if shown else 0,
                        descendant_count=shown.descendant_count if shown else 0,
                        ancestors=shown.ancestors if shown else [])


class TenantController(Controller):
    tags = ["tenants"]

    @get("/api/tenants", guards=[requires("tenant", "read")])
    async def list_tenants(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession],
        parent: Annotated[UUID | None, QueryParameter(name="parent", description="the children of this tenant")] = None,
        tenant: Annotated[UUID | None, QueryParameter(name="id", description="just this tenant (when visible)")] = None,
        search: Annotated[str, QueryParameter(name="searchString", max_length=100,
                                         description="name contains / division code starts with")] = "",
        limit: Annotated[int, QueryParameter(name="limit", ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
        offset: Annotated[int, QueryParameter(name="offset", ge=0)] = 0,
    ) -> s.TenantTree:
        """One level of the tenant tree the user may see: the top (no parameters), the children of ``parent``, a
        search by name or division code, or one tenant (``id``); each node with its counts of visible children and
        descendants."""
        page = await tenant_tree_page_across_tenants(db_session, request.app.state.authz, request.user,
                                                     parent=parent, tenant=tenant, search=search,
                                                     limit=limit, offset=offset)
        return s.TenantTree(tenants=[_node(n.tenant, n.can_onboard, n) for n in page.nodes], total=page.total,
                            limit=limit, offset=offset,
                            templates=[s.Template(key=k, zh=zh, en=en) for k, (zh, en) in template_titles().items()])

    @post("/api/t/{tenant_id:uuid}/tenants", guards=[requires("tenant", "onboard")])
    async def onboard(self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession],
                      policy: NamedDependency[ChangeBus], data: JSONBody[s.OnboardIn]) -> Response[s.OnboardOut]:
        done = await onboard_center(db_session, policy, level=data.level, division_code=data.division_code,
                                    name=data.name, template=data.template, admin_username=data.admin_username,
                                    admin_display_name=data.admin_display_name,
                                    actor=Actor(request.user.id, request.user.display_name or request.user.username))
        body = s.OnboardOut(
            tenant=_node(done.tenant, False),
            admin=s.OnboardAdmin(id=done.admin.id, username=done.admin.username, display_name=done.admin.display_name),
            one_time_password=done.one_time_password,
        )
        return Response(body, status_code=201, headers=NO_STORE)

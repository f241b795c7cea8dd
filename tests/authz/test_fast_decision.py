"""Issue 16, "Authorization at FastEnforcer speed": the decision path (``govhall.authz.enforcer.decide``) answers
exactly what Casbin's ``enforce`` answers under ``model.conf``, and a role change updates the loaded policy of that
one user instead of reloading the tenant."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker

from govhall.authz.enforcer import Authorizer, build_enforcer, decide
from govhall.authz.models import RoleAssignment
from govhall.authz.permissions import STAFF_READ, STAFF_WRITE, Role, all_permissions
from govhall.domain.identity.models import User
from govhall.tenancy import system_scope, tenant_scope


def test_decide_agrees_with_casbin_enforce_for_every_role_and_permission() -> None:
    """Every role x every registered permission x {own tenant, another tenant, "", "*"}: same answer as enforce."""
    own, other = str(uuid.uuid4()), str(uuid.uuid4())
    users = {role: str(uuid.uuid4()) for role in Role}
    rows = [[u, role.value, own] for role, u in users.items()]
    rows.append([users[Role.clerk], Role.duty_officer.value, own])  # a user with two roles
    rows.append([users[Role.clerk], Role.center_admin.value, "*"])  # a forbidden wildcard row gives nothing
    enforcer = build_enforcer(rows)
    checked = 0
    for u in [*users.values(), str(uuid.uuid4())]:
        for perm in all_permissions():
            for dom in (own, other, "", "*"):
                assert decide(enforcer, u, perm.obj, perm.act, dom) == enforcer.enforce(u, perm.obj, perm.act, dom), (
                    u, perm.key, dom)
                checked += 1
    assert checked == (len(Role) + 1) * len(all_permissions()) * 4


async def _uid(session, username: str) -> uuid.UUID:  # type: ignore[no-untyped-def]
    with system_scope():
        uid = await session.scalar(select(User.id).where(User.username == username))
        await session.commit()
    return uid


async def test_a_role_change_reloads_only_that_user(demo, app_engine, owner_session) -> None:  # type: ignore[no-untyped-def]
    """A ``<tenant>/<user>`` notice: the tenant stays loaded (no new load), the user's links are re-read."""
    county = demo["421121"].id
    domain = str(county)
    clerk = await _uid(owner_session, "county_clerk")
    authz = Authorizer(async_sessionmaker(app_engine, expire_on_commit=False))
    await authz.allowed(clerk, domain, STAFF_READ)  # loads the tenant
    before = await authz.roles_in(clerk, domain)
    assert "center_admin" not in before
    assert authz.loads == 1
    held = authz.enforcer_for(domain)

    with tenant_scope(county):
        owner_session.add(RoleAssignment(user_id=clerk, role=Role.center_admin.value))
        await owner_session.commit()
    authz.invalidate(f"{domain}/{clerk}")
    assert await authz.allowed(clerk, domain, STAFF_WRITE) is True
    assert authz.loads == 1 and authz.user_reloads == 1 and authz.enforcer_for(domain) is held
    assert await authz.roles_in(clerk, domain) == sorted({*before, "center_admin"})

    with tenant_scope(county):
        row = await owner_session.scalar(select(RoleAssignment).where(RoleAssignment.user_id == clerk,
                                                                      RoleAssignment.role == "center_admin"))
        await owner_session.delete(row)
        await owner_session.commit()
    authz.invalidate(f"{domain}/{clerk}")
    assert await authz.allowed(clerk, domain, STAFF_WRITE) is False
    assert await authz.roles_in(clerk, domain) == before
    assert authz.loads == 1 and authz.user_reloads == 2
    # a notice about a tenant not held costs nothing and marks nothing
    authz.invalidate(f"{uuid.uuid4()}/{clerk}")
    assert authz.loads == 1

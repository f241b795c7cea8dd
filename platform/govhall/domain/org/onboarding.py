"""Onboarding a center: a provincial admin creates a tenant under a parent, names its center admin, and picks
the pack template it starts from. One transaction: the tenant, the inherited provincial grants, the admin
account with a one-time password and its center_admin role, and audit events in the parent and the new tenant.

The pack host reads ``tenant.template`` to switch on the template's packs (issue 4 owns that part).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.audit import record_audit
from govhall.authz.models import RoleAssignment
from govhall.authz.permissions import PLATFORM_DOMAIN, TENANT_ONBOARD, TENANT_READ, Role
from govhall.bus import ChangeBus
from govhall.domain.identity.accounts import check_username, ensure_username_free, new_account
from govhall.domain.identity.models import User
from govhall.domain.org.tenants import create_tenant
from govhall.errors import AppError, field_error, not_found
from govhall.tenancy.context import current_tenant_id, tenant_scope
from govhall.tenancy.models import Tenant, TenantLevel

# Pack templates a new center can start from (zh, en). "blank" enables nothing.
TEMPLATES: dict[str, tuple[str, str]] = {
    "city_hall": ("市级政务服务中心（8:30-11:30、14:30-17:30，周五下午内部学习）", "City hall"),
    "county_hall": ("县级政务服务中心（分级请假审批与限额，夏装 5-10 月）", "County hall"),
    "luotian": ("罗田模式（30/30/20/20 考核，考核资金 150 元）", "Luotian model"),
    "township": ("乡镇（苏木、街道）便民服务中心", "Township convenience center"),
    "blank": ("空白（不启用任何规则包）", "Blank (no packs)"),
}
CENTER_LEVELS = (TenantLevel.city, TenantLevel.county, TenantLevel.township)


@dataclass(frozen=True)
class Onboarded:
    tenant: Tenant
    admin: User
    one_time_password: str


async def onboard_center(session: AsyncSession, policy: ChangeBus, *, level: str, division_code: str, name: str,
                         template: str, admin_username: str, admin_display_name: str) -> Onboarded:
    parent_id = current_tenant_id()
    parent = await session.get(Tenant, parent_id) if parent_id else None
    if parent is None:
        raise not_found("上级机构", "Parent tenant")
    if template not in TEMPLATES:
        raise AppError("invalid_template", "请选择一个模板", "Choose a template",
                       fields=[field_error("template", "模板不存在", "Unknown template")])
    try:
        tenant_level = TenantLevel(level)
    except ValueError:
        tenant_level = None
    if tenant_level not in CENTER_LEVELS:
        raise AppError("invalid_level", "层级应为市、县（区）或乡镇（街道）", "Level must be city, county or township",
                       fields=[field_error("level", "层级不正确", "Invalid level")])
    username = check_username(admin_username, "adminUsername")
    await ensure_username_free(session, username, "adminUsername")
    tenant = await create_tenant(session, name=name, level=tenant_level, division_code=division_code.strip(),
                                 parent=parent, template=template)
    with tenant_scope(tenant.id):
        admin, otp = new_account(username=username, display_name=admin_display_name, staff_id=None)
        session.add(admin)
        await session.flush()
        session.add(RoleAssignment(user_id=admin.id, role=Role.center_admin.value))
        details = {"name": tenant.name, "level": tenant.level, "divisionCode": tenant.division_code,
                   "parentId": parent.id, "template": template, "adminUsername": username}
        await record_audit(session, action="tenant.create", target_type="tenant", target_id=str(tenant.id),
                           details=details)
        await record_audit(session, action="user.create", target_type="user", target_id=str(admin.id),
                           details={"username": username, "displayName": admin.display_name,
                                    "roles": [Role.center_admin.value]})
        await policy.changed(session, tenant.id)
    await record_audit(session, action="tenant.onboard", target_type="tenant", target_id=str(tenant.id),
                       details=details)
    await policy.commit(session)
    return Onboarded(tenant, admin, otp)


async def visible_tenants(session: AsyncSession, authz: Any, user: Any) -> list[tuple[Tenant, bool]]:
    """The tenants the user may see (Casbin ``tenant:read`` in each), with whether they may onboard below it.

    A provincial admin sees the province's subtree (explicit grants in each child); a center admin sees their
    own center; a platform admin sees every tenant.
    """
    home = await session.get(Tenant, user.tenant_id)
    if home is None:
        return []
    platform = user.is_platform_admin and await authz.allowed(user.id, PLATFORM_DOMAIN, TENANT_READ)
    stmt = select(Tenant).order_by(Tenant.path)
    if not platform:
        stmt = stmt.where(Tenant.path.startswith(home.path))
    out: list[tuple[Tenant, bool]] = []
    for t in (await session.scalars(stmt)).all():
        if platform or await authz.allowed(user.id, str(t.id), TENANT_READ):
            can = await authz.allowed(user.id, str(t.id), TENANT_ONBOARD) or (
                platform and t.id == user.tenant_id and await authz.allowed(user.id, PLATFORM_DOMAIN, TENANT_ONBOARD))
            out.append((t, can and t.level is not TenantLevel.township))
    return out


def tenant_depth(t: Tenant) -> int:
    return t.path.strip("/").count("/")


def parent_chain_ids(t: Tenant) -> list[UUID]:
    return [UUID(p) for p in t.path.strip("/").split("/")[:-1]]

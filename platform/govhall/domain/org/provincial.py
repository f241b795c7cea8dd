"""Appointing and revoking a province's provincial admins (platform admin's work), after its subtree exists.

A provincial admin's authority is explicit ``provincial_admin`` rows in the province and in every tenant below
it (no wildcard domains). Onboarding copies the province's holders into each new center
(``tenants.inherit_grants``); appointing writes the new holder into every tenant that already exists
(``tenants.grant_inherited``, the same code), revoking deletes the rows everywhere. One transaction, serialised
with onboarding per province (``lock_grants``), audited in the province and in each center whose authority
changed, and announced on the policy bus for every tenant touched.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.audit import record_audit
from govhall.authz.grants import grant_inherited, lock_grants
from govhall.authz.models import RoleAssignment
from govhall.authz.permissions import Role
from govhall.bus import ChangeBus
from govhall.domain.identity.accounts import check_username, ensure_username_free, new_account
from govhall.domain.identity.models import User
from govhall.domain.org.tenants import create_tenant
from govhall.errors import AppError, field_error, not_found
from govhall.tenancy.context import system_scope, tenant_scope
from govhall.tenancy.models import Tenant, TenantLevel
from govhall.tenancy.tree import subtree

PROVINCIAL = Role.provincial_admin.value


@dataclass(frozen=True)
class Holder:
    user: User
    appointed_at: datetime


@dataclass(frozen=True)
class Appointed:
    user: User
    one_time_password: str | None
    tenants: int


async def _province(session: AsyncSession, province_id: UUID) -> Tenant:
    province = await session.get(Tenant, province_id)
    if province is None or province.level is not TenantLevel.province:
        raise not_found("省级机构", "Province")
    return province


async def provincial_admins(session: AsyncSession, province_id: UUID) -> list[Holder]:
    """The province's provincial admins (their rows in the province itself), oldest first."""
    province = await _province(session, province_id)
    with tenant_scope(province.id):
        rows = (await session.execute(
            select(RoleAssignment.user_id, RoleAssignment.created_at).where(RoleAssignment.role == PROVINCIAL)
            .order_by(RoleAssignment.created_at)
        )).all()
    with system_scope():  # holders live in the province; read names only
        users = {u.id: u for u in (await session.scalars(select(User).where(User.id.in_([r[0] for r in rows])))).all()}
    return [Holder(users[uid], at) for uid, at in rows if uid in users]


async def _appointee(session: AsyncSession, province: Tenant, username: str,
                     display_name: str | None) -> tuple[User, str | None]:
    if display_name is not None:  # a new account in the province, with a one-time password
        await ensure_username_free(session, username)
        with tenant_scope(province.id):
            user, otp = new_account(username=username, display_name=display_name, staff_id=None)
            session.add(user)
            await session.flush()
        return user, otp
    with system_scope():
        found = await session.scalar(select(User).where(User.username == username))
    if found is None or found.tenant_id != province.id or found.is_platform_admin:
        raise AppError("not_province_account", "只能任命本省机构的账号（或新建账号）",
                       "Only an account of the province itself can be appointed (or create a new one)",
                       fields=[field_error("username", "不是本省机构的账号", "Not an account of this province")])
    if not found.is_active:
        raise AppError("account_disabled", "该账号已停用", "This account is disabled", status=409,
                       fields=[field_error("username", "账号已停用", "Account disabled")])
    return found, None


async def appoint(session: AsyncSession, policy: ChangeBus, province_id: UUID, *, username: str,
                  display_name: str | None) -> Appointed:
    province = await _province(session, province_id)
    username = check_username(username)
    user, otp = await _appointee(session, province, username, display_name)
    await lock_grants(session, province.id)
    tenants = await subtree(session, province)
    touched: list[UUID] = []
    for t in tenants:
        if not await grant_inherited(session, t.id, [user.id]):
            if t.id == province.id:
                raise AppError("already_appointed", "该账号已是本省的省级管理员",
                               "This account is already a provincial admin of the province", status=409)
            continue
        touched.append(t.id)
        if t.id != province.id:
            with tenant_scope(t.id):  # each center's own trail shows who gained authority over it
                await record_audit(session, action="role.assign", target_type="user", target_id=str(user.id),
                                   details={"username": user.username, "role": PROVINCIAL, "inherited": True,
                                            "provinceId": province.id})
    with tenant_scope(province.id):
        if otp is not None:
            await record_audit(session, action="user.create", target_type="user", target_id=str(user.id),
                               details={"username": user.username, "displayName": user.display_name,
                                        "roles": [PROVINCIAL]})
        await record_audit(session, action="provincial_admin.appoint", target_type="user", target_id=str(user.id),
                           details={"username": user.username, "tenants": len(touched)})
    await policy.changed(session, *touched, users=[user.id])
    await policy.commit(session)
    return Appointed(user, otp, len(touched))


async def revoke(session: AsyncSession, policy: ChangeBus, province_id: UUID, user_id: UUID) -> int:
    """Remove the holder's provincial rows from the province and every tenant below; returns the tenants touched."""
    province = await _province(session, province_id)
    with tenant_scope(province.id):
        held = await session.scalar(select(RoleAssignment.id).where(RoleAssignment.user_id == user_id,
                                                                    RoleAssignment.role == PROVINCIAL))
    if held is None:
        raise not_found("省级管理员", "Provincial admin")
    with system_scope():
        username = await session.scalar(select(User.username).where(User.id == user_id))
    await lock_grants(session, province.id)
    touched: list[UUID] = []
    for t in await subtree(session, province):
        with tenant_scope(t.id):
            gone = await session.execute(delete(RoleAssignment).where(RoleAssignment.user_id == user_id,
                                                                      RoleAssignment.role == PROVINCIAL))
            if not gone.rowcount:  # type: ignore[attr-defined]  # a DELETE answers a CursorResult (rowcount)
                continue
            touched.append(t.id)
            if t.id != province.id:
                await record_audit(session, action="role.revoke", target_type="user", target_id=str(user_id),
                                   details={"username": username, "role": PROVINCIAL, "inherited": True,
                                            "provinceId": province.id})
    with tenant_scope(province.id):
        await record_audit(session, action="provincial_admin.revoke", target_type="user", target_id=str(user_id),
                           details={"username": username, "tenants": len(touched)})
    await policy.changed(session, *touched, users=[user_id])
    await policy.commit(session)
    return len(touched)


async def create_province(session: AsyncSession, *, name: str, division_code: str) -> Tenant:
    """A new province (a platform admin's work): the tree's root, audited in its own new chain. Its provincial
    admins are appointed next (``appoint``)."""
    division_code = division_code.strip()
    if not division_code.isdigit() or len(division_code) != 6 or not division_code.endswith("0000"):
        raise AppError("invalid_tenant", "省级行政区划代码为 6 位数字、以 0000 结尾（如 420000）",
                       "A province's division code is 6 digits ending in 0000 (e.g. 420000)", status=400,
                       fields=[field_error("divisionCode", "应为 6 位数字、以 0000 结尾", "6 digits ending in 0000")])
    with system_scope():
        province = await create_tenant(session, name=name, level=TenantLevel.province, division_code=division_code,
                                       parent=None, template=None)
    with tenant_scope(province.id):
        await record_audit(session, action="tenant.create", target_type="tenant", target_id=str(province.id),
                           details={"name": province.name, "level": province.level, "divisionCode": division_code})
    await session.commit()
    return province

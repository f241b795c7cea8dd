"""Account and role administration inside one tenant (center admin's work), audited.

Rules: accounts are created with a one-time password (shown once, changed at first login); disabling an
account or resetting its password ends its sessions at once (``sessions_valid_after``); roles are assigned
only to the tenant's own accounts and only from the center roles; platform and provincial roles are never
assigned here (provincial authority is inherited from the province when a center is created, and appointed
by a platform admin in ``domain/org/provincial.py``).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.audit import record_audit, update_audited
from govhall.authz.authority import manageable, require_authority
from govhall.authz.models import RoleAssignment
from govhall.authz.permissions import Role
from govhall.bus import ChangeBus
from govhall.domain.identity import user_cache
from govhall.domain.identity.models import User
from govhall.domain.identity.passwords import hash_password, one_time_password
from govhall.domain.org.models import Staff
from govhall.domain.org.names import normalize_name
from govhall.errors import AppError, field_error, not_found
from govhall.log import get_logger
from govhall.tenancy.context import current_tenant_id, system_scope
from govhall.tenancy.service import TenantScopedService

log = get_logger(__name__)

ASSIGNABLE_ROLES = (Role.center_admin.value, Role.chief_representative.value, Role.duty_officer.value,
                    Role.clerk.value, Role.supervision_office.value, Role.center_leader.value)
USERNAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{2,63}$")


def check_username(raw: str, field: str = "username") -> str:
    username = (raw or "").strip()
    if not USERNAME.match(username):
        raise AppError("invalid_username", "用户名为 3-64 位小写字母、数字或 . _ -，以字母或数字开头",
                       "Username: 3-64 lower-case letters, digits or . _ -, starting with a letter or digit",
                       fields=[field_error(field, "用户名格式不正确", "Invalid username")])
    return username


# Names nobody gets (they would read as the system speaking), refused like a name in use elsewhere.
RESERVED_USERNAMES = frozenset({"admin", "administrator", "root", "system", "platform", "platform_admin", "govhall",
                                "support", "security", "audit", "test"})


async def ensure_username_free(session: AsyncSession, username: str, field: str = "username") -> None:
    """Usernames are unique platform-wide (login knows no tenant). A name held by an account of the caller's own
    tenant is reported as such; a name held elsewhere (or reserved) only as "not available", the same answer, so
    creating accounts does not tell a center admin which names other tenants use beyond the unavoidable fact that
    this one cannot be had (issue 8 item 9; README "Security")."""
    with system_scope():
        owner = await session.scalar(select(User.tenant_id).where(User.username == username))
    if owner is not None and owner == current_tenant_id():
        raise AppError("duplicate_username", "本机构已有账号使用此用户名", "An account of this center already uses this "
                       "username", status=409, fields=[field_error(field, "本机构已有此用户名", "Already used here")])
    if owner is not None or username in RESERVED_USERNAMES:
        log.info("username_unavailable", field=field)
        raise AppError("username_unavailable", "此用户名不可用，请换一个（建议加上本中心的拼音或代码前缀）",
                       "This username is not available; choose another (e.g. with your center's prefix)", status=409,
                       fields=[field_error(field, "此用户名不可用", "Not available")])


def check_role(role: str) -> str:
    if role not in ASSIGNABLE_ROLES:
        raise AppError("role_not_assignable", "只能分配中心角色：中心管理员、首席代表、值班人员、窗口工作人员",
                       "Only center roles can be assigned here: center admin, chief representative, duty officer, "
                       "clerk", fields=[field_error("role", "不能分配此角色", "Role not assignable")])
    return role


def new_account(*, username: str, display_name: str, staff_id: UUID | None) -> tuple[User, str]:
    otp = one_time_password()
    user = User(username=username, display_name=normalize_name(display_name, "displayName"),
                password_hash=hash_password(otp), staff_id=staff_id, must_change_password=True, is_active=True,
                failed_logins=0, is_platform_admin=False)
    return user, otp


class UserService(TenantScopedService):
    class Repo(SQLAlchemyAsyncRepository[User]):
        model_type = User

    repository_type = Repo

    @property
    def session(self) -> AsyncSession:
        return self.repository.session

    async def roles_by_user(self, user_ids: list[UUID]) -> dict[UUID, list[str]]:
        out: dict[UUID, list[str]] = {u: [] for u in user_ids}
        if user_ids:
            rows = await self.session.execute(
                select(RoleAssignment.user_id, RoleAssignment.role).where(RoleAssignment.user_id.in_(user_ids)))
            for uid, role in rows.all():
                out.setdefault(uid, []).append(role)
        return {k: sorted(v) for k, v in out.items()}

    async def _get(self, user_id: UUID, actor_id: UUID | None = None) -> User:
        """The tenant's account; with ``actor_id``, only if the actor has authority over it (authz/authority.py)."""
        user = await self.get_one_or_none(id=user_id)
        if user is None:
            raise not_found("账号", "Account")
        if actor_id is not None:
            await require_authority(self.session, actor_id, user.id, target_is_platform_admin=user.is_platform_admin)
        return user

    async def manageable(self, actor_id: UUID, users: list[User]) -> set[UUID]:
        return await manageable(self.session, actor_id, [(u.id, u.is_platform_admin) for u in users])

    async def _check_staff(self, staff_id: UUID | None, exclude_user: UUID | None = None) -> None:
        if staff_id is None:
            return
        if await self.session.get(Staff, staff_id) is None:
            raise AppError("invalid_reference", "所选人员不存在", "Unknown staff member",
                           fields=[field_error("staffId", "所选人员不存在", "Unknown staff member")])
        stmt = select(User.id).where(User.staff_id == staff_id)
        if exclude_user:
            stmt = stmt.where(User.id != exclude_user)
        if await self.session.scalar(stmt):
            raise AppError("staff_has_account", "该人员已有登录账号", "This staff member already has an account",
                           status=409, fields=[field_error("staffId", "该人员已有账号", "Already has an account")])

    async def create_account(self, policy: ChangeBus, *, username: str, display_name: str, staff_id: UUID | None,
                             roles: list[str]) -> tuple[User, str]:
        username = check_username(username)
        roles = sorted({check_role(r) for r in roles})
        await ensure_username_free(self.session, username)
        await self._check_staff(staff_id)
        user, otp = new_account(username=username, display_name=display_name, staff_id=staff_id)
        self.session.add(user)
        await self.session.flush()
        for role in roles:
            self.session.add(RoleAssignment(user_id=user.id, role=role))
        await record_audit(self.session, action="user.create", target_type="user", target_id=str(user.id),
                           details={"username": username, "displayName": user.display_name, "staffId": staff_id,
                                    "roles": roles})
        if roles:
            await policy.changed(self.session, current_tenant_id(), users=[user.id])  # type: ignore[arg-type]  # a tenant route: the guard set the scope, so the id is not None
        await policy.commit(self.session)
        return user, otp

    async def update_account(self, actor_id: UUID, user_id: UUID, changes: dict[str, Any]) -> User:
        user = await self._get(user_id, actor_id)
        if "display_name" in changes:
            changes["display_name"] = normalize_name(changes["display_name"], "displayName")
        if "staff_id" in changes:
            await self._check_staff(changes["staff_id"], exclude_user=user_id)
        return await update_audited(self.session, user, changes, target_type="user", target_id=str(user_id))

    async def set_active(self, actor_id: UUID, user_id: UUID, active: bool) -> User:
        user = await self._get(user_id, actor_id)
        if user.id == actor_id and not active:
            raise AppError("cannot_disable_self", "不能停用自己的账号", "You cannot disable your own account",
                           status=409)
        if await self.switch_active(user, active):
            await user_cache.commit(self.session)  # every worker drops its copy of the account before the answer
        return user

    async def switch_active(self, user: User, active: bool, **details: Any) -> bool:
        """Enable or disable ``user`` (disabling ends its sessions at once), audited; the caller commits (also
        tenants as code, which has checked the authority itself). False when nothing changed."""
        if user.is_active == active:
            return False
        user.is_active = active
        if not active:
            user.sessions_valid_after = datetime.now(UTC)  # every session of the account dies now
        else:
            user.failed_logins, user.locked_until = 0, None
        await record_audit(self.session, action="user.enable" if active else "user.disable", target_type="user",
                           target_id=str(user.id), details={"username": user.username, **details})
        return True

    async def reset_password(self, actor_id: UUID, user_id: UUID) -> tuple[User, str]:
        user = await self._get(user_id, actor_id)
        if user.id == actor_id:
            raise AppError("cannot_reset_self", "请通过“修改密码”更改自己的密码",
                           "Use 'change password' for your own account", status=409)
        otp = one_time_password()
        user.password_hash = hash_password(otp)
        user.must_change_password = True
        user.otp_used_at = None
        user.failed_logins, user.locked_until = 0, None
        user.sessions_valid_after = datetime.now(UTC)
        await record_audit(self.session, action="user.reset_password", target_type="user", target_id=str(user_id),
                           details={"username": user.username})
        await user_cache.commit(self.session)
        return user, otp


class RoleService(TenantScopedService):
    class Repo(SQLAlchemyAsyncRepository[RoleAssignment]):
        model_type = RoleAssignment

    repository_type = Repo

    @property
    def session(self) -> AsyncSession:
        return self.repository.session

    async def list_assignments(self) -> list[dict[str, Any]]:
        rows = (await self.session.scalars(select(RoleAssignment).order_by(RoleAssignment.created_at))).all()
        ids = {r.user_id for r in rows}
        tenant_id = current_tenant_id()
        with system_scope():  # inherited holders live in a parent tenant; only their names are shown
            users = {u.id: u for u in (await self.session.scalars(select(User).where(User.id.in_(ids)))).all()}
        out = []
        for r in rows:
            u = users.get(r.user_id)
            out.append({"id": r.id, "user_id": r.user_id, "username": u.username if u else "?",
                        "display_name": u.display_name if u else "?", "role": r.role,
                        "inherited": u is None or u.tenant_id != tenant_id, "created_at": r.created_at})
        return out

    async def assign(self, policy: ChangeBus, actor_id: UUID, user_id: UUID, role: str) -> RoleAssignment:
        role = check_role(role)
        user = await self.session.get(User, user_id)  # the tenant's own accounts only (ORM guard)
        if user is None:
            raise AppError("invalid_reference", "所选账号不存在", "Unknown account",
                           fields=[field_error("userId", "所选账号不存在", "Unknown account")])
        await require_authority(self.session, actor_id, user.id, target_is_platform_admin=user.is_platform_admin,
                                grant=(current_tenant_id(), role))  # type: ignore[arg-type]  # a tenant route: the guard set the scope, so the id is not None
        if await self.has_role(user_id, role):
            raise AppError("duplicate_role", "该账号已有此角色", "The account already has this role", status=409)
        obj = RoleAssignment(user_id=user_id, role=role)
        self.session.add(obj)
        await self.session.flush()
        await record_audit(self.session, action="role.assign", target_type="user", target_id=str(user_id),
                           details={"username": user.username, "role": role})
        await policy.changed(self.session, current_tenant_id(), users=[user_id])  # type: ignore[arg-type]  # a tenant route: the guard set the scope, so the id is not None
        await policy.commit(self.session)
        return obj

    async def has_role(self, user_id: UUID, role: str) -> bool:
        """The friendly early answer; a request that loses the race gets the same 409 from ``uq_role_assignment``."""
        return bool(await self.session.scalar(select(RoleAssignment.id).where(RoleAssignment.user_id == user_id,
                                                                              RoleAssignment.role == role)))

    async def revoke(self, policy: ChangeBus, actor_id: UUID, assignment_id: UUID) -> None:
        obj = await self.get_one_or_none(id=assignment_id)
        if obj is None:
            raise not_found("角色分配", "Role assignment")
        if obj.role not in ASSIGNABLE_ROLES:
            raise AppError("role_inherited", "上级授予的权限只能在上级撤销", "Inherited authority is managed by the parent",
                           status=403)
        if obj.user_id == actor_id and obj.role == Role.center_admin.value:
            raise AppError("cannot_revoke_self", "不能撤销自己的中心管理员角色",
                           "You cannot revoke your own center admin role", status=409)
        with system_scope():
            holder = await self.session.scalar(select(User).where(User.id == obj.user_id))
        await require_authority(self.session, actor_id, obj.user_id,
                                target_is_platform_admin=bool(holder and holder.is_platform_admin))
        await self.remove(obj, holder.username if holder else None)
        await policy.changed(self.session, current_tenant_id(), users=[obj.user_id])  # type: ignore[arg-type]  # a tenant route: the guard set the scope, so the id is not None
        await policy.commit(self.session)

    async def remove(self, obj: RoleAssignment, username: str | None, **details: Any) -> None:
        """Delete the assignment, audited; the caller announces the policy change and commits."""
        await self.session.delete(obj)
        await record_audit(self.session, action="role.revoke", target_type="user", target_id=str(obj.user_id),
                           details={"username": username, "role": obj.role, **details})

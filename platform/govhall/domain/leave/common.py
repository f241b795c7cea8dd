"""Shared pieces of the leave workflow: who is asking, the center's leave settings, files, errors."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.authz.models import RoleAssignment
from govhall.authz.permissions import Role
from govhall.clock import local_now, utcnow, zone
from govhall.domain.attendance.ingest import mark_months_dirty, tenant_timezone
from govhall.domain.attendance.inputs import StaffRow
from govhall.domain.attendance.services import my_staff, tenant
from govhall.domain.identity.models import User
from govhall.domain.leave.models import LeaveRequest
from govhall.errors import AppError, field_error
from govhall.packs.services import TenantHooks, enabled_hooks
from govhall.packs.types import LeaveRequest as PackLeave

PACK = "leave_quotas"
ADMIN_ROLES = frozenset({Role.center_admin.value, Role.provincial_admin.value, Role.platform_admin.value})


async def settle(session: AsyncSession) -> None:
    """Flush pending changes in the tenant scope before reading settings or the calendar: those reads may open the
    system scope (the tenant path), and an autoflush there would run outside the tenant's RLS scope."""
    if session.dirty or session.new or session.deleted:
        await session.flush()


def bad(code: str, field: str | None, zh: str, en: str, status: int = 400) -> AppError:
    return AppError(code, zh, en, status=status, fields=[field_error(field, zh, en)] if field else None)


@dataclass(frozen=True)
class Actor:
    user_id: UUID
    roles: frozenset[str]
    staff: StaffRow | None

    @property
    def is_admin(self) -> bool:
        return bool(self.roles & ADMIN_ROLES)

    @property
    def is_duty(self) -> bool:
        return Role.duty_officer.value in self.roles

    @property
    def is_chief(self) -> bool:
        return Role.chief_representative.value in self.roles

    def owns(self, req: LeaveRequest) -> bool:
        return (self.staff is not None and self.staff.id == req.staff_id) or req.requested_by == self.user_id


async def actor(session: AsyncSession, authz: Any, user: Any) -> Actor:
    roles = frozenset(await authz.roles_in(user.id, str(tenant())))
    return Actor(user.id, roles, await my_staff(session, user.id))


def quota_role(roles: Sequence[str] | frozenset[str]) -> str:
    """The role a request is counted under (quotas are per role): chief representative, duty officer, clerk."""
    for r in (Role.chief_representative.value, Role.duty_officer.value):
        if r in roles:
            return r
    return Role.clerk.value


async def roles_of_staff(session: AsyncSession, staff_id: UUID) -> list[str]:
    rows = await session.scalars(select(RoleAssignment.role).join(User, User.id == RoleAssignment.user_id)
                                 .where(User.staff_id == staff_id))
    return list(rows)


async def hooks_on(session: AsyncSession, on: date) -> TenantHooks:
    await settle(session)
    hooks = await enabled_hooks(session, tenant(), on)
    if PACK not in hooks.enabled:
        raise AppError("pack_not_enabled", "本中心未启用“请销假”规则包，请先在规则配置中启用",
                       "This center has not enabled the leave rules (leave_quotas pack)", status=409)
    return hooks


def settings_of(hooks: TenantHooks) -> Any:
    return hooks.rules.of(PACK)


def fingerprint(hooks: TenantHooks) -> str:
    raw = ";".join(f"{n}={v}" for n, v in hooks.rules.fingerprint if n == PACK)
    return hashlib.sha256(raw.encode()).hexdigest()


async def now_local(session: AsyncSession) -> datetime:
    return local_now(await tenant_timezone(session, tenant())).replace(tzinfo=None)


def pack_status(req: LeaveRequest) -> str:
    return req.status.value if req.status.value in ("pending", "approved", "closed", "unclosed") else "approved"


def to_pack(req: LeaveRequest, *, single_staff_window: bool = False, uncovered: tuple[date, ...] = ()) -> PackLeave:
    return PackLeave(
        id=str(req.id), staff_id=str(req.staff_id), role=req.role, leave_type=req.leave_type,  # type: ignore[arg-type]  # DB columns are str; the pack type narrows them to its Literals (same values)
        start=req.start_date, end=req.actual_end_date or req.end_date, days=req.half_days / 2,
        submitted_on=req.submitted_on, status=pack_status(req),  # type: ignore[arg-type]  # DB columns are str; the pack type narrows them to its Literals (same values)
        has_sick_note=req.sick_note_file_id is not None,
        substitute_staff_id=str(req.substitute_staff_id) if req.substitute_staff_id else None,
        start_half=req.start_half, end_half=req.actual_end_half or req.end_half,  # type: ignore[arg-type]  # DB columns are str; the pack type narrows them to its Literals (same values)
        submitted_half=req.submitted_half, has_external_substitute=req.external_substitute is not None,  # type: ignore[arg-type]  # DB columns are str; the pack type narrows them to its Literals (same values)
        single_staff_window=single_staff_window,
        closed_on=req.closed_on,
        closure_due=req.closure_due, uncovered_days=uncovered)


async def check_files(session: AsyncSession, ids: Sequence[UUID], field: str) -> None:
    """Every id must be a file of this center in the tenant file store (400 ``file_not_found`` otherwise)."""
    if not ids:
        return
    try:
        from govhall.files.services import get_files
    except ImportError:  # pragma: no cover - the file store lands with the ``shared`` branch
        raise bad("file_not_found", field, "附件不存在", "Unknown attachment") from None
    try:
        await get_files(session, list(ids))
    except AppError as exc:
        exc.fields = exc.fields or [field_error(field, exc.zh, exc.en)]
        raise


async def dirty(session: AsyncSession, start: date, end: date) -> None:
    """Mark the months [start, end] touches for re-evaluation."""
    months, d = [], start.replace(day=1)
    while d <= end:
        months.append(d)
        d = (d + timedelta(days=32)).replace(day=1)
    await mark_months_dirty(session, tenant(), months, utcnow())


def local_dt(naive: datetime, tz: str) -> datetime:
    return naive.replace(tzinfo=zone(tz))

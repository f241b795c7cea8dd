"""The one helper every domain uses for "whose staff may this user see": ``staff_scope``.

The rule itself is a core concept (``govhall.authz.visibility``: center admins, provincial admins and duty
officers see the whole center, a chief representative the own department, anyone else the own record). This
helper finds the user's own staff record in the tenant and applies that rule.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.authz.visibility import CENTER_WIDE, OWN_DEPARTMENT, Reach, StaffLike, StaffScope
from govhall.authz.visibility import scope_for as _rule
from govhall.domain.org.models import Staff

__all__ = ("CENTER_WIDE", "OWN_DEPARTMENT", "Reach", "StaffScope", "scope_for", "staff_scope")


def _department_members(department_id: UUID) -> Any:
    return select(Staff.id).where(Staff.department_id == department_id)


def scope_for(roles: set[str] | frozenset[str], own: Staff | None) -> StaffScope:
    return _rule(roles, own, _department_members)


_UNREAD: Any = object()


async def staff_scope(session: AsyncSession, authz: Any, user: Any, tenant_id: UUID, *,
                      own: StaffLike | None = _UNREAD) -> StaffScope:
    """The scope of ``user`` (an ``AuthUser``) in ``tenant_id``; call inside the tenant scope the guard set.
    ``own``: the user's staff record in this tenant when the caller already read it (None: has none)."""
    roles = set(await authz.roles_in(user.id, str(tenant_id)))
    if own is _UNREAD:
        own = None
        if user.staff_id is not None and user.tenant_id == tenant_id:
            own = await session.get(Staff, user.staff_id)
    return _rule(roles, own, _department_members)

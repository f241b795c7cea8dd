"""Data rules next to the Casbin check: which staff records a user may see and act on inside a center.

Casbin decides *whether* a role may read staff in a tenant (``staff:read``); this decides *which* records:

| role in the tenant                                   | staff records                                 |
|------------------------------------------------------|-----------------------------------------------|
| center admin, provincial admin (inherited), duty officer | the whole center (the duty officer runs its day-to-day) |
| chief representative (首席代表)                        | the staff of their own department (their staff record's department) |
| anyone else (clerk)                                  | only their own staff record                   |

The widest rule among the user's roles wins. Services apply it as query criteria (lists) and as a check
(single records), so a record outside it is "not found", never half-shown. Other domains (leave, attendance,
assessment) use the same ``StaffScope`` for "own window" and "own record" rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import false, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from govhall.authz.permissions import Role
from govhall.domain.org.models import Staff

CENTER_WIDE = frozenset({Role.center_admin.value, Role.provincial_admin.value, Role.duty_officer.value})
OWN_DEPARTMENT = frozenset({Role.chief_representative.value})


@dataclass(frozen=True)
class StaffScope:
    everyone: bool = False
    department_id: UUID | None = None
    staff_id: UUID | None = None
    """The user's own staff record (always visible to them)."""

    def criteria(self, model: Any = Staff, *, staff_column: str = "id") -> ColumnElement[bool]:
        """A WHERE clause for ``model`` (Staff, or a table with a staff reference named ``staff_column``)."""
        if self.everyone:
            return true()
        col = getattr(model, staff_column)
        if self.department_id is not None:
            if model is Staff:
                clause = Staff.department_id == self.department_id
            else:
                from sqlalchemy import select

                clause = col.in_(select(Staff.id).where(Staff.department_id == self.department_id))
            return clause if self.staff_id is None else (clause | (col == self.staff_id))
        if self.staff_id is not None:
            return col == self.staff_id
        return false()

    def allows(self, staff: Staff | None) -> bool:
        if staff is None:
            return False
        if self.everyone or staff.id == self.staff_id:
            return True
        return self.department_id is not None and staff.department_id == self.department_id

    @property
    def label(self) -> str:
        return "center" if self.everyone else "department" if self.department_id else "self" if self.staff_id else "none"


def scope_for(roles: set[str] | frozenset[str], own: Staff | None) -> StaffScope:
    own_id = own.id if own else None
    if roles & CENTER_WIDE:
        return StaffScope(everyone=True, staff_id=own_id)
    if roles & OWN_DEPARTMENT and own is not None and own.department_id is not None:
        return StaffScope(department_id=own.department_id, staff_id=own_id)
    return StaffScope(staff_id=own_id)


async def staff_scope(session: AsyncSession, authz: Any, user: Any, tenant_id: UUID) -> StaffScope:
    """The scope of ``user`` (an ``AuthUser``) in ``tenant_id``; call inside the tenant scope the guard set."""
    roles = set(await authz.roles_in(user.id, str(tenant_id)))
    own = None
    if user.staff_id is not None and user.tenant_id == tenant_id:
        own = await session.get(Staff, user.staff_id)
    return scope_for(roles, own)

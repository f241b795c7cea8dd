"""Data visibility: which staff a user may see and act on inside a tenant. One rule for every domain.

Casbin decides *whether* a role may read something in a tenant (``staff:read``, ``attendance:board``, ...); this
decides *whose* records:

| role in the tenant                                        | reach        | staff records                          |
|-----------------------------------------------------------|--------------|----------------------------------------|
| center admin, provincial admin (inherited), duty officer  | ``center``   | the whole center                       |
| chief representative (首席代表) with a department           | ``department`` | the own department, and the own record |
| anyone else (clerk; a chief representative without one)   | ``own``      | only the own staff record              |

The widest rule among the user's roles in *this* tenant wins. Roles are those Casbin holds for the tenant: a
platform admin has none in a center (its authority lives in the reserved ``platform`` domain and covers
platform routes, not staff records), so it falls under the last row like anyone else. There is no other
fallback. Domains get a ``StaffScope`` from the one helper, ``govhall.domain.org.rules.staff_scope``, which
finds the user's own staff record and applies ``scope_for``; lists filter with ``scope.criteria(...)``, single
records check ``scope.allows(record)``, so a record outside the scope is "not found", never half-shown.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol
from uuid import UUID

from sqlalchemy import false, true
from sqlalchemy.sql.elements import ColumnElement

from govhall.authz.permissions import Role

CENTER_WIDE = frozenset({Role.center_admin.value, Role.provincial_admin.value, Role.duty_officer.value})
OWN_DEPARTMENT = frozenset({Role.chief_representative.value})


class Reach(str, enum.Enum):
    center = "center"  # type: ignore[assignment]  # shadows str.center on purpose: a Reach is compared, never centered
    department = "department"
    own = "own"


class StaffLike(Protocol):
    """A staff record or row: its id and department."""

    id: UUID
    department_id: UUID | None


def reach_for(roles: Iterable[str], *, has_department: bool) -> Reach:
    """The rule: the widest reach among ``roles`` (a department reach needs a department to reach)."""
    held = set(roles)
    if held & CENTER_WIDE:
        return Reach.center
    if held & OWN_DEPARTMENT and has_department:
        return Reach.department
    return Reach.own


@dataclass(frozen=True)
class StaffScope:
    reach: Reach = Reach.own
    staff_id: UUID | None = None
    """The user's own staff record in this tenant (always visible to them), if any."""
    department_id: UUID | None = None
    """The department reached (``Reach.department`` only)."""
    department_members: Callable[[UUID], Any] | None = field(default=None, compare=False, repr=False)
    """``department_id -> SELECT staff ids`` for criteria on tables that only reference staff (set by the helper)."""

    @property
    def everyone(self) -> bool:
        return self.reach is Reach.center

    def allows(self, staff: StaffLike | None) -> bool:
        """Whether one record is visible."""
        if staff is None:
            return False
        if self.everyone or (self.staff_id is not None and staff.id == self.staff_id):
            return True
        return self.reach is Reach.department and staff.department_id == self.department_id

    def criteria(self, model: Any, *, staff_column: str = "id") -> ColumnElement[bool]:
        """A WHERE clause for ``model``: the staff table itself (``staff_column="id"``) or a table whose
        ``staff_column`` references staff."""
        if self.everyone:
            return true()
        col = getattr(model, staff_column)
        if self.reach is Reach.department and self.department_id is not None:
            if staff_column == "id" and hasattr(model, "department_id"):
                clause = model.department_id == self.department_id
            elif self.department_members is not None:
                clause = col.in_(self.department_members(self.department_id))
            else:
                raise ValueError("a department scope needs department_members for tables that reference staff")
            return clause if self.staff_id is None else (clause | (col == self.staff_id))
        if self.staff_id is not None:
            return col == self.staff_id
        return false()

    @property
    def label(self) -> str:
        return "center" if self.everyone else "department" if self.reach is Reach.department else (
            "self" if self.staff_id else "none")


def scope_for(roles: Iterable[str], own: StaffLike | None,
              department_members: Callable[[UUID], Any] | None = None) -> StaffScope:
    """The scope of a user with ``roles`` in a tenant whose own staff record there is ``own`` (or None)."""
    own_id = own.id if own is not None else None
    own_department = own.department_id if own is not None else None
    reach = reach_for(roles, has_department=own_department is not None)
    return StaffScope(reach=reach, staff_id=own_id,
                      department_id=own_department if reach is Reach.department else None,
                      department_members=department_members)

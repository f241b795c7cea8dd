"""Wire types of account and role administration."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar
from uuid import UUID

import msgspec

from govhall.schemas import CamelStruct


class UserOut(CamelStruct):
    id: UUID
    username: str
    display_name: str
    staff_id: UUID | None
    is_active: bool
    must_change_password: bool
    locked: bool
    roles: list[str]
    created_at: datetime
    manageable: bool = True
    """Whether the caller has authority over this account (authz/authority.py): false = actions are refused."""


class UserIn(CamelStruct):
    __names__: ClassVar[dict[str, tuple[int, bool]]] = {"display_name": (100, True)}
    username: str
    display_name: str
    staff_id: UUID | None = None
    roles: list[str] = msgspec.field(default_factory=list)


class UserPatch(CamelStruct, omit_defaults=True):
    __names__: ClassVar[dict[str, tuple[int, bool]]] = {"display_name": (100, True)}
    display_name: str | msgspec.UnsetType = msgspec.UNSET
    staff_id: UUID | msgspec.UnsetType | None = msgspec.UNSET


class UserWithPassword(CamelStruct):
    """Returned once, when an account is created or its password reset: the one-time password is not stored."""

    user: UserOut
    one_time_password: str


class RoleAssignmentOut(CamelStruct):
    id: UUID
    user_id: UUID
    username: str
    display_name: str
    role: str
    inherited: bool
    """Held through a parent tenant (a provincial admin's authority); managed there, not here."""
    created_at: datetime


class RoleAssignmentIn(CamelStruct):
    user_id: UUID
    role: str

from __future__ import annotations

from datetime import datetime
from typing import ClassVar
from uuid import UUID

import msgspec

from govhall.domain.org.models import StaffStatus
from govhall.schemas import CamelStruct


class Department(CamelStruct):
    id: UUID
    name: str
    code: str | None = None


class DepartmentIn(CamelStruct):
    __names__: ClassVar[dict[str, tuple[int, bool]]] = {"name": (200, False)}
    name: str = msgspec.field()
    code: str | None = None


class Window(CamelStruct):
    id: UUID
    number: str
    name: str
    department_id: UUID


class WindowIn(CamelStruct):
    __names__: ClassVar[dict[str, tuple[int, bool]]] = {"name": (200, False)}
    number: str
    name: str
    department_id: UUID


class Staff(CamelStruct):
    id: UUID
    name: str
    employee_no: str
    phone: str | None
    department_id: UUID | None
    window_id: UUID | None
    status: StaffStatus


class StaffIn(CamelStruct):
    __names__: ClassVar[dict[str, tuple[int, bool]]] = {"name": (100, True)}
    name: str
    employee_no: str
    phone: str | None = None
    department_id: UUID | None = None
    window_id: UUID | None = None
    status: StaffStatus = StaffStatus.active


class StaffPatch(CamelStruct, omit_defaults=True):
    __names__: ClassVar[dict[str, tuple[int, bool]]] = {"name": (100, True)}
    name: str | msgspec.UnsetType = msgspec.UNSET
    phone: str | msgspec.UnsetType | None = msgspec.UNSET
    department_id: UUID | msgspec.UnsetType | None = msgspec.UNSET
    window_id: UUID | msgspec.UnsetType | None = msgspec.UNSET
    status: StaffStatus | msgspec.UnsetType = msgspec.UNSET


class DepartmentPatch(CamelStruct, omit_defaults=True):
    __names__: ClassVar[dict[str, tuple[int, bool]]] = {"name": (200, False)}
    name: str | msgspec.UnsetType = msgspec.UNSET
    code: str | msgspec.UnsetType | None = msgspec.UNSET


class WindowPatch(CamelStruct, omit_defaults=True):
    __names__: ClassVar[dict[str, tuple[int, bool]]] = {"name": (200, False)}
    number: str | msgspec.UnsetType = msgspec.UNSET
    name: str | msgspec.UnsetType = msgspec.UNSET
    department_id: UUID | msgspec.UnsetType = msgspec.UNSET


class BackupPair(CamelStruct):
    id: UUID
    staff_a_id: UUID
    staff_b_id: UUID
    note: str | None = None


class BackupPairIn(CamelStruct):
    staff_a_id: UUID
    staff_b_id: UUID
    note: str | None = None


class RosterImported(CamelStruct):
    created: int
    updated: int


def set_fields(data: msgspec.Struct) -> dict[str, object]:
    """The fields a PATCH body actually carried (UNSET ones are left alone)."""
    return {f: getattr(data, f) for f in data.__struct_fields__ if getattr(data, f) is not msgspec.UNSET}


class TenantNode(CamelStruct):
    id: UUID
    name: str
    level: str
    division_code: str
    parent_id: UUID | None
    template: str | None
    depth: int
    can_onboard: bool
    created_at: datetime
    child_count: int = 0
    """Visible children (the tree shows an expander when there are any)."""
    descendant_count: int = 0
    """Visible tenants anywhere below."""
    ancestors: list[str] = msgspec.field(default_factory=list)
    """Names of the ancestors, the province first (search results, to tell same-named centers apart)."""


class Template(CamelStruct):
    key: str
    zh: str
    en: str


class TenantTree(CamelStruct):
    """One level of the tree (or one page of a search): ``tenants`` in division-code order, ``total`` of the level."""
    tenants: list[TenantNode]
    templates: list[Template]
    total: int = 0
    limit: int = 100
    offset: int = 0


class OnboardIn(CamelStruct):
    __names__: ClassVar[dict[str, tuple[int, bool]]] = {"name": (200, False), "admin_display_name": (100, True)}
    level: str
    division_code: str
    name: str
    template: str
    admin_username: str
    admin_display_name: str


class OnboardAdmin(CamelStruct):
    id: UUID
    username: str
    display_name: str


class OnboardOut(CamelStruct):
    tenant: TenantNode
    admin: OnboardAdmin
    one_time_password: str
    """Shown once; only its argon2 hash is stored. The admin must change it at first login."""


class ProvincialAdminOut(CamelStruct):
    user_id: UUID
    username: str
    display_name: str
    is_active: bool
    appointed_at: datetime


class AppointIn(CamelStruct):
    __names__: ClassVar[dict[str, tuple[int, bool]]] = {"display_name": (100, True)}
    username: str
    display_name: str | None = None
    """Given: a new account is created in the province (one-time password returned once). Omitted: the province's
    existing account ``username`` is appointed."""


class AppointOut(CamelStruct):
    admin: ProvincialAdminOut
    tenants: int
    """Tenants (the province and every one below it) that got the explicit grant."""
    one_time_password: str | None = None


class ProvinceIn(CamelStruct):
    name: str
    division_code: str

"""Test centers of our own (the demo centers are shared by every test module): a tenant under the demo province with
one department, staff, accounts, and the work_hours / attendance_rules packs enabled with given settings."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from govhall.authz.models import RoleAssignment
from govhall.cli import DEMO_PASSWORD
from govhall.domain.attendance.settings import forget
from govhall.domain.identity.models import User
from govhall.domain.identity.passwords import hash_password
from govhall.domain.org.models import Department, Staff, Window
from govhall.domain.org.tenants import create_tenant
from govhall.packs.services import Actor, save_version
from govhall.tenancy import system_scope, tenant_scope
from govhall.tenancy.models import Tenant, TenantLevel

_PW: list[str] = []


def sessions(*spec: tuple[str, str, str]) -> list[dict[str, Any]]:
    return [{"label": lb, "start": a, "end": b, "weekdays": [1, 2, 3, 4, 5], "open_to_public": True}
            for lb, a, b in spec]


COUNTY_HOURS = sessions(("上午", "08:30", "12:00"), ("下午", "14:30", "18:00"))
LUOTIAN_HOURS = sessions(("上午", "08:00", "11:30"), ("下午", "14:00", "17:00"))
# Friday afternoon is internal study (closed to the public), as in seed 000's county hall
COUNTY_STUDY_HOURS = [*sessions(("上午", "08:30", "12:00")),
                      {"label": "下午", "start": "14:30", "end": "18:00", "weekdays": [1, 2, 3, 4], "open_to_public": True},
                      {"label": "学习", "start": "14:30", "end": "17:30", "weekdays": [5], "open_to_public": False}]


@dataclass
class Center:
    tenant: Tenant
    department_id: uuid.UUID
    other_department_id: uuid.UUID
    staff: dict[str, uuid.UUID] = field(default_factory=dict)
    """employee_no -> staff id"""
    users: dict[str, str] = field(default_factory=dict)
    """role -> username"""

    @property
    def id(self) -> uuid.UUID:
        return self.tenant.id


async def set_pack(session: AsyncSession, tenant_id: uuid.UUID, pack: str, overrides: dict[str, Any], *,
                   enabled: bool = True, effective_from: date = date(2026, 1, 1)) -> None:
    with tenant_scope(tenant_id):
        await save_version(session, tenant_id, pack, effective_from=effective_from, enabled=enabled,
                           overrides=overrides, actor=Actor(None, "test"), can_lock=True, allow_past=True)
        await session.commit()
    forget(tenant_id)


async def make_center(session: AsyncSession, demo: dict[str, Tenant], *, hours: list[dict[str, Any]] = COUNTY_HOURS,
                      rules: dict[str, Any] | None = None, attendance_rules: bool = True, staff: int = 3,
                      grace: int = 0, parent: Tenant | None = None, level: TenantLevel = TenantLevel.county) -> Center:
    if not _PW:
        _PW.append(hash_password(DEMO_PASSWORD))
    tag = uuid.uuid4().hex[:6]
    with system_scope():
        tenant = await create_tenant(session, name=f"测试中心{tag}", level=level,
                                     division_code=f"429{int(tag, 16) % 1000:03d}-{tag}",
                                     parent=parent or demo["420000"])
        await session.commit()
    with tenant_scope(tenant.id):
        dept, other = Department(name="测试局"), Department(name="另一局")
        session.add_all([dept, other])
        await session.flush()
        win = Window(number="01", name="综合窗口", department_id=dept.id)
        session.add(win)
        await session.flush()
        people = [Staff(name=f"员工{i}", employee_no=f"E{i:03d}", department_id=dept.id, window_id=win.id)
                  for i in range(1, staff + 1)]
        people.append(Staff(name="外局员工", employee_no="X001", department_id=other.id))
        people.append(Staff(name="值班员", employee_no="D001"))
        session.add_all(people)
        await session.flush()
        center = Center(tenant, dept.id, other.id, {p.employee_no: p.id for p in people})
        accounts = [("clerk", "E001", ["clerk"]), ("clerk2", "E002", ["clerk"]),
                    ("chief", "E003", ["chief_representative"]), ("duty", "D001", ["duty_officer"]),
                    ("admin", None, ["center_admin"]), ("other_clerk", "X001", ["clerk"])]
        for key, emp, roles in accounts:
            user = User(username=f"t{tag}_{key}", display_name=key, password_hash=_PW[0], must_change_password=False,
                        staff_id=center.staff.get(emp) if emp else None)
            session.add(user)
            await session.flush()
            for role in roles:
                session.add(RoleAssignment(user_id=user.id, role=role))
            center.users[key] = user.username
        await session.commit()
    await set_pack(session, tenant.id, "work_hours", {"weekly_sessions": hours, "late_grace_minutes": grace})
    if attendance_rules:
        await set_pack(session, tenant.id, "attendance_rules", rules or {})
    return center

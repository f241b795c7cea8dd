"""Fixtures of the pack tests: the demo tenants by key, and ``probe``, a pack registered only for a test.

``probe`` is registered with the real host for the duration of one test (try/finally: unregister), like a
third-party pack would be; nothing else knows its name, so its settings rows never affect other tests.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Annotated

import msgspec
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.domain.org.tenants import create_tenant
from govhall.packs import PackSettings, PackSpec, SettingsProblem, hookimpl, label
from govhall.packs.manager import get_host
from govhall.packs.types import LeaveProblem, LeaveRequest, TenantRules
from govhall.tenancy import system_scope
from govhall.tenancy.models import Tenant, TenantLevel

PROVINCE, CITY, COUNTY, LUOTIAN, TOWNSHIP = "420000", "421100", "421121", "421123", "421121-101"


class ProbeSettings(PackSettings, frozen=True, kw_only=True):
    a: Annotated[int, label("甲", "A", ge=0, le=100)] = 1
    b: Annotated[str, label("乙", "B", max_length=10)] = "default"
    c: Annotated[tuple[int, ...], label("丙", "C")] = ()
    d: Annotated[bool, label("丁", "D")] = False

    def problems(self) -> list[SettingsProblem]:
        if self.d and self.a == 0:
            return [SettingsProblem("a", "开启丁时甲不能为 0", "A cannot be 0 when D is on")]
        return []


class ProbePack:
    """A pack object (not a module): pluggy accepts any object with hookimpls."""

    PACK = PackSpec(name="probe", version="0.0.1", title_zh="探针", title_en="Probe", description_zh="测试用",
                    description_en="for tests", settings=ProbeSettings)

    def __init__(self) -> None:
        self.calls: list[tuple[str, dt.date | None]] = []

    @hookimpl
    def govhall_check_leave(self, rules: TenantRules, candidates: Sequence[LeaveRequest]) -> list[LeaveProblem]:
        settings = rules.of("probe")
        self.calls.append((str(rules.tenant_id), None))
        return [LeaveProblem(request_id=r.id, code=f"probe:a={settings.a}:b={settings.b}", field=None, zh="", en="")
                for r in candidates]


@pytest.fixture
def probe() -> Iterator[ProbePack]:
    host = get_host()
    pack = ProbePack()
    host.register(pack)
    try:
        yield pack
    finally:
        host.unregister("probe")


def request(rid: str = "r1", **kw) -> LeaveRequest:  # type: ignore[no-untyped-def]
    base = {"id": rid, "staff_id": "s1", "role": "clerk", "leave_type": "personal", "start": dt.date(2026, 6, 8),
            "end": dt.date(2026, 6, 8), "days": 1.0, "submitted_on": dt.date(2026, 6, 1), "status": "pending",
            "substitute_staff_id": "s2"}
    if "start" in kw and "end" not in kw:
        kw["end"] = kw["start"]
    base.update(kw)
    return msgspec.convert(base, LeaveRequest)


# ---- a fresh tenant tree per test (so settings saved by one test never reach another) -------------------


@dataclass
class Tree:
    province: Tenant
    city: Tenant
    county: Tenant
    township: Tenant

    @property
    def levels(self) -> list[Tenant]:
        return [self.province, self.city, self.county, self.township]


async def make_tree(session: AsyncSession) -> Tree:
    code = f"{random.randint(500000, 999999)}"
    with system_scope():
        province = await create_tenant(session, name=f"测试省{code}", level=TenantLevel.province, division_code=code,
                                       parent=None)
        city = await create_tenant(session, name=f"测试市{code}", level=TenantLevel.city, division_code=f"{code}-C",
                                   parent=province)
        county = await create_tenant(session, name=f"测试县{code}", level=TenantLevel.county,
                                     division_code=f"{code}-X", parent=city)
        township = await create_tenant(session, name=f"测试镇{code}", level=TenantLevel.township,
                                       division_code=f"{code}-Z", parent=county)
    await session.commit()
    for t in (province, city, county, township):
        session.expunge(t)  # detached: a later rollback in the test cannot expire them
    return Tree(province, city, county, township)


@pytest.fixture
async def tree(owner_session: AsyncSession, demo) -> Tree:  # type: ignore[no-untyped-def]
    return await make_tree(owner_session)


async def add_user(session: AsyncSession, tenant: Tenant, username: str, role: str) -> None:
    from govhall.authz.models import RoleAssignment
    from govhall.cli import DEMO_PASSWORD
    from govhall.domain.identity.models import User
    from govhall.domain.identity.passwords import hash_password
    from govhall.tenancy import tenant_scope

    with tenant_scope(tenant.id):
        user = User(username=username, display_name=username, password_hash=hash_password(DEMO_PASSWORD),
                    must_change_password=False)
        session.add(user)
        await session.flush()
        session.add(RoleAssignment(user_id=user.id, role=role))
        await session.commit()

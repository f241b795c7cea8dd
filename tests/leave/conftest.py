"""Leave test centers: a center of our own with a demo center's leave rules (from tenants/*.yaml), approver
accounts for the directory kinds, and API helpers that log in as each person."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.authz.models import RoleAssignment
from govhall.cli import DEMO_PASSWORD
from govhall.clock import set_clock
from govhall.domain.identity.models import User
from govhall.domain.identity.passwords import hash_password
from govhall.domain.leave.models import ApproverAssignment
from govhall.domain.org.models import BackupPair, Staff
from govhall.tenancy import tenant_scope
from tests.attendance.centers import COUNTY_HOURS, LUOTIAN_HOURS, Center, make_center, sessions, set_pack
from tests.conftest import csrf_headers, login

CST = ZoneInfo("Asia/Shanghai")
CITY_HOURS = sessions(("上午", "08:30", "11:30"), ("下午", "14:30", "17:30"))
TENANTS = Path(__file__).parents[2] / "tenants"
_PW: list[str] = []


# the demo centers' pack sections live in their templates (tenants/templates, `template:` in each file)
TEMPLATE_OF = {"10_city_hall.yaml": "city_hall.yaml", "20_county_hall.yaml": "county_hall.yaml",
               "30_luotian.yaml": "luotian.yaml", "40_township.yaml": "township.yaml"}


def yaml_rules(name: str) -> dict[str, Any]:
    doc = yaml.safe_load((TENANTS / "templates" / TEMPLATE_OF.get(name, name)).read_text(encoding="utf-8"))
    return dict(doc["packs"]["leave_quotas"] or {})


@pytest.fixture(autouse=True)
def reset_clock() -> Iterator[None]:
    yield
    set_clock(None)


def at(y: int, m: int, d: int, hh: int = 9, mm: int = 0) -> None:
    set_clock(datetime(y, m, d, hh, mm, tzinfo=CST))


@dataclass
class LeaveCenter:
    c: Center

    @property
    def id(self) -> uuid.UUID:
        return self.c.id

    def user(self, key: str) -> str:
        return self.c.users[key]

    def staff(self, emp: str) -> uuid.UUID:
        return self.c.staff[emp]


async def account(session: AsyncSession, c: Center, key: str, roles: list[str], directory: list[str],
                   staff_id: uuid.UUID | None = None) -> None:
    if not _PW:
        _PW.append(hash_password(DEMO_PASSWORD))
    with tenant_scope(c.id):
        user = User(username=f"{c.users['clerk'].split('_')[0]}_{key}", display_name=key, password_hash=_PW[0],
                    must_change_password=False, staff_id=staff_id)
        session.add(user)
        await session.flush()
        for role in roles:
            session.add(RoleAssignment(user_id=user.id, role=role))
        for kind in directory:
            session.add(ApproverAssignment(kind=kind, user_id=user.id))
        await session.commit()
        c.users[key] = user.username


async def leave_center(session: AsyncSession, demo: dict, rules: str | dict[str, Any], *,
                       hours: list[dict[str, Any]] | None = None, staff: int = 3) -> LeaveCenter:
    """A center with the leave rules of a demo yaml (or explicit overrides), E001/E002 an AB pair, and approvers:
    ``inspector`` (稽查督办科), ``deputy`` (分管领导), ``director`` (主要领导), ``leader`` (中心), besides the
    clerk, clerk2, chief (E003), duty and admin accounts of the attendance test centers."""
    overrides = yaml_rules(rules) if isinstance(rules, str) else rules
    if hours is None:
        hours = {"10_city_hall.yaml": CITY_HOURS, "30_luotian.yaml": LUOTIAN_HOURS}.get(
            rules if isinstance(rules, str) else "", COUNTY_HOURS)
    c = await make_center(session, demo, hours=hours, staff=staff)
    await set_pack(session, c.id, "leave_quotas", overrides)
    with tenant_scope(c.id):
        session.add(BackupPair(staff_a_id=c.staff["E001"], staff_b_id=c.staff["E002"]))
        inspector = Staff(name="稽查员", employee_no="I001")
        session.add(inspector)
        await session.commit()
        c.staff["I001"] = inspector.id
    await account(session, c, "inspector", ["clerk"], ["inspection_office"], inspector.id)
    await account(session, c, "deputy", ["clerk"], ["center_deputy_director"])
    await account(session, c, "director", ["clerk"], ["center_director"])
    await account(session, c, "leader", ["clerk"], ["center"])
    return LeaveCenter(c)


class Api:
    """The leave API as each person uses it (one client; logging in switches the person)."""

    def __init__(self, client: Any, center: LeaveCenter) -> None:
        self.client, self.center = client, center
        self.base = f"/api/t/{center.id}/leave"
        self.who: str | None = None

    async def as_(self, key: str) -> Api:
        if self.who != key:
            self.client.cookies.clear()
            await login(self.client, self.center.user(key))
            self.who = key
        return self

    async def post(self, path: str, json: Any = None) -> Any:
        return await self.client.post(self.base + path, json=json, headers=csrf_headers(self.client))

    async def get(self, path: str, **params: Any) -> Any:
        return await self.client.get(self.base + path, params=params)

    async def ask(self, key: str, body: dict[str, Any], status: int = 201) -> dict[str, Any]:
        await self.as_(key)
        r = await self.post("/requests", body)
        assert r.status_code == status, r.text
        return r.json()

    async def decide(self, key: str, rid: str, approve: bool = True, status: int = 200, **extra: Any
                     ) -> dict[str, Any]:
        await self.as_(key)
        r = await self.post(f"/requests/{rid}/decision", {"approve": approve, **extra})
        assert r.status_code == status, r.text
        return r.json()


def body(leave_type: str = "personal", start: str = "2026-03-09", end: str | None = None, *, start_half: str = "am",
         end_half: str = "pm", **extra: Any) -> dict[str, Any]:
    return {"leaveType": leave_type, "start": start, "end": end or start, "startHalf": start_half,
            "endHalf": end_half, "reason": "家中有事", **extra}

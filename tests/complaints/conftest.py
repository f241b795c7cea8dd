"""Complaint and case-ledger fixtures: test centers with the complaints and point_values packs, the intake office
(supervision_office) and a center leader; the app clock in October 2026 (National Day and its 调休 Saturday)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.authz.models import RoleAssignment
from govhall.clock import set_clock
from govhall.domain.identity.models import User
from govhall.tenancy import tenant_scope
from tests.attendance.centers import _PW, COUNTY_HOURS, LUOTIAN_HOURS, Center, make_center, set_pack
from tests.attendance.conftest import CST
from tests.conftest import csrf_headers, login

ROOT = Path(__file__).resolve().parents[2]
# Friday 2026-10-09 10:00 in the halls: the day after the National Day holiday (10-01..10-07); 10-10 is a 调休 Saturday.
OCT_9 = datetime(2026, 10, 9, 10, 0, tzinfo=CST)
C = "/api/t/{}/complaints"
K = "/api/t/{}/cases"


@pytest.fixture(autouse=True)
def clock() -> Iterator[datetime]:
    set_clock(OCT_9)
    yield OCT_9
    set_clock(None)


def template(key: str, pack: str) -> dict[str, Any]:
    doc = yaml.safe_load((ROOT / "tenants" / "templates" / f"{key}.yaml").read_text(encoding="utf-8"))
    return doc["packs"][pack]


async def complaints_center(session: AsyncSession, demo: Any, kind: str = "county_hall",
                            overrides: dict[str, Any] | None = None) -> Center:
    """A center with the template's complaints settings (000 county / 002 罗田 / 001 township) and the assessment."""
    c = await make_center(session, demo, hours=LUOTIAN_HOURS if kind == "luotian" else COUNTY_HOURS)
    await set_pack(session, c.id, "complaints", {**template(kind, "complaints"), **(overrides or {})})
    if kind != "township":
        await set_pack(session, c.id, "point_values", template(kind, "point_values"))
    with tenant_scope(c.id):
        for key, role in (("intake", "supervision_office"), ("leader", "center_leader")):
            u = User(username=f"{c.users['admin']}_{key}", display_name=key, password_hash=_PW[0],
                     must_change_password=False)
            session.add(u)
            await session.flush()
            session.add(RoleAssignment(user_id=u.id, role=role))
            c.users[key] = u.username
        await session.commit()
    return c


async def as_user(client: Any, username: str) -> None:
    client.cookies.clear()
    await login(client, username)


async def post(client: Any, url: str, json: Any = None) -> Any:
    return await client.post(url, json=json, headers=csrf_headers(client))

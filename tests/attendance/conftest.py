"""Fixtures for attendance: a fixed clock, registered terminals, and helpers to read what was stored."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.clock import set_clock
from govhall.domain.attendance.models import Punch, PunchInbox
from govhall.domain.devices.models import Device
from govhall.domain.devices.services import hash_token
from govhall.tenancy import system_scope

CST = ZoneInfo("Asia/Shanghai")
COUNTY, CITY, LUOTIAN = "421121", "421100", "421123"
# Tuesday 2026-03-03, 09:00 in the halls: Monday 2026-03-02 is yesterday.
NOW = datetime(2026, 3, 3, 9, 0, tzinfo=CST)


@pytest.fixture(autouse=True)
def clock() -> Iterator[datetime]:
    set_clock(NOW)
    yield NOW
    set_clock(None)


@dataclass
class Terminal:
    serial: str
    token: str
    tenant_id: uuid.UUID
    id: uuid.UUID


async def register_terminal(session: AsyncSession, tenant_id: uuid.UUID, *, revoked: bool = False) -> Terminal:
    serial = f"ZK{uuid.uuid4().hex[:10].upper()}"
    token = f"ghd_test_{uuid.uuid4().hex}"
    with system_scope():
        device = Device(tenant_id=tenant_id, serial_number=serial, name=f"考勤机 {serial[-4:]}",
                        token_hash=hash_token(token), revoked_at=NOW if revoked else None)
        session.add(device)
        await session.commit()
    return Terminal(serial, token, tenant_id, device.id)


@pytest.fixture
async def county_terminal(demo, owner_session) -> Terminal:  # type: ignore[no-untyped-def]
    return await register_terminal(owner_session, demo[COUNTY].id)


@pytest.fixture
async def city_terminal(demo, owner_session) -> Terminal:  # type: ignore[no-untyped-def]
    return await register_terminal(owner_session, demo[CITY].id)


async def stored(session: AsyncSession, serial: str) -> list[Punch]:
    with system_scope():
        rows = (await session.scalars(select(Punch).where(Punch.device_key == serial)
                                      .order_by(Punch.punched_at, Punch.pin))).all()
        await session.commit()
    return list(rows)


async def inbox(session: AsyncSession, serial: str) -> list[PunchInbox]:
    with system_scope():
        rows = (await session.scalars(select(PunchInbox).where(PunchInbox.device_key == serial)
                                      .order_by(PunchInbox.created_at))).all()
        await session.commit()
    return list(rows)


async def count_punches(session: AsyncSession, serial: str) -> int:
    with system_scope():
        n = await session.scalar(select(func.count()).select_from(Punch).where(Punch.device_key == serial))
        await session.commit()
    return int(n or 0)

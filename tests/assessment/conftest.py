"""Assessment fixtures: the app clock early in April 2026 (March's attendance is final), test centers with the
point_values pack, and a month of punches with chosen late arrivals."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import msgspec
import pytest
import yaml
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.clock import set_clock, utcnow
from govhall.domain.attendance.ingest import RawPunch, store_punches
from govhall.domain.attendance.models import PunchSource
from govhall.domain.attendance.rules import AttendanceRules
from govhall.tenancy import tenant_scope
from tests.attendance.centers import COUNTY_HOURS, LUOTIAN_HOURS, Center, make_center, set_pack
from tests.attendance.conftest import CST
from tests.conftest import csrf_headers, login

MARCH = date(2026, 3, 1)
# Friday 2026-04-03, 10:00 in the halls: every day of March is final (48 h cut-off), April is the open month.
APRIL_3 = datetime(2026, 4, 3, 10, 0, tzinfo=CST)
ROOT = Path(__file__).resolve().parents[2]
COUNTY_DAY = ("08:25", "12:01", "14:28", "18:02")
LUOTIAN_DAY = ("07:55", "11:31", "13:58", "17:02")
LATE_DAYS = (date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 16))  # three Mondays, 10 minutes late each
BASE = "/api/t/{}/assessment"


@pytest.fixture(autouse=True)
def clock() -> Iterator[datetime]:
    set_clock(APRIL_3)
    yield APRIL_3
    set_clock(None)


def workdays(month: date = MARCH) -> list[date]:
    out, d = [], month
    while d.month == month.month:
        if d.weekday() < 5:
            out.append(d)
        d += timedelta(days=1)
    return out


def luotian_points() -> dict[str, Any]:
    doc = yaml.safe_load((ROOT / "tenants" / "templates" / "luotian.yaml").read_text(encoding="utf-8"))
    return doc["packs"]["point_values"]


async def points_center(session: AsyncSession, demo: Any, kind: str = "county") -> Center:
    """A county-style center (000 篇七 defaults) or a 罗田-style one (002 考核办法), with point_values enabled."""
    if kind == "luotian":
        c = await make_center(session, demo, hours=LUOTIAN_HOURS, rules={"missing_punch": "late_early"})
        await set_pack(session, c.id, "point_values", luotian_points())
    else:
        c = await make_center(session, demo, hours=COUNTY_HOURS, rules={"missing_punch": "missed_punch"})
        await set_pack(session, c.id, "point_values", {})
    return c


def _late(t: str) -> str:
    h, m = map(int, t.split(":"))
    return (datetime.combine(MARCH, time(h, m)) + timedelta(minutes=15)).strftime("%H:%M")


async def fill_march(session: AsyncSession, c: Center, day: tuple[str, ...], late: dict[str, tuple[date, ...]]
                     ) -> None:
    """Every workday of March on time for every staff member of the center, except the given late arrivals
    (the first punch 15 minutes after the usual on-time punch, i.e. 10 minutes after the start)."""
    punches = []
    for emp in c.staff:
        for d in workdays():
            times = list(day)
            if d in late.get(emp, ()):
                times[0] = _late(times[0])
            punches += [RawPunch(len(punches), emp, datetime.combine(d, time.fromisoformat(t))) for t in times]
    with tenant_scope(c.id):
        await store_punches(session, source=PunchSource.device_api, device_key="TESTDEV", punches=punches,
                            tz="Asia/Shanghai", now=utcnow(), rules=AttendanceRules())


async def as_user(client: Any, username: str) -> None:
    client.cookies.clear()
    await login(client, username)


async def post(client: Any, url: str, json: Any = None) -> Any:
    return await client.post(url, json=json, headers=csrf_headers(client))


def to_builtins(x: Any) -> Any:
    return msgspec.to_builtins(x)

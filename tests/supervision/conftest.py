"""Supervision fixtures: the app clock on Wednesday 2026-04-08 at 10:00 in the halls (Qingming, Sat 4 - Mon 6 April,
is over), test centers with the patrols and point_values packs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.clock import set_clock
from tests.attendance.centers import COUNTY_HOURS, Center, make_center, set_pack
from tests.attendance.conftest import CST

ROOT = Path(__file__).resolve().parents[2]
APRIL_8 = datetime(2026, 4, 8, 10, 0, tzinfo=CST)
BASE = "/api/t/{}/supervision"


@pytest.fixture(autouse=True)
def clock() -> Iterator[datetime]:
    set_clock(APRIL_8)
    yield APRIL_8
    set_clock(None)


def template_patrols(key: str) -> dict[str, Any]:
    doc = yaml.safe_load((ROOT / "tenants" / "templates" / f"{key}.yaml").read_text(encoding="utf-8"))
    return doc["packs"]["patrols"]


async def patrol_center(session: AsyncSession, demo: Any, template: str = "county_hall") -> Center:
    """A center with 8:30-12:00 / 14:30-18:00, the 100-point assessment and the patrols pack of a template."""
    c = await make_center(session, demo, hours=COUNTY_HOURS, rules={"missing_punch": "missed_punch"})
    await set_pack(session, c.id, "point_values", {})
    await set_pack(session, c.id, "patrols", template_patrols(template))
    return c

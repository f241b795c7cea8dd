"""What-if with scores (issue 12 with issue 11): the rules page's impact of a change on March 2026 shows, per
person, the score and pay before and after, computed in memory; they equal saving the change and closing the
month on a copy (a second center with the same staff and punches). Seed 000 = 000 篇七 (county hall: 办理办法 第三条,
1st late 1 point, 2nd 2, 3rd 2 and return; pay 150 / 100 x score), 002 = 罗田 考核办法 (三(二)1 迟到一次扣5分;
四.1 个人考核资金=150元÷100×个人分数)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from govhall.domain.assessment.models import Scorecard, ViolationRecord
from govhall.tenancy import tenant_scope
from tests.assessment.conftest import (
    BASE,
    COUNTY_DAY,
    LATE_DAYS,
    as_user,
    fill_march,
    luotian_points,
    points_center,
    post,
)
from tests.attendance.centers import COUNTY_HOURS, set_pack


async def _what_if(client: Any, c: Any, pack: str, overrides: dict[str, Any]) -> dict[str, Any]:
    await as_user(client, c.users["admin"])
    r = await post(client, f"/api/t/{c.id}/packs/{pack}/impact", {"enabled": True, "overrides": overrides,
                                                                   "month": "2026-03"})
    assert r.status_code == 200, r.text
    return r.json()


async def _closed(client: Any, c: Any) -> dict[str, tuple[float, float]]:
    await as_user(client, c.users["admin"])
    r = await post(client, BASE.format(c.id) + "/months/2026-03/close")
    assert r.status_code == 200, r.text
    pay = (await client.get(BASE.format(c.id) + "/months/2026-03/pay")).json()
    return {row["employeeNo"]: (row["total"], row["payYuan"]) for row in pay["rows"]}


async def _pair(owner_session: Any, demo: Any) -> tuple[Any, Any]:
    """Two county centers with the same staff and the same March: E001 ten minutes late on three Mondays."""
    a = await points_center(owner_session, demo, "county")
    b = await points_center(owner_session, demo, "county")
    for c in (a, b):
        await fill_march(owner_session, c, COUNTY_DAY, {"E001": LATE_DAYS})
    return a, b


async def _written(session: Any, c: Any) -> tuple[int, int]:
    with tenant_scope(c.id):
        return (int(await session.scalar(select(func.count(ViolationRecord.id)))),
                int(await session.scalar(select(func.count(Scorecard.id)))))


async def test_points_change_score_and_pay_equal_saving_and_closing(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """Candidate: 罗田's points (002 三(二)1, 5 points a late arrival) for a county center. E001 before: 000 篇七
    1 + 2 + 2 = 5 -> 95, pay 142.5; after: 3 x 5 = 15 -> 85, pay 150 / 100 x 85 = 127.5 (002 四.1). Nothing is
    written; saving the same settings on the copy and closing March gives the same numbers for everyone."""
    a, b = await _pair(owner_session, demo)
    written = await _written(owner_session, a)
    r = await _what_if(client, a, "point_values", luotian_points())
    assert await _written(owner_session, a) == written == (0, 0)
    people = {p["employeeNo"]: p for p in r["people"]}
    assert set(people) == {"E001"}
    e1 = people["E001"]
    assert (e1["scoreBefore"], e1["scoreAfter"], e1["payBefore"], e1["payAfter"]) == (95, 85, 142.5, 127.5)
    n = r["staff"]
    assert r["scores"]["payBefore"] - r["scores"]["payAfter"] == 15.0
    assert r["scores"]["averageBefore"] == round((95 + 100 * (n - 1)) / n, 2)

    await set_pack(owner_session, b.id, "point_values", luotian_points())
    after = await _closed(client, b)
    before = await _closed(client, a)  # the original, closed unchanged
    assert after["E001"] == (85, 127.5) and before["E001"] == (95, 142.5)
    assert sum(p for _t, p in after.values()) == r["scores"]["payAfter"]
    assert sum(p for _t, p in before.values()) == r["scores"]["payBefore"]


async def test_attendance_change_changes_attendance_records_and_score(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """Candidate: 15 minutes of late grace (work_hours). E001's three late arrivals (10 minutes each) are no longer
    late, so no attendance-sourced record: 95 / 142.5 before, 100 / 150 after; equal to saving it on the copy and
    closing March there."""
    a, b = await _pair(owner_session, demo)
    candidate = {"late_grace_minutes": 15, "weekly_sessions": COUNTY_HOURS}
    r = await _what_if(client, a, "work_hours", candidate)
    e1 = {p["employeeNo"]: p for p in r["people"]}["E001"]
    assert (e1["before"]["late_count"], e1["after"]["late_count"]) == (3, 0)
    assert (e1["scoreBefore"], e1["scoreAfter"], e1["payBefore"], e1["payAfter"]) == (95, 100, 142.5, 150)
    assert await _written(owner_session, a) == (0, 0)

    await set_pack(owner_session, b.id, "work_hours", candidate)
    after = await _closed(client, b)
    assert after["E001"] == (100, 150)
    assert sum(p for _t, p in after.values()) == r["scores"]["payAfter"]

"""The duty rota: planning with its checks, the home page's duty days, and the duty officer's 8:20 start on duty
days only (000 篇七 工作制度 八.2-4)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from govhall.clock import set_clock, utcnow
from govhall.domain.attendance.evaluation import evaluate_month
from govhall.domain.attendance.ingest import RawPunch, store_punches
from govhall.domain.attendance.models import AttendanceDay, PunchSource
from govhall.domain.attendance.rules import AttendanceRules
from govhall.tenancy import tenant_scope
from tests.attendance.conftest import CST
from tests.conftest import csrf_headers, login
from tests.supervision.conftest import BASE, patrol_center


def week(monday: date, staff_id: object) -> list[dict[str, object]]:
    return [{"day": (monday + timedelta(days=i)).isoformat(), "slot": 0, "staffId": str(staff_id)} for i in range(7)]


async def put(client, url, body):  # type: ignore[no-untyped-def]
    return await client.put(url, json=body, headers=csrf_headers(client))


async def test_rota_with_two_in_one_slot_or_a_gap_is_refused_and_nothing_changes(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """000 篇七 八.3 每周一到周日（法定节假日除外）: the week of Mon 2026-04-13 needs a duty officer on each of its
    five working days; a second officer on Tuesday is 409 ``rota_slot_taken``, a missing Thursday 400 ``rota_gap``."""
    c = await patrol_center(owner_session, demo)
    await login(client, c.users["admin"])
    url = BASE.format(c.id) + "/rota"
    monday = date(2026, 4, 13)
    entries = week(monday, c.staff["D001"])
    two = await put(client, url, {"start": "2026-04-13", "end": "2026-04-19",
                                  "entries": [*entries, {"day": "2026-04-14", "slot": 0,
                                                         "staffId": str(c.staff["E001"])}]})
    assert two.status_code == 409 and two.json()["code"] == "rota_slot_taken"
    gap = await put(client, url, {"start": "2026-04-13", "end": "2026-04-19",
                                  "entries": [e for e in entries if e["day"] != "2026-04-16"]})
    assert gap.status_code == 400 and gap.json()["code"] == "rota_gap" and "04-16" in gap.json()["message"]["zh"]
    assert (await client.get(url + "?start=2026-04-13&end=2026-04-19")).json()["entries"] == []
    # the weekend may stay empty (no holiday duty), the five working days are enough
    ok = await put(client, url, {"start": "2026-04-13", "end": "2026-04-19", "entries": entries[:5]})
    assert ok.status_code == 200, ok.text
    assert [e["day"] for e in ok.json()["entries"]] == [(monday + timedelta(days=i)).isoformat() for i in range(5)]
    # a clerk may not plan
    await login(client, c.users["clerk"])
    assert (await put(client, url, {"start": "2026-04-13", "end": "2026-04-19", "entries": entries})).status_code == 403


async def test_home_page_tells_the_duty_officer_8_20_and_2_20(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """000 篇七 八.4① 值周期间每天上午8:20、下午2:20前必须到岗: on each duty day of the coming weeks the duty officer's
    home page shows 08:20 and 14:20 (sessions 8:30 and 14:30); a clerk not on the rota sees no duty days."""
    c = await patrol_center(owner_session, demo)
    await login(client, c.users["admin"])
    r = await put(client, BASE.format(c.id) + "/rota", {"start": "2026-04-13", "end": "2026-04-17",
                                                         "entries": week(date(2026, 4, 13), c.staff["D001"])[:5]})
    assert r.status_code == 200, r.text
    await login(client, c.users["duty"])
    mine = (await client.get(BASE.format(c.id) + "/my-duty")).json()
    assert mine["enabled"] and mine["days"][0] == {"day": "2026-04-13", "arriveBy": ["08:20", "14:20"],
                                                   "windowName": None}
    assert len(mine["days"]) == 5
    await login(client, c.users["clerk"])
    assert (await client.get(BASE.format(c.id) + "/my-duty")).json()["days"] == []


async def test_the_8_20_start_applies_on_duty_days_only(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """000 篇七 八.4①: the duty officer punching 08:25 is late on Monday 2026-03-02 (on duty that week: 8:20) and on
    time on Monday 2026-03-09 (not on duty: 8:30). The rota comes from the API; the month-end evaluation applies it."""
    c = await patrol_center(owner_session, demo)
    set_clock(datetime(2026, 3, 1, 9, 0, tzinfo=CST))
    await login(client, c.users["admin"])
    r = await put(client, BASE.format(c.id) + "/rota", {"start": "2026-03-02", "end": "2026-03-06",
                                                         "entries": week(date(2026, 3, 2), c.staff["D001"])[:5]})
    assert r.status_code == 200, r.text
    punches = [RawPunch(i, "D001", datetime.combine(d, time.fromisoformat(t)))
               for i, (d, t) in enumerate((d, t) for d in (date(2026, 3, 2), date(2026, 3, 9))
                                          for t in ("08:25", "12:01", "14:25", "18:02"))]
    set_clock(datetime(2026, 4, 3, 10, 0, tzinfo=CST))  # March is final; its punches within the back-dating window
    with tenant_scope(c.id):
        await store_punches(owner_session, source=PunchSource.device_api, device_key="TESTDEV", punches=punches,
                            tz="Asia/Shanghai", now=utcnow(), rules=AttendanceRules())
        await evaluate_month(owner_session, c.id, date(2026, 3, 1))
        rows = {d.work_date: d for d in (await owner_session.scalars(select(AttendanceDay).where(
            AttendanceDay.staff_id == c.staff["D001"]))).all()}
    duty_day = rows[date(2026, 3, 2)]
    assert duty_day.finding == "late" and duty_day.late_count == 2 and duty_day.late_minutes == 10
    assert date(2026, 3, 9) not in rows or rows[date(2026, 3, 9)].finding == "on_time"

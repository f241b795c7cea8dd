"""Attendance in a year whose holiday calendar nobody entered: the punch is kept, the clerk's page and the duty
board answer a 409 that explains itself; once the province enters the year, the same day gives normal findings.

Seed 002 上班请销假制度 一 (双休日及国家法定节假日): whether 2027-01-04 is a workday depends on the State Council's
2027 arrangement, which chinesecalendar 1.11 does not have; the dates entered below are test inputs.
"""

from __future__ import annotations

import datetime as dt
from datetime import datetime

from govhall.clock import set_clock
from tests.attendance.centers import set_pack
from tests.attendance.conftest import CST
from tests.conftest import csrf_headers, login
from tests.packs.province_tree import make_province

BASE = "/api/t/{}/attendance"


async def _as(client, username: str) -> None:  # type: ignore[no-untyped-def]
    client.cookies.clear()
    await login(client, username)


async def test_clock_in_on_a_2027_day_without_and_with_a_calendar(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    prov = await make_province(owner_session, demo)
    center = prov.township
    set_clock(datetime(2027, 1, 4, 8, 40, tzinfo=CST))  # Monday; the center opens at 08:30

    await _as(client, center.users["clerk"])
    r = await client.post(BASE.format(center.id) + "/clock-in", headers=csrf_headers(client), json={})
    assert r.status_code == 200, r.text  # the punch is a fact: stored whatever the calendar
    assert r.json()["time"].startswith("08:40")
    r = await client.get(BASE.format(center.id) + "/today")
    assert r.status_code == 409
    body = r.json()
    assert body["code"] == "calendar_year_missing" and body["details"] == {"year": 2027, "packageLastYear": 2026}
    assert "2027 年的法定节假日和调休安排还没有录入" in body["message"]["zh"] and "打卡照常记录" in body["message"]["zh"]
    assert "Punches are still recorded" in body["message"]["en"]
    await _as(client, center.users["duty"])
    board = await client.get(BASE.format(center.id) + "/board")
    assert board.status_code == 409 and board.json()["details"]["year"] == 2027

    # The province enters 2027 (saved on 2026-11-21, effective that day), the township inherits it.
    await set_pack(owner_session, prov.tenant.id, "work_hours",
                   {"own_calendar": [{"year": 2027, "holidays": ["2027-01-01", "2027-01-02", "2027-01-03"]}]},
                   enabled=False, effective_from=dt.date(2026, 11, 21))
    await _as(client, center.users["clerk"])
    today = (await client.get(BASE.format(center.id) + "/today")).json()
    assert today["day"]["workday"] and today["day"]["punches"] == ["08:40"]
    assert today["day"]["sessions"][0]["status"] == "late" and today["day"]["lateMinutes"] == 10
    await _as(client, center.users["duty"])
    board = await client.get(BASE.format(center.id) + "/board")
    assert board.status_code == 200
    assert next(r for r in board.json()["rows"] if r["employeeNo"] == "E001")["state"] == "late"

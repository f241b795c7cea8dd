"""值班日志: the day's timeline from the records (000 篇七 工作制度 二.2 外出报备记入值班日志; 七(三)5 值周日志巡查记录;
001 七 五.4 群众求助)."""

from __future__ import annotations

import uuid
from datetime import datetime

from govhall.clock import set_clock
from tests.attendance.conftest import CST
from tests.conftest import csrf_headers, login
from tests.supervision.conftest import BASE, patrol_center


async def post(client, url, body=None):  # type: ignore[no-untyped-def]
    return await client.post(url, json=body, headers=csrf_headers(client))


async def test_the_days_log_in_order(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """Wednesday 2026-04-08: 08:35 opening noted, 09:00 the 9:00 check, 09:30 员工1 reports an outing, 10:05 a
    member of the public asks for help: the log lists them in that order with who; a clerk cannot read it; a
    week is at most 7 days."""
    c = await patrol_center(owner_session, demo)
    url = BASE.format(c.id)
    await login(client, c.users["duty"])
    set_clock(datetime(2026, 4, 8, 8, 35, tzinfo=CST))
    assert (await post(client, url + "/duty-log", {"kind": "opening", "text": "开大门、电闸、窗户"})).status_code == 201
    set_clock(datetime(2026, 4, 8, 9, 5, tzinfo=CST))
    fixed = await post(client, url + "/patrols", {"clientId": str(uuid.uuid4()), "kind": "fixed_check",
                                                  "checkKey": "hygiene_safety_0900", "mode": "on_site",
                                                  "startedAt": "2026-04-08T09:00:00+08:00"})
    assert fixed.status_code == 200, fixed.text
    set_clock(datetime(2026, 4, 8, 9, 30, tzinfo=CST))
    await login(client, c.users["clerk"])
    assert (await post(client, url + "/outings", {"reason": "送材料", "place": "县政府",
                                                  "expectedBack": "2026-04-08T11:00:00+08:00"})).status_code == 201
    assert (await client.get(url + "/duty-log")).status_code == 403
    set_clock(datetime(2026, 4, 8, 10, 5, tzinfo=CST))
    await login(client, c.users["duty"])
    assert (await post(client, url + "/duty-log", {"kind": "public_request", "text": "老人咨询社保卡补办，已引导至05窗口"})
            ).status_code == 201
    log = (await client.get(url + "/duty-log?start=2026-04-08&end=2026-04-08")).json()
    events = log["days"][0]["events"]
    assert [e["kind"] for e in events] == ["opening", "fixed_check", "outing", "public_request"]
    assert "县政府" in events[2]["text"] and events[2]["who"] == "员工1"
    week = await client.get(url + "/duty-log?start=2026-04-06&end=2026-04-13")
    assert week.status_code == 400 and week.json()["code"] == "range_too_long"
    past = await post(client, url + "/duty-log", {"kind": "note", "text": "补记", "at": "2026-04-07T10:00:00+08:00"})
    assert past.status_code == 400 and past.json()["code"] == "log_not_today"

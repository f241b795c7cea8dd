"""The audit log as a person searches it (issue 13): a person's Chinese name, action words in Chinese, a date range,
a person filter, details as labelled fields, paged on the server, xlsx export."""

from __future__ import annotations

import io
from datetime import timedelta

from govhall.clock import local_today
from govhall.domain.audit.labels import ACTIONS, codes_matching, detail_fields
from tests.conftest import login

COUNTY = "421121"


async def test_search_by_chinese_name_action_words_and_dates(client, demo) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    county = demo[COUNTY].id
    await login(client, "county_clerk")  # 张敏 signs in: an auth.login event with her as the actor
    client.cookies.clear()
    await login(client, "county_admin")
    base = f"/api/t/{county}/audit"
    found = (await client.get(base, params={"searchString": "张敏", "pageSize": 200})).json()
    assert found["total"] >= 1
    assert all("张敏" in (e["actorDisplay"] or "") + (e["targetDisplay"] or "") + str(e["details"])
               for e in found["items"])
    login_event = next(e for e in found["items"] if e["action"] == "auth.login")
    assert login_event["actionLabel"] == "登录" and login_event["actorName"] == "county_clerk"
    words = (await client.get(base, params={"searchString": "登录", "pageSize": 200})).json()["items"]
    assert words and {e["action"] for e in words} <= {"auth.login", "auth.login_failed", "auth.logout"}
    facets = (await client.get(base + "/facets")).json()
    me = next(a for a in facets["actors"] if a["username"] == "county_clerk")
    assert {"code": "auth.login", "label": "登录", "labelEn": "Sign in"} in facets["actions"]
    assert me["name"] == "张敏"
    mine = (await client.get(base, params={"actorId": me["id"], "action": "auth.login"})).json()
    assert mine["total"] >= 1 and {e["actorName"] for e in mine["items"]} == {"county_clerk"}
    today = local_today("Asia/Shanghai")
    assert (await client.get(base, params={"from": str(today + timedelta(days=1))})).json()["total"] == 0
    assert (await client.get(base, params={"from": str(today), "to": str(today), "searchString": "张敏"})).json()["total"] >= 1
    page = (await client.get(base, params={"pageSize": 1, "currentPage": 2})).json()
    assert len(page["items"]) == 1 and page["offset"] == 1 and page["total"] >= 2
    assert (await client.get(base, params={"pageSize": 0})).status_code == 400
    r = await client.get(base + "/export.xlsx", params={"searchString": "张敏"})
    assert r.status_code == 200, r.text
    ws = load_workbook(io.BytesIO(r.content)).worksheets[0]
    assert [c.value for c in ws[1]][:5] == ["序号", "时间", "操作人", "用户名", "操作"]
    assert "张敏" in {row[2].value for row in ws.iter_rows(min_row=2)}


def test_labels_for_actions_and_details() -> None:
    assert "pack_settings.update" in codes_matching("规则", ACTIONS)
    assert codes_matching("补卡", ACTIONS) == ["missed_punch.approve", "missed_punch.reject", "missed_punch.request"]
    assert detail_fields({"username": "county_clerk", "roles": ["clerk"], "reason": "考勤机故障"}) == [
        ("username", "用户名", "Username", "county_clerk"), ("roles", "角色", "Roles", "clerk"),
        ("reason", "理由", "Reason", "考勤机故障")]

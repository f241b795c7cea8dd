"""Names that spoof (issue 8 item 12): the rule that protects person names (no bidi overrides, zero-width,
control characters or line breaks) applies to every name a person types — tenants, departments, windows,
devices, staff, account display names — through one validator (``CamelStruct.__names__`` -> ``normalize_name``)."""

from __future__ import annotations

import uuid

import pytest

from govhall.domain.org.names import normalize_name
from govhall.errors import AppError
from tests.conftest import csrf_headers, login

SPOOFS = {
    "bidi override": "考勤机\u202egnp.exe",
    "bidi isolate": "窗口\u2066甲\u2069",
    "zero-width space": "浠水\u200b县",
    "zero-width joiner": "a\u200db",
    "BOM": "\ufeff名称",
    "newline": "名称\n伪造的日志行",
    "carriage return": "名\r称",
    "bell": "名称\x07",
    "NUL": "名称\x00",
    "line separator": "名称\u2028第二行",
    "private use": "名称\ue000",
}


def test_the_one_rule() -> None:
    for label, bad in SPOOFS.items():
        with pytest.raises(AppError) as info:
            normalize_name(bad, "name", max_len=200, person=False)
        assert info.value.code == "invalid_name", label
        assert info.value.zh and info.value.en
    assert normalize_name(" 浠水县政务服务中心 ", person=False) == "浠水县政务服务中心"
    assert normalize_name("阿依古丽・买买提") == "阿依古丽·买买提"  # look-alike dot folded (民委发〔2016〕33号)
    assert normalize_name("𠀀𪚥") == "𠀀𪚥"  # 4-byte CJK extensions are names too


async def test_every_name_field_refuses_spoofing_characters(client, demo) -> None:  # type: ignore[no-untyped-def]
    await login(client, "county_admin")
    t = f"/api/t/{demo['421121'].id}"
    h = csrf_headers(client)
    dept = (await client.post(f"{t}/departments", json={"name": f"名字部门{uuid.uuid4().hex[:6]}"}, headers=h)).json()
    win = (await client.post(f"{t}/windows", json={"number": uuid.uuid4().hex[:6], "name": "名字窗口",
                                                   "departmentId": dept["id"]}, headers=h)).json()
    dev = (await client.post(f"{t}/devices", json={"serialNumber": f"SNNAME{uuid.uuid4().hex[:8]}", "name": "考勤机"},
                             headers=h)).json()
    staff = (await client.post(f"{t}/staff", json={"name": "张三", "employeeNo": uuid.uuid4().hex[:8]},
                               headers=h)).json()
    user = (await client.post(f"{t}/users", json={"username": f"nm_{uuid.uuid4().hex[:8]}", "displayName": "名字"},
                              headers=h)).json()["user"]
    cases = [
        ("POST", f"{t}/departments", lambda n: {"name": n}, "name"),
        ("PATCH", f"{t}/departments/{dept['id']}", lambda n: {"name": n}, "name"),
        ("POST", f"{t}/windows", lambda n: {"number": uuid.uuid4().hex[:6], "name": n, "departmentId": dept["id"]},
         "name"),
        ("PATCH", f"{t}/windows/{win['id']}", lambda n: {"name": n}, "name"),
        ("POST", f"{t}/devices", lambda n: {"serialNumber": f"SN{uuid.uuid4().hex[:10]}", "name": n}, "name"),
        ("PATCH", f"{t}/devices/{dev['device']['id'] if 'device' in dev else dev['id']}", lambda n: {"name": n},
         "name"),
        ("POST", f"{t}/staff", lambda n: {"name": n, "employeeNo": uuid.uuid4().hex[:8]}, "name"),
        ("PATCH", f"{t}/staff/{staff['id']}", lambda n: {"name": n}, "name"),
        ("POST", f"{t}/users", lambda n: {"username": f"nm_{uuid.uuid4().hex[:8]}", "displayName": n}, "displayName"),
        ("PATCH", f"{t}/users/{user['id']}", lambda n: {"displayName": n}, "displayName"),
    ]
    attempts = 0
    for method, url, body, field in cases:
        for label, bad in SPOOFS.items():
            r = await client.request(method, url, json=body(bad), headers=h)
            attempts += 1
            assert r.status_code == 400, (method, url, label, r.status_code, r.text[:200])
            # NUL never reaches the name rule: the input boundary refuses it first, naming the same field
            code = "nul_character" if label == "NUL" else "invalid_name"
            assert r.json()["code"] == code and r.json()["fields"][0]["field"] == field, (url, label)
    # tenants: onboarding (the center's name and its admin's display name)
    await login(client, "prov_admin")
    city = demo["421100"].id
    for label, bad in SPOOFS.items():
        for over, field in (({"name": bad}, "name"), ({"adminDisplayName": bad}, "adminDisplayName")):
            body = {"level": "county", "divisionCode": f"4211{uuid.uuid4().int % 90 + 10:02d}-N{uuid.uuid4().hex[:5]}",
                    "name": "名字县", "template": "blank", "adminUsername": f"nm_{uuid.uuid4().hex[:8]}",
                    "adminDisplayName": "名字管理员"} | over
            r = await client.post(f"/api/t/{city}/tenants", json=body, headers=csrf_headers(client))
            attempts += 1
            assert r.status_code == 400 and r.json()["fields"][0]["field"] == field, (label, field, r.text[:200])
    print(f"\nspoofing names: {attempts} attempts over {len(cases) + 2} name fields, all refused with 400 (invalid_name; nul_character for NUL)")

"""Issue 12 / seed-coverage D-1: the onboarding template is applied (packs on, settings version 1 from the
onboarding day, in the onboarding transaction); a platform admin creates provinces."""

from __future__ import annotations

import uuid

from govhall.clock import set_clock
from govhall.packs.cache import forget
from tests.conftest import csrf_headers, login

CITY = "421100"


def _code() -> str:
    return f"4211{uuid.uuid4().int % 90 + 10:02d}-{uuid.uuid4().hex[:6]}"


async def _onboard(client, parent_id, template: str):  # type: ignore[no-untyped-def]
    body = {"level": "county", "divisionCode": _code(), "name": "浠水县政务服务中心", "template": template,
            "adminUsername": f"xs_{uuid.uuid4().hex[:8]}", "adminDisplayName": "浠水管理员"}
    r = await client.post(f"/api/t/{parent_id}/tenants", json=body, headers=csrf_headers(client))
    assert r.status_code == 201, r.text
    return r.json()


async def test_county_hall_template_is_applied_at_onboarding(client, demo) -> None:  # type: ignore[no-untyped-def]
    """seed 000 篇六 七、一)1 上午8:30至12:00、下午14:30至18:00 (tenants/templates/county_hall.yaml): the new county
    has the template's six packs as version 1 from today, and its calendar and board answer at once."""
    set_clock(None)
    await login(client, "prov_admin")
    body = await _onboard(client, demo[CITY].id, "county_hall")
    tid = body["tenant"]["id"]
    packs = {p["name"]: p for p in (await client.get(f"/api/t/{tid}/packs")).json()}
    enabled = sorted(n for n, p in packs.items() if p["enabled"])
    assert enabled == ["attendance_rules", "complaints", "leave_quotas", "point_values", "uniform_seasons", "work_hours"]
    assert {p["settingsVersion"] for n, p in packs.items() if p["enabled"]} == {1}
    wh = (await client.get(f"/api/t/{tid}/packs/work_hours")).json()
    assert wh["effectiveFrom"] == wh["today"]
    assert wh["overrides"]["punch_open_before_minutes"] == 60
    day = wh["today"]
    r = await client.get(f"/api/t/{tid}/calendar", params={"start": day, "end": day})
    assert r.status_code == 200, r.text
    versions = (await client.get(f"/api/t/{tid}/packs/work_hours/versions")).json()
    assert versions[0]["changedBy"] == "省级管理员" and "county_hall" in versions[0]["note"]
    assert (await client.get(f"/api/t/{tid}/attendance/board")).status_code == 200
    forget()


async def test_blank_template_enables_nothing(client, demo) -> None:  # type: ignore[no-untyped-def]
    set_clock(None)
    await login(client, "prov_admin")
    tid = (await _onboard(client, demo[CITY].id, "blank"))["tenant"]["id"]
    packs = (await client.get(f"/api/t/{tid}/packs")).json()
    assert not any(p["enabled"] for p in packs)


async def test_platform_admin_creates_a_province(client, demo) -> None:  # type: ignore[no-untyped-def]
    """POST /api/platform/provinces: platform admins only; a province code is 6 digits ending in 0000; codes are
    unique; the new province then gets its provincial admin (one-time password) and appears in the tree."""
    code = f"{uuid.uuid4().int % 40 + 50}0000"
    await login(client, "prov_admin")
    r = await client.post("/api/platform/provinces", json={"name": "湖南省政务服务中心", "divisionCode": code},
                          headers=csrf_headers(client))
    assert r.status_code == 403
    await client.post("/api/auth/logout", headers=csrf_headers(client))
    await login(client, "platform_admin")
    r = await client.post("/api/platform/provinces", json={"name": "湖南省政务服务中心", "divisionCode": "431100"},
                          headers=csrf_headers(client))
    assert r.status_code == 400 and r.json()["fields"][0]["field"] == "divisionCode"
    r = await client.post("/api/platform/provinces", json={"name": "湖南省政务服务中心", "divisionCode": code},
                          headers=csrf_headers(client))
    assert r.status_code == 201, r.text
    pid = r.json()["id"]
    assert r.json()["level"] == "province" and r.json()["parentId"] is None
    again = await client.post("/api/platform/provinces", json={"name": "重复", "divisionCode": code},
                              headers=csrf_headers(client))
    assert again.status_code == 409
    assert code in {t["divisionCode"] for t in (await client.get("/api/tenants")).json()["tenants"]}
    admin = f"hn_{uuid.uuid4().hex[:6]}"
    r = await client.post(f"/api/platform/provinces/{pid}/admins", json={"username": admin, "displayName": "湖南管理员"},
                          headers=csrf_headers(client))
    assert r.status_code == 201, r.text
    otp = r.json()["oneTimePassword"]
    await client.post("/api/auth/logout", headers=csrf_headers(client))
    me = await login(client, admin, otp)
    assert me["mustChangePassword"] is True
    r = await client.post("/api/auth/password", json={"currentPassword": otp, "newPassword": "Hunan#Pass2026"},
                          headers=csrf_headers(client))
    assert r.status_code == 200, r.text
    audit = (await client.get(f"/api/t/{pid}/audit")).text
    assert "tenant.create" in audit and "provincial_admin.appoint" in audit


async def test_overview_of_the_centers_below(client, demo) -> None:  # type: ignore[no-untyped-def]
    """The province sees every center below with its packs and calendar state; a county admin its townships
    (read-only summaries); a clerk is refused."""
    set_clock(None)
    await login(client, "prov_admin")
    r = await client.get(f"/api/t/{demo['420000'].id}/overview")
    assert r.status_code == 200, r.text
    centers = {c["divisionCode"]: c for c in r.json()["centers"]}
    assert {"421100", "421121", "421123", "421121-101"} <= set(centers)
    assert "work_hours" in centers["421121"]["packs"] and "point_values" not in centers["421121-101"]["packs"]
    assert centers["421121"]["staff"] >= 4
    await client.post("/api/auth/logout", headers=csrf_headers(client))
    await login(client, "county_admin")
    r = await client.get(f"/api/t/{demo['421121'].id}/overview")
    assert r.status_code == 200
    assert "421121-101" in {c["divisionCode"] for c in r.json()["centers"]}
    assert (await client.get(f"/api/t/{demo['421100'].id}/overview")).status_code == 403
    await client.post("/api/auth/logout", headers=csrf_headers(client))
    await login(client, "county_clerk")
    assert (await client.get(f"/api/t/{demo['421121'].id}/overview")).status_code == 403

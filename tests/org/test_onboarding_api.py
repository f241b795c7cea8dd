"""Onboarding: a provincial admin creates a center under the province, its admin logs in with the one-time
password, must change it, and then manages only that center."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from govhall.audit.models import AuditEvent
from govhall.authz.models import RoleAssignment
from govhall.domain.identity.models import User
from govhall.tenancy import system_scope, tenant_scope
from tests.conftest import csrf_headers, login
from tests.org.test_tenant_tree import walk

PROVINCE, CITY, COUNTY, LUOTIAN = "420000", "421100", "421121", "421123"


def _code() -> str:
    return f"4211{uuid.uuid4().int % 90 + 10:02d}-{uuid.uuid4().hex[:6]}"


async def _onboard(client, parent_id, **over):  # type: ignore[no-untyped-def]
    body = {"level": "county", "divisionCode": _code(), "name": "浠水县政务服务中心", "template": "county_hall",
            "adminUsername": f"xs_{uuid.uuid4().hex[:8]}", "adminDisplayName": "浠水管理员"} | over
    return await client.post(f"/api/t/{parent_id}/tenants", json=body, headers=csrf_headers(client))


async def test_provincial_admin_sees_the_province_subtree(client, demo) -> None:  # type: ignore[no-untyped-def]
    await login(client, "prov_admin")
    r = await client.get("/api/tenants")
    assert r.status_code == 200, r.text
    codes = {t["divisionCode"] for t in (await walk(client)).values()}
    assert {PROVINCE, CITY, COUNTY, LUOTIAN, "421121-101"} <= codes
    assert {t["key"] for t in r.json()["templates"]} == {"city_hall", "county_hall", "luotian", "township", "blank"}


async def test_center_admin_sees_only_its_center(client, demo) -> None:  # type: ignore[no-untyped-def]
    await login(client, "county_admin")
    r = await client.get("/api/tenants")
    assert r.status_code == 200, r.text
    assert [t["divisionCode"] for t in r.json()["tenants"]] == [COUNTY]
    assert r.json()["tenants"][0]["canOnboard"] is False


async def test_onboard_a_county_end_to_end(client, demo, owner_session) -> None:  # type: ignore[no-untyped-def]
    await login(client, "prov_admin")
    city = demo[CITY].id
    username = f"xs_{uuid.uuid4().hex[:8]}"
    r = await _onboard(client, city, adminUsername=username)
    assert r.status_code == 201, r.text
    assert r.headers["cache-control"] == "no-store"
    body = r.json()
    otp, tid = body["oneTimePassword"], body["tenant"]["id"]
    assert body["tenant"]["parentId"] == str(city) and body["tenant"]["template"] == "county_hall"

    # the province's authority reaches the new center through explicit rows, and it is audited on both sides
    with tenant_scope(uuid.UUID(tid)):
        roles = (await owner_session.execute(select(RoleAssignment.role, RoleAssignment.user_id))).all()
        actions = (await owner_session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq))).all()
    with tenant_scope(city):
        parent_actions = (await owner_session.scalars(select(AuditEvent.action))).all()
    with system_scope():
        prov = await owner_session.scalar(select(User).where(User.username == "prov_admin"))
        admin = await owner_session.scalar(select(User).where(User.username == username))
    await owner_session.commit()
    rows = {(r, u) for r, u in roles}
    assert ("provincial_admin", prov.id) in rows and ("center_admin", admin.id) in rows
    assert {r for r, _ in rows} == {"provincial_admin", "center_admin"}
    assert [u for r, u in rows if r == "center_admin"] == [admin.id]
    assert admin.must_change_password and otp not in admin.password_hash
    # the county_hall template's seven packs are saved as version 1 through the rules page's path (issue 12, D-1)
    assert actions == ["tenant.create", "user.create", *["pack_settings.update"] * 8]
    assert "tenant.onboard" in parent_actions

    # the new admin: one-time password, forced change, then only the own center
    await client.post("/api/auth/logout", headers=csrf_headers(client))
    me = await login(client, username, otp)
    assert me["mustChangePassword"] is True
    assert (await client.get(f"/api/t/{tid}/departments")).status_code == 403
    r = await client.post("/api/auth/password", json={"currentPassword": otp, "newPassword": "Neu#Pass2026"},
                          headers=csrf_headers(client))
    assert r.status_code == 200, r.text
    assert (await client.get(f"/api/t/{tid}/departments")).status_code == 200
    assert (await client.get(f"/api/t/{demo[COUNTY].id}/departments")).status_code == 403
    assert (await client.get(f"/api/t/{city}/departments")).status_code == 403
    assert (await _onboard(client, tid, level="township")).status_code == 403  # center admins do not onboard


async def test_onboarding_refuses_bad_input_clearly(client, demo) -> None:  # type: ignore[no-untyped-def]
    await login(client, "prov_admin")
    city = demo[CITY].id
    cases = [
        ({"template": "nope"}, "template"),
        ({"level": "province"}, "level"),
        ({"divisionCode": "12ab"}, "divisionCode"),
        ({"adminUsername": "Bad Name"}, "adminUsername"),
        ({"adminUsername": "county_admin"}, "adminUsername"),
        ({"divisionCode": COUNTY}, "divisionCode"),
        ({"level": "city"}, "level"),  # a city below a city
        ({"adminDisplayName": "\u202eevil"}, "adminDisplayName"),  # the name rule at the boundary (issue 8 item 12)
    ]
    before = len(await walk(client))
    for over, field in cases:
        r = await _onboard(client, city, **over)
        assert 400 <= r.status_code < 500, (over, r.text)
        assert field in {f["field"] for f in r.json()["fields"]}, (over, r.json())
        assert r.json()["message"]["zh"] and r.json()["message"]["en"]
    # nothing half-written: a refused onboarding left no tenant behind
    assert len(await walk(client)) == before


async def test_provincial_admin_cannot_onboard_outside_its_province(client, demo, owner_session) -> None:  # type: ignore[no-untyped-def]
    from govhall.domain.org.tenants import create_tenant
    from govhall.tenancy.models import TenantLevel

    with system_scope():
        other = await create_tenant(owner_session, name="湖南省（测试）", level=TenantLevel.province,
                                    division_code=f"43{uuid.uuid4().int % 9000 + 1000:04d}", parent=None)
    await owner_session.commit()
    await login(client, "prov_admin")
    assert (await _onboard(client, other.id)).status_code == 403
    assert str(other.id) not in await walk(client)
    await login(client, "county_admin")
    assert (await _onboard(client, demo[COUNTY].id, level="township")).status_code == 403

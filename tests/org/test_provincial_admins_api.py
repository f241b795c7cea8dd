"""A platform admin appoints a provincial admin after the province's subtree exists, and revokes them.

The authority is explicit rows in the province and every tenant below it (as onboarding writes them for a new
center): the appointee acts in a county below, never in another province; after the revoke the very next
request is denied (the policy bus drops the cached rows, in every worker).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import select

from govhall.app import create_app
from govhall.audit.models import AuditEvent
from govhall.authz.models import RoleAssignment
from govhall.domain.identity.models import User
from govhall.domain.identity.passwords import hash_password
from govhall.domain.org.tenants import create_tenant
from govhall.tenancy import system_scope, tenant_scope
from govhall.tenancy.models import Tenant, TenantLevel
from tests.browsers import Browser
from tests.conftest import DEMO_PASSWORD, csrf_headers, login

NEW_PASSWORD = "Prov#2026ok"


@dataclass
class Provinces:
    p: Tenant
    city: Tenant
    county: Tenant
    q: Tenant
    q_county: Tenant
    local_user: str  # an existing account of province p


@pytest.fixture
async def provinces(demo, owner_session) -> Provinces:  # type: ignore[no-untyped-def]
    n = uuid.uuid4().int % 9000 + 1000
    with system_scope():
        p = await create_tenant(owner_session, name=f"任命省{n}", level=TenantLevel.province, division_code=f"46{n:04d}",
                                parent=None)
        city = await create_tenant(owner_session, name=f"任命市{n}", level=TenantLevel.city,
                                   division_code=f"46{n:04d}-c", parent=p)
        county = await create_tenant(owner_session, name=f"任命县{n}", level=TenantLevel.county,
                                     division_code=f"46{n:04d}-k", parent=city)
        q = await create_tenant(owner_session, name=f"邻省{n}", level=TenantLevel.province, division_code=f"47{n:04d}",
                                parent=None)
        q_county = await create_tenant(owner_session, name=f"邻省县{n}", level=TenantLevel.county,
                                       division_code=f"47{n:04d}-k", parent=q)
    with tenant_scope(p.id):
        local = User(username=f"pl_{n}_{uuid.uuid4().hex[:4]}", display_name="省厅科员", password_hash=hash_password(DEMO_PASSWORD),
                     must_change_password=False, is_active=True, failed_logins=0)
        owner_session.add(local)
        await owner_session.commit()
    return Provinces(p, city, county, q, q_county, local.username)


def _url(province: Tenant) -> str:
    return f"/api/platform/provinces/{province.id}/admins"


async def _grants(session, tenant: Tenant, user_id: str) -> list[str]:  # type: ignore[no-untyped-def]
    with tenant_scope(tenant.id):
        rows = (await session.scalars(select(RoleAssignment.role).where(RoleAssignment.user_id == uuid.UUID(user_id))
                                      .execution_options(populate_existing=True))).all()
        await session.commit()
    return list(rows)


async def _actions(session, tenant: Tenant) -> list[str]:  # type: ignore[no-untyped-def]
    with tenant_scope(tenant.id):
        rows = (await session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq))).all()
        await session.commit()
    return list(rows)


async def test_appoint_acts_below_not_elsewhere_and_revoke_denies_at_once(client, provinces: Provinces,
                                                                        owner_session) -> None:  # type: ignore[no-untyped-def]
    pv = provinces
    platform, appointee = Browser(client), Browser(client)
    await platform.login("platform_admin")
    username = f"prov_{uuid.uuid4().hex[:8]}"
    r = await platform.post(_url(pv.p), json={"username": username, "displayName": "新任省级管理员"})
    assert r.status_code == 201, r.text
    assert r.headers["cache-control"] == "no-store"
    body = r.json()
    uid, otp = body["admin"]["userId"], body["oneTimePassword"]
    assert body["tenants"] == 3 and otp and body["admin"]["username"] == username

    # explicit rows in every tenant of the province, none in the other province
    for t in (pv.p, pv.city, pv.county):
        assert await _grants(owner_session, t, uid) == ["provincial_admin"], t.division_code
    for t in (pv.q, pv.q_county):
        assert await _grants(owner_session, t, uid) == []
    assert "provincial_admin.appoint" in await _actions(owner_session, pv.p)
    assert "role.assign" in await _actions(owner_session, pv.county)  # the county's own trail shows it
    listed = (await platform.get(_url(pv.p))).json()
    assert [a["username"] for a in listed] == [username]

    await appointee.login(username, otp)
    r = await appointee.post("/api/auth/password", json={"currentPassword": otp, "newPassword": NEW_PASSWORD})
    assert r.status_code in (200, 201), r.text
    assert (await appointee.get(f"/api/t/{pv.county.id}/staff")).status_code == 200
    assert (await appointee.get(f"/api/t/{pv.city.id}/audit")).status_code == 200
    assert (await appointee.get(f"/api/t/{pv.q_county.id}/staff")).status_code == 403
    assert (await appointee.get(f"/api/t/{pv.q.id}/staff")).status_code == 403
    # and not the platform's work: appointing is for platform admins only
    assert (await appointee.post(_url(pv.p), json={"username": pv.local_user})).status_code == 403

    r = await platform.request("DELETE", f"{_url(pv.p)}/{uid}")
    assert r.status_code == 204, r.text
    assert (await appointee.get(f"/api/t/{pv.county.id}/staff")).status_code == 403  # the very next request
    for t in (pv.p, pv.city, pv.county):
        assert await _grants(owner_session, t, uid) == []
    assert "provincial_admin.revoke" in await _actions(owner_session, pv.p)
    assert "role.revoke" in await _actions(owner_session, pv.county)
    assert (await platform.get(_url(pv.p))).json() == []
    assert (await platform.request("DELETE", f"{_url(pv.p)}/{uid}")).status_code == 404


async def test_appoint_an_existing_account_of_the_province_only(client, provinces: Provinces, demo) -> None:  # type: ignore[no-untyped-def]
    pv = provinces
    await login(client, "platform_admin")
    h = csrf_headers(client)
    r = await client.post(_url(pv.p), json={"username": pv.local_user}, headers=h)
    assert r.status_code == 201, r.text
    assert r.json()["oneTimePassword"] is None and r.json()["tenants"] == 3
    again = await client.post(_url(pv.p), json={"username": pv.local_user}, headers=h)
    assert again.status_code == 409 and again.json()["code"] == "already_appointed"
    # an account of another tenant (a county of the demo province), or of another province
    r = await client.post(_url(pv.p), json={"username": "county_admin"}, headers=h)
    assert r.status_code == 400 and r.json()["code"] == "not_province_account"
    r = await client.post(_url(pv.q), json={"username": pv.local_user}, headers=h)
    assert r.status_code == 400 and r.json()["code"] == "not_province_account"
    # only provinces have provincial admins; unknown ids are not found
    assert (await client.post(_url(pv.county), json={"username": pv.local_user}, headers=h)).status_code == 404
    assert (await client.get(f"/api/platform/provinces/{uuid.uuid4()}/admins")).status_code == 404
    r = await client.post(_url(pv.p), json={"username": "Bad Name", "displayName": "x"}, headers=h)
    assert r.status_code == 400 and r.json()["fields"][0]["field"] == "username"


async def test_a_center_onboarded_after_the_appointment_inherits_it(client, provinces: Provinces,
                                                                   owner_session) -> None:  # type: ignore[no-untyped-def]
    pv = provinces
    await login(client, "platform_admin")
    r = await client.post(_url(pv.p), json={"username": pv.local_user}, headers=csrf_headers(client))
    uid = r.json()["admin"]["userId"]
    await login(client, pv.local_user)
    code = f"{pv.county.division_code.split('-')[0]}-t{uuid.uuid4().hex[:4]}"
    r = await client.post(f"/api/t/{pv.county.id}/tenants", headers=csrf_headers(client),
                          json={"level": "township", "divisionCode": code, "name": "任命镇", "template": "township",
                                "adminUsername": f"tw_{uuid.uuid4().hex[:8]}", "adminDisplayName": "镇管理员"})
    assert r.status_code == 201, r.text
    with system_scope():
        town = await owner_session.get(Tenant, uuid.UUID(r.json()["tenant"]["id"]))
    assert await _grants(owner_session, town, uid) == ["provincial_admin"]


async def test_only_platform_admins_appoint(client, provinces: Provinces, demo) -> None:  # type: ignore[no-untyped-def]
    pv, prov = provinces, demo["420000"]
    body = {"username": pv.local_user}
    assert (await client.post(_url(prov), json=body)).status_code in (401, 403)  # anonymous (CSRF or login first)
    assert (await client.get(_url(prov))).status_code == 401
    for username in ("prov_admin", "county_admin", "county_clerk"):
        await login(client, username)
        h = csrf_headers(client)
        for target in (prov, pv.p, pv.q):  # the own province included: a provincial admin cannot appoint peers
            assert (await client.get(_url(target))).status_code == 403, (username, target.division_code)
            assert (await client.post(_url(target), json=body, headers=h)).status_code == 403
            assert (await client.request("DELETE", f"{_url(target)}/{uuid.uuid4()}", headers=h)).status_code == 403


async def test_revoke_on_one_worker_denies_the_next_request_on_another(test_db, app_settings, provinces: Provinces) -> None:  # type: ignore[no-untyped-def]
    if not test_db.is_postgres:
        pytest.skip("two workers need PostgreSQL LISTEN/NOTIFY; SQLite runs one process")
    pv = provinces
    app_a, app_b = create_app(app_settings), create_app(app_settings)
    async with AsyncTestClient(app=app_a, base_url="http://a.local") as a, \
            AsyncTestClient(app=app_b, base_url="http://b.local") as b:
        await login(a, "platform_admin")
        r = await a.post(_url(pv.p), json={"username": pv.local_user}, headers=csrf_headers(a))
        uid = r.json()["admin"]["userId"]
        await login(b, pv.local_user)
        assert (await b.get(f"/api/t/{pv.county.id}/staff")).status_code == 200  # B caches the county's rows
        assert (await a.delete(f"{_url(pv.p)}/{uid}", headers=csrf_headers(a))).status_code == 204
        assert (await b.get(f"/api/t/{pv.county.id}/staff")).status_code == 403


async def test_a_province_wide_change_becomes_one_notice_for_everything(client, provinces: Provinces, demo,
                                                                        monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Past MAX_KEYS tenants the bus sends "*" (PostgreSQL caps a NOTIFY payload at 8000 bytes): every worker
    drops all it holds, including tenants the change did not touch."""
    from govhall import bus as watcher

    monkeypatch.setattr(watcher, "MAX_KEYS", 2)
    pv, elsewhere = provinces, str(demo["421121"].id)
    await login(client, "county_admin")
    assert (await client.get(f"/api/t/{elsewhere}/staff")).status_code == 200
    assert elsewhere in client.app.state.authz.loaded_domains()
    await login(client, "platform_admin")
    r = await client.post(_url(pv.p), json={"username": pv.local_user}, headers=csrf_headers(client))
    assert r.status_code == 201 and r.json()["tenants"] == 3
    assert elsewhere not in client.app.state.authz.loaded_domains()
    await login(client, pv.local_user)
    assert (await client.get(f"/api/t/{pv.county.id}/staff")).status_code == 200

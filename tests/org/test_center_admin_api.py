"""A center admin manages departments, windows, staff, accounts, roles and backup pairs of the own center;
every change is audited; the data rules (chief representative: own department; clerk: self) hold."""

from __future__ import annotations

import uuid

from tests.browsers import Browser
from tests.conftest import csrf_headers, login

COUNTY, CITY = "421121", "421100"


def _u() -> str:
    return uuid.uuid4().hex[:6]


async def _post(client, url, body):  # type: ignore[no-untyped-def]
    return await client.post(url, json=body, headers=csrf_headers(client))


async def test_departments_and_windows_crud_with_audit(client, demo) -> None:  # type: ignore[no-untyped-def]
    await login(client, "county_admin")
    t = demo[COUNTY].id
    r = await _post(client, f"/api/t/{t}/departments", {"name": f"县税务局{_u()}", "code": "SW"})
    assert r.status_code == 201, r.text
    dept = r.json()["id"]
    dup = await _post(client, f"/api/t/{t}/departments", {"name": r.json()["name"]})
    assert dup.status_code == 409 and dup.json()["fields"][0]["field"] == "name"
    number = f"W{_u()}"
    r = await _post(client, f"/api/t/{t}/windows", {"number": number, "name": "税务综合窗口", "departmentId": dept})
    assert r.status_code == 201, r.text
    win = r.json()["id"]
    r = await client.patch(f"/api/t/{t}/windows/{win}", json={"name": "税务窗口"}, headers=csrf_headers(client))
    assert r.status_code == 200 and r.json()["name"] == "税务窗口"
    # a department with windows cannot go; after its window is gone it can
    assert (await client.delete(f"/api/t/{t}/departments/{dept}", headers=csrf_headers(client))).status_code == 409
    assert (await client.delete(f"/api/t/{t}/windows/{win}", headers=csrf_headers(client))).status_code == 204
    assert (await client.delete(f"/api/t/{t}/departments/{dept}", headers=csrf_headers(client))).status_code == 204
    audit = (await client.get(f"/api/t/{t}/audit", params={"pageSize": 10})).json()["items"]
    actions = [a["action"] for a in audit]
    assert actions[:5] == ["department.delete", "window.delete", "window.update", "window.create", "department.create"]
    assert audit[0]["actorName"] == "county_admin"
    assert (await client.get(f"/api/t/{t}/audit/verify")).json()["ok"] is True


async def test_staff_crud_paging_search_and_references(client, demo) -> None:  # type: ignore[no-untyped-def]
    await login(client, "county_admin")
    t = demo[COUNTY].id
    depts = (await client.get(f"/api/t/{t}/departments")).json()["items"]
    wins = (await client.get(f"/api/t/{t}/windows")).json()["items"]
    win = next(w for w in wins if w["number"] == "05")
    r = await _post(client, f"/api/t/{t}/staff", {"name": "热依拉・艾买提", "employeeNo": f"E{_u()}", "windowId": win["id"]})
    assert r.status_code == 201, r.text
    staff = r.json()
    assert staff["name"] == "热依拉·艾买提" and staff["departmentId"] == win["departmentId"]  # dept from the window
    other_dept = next(d for d in depts if d["id"] != win["departmentId"])
    bad = await _post(client, f"/api/t/{t}/staff", {"name": "王五", "employeeNo": f"E{_u()}", "windowId": win["id"],
                                                    "departmentId": other_dept["id"]})
    assert bad.status_code == 400 and bad.json()["code"] == "window_department_mismatch"
    city_window = (await _city_window(client, demo))
    r = await _post(client, f"/api/t/{t}/staff", {"name": "越界", "employeeNo": f"E{_u()}", "windowId": city_window})
    assert r.status_code == 400 and r.json()["fields"][0]["field"] == "windowId"
    r = await client.get(f"/api/t/{t}/staff", params={"searchString": "热依拉", "pageSize": 1, "currentPage": 1})
    assert r.status_code == 200 and r.json()["total"] == 1 and r.json()["items"][0]["id"] == staff["id"]
    r = await client.patch(f"/api/t/{t}/staff/{staff['id']}", json={"status": "suspended"}, headers=csrf_headers(client))
    assert r.status_code == 200 and r.json()["status"] == "suspended"
    assert (await client.delete(f"/api/t/{t}/staff/{staff['id']}", headers=csrf_headers(client))).status_code == 204


async def _city_window(client, demo) -> str:  # type: ignore[no-untyped-def]
    from tests.conftest import login as _login

    await _login(client, "city_admin")
    wid = (await client.get(f"/api/t/{demo[CITY].id}/windows")).json()["items"][0]["id"]
    await _login(client, "county_admin")
    return wid


async def test_accounts_roles_disable_and_reset(client, demo) -> None:  # type: ignore[no-untyped-def]
    await login(client, "county_admin")
    t = demo[COUNTY].id
    username = f"clerk_{_u()}"
    r = await _post(client, f"/api/t/{t}/users", {"username": username, "displayName": "新窗口人员", "roles": ["clerk"]})
    assert r.status_code == 201, r.text
    assert r.headers["cache-control"] == "no-store"
    uid, otp = r.json()["user"]["id"], r.json()["oneTimePassword"]
    assert r.json()["user"]["roles"] == ["clerk"] and r.json()["user"]["mustChangePassword"] is True
    for role in ("platform_admin", "provincial_admin", "root", ""):
        bad = await _post(client, f"/api/t/{t}/roles", {"userId": uid, "role": role})
        assert bad.status_code == 400, (role, bad.text)
    # another center's account cannot be given a role here
    city_users = await _foreign_user(client, demo)
    assert (await _post(client, f"/api/t/{t}/roles", {"userId": city_users, "role": "clerk"})).status_code == 400
    roles = (await client.get(f"/api/t/{t}/roles")).json()
    inherited = [x for x in roles if x["inherited"]]
    assert [x["role"] for x in inherited] == ["provincial_admin"]
    bad = await client.delete(f"/api/t/{t}/roles/{inherited[0]['id']}", headers=csrf_headers(client))
    assert bad.status_code == 403
    # the new clerk logs in in another browser; disabling kills that session at once
    other = Browser(client)
    await other.login(username, otp)
    assert (await other.get("/api/auth/me")).status_code == 200
    r = await client.post(f"/api/t/{t}/users/{uid}/disable", headers=csrf_headers(client))
    assert r.status_code == 200 and r.json()["isActive"] is False
    assert (await other.get("/api/auth/me")).status_code == 401
    r = await other.post("/api/auth/login", json={"username": username, "password": otp})
    assert r.status_code == 403 and r.json()["code"] == "account_disabled"
    await client.post(f"/api/t/{t}/users/{uid}/enable", headers=csrf_headers(client))
    r = await client.post(f"/api/t/{t}/users/{uid}/reset-password", headers=csrf_headers(client))
    assert r.status_code == 200 and r.json()["oneTimePassword"] != otp
    me = (await client.get("/api/auth/me")).json()
    assert (await client.post(f"/api/t/{t}/users/{me['id']}/disable", headers=csrf_headers(client))).status_code == 409
    actions = {a["action"] for a in (await client.get(f"/api/t/{t}/audit", params={"pageSize": 50})).json()["items"]}
    assert {"user.create", "user.disable", "user.enable", "user.reset_password"} <= actions


async def _foreign_user(client, demo) -> str:  # type: ignore[no-untyped-def]
    await login(client, "city_admin")
    uid = (await client.get(f"/api/t/{demo[CITY].id}/users")).json()["items"][0]["id"]
    await login(client, "county_admin")
    return uid


async def test_assign_and_revoke_role_takes_effect_at_once(client, demo) -> None:  # type: ignore[no-untyped-def]
    await login(client, "county_admin")
    t = demo[COUNTY].id
    username = f"duty_{_u()}"
    r = await _post(client, f"/api/t/{t}/users", {"username": username, "displayName": "值班测试",
                                                    "roles": ["clerk"]})
    uid, otp = r.json()["user"]["id"], r.json()["oneTimePassword"]
    other = Browser(client)
    await other.login(username, otp)
    await other.post("/api/auth/password", json={"currentPassword": otp, "newPassword": "Duty#2026ok"})
    assert (await other.get(f"/api/t/{t}/staff")).status_code == 403
    r = await _post(client, f"/api/t/{t}/roles", {"userId": uid, "role": "duty_officer"})
    assert r.status_code == 201, r.text
    rr = await other.get(f"/api/t/{t}/staff")
    assert rr.status_code == 200, rr.text
    r = await client.delete(f"/api/t/{t}/roles/{r.json()['id']}", headers=csrf_headers(client))
    assert r.status_code == 204
    assert (await other.get(f"/api/t/{t}/staff")).status_code == 403


async def test_chief_sees_own_department_clerk_sees_nothing(client, demo) -> None:  # type: ignore[no-untyped-def]
    """首席代表 manages the window staff of the own department; 窗口工作人员 only themself."""
    t = demo[COUNTY].id
    await login(client, "county_chief")  # 李建国, 县市场监督管理局
    names = {s["name"] for s in (await client.get(f"/api/t/{t}/staff")).json()["items"]}
    assert {"李建国", "张敏"} <= names and "陈晓𠀀" not in names and "刘值班" not in names
    await login(client, "county_admin")
    chen = next(s for s in (await client.get(f"/api/t/{t}/staff", params={"pageSize": 100})).json()["items"]
                if s["name"] == "陈晓𠀀")
    await login(client, "county_chief")
    assert (await client.get(f"/api/t/{t}/staff/{chen['id']}")).status_code == 404
    await login(client, "county_duty")  # the duty officer sees the whole center
    names = {s["name"] for s in (await client.get(f"/api/t/{t}/staff", params={"pageSize": 100})).json()["items"]}
    assert {"李建国", "张敏", "陈晓𠀀", "刘值班"} <= names
    await login(client, "county_clerk")
    assert (await client.get(f"/api/t/{t}/staff")).status_code == 403


async def test_backup_pairs(client, demo) -> None:  # type: ignore[no-untyped-def]
    await login(client, "county_admin")
    t = demo[COUNTY].id
    staff = {s["name"]: s["id"] for s in (await client.get(f"/api/t/{t}/staff", params={"pageSize": 100})).json()["items"]}
    a, b = staff["李建国"], staff["张敏"]
    r = await _post(client, f"/api/t/{t}/backup-pairs", {"staffAId": a, "staffBId": b, "note": "登记与许可互为AB岗"})
    assert r.status_code in (201, 409), r.text
    again = await _post(client, f"/api/t/{t}/backup-pairs", {"staffAId": b, "staffBId": a})
    assert again.status_code == 409
    assert (await _post(client, f"/api/t/{t}/backup-pairs", {"staffAId": a, "staffBId": a})).status_code == 400
    pairs = (await client.get(f"/api/t/{t}/backup-pairs")).json()["items"]
    assert any({p["staffAId"], p["staffBId"]} == {a, b} for p in pairs)
    await login(client, "county_chief")
    assert len((await client.get(f"/api/t/{t}/backup-pairs")).json()["items"]) >= 1
    assert (await _post(client, f"/api/t/{t}/backup-pairs", {"staffAId": a, "staffBId": b})).status_code == 403


async def test_devices_register_authenticate_revoke(client, demo, app_session) -> None:  # type: ignore[no-untyped-def]
    from govhall.domain.devices.services import authenticate_device

    await login(client, "county_admin")
    t = demo[COUNTY].id
    serial = f"ZK{_u().upper()}"
    r = await _post(client, f"/api/t/{t}/devices", {"serialNumber": serial, "name": "大厅一楼人脸机"})
    assert r.status_code == 201, r.text
    token, dev = r.json()["token"], r.json()["device"]
    assert "token" not in dev and "tokenHash" not in dev
    assert (await _post(client, f"/api/t/{t}/devices", {"serialNumber": serial, "name": "重复"})).status_code == 409
    found = await authenticate_device(app_session, serial, token)
    await app_session.commit()
    assert found is not None and found.tenant_id == t
    assert await authenticate_device(app_session, serial, token + "x") is None
    assert await authenticate_device(app_session, serial, None) is None
    assert await authenticate_device(app_session, "NOPE", token) is None
    await app_session.rollback()
    r = await client.post(f"/api/t/{t}/devices/{dev['id']}/revoke", headers=csrf_headers(client))
    assert r.status_code == 200 and r.json()["revokedAt"]
    assert await authenticate_device(app_session, serial, token) is None
    await app_session.rollback()
    listed = (await client.get(f"/api/t/{t}/devices")).json()["items"]
    assert any(d["serialNumber"] == serial and d["lastSeenAt"] for d in listed)


async def test_lists_refuse_bad_sorting_and_cap_page_size(client, demo) -> None:  # type: ignore[no-untyped-def]
    """No 500 and no ordering oracle on secret columns from query parameters; page size capped at 200."""
    await login(client, "county_admin")
    t = demo[COUNTY].id
    for path in ("users", "staff", "departments", "windows", "devices", "audit", "backup-pairs"):
        for field in ("password_hash", "token_hash", "hash", "no_such_column", "name;drop table staff"):
            r = await client.get(f"/api/t/{t}/{path}", params={"orderBy": field})
            assert r.status_code == 400 and r.json()["code"] == "invalid_sort", (path, field, r.status_code)
    r = await client.get(f"/api/t/{t}/staff", params={"pageSize": 100000})
    assert r.status_code == 200 and r.json()["limit"] == 200
    r = await client.get(f"/api/t/{t}/staff", params={"orderBy": "employee_no", "sortOrder": "desc"})
    numbers = [s["employeeNo"] for s in r.json()["items"]]
    assert r.status_code == 200 and numbers == sorted(numbers, reverse=True)


def _xlsx(rows: list[list[object]]) -> bytes:
    import io

    from openpyxl import Workbook

    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


async def _fresh_center(owner_session, demo) -> tuple[object, str]:  # type: ignore[no-untyped-def]
    """A throwaway county with one department, two windows and a center admin (password: the demo one), so that
    tests which add staff never change the demo centers other tests count on."""
    from govhall.authz.models import RoleAssignment
    from govhall.cli import DEMO_PASSWORD
    from govhall.domain.identity.models import User
    from govhall.domain.identity.passwords import hash_password
    from govhall.domain.org.models import Department, Window
    from govhall.domain.org.tenants import create_tenant
    from govhall.tenancy import system_scope, tenant_scope
    from govhall.tenancy.models import TenantLevel

    tag = _u()
    with system_scope():
        tenant = await create_tenant(owner_session, name=f"花名册测试县{tag}", level=TenantLevel.county,
                                     division_code=f"421127-{tag}", parent=demo[CITY])
    with tenant_scope(tenant.id):
        dept = Department(name="县人社局")
        owner_session.add(dept)
        await owner_session.flush()
        owner_session.add_all([Window(number="05", name="社保综合窗口", department_id=dept.id)])
        admin = User(username=f"roster_{tag}", display_name="花名册管理员", password_hash=hash_password(DEMO_PASSWORD),
                     must_change_password=False, is_active=True, failed_logins=0)
        owner_session.add(admin)
        await owner_session.flush()
        owner_session.add(RoleAssignment(user_id=admin.id, role="center_admin"))
        await owner_session.commit()
    return tenant, admin.username


async def test_roster_import_all_or_nothing(client, demo, owner_session) -> None:  # type: ignore[no-untyped-def]
    tenant, admin = await _fresh_center(owner_session, demo)
    await login(client, admin)
    t = tenant.id
    url = f"/api/t/{t}/staff/import"
    tag = _u().upper()
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    bad = _xlsx([["姓名", "工号", "部门", "窗口号"],
                 ["甲", f"R{tag}1", "县人社局", "05"],
                 ["乙", f"R{tag}1", "不存在的局", ""],
                 ["丙", f"R{tag}3", "县人社局", "A01"]])  # A01 is a window of the city, not of this county
    r = await client.post(url, files={"data": ("roster.xlsx", bad, xlsx)}, headers=csrf_headers(client))
    assert r.status_code == 400, r.text
    fields = {f["field"] for f in r.json()["fields"]}
    assert {"row3.employeeNo", "row3.department", "row4.window"} <= fields
    assert (await client.get(f"/api/t/{t}/staff")).json()["total"] == 0  # nothing was written
    good = _xlsx([["name", "employee_no", "phone", "department", "window"],
                  ["古丽·艾力", f"R{tag}1", "13900000000", "县人社局", "05"],
                  ["王二", f"R{tag}2", None, None, None]])
    r = await client.post(url, files={"data": ("roster.xlsx", good, xlsx)}, headers=csrf_headers(client))
    assert r.status_code == 200 and r.json() == {"created": 2, "updated": 0}, r.text
    again = _xlsx([["姓名", "工号", "电话"], ["王二", f"R{tag}2", "13700000000"]])
    r = await client.post(url, files={"data": ("roster.xlsx", again, xlsx)}, headers=csrf_headers(client))
    assert r.json() == {"created": 0, "updated": 1}
    audit = (await client.get(f"/api/t/{t}/audit", params={"pageSize": 1})).json()["items"][0]
    assert audit["action"] == "staff.import" and audit["details"]["updated"] == 1
    r = await client.post(url, files={"data": ("x.xlsx", b"not a workbook", xlsx)}, headers=csrf_headers(client))
    assert r.status_code == 400 and r.json()["code"] == "roster_invalid"
    r = await client.get(f"/api/t/{t}/staff/import-template")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    await login(client, "county_admin")  # another center's admin
    r = await client.post(url, files={"data": ("roster.xlsx", good, xlsx)}, headers=csrf_headers(client))
    assert r.status_code == 403


async def test_a_big_roster_is_applied_as_a_job(client, demo, owner_session, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Issue 16: over the row limit (2 here) the import answers 409 use_background_job and writes nothing; the same
    file to /staff/import-job is checked like an import (400 naming the rows) and then applied by the job
    staff.roster_import, with its progress in rows; the job cannot be started without its file."""
    from tests.jobs.limits import small_limits, wait_job

    tenant, admin = await _fresh_center(owner_session, demo)
    await login(client, admin)
    t = tenant.id
    tag = _u().upper()
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    good = _xlsx([["姓名", "工号", "部门"], *[[f"员工{i}", f"J{tag}{i}", "县人社局"] for i in range(5)]])
    small_limits(monkeypatch, roster_rows=2)
    r = await client.post(f"/api/t/{t}/staff/import", files={"data": ("roster.xlsx", good, xlsx)},
                          headers=csrf_headers(client))
    assert r.status_code == 409 and r.json()["code"] == "use_background_job", r.text
    assert r.json()["details"] == {"kind": "staff.roster_import", "size": 5, "limit": 2}
    assert (await client.get(f"/api/t/{t}/staff")).json()["total"] == 0

    bad = _xlsx([["姓名", "工号", "部门"], ["甲", f"J{tag}x", "不存在的局"], ["乙", f"J{tag}y", ""], ["丙", "", ""]])
    r = await client.post(f"/api/t/{t}/staff/import-job", files={"data": ("roster.xlsx", bad, xlsx)},
                          headers=csrf_headers(client))
    assert r.status_code == 400 and {"row2.department", "row4.employeeNo"} <= {f["field"] for f in r.json()["fields"]}

    r = await client.post(f"/api/t/{t}/staff/import-job", files={"data": ("roster.xlsx", good, xlsx)},
                          headers=csrf_headers(client))
    assert r.status_code == 202, r.text
    job = await wait_job(client, t, r.json()["id"])
    assert job["state"] == "done", job
    assert (job["done"], job["total"]) == (5, 5) and job["summary"] == {"rows": 5, "created": 5, "updated": 0}
    assert (await client.get(f"/api/t/{t}/staff")).json()["total"] == 5
    audit = (await client.get(f"/api/t/{t}/audit", params={"pageSize": 1})).json()["items"][0]
    assert audit["action"] == "staff.import" and audit["details"]["created"] == 5 and audit["actorName"] == admin

    r = await client.post(f"/api/t/{t}/jobs", json={"kind": "staff.roster_import"}, headers=csrf_headers(client))
    assert r.status_code == 400 and r.json()["code"] == "job_needs_upload"
    await login(client, "county_admin")  # another center's admin
    r = await client.post(f"/api/t/{t}/staff/import-job", files={"data": ("roster.xlsx", good, xlsx)},
                          headers=csrf_headers(client))
    assert r.status_code == 403

"""The HTTP matrix, generated from the app's route table: every route x every role x every tenant the role
has no authority in -> denied; and every route with resource ids x every role, in the role's own tenant, with
the ids of another tenant's resources -> never a success. Each tenant's data carries unique canary strings;
no response may contain the canary of a tenant the caller has no authority in.

Nothing is skipped silently: routes the matrix cannot use as-is (login/logout/password change, which would
end the caller's session) are listed with the reason in the printed report.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker

from govhall.audit import record_audit
from govhall.authz.guards import PUBLIC_OPT
from govhall.authz.models import RoleAssignment
from govhall.cli import DEMO_PASSWORD
from govhall.domain.attendance.models import (
    AttendanceCorrection,
    AttendanceCorrectionStaff,
    CorrectionKind,
    CorrectionSessions,
)
from govhall.domain.complaints.models import CaseNotice, CaseRecord, Complaint, ServiceItem
from govhall.domain.devices.models import Device
from govhall.domain.identity.models import User
from govhall.domain.identity.passwords import hash_password
from govhall.domain.org.models import BackupPair, Department, Staff, Window
from govhall.domain.org.tenants import create_tenant, platform_tenant
from govhall.domain.redflag.models import RedFlagRound
from govhall.files.models import StoredFile
from govhall.jobs.models import Job
from govhall.tenancy import system_scope, tenant_scope
from govhall.tenancy.models import Tenant, TenantLevel
from tests.authz.test_route_permissions import _framework, route_table
from tests.browsers import Browser

CENTER_ROLES = ["center_admin", "chief_representative", "duty_officer", "clerk", "supervision_office", "center_leader"]
ROLES = ["anonymous", "platform_admin", "provincial_admin", *CENTER_ROLES]
# Routes that change the caller's own session; tests/identity covers them.
SESSION_ROUTES = {("POST", "/api/auth/login"), ("POST", "/api/auth/logout"), ("POST", "/api/auth/password")}
STR_PARAMS = {"pack": "work_hours", "path": "staff", "month": "2026-11", "date": "2026-11-20"}


@dataclass
class TenantData:
    key: str
    tenant: Tenant
    canary: str
    ids: dict[str, uuid.UUID] = field(default_factory=dict)


@dataclass
class World:
    tenants: dict[str, TenantData]
    users: dict[str, str]  # role -> username
    home: dict[str, str]  # role -> tenant key it works in
    foreign: dict[str, list[str]]  # role -> tenant keys it has no authority in


async def _fill(s, data: TenantData, password_hash: str) -> None:  # type: ignore[no-untyped-def]
    c = data.canary
    with tenant_scope(data.tenant.id):
        dept = Department(name=f"{c}-部门", code=c[-8:])
        s.add(dept)
        await s.flush()
        win = Window(number=c[-6:], name=f"{c}-窗口", department_id=dept.id)
        s.add(win)
        await s.flush()
        a = Staff(name=f"{c}甲", employee_no=f"{c}-1", department_id=dept.id, window_id=win.id, phone=c[-10:])
        b = Staff(name=f"{c}乙", employee_no=f"{c}-2", department_id=dept.id)
        s.add_all([a, b])
        await s.flush()
        pair = BackupPair(staff_a_id=a.id, staff_b_id=b.id, note=f"{c}-AB")
        user = User(username=f"u{c.lower()[-12:]}", display_name=f"{c}账号", password_hash=password_hash,
                    staff_id=b.id, must_change_password=False, is_active=True, failed_logins=0)
        dev = Device(serial_number=f"SN{c}", name=f"{c}-考勤机", token_hash="0" * 64)
        s.add_all([pair, user, dev])
        await s.flush()
        ra = RoleAssignment(user_id=user.id, role="clerk")
        s.add(ra)
        await s.flush()
        stored = StoredFile(sha256=hashlib.sha256(c.encode()).hexdigest(), mime="application/pdf", size=len(c),
                            name=f"{c}.pdf", purpose="matrix.canary", uploaded_by=user.id)
        s.add(stored)
        await s.flush()
        await record_audit(s, action="staff.create", target_type="staff", target_id=str(a.id),
                           details={"name": a.name, "canary": c})
        now = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
        complaint = Complaint(number=f"TS-{c[-10:]}", channel="phone", class_key="general", class_name=f"{c}-类别",
                              deadline_amount=5, deadline_unit="working_days", received_at=now, due_at=now,
                              subject=f"{c}-投诉", staff_id=a.id, window_id=win.id, department_id=dept.id)
        item = ServiceItem(code=c[-12:], name=f"{c}-事项", department_id=dept.id, legal_days=20, promised_days=10,
                           default_type="promised")
        s.add_all([complaint, item])
        await s.flush()
        case = CaseRecord(number=f"BJ-{c[-10:]}", item_id=item.id, case_type="promised", staff_id=a.id,
                          department_id=dept.id, applicant=f"{c}-申请人", accepted_at=now, due_at=now)
        s.add(case)
        await s.flush()
        notice = CaseNotice(case_id=case.id, kind="acceptance", year=2026, seq=1, number=f"受{c[-8:]}", issued_at=now,
                            body={"applicant": f"{c}-申请人"})
        s.add(notice)
        job = Job(kind="attendance.sheet_xlsx", state="done", progress=100, params={"canary": c}, created_by=user.id,
                  attempts=1, result_name=f"{c}.xlsx", result_type="application/octet-stream", result_data=c.encode())
        s.add(job)
        await s.flush()
        red_flag = RedFlagRound(period="month", period_start=datetime(2026, 10, 1).date(),
                                period_end=datetime(2026, 10, 31).date(), label="2026-10", unit="window", flags=1,
                                award_day=datetime(2026, 11, 3).date(), status="published", ratings={},
                                ranking=[{"unitId": str(win.id), "name": f"{c}-窗口", "rank": 1, "total": 90.0,
                                          "rating": None, "eligible": True, "flag": True, "lines": [],
                                          "disqualified": []}], awarded=[str(win.id)])
        s.add(red_flag)
        await s.flush()
        corr = AttendanceCorrection(date_from=now.date(), date_to=now.date(), sessions=CorrectionSessions.am,
                                    kind=CorrectionKind.present, reason=f"{c}-更正", file_ids=[str(stored.id)],
                                    staff_count=1, created_by=user.id)
        s.add(corr)
        await s.flush()
        s.add(AttendanceCorrectionStaff(correction_id=corr.id, staff_id=a.id))
        await s.flush()
    data.ids.update(job_id=job.id, correction_id=corr.id, department_id=dept.id, window_id=win.id, staff_id=a.id, pair_id=pair.id,
                    user_id=user.id, device_id=dev.id, assignment_id=ra.id, file_id=stored.id, complaint_id=complaint.id,
                    case_id=case.id, notice_id=notice.id, round_id=red_flag.id)


@pytest.fixture(scope="module")
async def world(demo, owner_engine) -> World:  # type: ignore[no-untyped-def]
    city = demo["421100"]
    sfx = uuid.uuid4().hex[:6].upper()
    n = uuid.uuid4().int % 9000 + 1000
    pw = hash_password(DEMO_PASSWORD)
    async with async_sessionmaker(owner_engine, expire_on_commit=False)() as s:
        with system_scope():
            p1 = await s.get(Tenant, demo["420000"].id)
        # a fresh provincial admin first, so that the centers created below inherit its authority
        with tenant_scope(p1.id):
            prov = User(username=f"mx_prov_{sfx.lower()}", display_name="矩阵省管理员", password_hash=pw,
                        must_change_password=False, is_active=True, failed_logins=0)
            s.add(prov)
            await s.flush()
            s.add(RoleAssignment(user_id=prov.id, role="provincial_admin"))
            await s.flush()
        with system_scope():
            a = await create_tenant(s, name=f"矩阵县A{sfx}", level=TenantLevel.county,
                                    division_code=f"4211{n % 90 + 10:02d}-A{sfx}", parent=city)
            t = await create_tenant(s, name=f"矩阵镇T{sfx}", level=TenantLevel.township,
                                    division_code=f"4211{n % 90 + 10:02d}-T{sfx}", parent=a)
            sib = await create_tenant(s, name=f"矩阵县S{sfx}", level=TenantLevel.county,
                                      division_code=f"4211{n % 90 + 10:02d}-S{sfx}", parent=city)
            q = await create_tenant(s, name=f"外省Q{sfx}", level=TenantLevel.province, division_code=f"44{n:04d}",
                                    parent=None)
            qf = await create_tenant(s, name=f"外省县QF{sfx}", level=TenantLevel.county,
                                     division_code=f"44{n:04d}-F", parent=q)
        tenants = {k: TenantData(k, tn, f"CANARY{k}{sfx}{uuid.uuid4().hex[:6].upper()}")
                   for k, tn in {"P1": p1, "A": a, "T": t, "S": sib, "Q": q, "QF": qf}.items()}
        for d in tenants.values():
            await _fill(s, d, pw)
        # platform admins live in the reserved platform tenant (issue 8 item 1): the province is foreign to them
        plat = await platform_tenant(s)
        tenants["PL"] = TenantData("PL", plat, f"CANARYPL{sfx}{uuid.uuid4().hex[:6].upper()}")
        users = {"provincial_admin": prov.username, "platform_admin": "platform_admin"}
        with tenant_scope(a.id):
            chief_staff = await s.get(Staff, tenants["A"].ids["staff_id"])
            for role in CENTER_ROLES:
                u = User(username=f"mx_{role.replace('_', '')[:10]}_{sfx.lower()}", display_name=f"矩阵{role}",
                         password_hash=pw,
                         must_change_password=False, is_active=True, failed_logins=0,
                         staff_id=chief_staff.id if role == "chief_representative" else None)
                s.add(u)
                await s.flush()
                s.add(RoleAssignment(user_id=u.id, role=role))
                users[role] = u.username
            await s.flush()
        await s.commit()
    center_foreign = ["P1", "T", "S", "Q", "QF", "PL"]
    return World(
        tenants=tenants, users=users,
        home={"provincial_admin": "P1", "platform_admin": "PL", **{r: "A" for r in CENTER_ROLES}, "anonymous": "A"},
        foreign={"anonymous": ["P1", "A", "T", "S", "Q", "QF", "PL"], "platform_admin": ["P1", "A", "T", "S", "Q", "QF"],
                 "provincial_admin": ["Q", "QF", "PL"], **{r: center_foreign for r in CENTER_ROLES}},
    )


def _fill_path(path: str, data: TenantData, unknown: set[str]) -> str:
    def sub(m: re.Match[str]) -> str:
        name, kind = m.group(1), m.group(2)
        if name == "tenant_id":
            return str(data.tenant.id)
        if kind == "uuid":
            if name in data.ids:
                return str(data.ids[name])
            unknown.add(name)
            return str(uuid.uuid4())
        if name in STR_PARAMS:
            return STR_PARAMS[name]
        unknown.add(name)
        return "x"

    return re.sub(r"\{(\w+):(\w+)\}", sub, path)


async def test_http_matrix_denies_every_foreign_access(client, world: World) -> None:  # type: ignore[no-untyped-def]
    app = client.app
    browsers: dict[str, Browser] = {}
    for role in ROLES:
        b = Browser(client)
        if role == "anonymous":
            await b.get("/healthz")
        else:
            await b.login(world.users[role])
        browsers[role] = b

    routes = [(p, m, h) for p, m, h in route_table(app) if not _framework(h)]
    attempts, failures, leaks, server_errors = 0, [], [], []
    unknown_params: set[str] = set()
    not_used = sorted(f"{m} {p}" for p, m, _ in routes if (m, p) in SESSION_ROUTES)
    tenant_routes = [(p, m, h) for p, m, h in routes if "{tenant_id:" in p]
    other_routes = [(p, m, h) for p, m, h in routes if "{tenant_id:" not in p and (m, p) not in SESSION_ROUTES]

    def scan(role: str, r: Any, what: str) -> None:
        body = r.text
        for key in world.foreign[role]:
            if world.tenants[key].canary in body:
                leaks.append(f"{role} {what}: canary of {key}")
        if r.status_code >= 500:
            server_errors.append(f"{role} {what}: {r.status_code}")

    for role in ROLES:
        b = browsers[role]
        for path, method, _h in tenant_routes:
            # 1) the foreign tenant in the URL, with that tenant's own resource ids
            for key in world.foreign[role]:
                url = _fill_path(path, world.tenants[key], unknown_params)
                r = await b.request(method, url, json={} if method in ("POST", "PATCH", "PUT") else None)
                attempts += 1
                want = 401 if role == "anonymous" else 403
                if r.status_code != want:
                    failures.append(f"{role} {method} {url} [{key}] -> {r.status_code} (want {want}): {r.text[:120]}")
                scan(role, r, f"{method} {url}")
            # 2) the role's own tenant in the URL, another tenant's resource ids
            if role == "anonymous" or not re.search(r"\{(?!tenant_id)\w+:uuid\}", path):
                continue
            own = world.tenants[world.home[role]]
            for key in world.foreign[role]:
                foreign = world.tenants[key]
                mixed = TenantData(own.key, own.tenant, own.canary, ids=foreign.ids)
                url = _fill_path(path, mixed, unknown_params)
                r = await b.request(method, url, json={} if method in ("POST", "PATCH", "PUT") else None)
                attempts += 1
                if r.status_code < 400:
                    failures.append(f"{role} {method} {url} [own tenant, ids of {key}] -> {r.status_code}")
                scan(role, r, f"{method} {url}")
        # 3) routes without a tenant in the URL: whatever they answer, no foreign canary
        for path, method, h in other_routes:
            url = _fill_path(path, world.tenants[world.home[role]], unknown_params)
            r = await b.request(method, url, json={} if method in ("POST", "PATCH", "PUT") else None)
            attempts += 1
            if not h.opt.get(PUBLIC_OPT) and role == "anonymous" and r.status_code != 401:
                failures.append(f"anonymous {method} {url} -> {r.status_code} (want 401)")
            scan(role, r, f"{method} {url}")

    # the canaries are really there for those who may see them (the scan is not blind)
    r = await browsers["center_admin"].get(f"/api/t/{world.tenants['A'].tenant.id}/staff")
    assert world.tenants["A"].canary in r.text
    r = await browsers["provincial_admin"].get(f"/api/t/{world.tenants['T'].tenant.id}/staff")
    assert world.tenants["T"].canary in r.text

    print(f"\nHTTP matrix: {attempts} attempts = {len(tenant_routes)} tenant routes and {len(other_routes)} other "
          f"routes x {len(ROLES)} roles (incl. anonymous) x foreign tenants {sorted(world.tenants)}; "
          f"{len(failures)} not denied, {len(leaks)} foreign canaries in responses, {len(server_errors)} 5xx")
    print(f"not exercised here (session routes, see tests/identity): {not_used}")
    if unknown_params:
        print(f"path parameters filled with random values (no seeded resource of that kind): {sorted(unknown_params)}")
    assert not failures, "\n".join(failures[:30])
    assert not leaks, "\n".join(leaks[:30])
    assert not server_errors, "\n".join(server_errors[:30])
    assert attempts > 500

"""Races (issue 8 item 8): caps and uniqueness hold when the same request arrives many times at once, and every
unique violation answers 409 with zh-CN and English messages (never a raw IntegrityError 500)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import async_sessionmaker

from govhall.clock import set_clock
from govhall.domain.attendance.models import MissedPunchRequest
from govhall.domain.attendance.requests import request_missed_punch
from govhall.domain.attendance.schemas import MissedPunchIn
from govhall.domain.identity.models import User
from govhall.errors import AppError, unique_constraint
from govhall.tenancy import system_scope, tenant_scope
from tests.attendance.centers import make_center
from tests.attendance.conftest import CST
from tests.conftest import csrf_headers, login


async def _no_check(*_a, **_k) -> bool:
    return False

N = 12


def _statuses(rs) -> dict[int, int]:  # type: ignore[no-untyped-def]
    out: dict[int, int] = {}
    for r in rs:
        out[r.status_code] = out.get(r.status_code, 0) + 1
    return out


def _bilingual_409(r) -> None:  # type: ignore[no-untyped-def]
    body = r.json()
    assert r.status_code == 409 and body["message"]["zh"] and body["message"]["en"], r.text


async def test_missed_punch_cap_holds_under_12_concurrent_requests(owner_session, app_engine, demo) -> None:  # type: ignore[no-untyped-def]
    """补卡 cap, the attendance_rules setting ``missed_punch_requests_per_month`` (3 by default): twelve requests at
    once for March 2026 (each for another day, each in its own session and connection) -> exactly 3 accepted,
    9 refused 409 ``missed_punch_cap``; 3 rows stored."""
    set_clock(datetime(2026, 3, 20, 9, 0, tzinfo=CST))
    c = await make_center(owner_session, demo)
    with system_scope():
        uid = await owner_session.scalar(select(User.id).where(User.username == c.users["clerk"]))
        await owner_session.commit()
    sessions = async_sessionmaker(app_engine, expire_on_commit=False)

    async def one(day: int) -> str:
        async with sessions() as s:
            with tenant_scope(c.id):
                try:
                    await request_missed_punch(s, uid, MissedPunchIn(work_date=date(2026, 3, day), time="08:30",
                                                                      reason="考勤机故障"))
                    return "ok"
                except AppError as exc:
                    await s.rollback()
                    return exc.code

    results = await asyncio.gather(*[one(d) for d in range(2, 2 + N)])
    assert sorted(results) == ["missed_punch_cap"] * (N - 3) + ["ok"] * 3, results
    with tenant_scope(c.id):
        stored = await owner_session.scalar(select(func.count()).select_from(MissedPunchRequest))
        await owner_session.commit()
    assert stored == 3


async def test_concurrent_onboarding_same_division_code_or_admin_username(client, demo) -> None:  # type: ignore[no-untyped-def]
    await login(client, "prov_admin")
    city = demo["421100"].id
    code = f"4211{uuid.uuid4().int % 90 + 10:02d}-R{uuid.uuid4().hex[:5]}"

    def body(i: int, same_code: bool) -> dict[str, str]:
        return {"level": "county", "divisionCode": code if same_code else f"{code[:6]}-Q{uuid.uuid4().hex[:5]}{i}",
                "name": f"并发县{i}", "template": "blank",
                "adminUsername": f"race_{uuid.uuid4().hex[:8]}" if same_code else admin, "adminDisplayName": "并发管理员"}

    admin = f"race_admin_{uuid.uuid4().hex[:6]}"
    for same_code in (True, False):
        rs = await asyncio.gather(*[client.post(f"/api/t/{city}/tenants", json=body(i, same_code),
                                                headers=csrf_headers(client)) for i in range(6)])
        assert _statuses(rs) == {201: 1, 409: 5}, [r.text[:120] for r in rs]
        for r in rs:
            if r.status_code == 409:
                _bilingual_409(r)
                assert r.json()["fields"][0]["field"] in ("divisionCode", "adminUsername"), r.text


async def test_concurrent_duplicate_users_and_role_assignments(client, demo) -> None:  # type: ignore[no-untyped-def]
    await login(client, "county_admin")
    t = demo["421121"].id
    username = f"dup_{uuid.uuid4().hex[:8]}"
    rs = await asyncio.gather(*[client.post(f"/api/t/{t}/users", json={"username": username, "displayName": "重复",
                                                                        "roles": ["clerk"]},
                                            headers=csrf_headers(client)) for _ in range(N)])
    assert _statuses(rs) == {201: 1, 409: N - 1}, [r.text[:120] for r in rs]
    for r in rs:
        if r.status_code == 409:
            _bilingual_409(r)
    uid = next(r.json()["user"]["id"] for r in rs if r.status_code == 201)
    rs = await asyncio.gather(*[client.post(f"/api/t/{t}/roles", json={"userId": uid, "role": "duty_officer"},
                                            headers=csrf_headers(client)) for _ in range(N)])
    assert _statuses(rs) == {201: 1, 409: N - 1}, [r.text[:120] for r in rs]
    for r in rs:
        if r.status_code == 409:
            _bilingual_409(r)
            assert r.json()["code"] == "duplicate_role"


async def test_a_request_that_loses_the_race_gets_409_from_the_constraint(client, demo, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The friendly checks before each insert can lose a race (both requests check, then both insert). With the
    checks switched off, as if every request lost, the unique constraints answer: 409 with the field, never 500."""
    from govhall.domain.identity import accounts
    from govhall.domain.org import onboarding
    from govhall.tenancy import tree

    monkeypatch.setattr(accounts, "ensure_username_free", _no_check)
    monkeypatch.setattr(onboarding, "ensure_username_free", _no_check)
    monkeypatch.setattr(tree, "ensure_division_code_free", _no_check)
    monkeypatch.setattr(accounts.RoleService, "has_role", _no_check)
    await login(client, "county_admin")
    t = demo["421121"].id
    body = {"username": f"lost_{uuid.uuid4().hex[:8]}", "displayName": "竞态", "roles": ["clerk"]}
    first = await client.post(f"/api/t/{t}/users", json=body, headers=csrf_headers(client))
    assert first.status_code == 201
    r = await client.post(f"/api/t/{t}/users", json=body, headers=csrf_headers(client))
    _bilingual_409(r)
    assert (r.json()["code"], r.json()["fields"][0]["field"]) == ("username_unavailable", "username")
    uid = first.json()["user"]["id"]
    r = await client.post(f"/api/t/{t}/roles", json={"userId": uid, "role": "clerk"}, headers=csrf_headers(client))
    _bilingual_409(r)
    assert r.json()["code"] == "duplicate_role"

    await login(client, "prov_admin")
    city = demo["421100"].id
    code = f"4211{uuid.uuid4().int % 90 + 10:02d}-L{uuid.uuid4().hex[:5]}"
    onboard = {"level": "county", "divisionCode": code, "name": "竞态县", "template": "blank",
               "adminUsername": f"lost_{uuid.uuid4().hex[:8]}", "adminDisplayName": "竞态管理员"}
    assert (await client.post(f"/api/t/{city}/tenants", json=onboard, headers=csrf_headers(client))).status_code == 201
    r = await client.post(f"/api/t/{city}/tenants", json=onboard | {"adminUsername": f"x{uuid.uuid4().hex[:8]}"},
                          headers=csrf_headers(client))
    _bilingual_409(r)
    assert (r.json()["code"], r.json()["fields"][0]["field"]) == ("duplicate_division_code", "divisionCode")
    r = await client.post(f"/api/t/{city}/tenants", json=onboard | {"divisionCode": code + "b"},
                          headers=csrf_headers(client))
    _bilingual_409(r)
    assert r.json()["code"] == "username_unavailable"


def test_integrity_errors_are_keyed_by_constraint_name() -> None:
    """The one handler recognises the constraint from PostgreSQL's report and from SQLite's column list."""
    import sqlalchemy.exc

    class PgError(Exception):
        constraint_name = "uq_role_assignment"

    sqlite = sqlalchemy.exc.IntegrityError("INSERT ...", {}, Exception(
        "UNIQUE constraint failed: role_assignment.tenant_id, role_assignment.user_id, role_assignment.role"))
    pg = sqlalchemy.exc.IntegrityError("INSERT ...", {}, PgError())
    assert unique_constraint(sqlite) == unique_constraint(pg) == "uq_role_assignment"
    assert unique_constraint(sqlalchemy.exc.IntegrityError("x", {}, Exception(
        'duplicate key value violates unique constraint "uq_tenant_division_code"'))) == "uq_tenant_division_code"


def test_the_sqlite_column_table_matches_the_models() -> None:
    """Every constraint with a 409 message is found from SQLite's column list too."""
    from sqlalchemy import UniqueConstraint

    import govhall.models  # noqa: F401
    from govhall.db.base import Base
    from govhall.errors import SQLITE_UNIQUE_COLUMNS, UNIQUE_CONFLICTS

    actual = {}
    for table in Base.metadata.tables.values():
        for c in table.constraints:
            if isinstance(c, UniqueConstraint) and c.name in UNIQUE_CONFLICTS:
                actual[", ".join(f"{table.name}.{col.name}" for col in c.columns)] = c.name
    assert actual == SQLITE_UNIQUE_COLUMNS

"""The enforcer keeps role assignments of at most GOVHALL_AUTHZ_CACHE_TENANTS tenants (least recently used out):
a long-running worker does not accumulate every tenant of the platform, and decisions do not change with it."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace

from litestar.testing import AsyncTestClient
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import async_sessionmaker

from govhall.app import create_app
from govhall.authz.enforcer import Authorizer
from govhall.authz.models import RoleAssignment
from govhall.authz.permissions import ATTENDANCE_READ, STAFF_READ
from govhall.bus import ChangeBus
from govhall.domain.identity.models import User
from govhall.tenancy import system_scope, tenant_scope

COUNTY, CITY, LUOTIAN = "421121", "421100", "421123"


async def _user_id(session, username: str) -> uuid.UUID:  # type: ignore[no-untyped-def]
    with system_scope():
        uid = await session.scalar(select(User.id).where(User.username == username))
        await session.commit()
    return uid


def _rows(authz: Authorizer, domain: str) -> list[list[str]]:
    enforcer = authz.enforcer_for(domain)
    return enforcer.get_filtered_named_grouping_policy("g", 2, domain) if enforcer else []


async def test_lru_bound_evicts_the_least_recently_used_tenant(demo, app_engine, owner_session) -> None:  # type: ignore[no-untyped-def]
    a, b, c = (str(demo[code].id) for code in (COUNTY, CITY, LUOTIAN))
    county_admin = await _user_id(owner_session, "county_admin")
    city_admin = await _user_id(owner_session, "city_admin")
    luotian_admin = await _user_id(owner_session, "luotian_admin")
    authz = Authorizer(async_sessionmaker(app_engine, expire_on_commit=False), max_tenants=2)

    assert await authz.allowed(county_admin, a, STAFF_READ)
    assert await authz.allowed(city_admin, b, STAFF_READ)
    assert await authz.allowed(county_admin, a, STAFF_READ)  # a is now the most recently used
    assert authz.loaded_domains() == [b, a] and authz.loads == 2
    assert await authz.allowed(luotian_admin, c, STAFF_READ)  # a third tenant: b goes
    assert authz.loaded_domains() == [a, c] and authz.evictions == 1
    assert _rows(authz, b) == [] and _rows(authz, a) and _rows(authz, c)

    # b comes back from the database on its next request, with the same decisions (and a goes)
    assert await authz.allowed(city_admin, b, STAFF_READ)
    assert not await authz.allowed(county_admin, b, STAFF_READ)
    assert not await authz.allowed(city_admin, c, STAFF_READ)
    assert authz.loads == 4 and authz.loaded_domains() == [b, c]  # c was just used
    held = [authz.enforcer_for(d) for d in (a, b, c)]
    assert held[0] is None and held[1] and held[2]  # nothing else held
    assert {r[2] for e in held if e for r in e.get_named_grouping_policy("g")} == {b, c}
    assert await authz.roles_in(county_admin, a) == ["center_admin"]  # reloaded once more


async def test_policy_bus_invalidation_still_applies_with_the_bound(demo, app_engine, owner_session, test_db) -> None:  # type: ignore[no-untyped-def]
    a, b, c = (demo[code].id for code in (COUNTY, CITY, LUOTIAN))
    with tenant_scope(c):
        u = User(username=f"lru_{uuid.uuid4().hex[:8]}", display_name="缓存测试", password_hash="x",
                 must_change_password=False, is_active=True, failed_logins=0)
        owner_session.add(u)
        await owner_session.flush()
        owner_session.add(RoleAssignment(user_id=u.id, role="clerk"))
        await owner_session.commit()
    maker = async_sessionmaker(app_engine, expire_on_commit=False)
    authz = Authorizer(maker, max_tenants=2)
    bus = ChangeBus(database_url=test_db.app_url)
    authz.connect(bus)
    await bus.start()
    try:
        assert await authz.allowed(u.id, str(c), ATTENDANCE_READ)
        for t in (a, b):  # c is evicted, then reloaded with the grant intact
            await authz.allowed(u.id, str(t), ATTENDANCE_READ)
        assert str(c) not in authz.loaded_domains()
        assert await authz.allowed(u.id, str(c), ATTENDANCE_READ)
        bus._apply(json.dumps({"domains": [str(a)], "nonce": "x"}))  # a notice for a tenant not held: no-op
        async with maker() as s:
            with tenant_scope(c):
                await s.execute(delete(RoleAssignment).where(RoleAssignment.user_id == u.id))
                await bus.changed(s, c)
                await bus.commit(s)
        assert str(c) not in authz.loaded_domains()
        assert not await authz.allowed(u.id, str(c), ATTENDANCE_READ)  # the very next decision is a denial
    finally:
        await bus.stop()


async def test_a_load_overlapping_an_invalidation_is_repeated(demo, app_engine, owner_session) -> None:  # type: ignore[no-untyped-def]
    a = str(demo[COUNTY].id)
    county_admin = await _user_id(owner_session, "county_admin")
    authz = Authorizer(async_sessionmaker(app_engine, expire_on_commit=False), max_tenants=2)
    real = authz._load_rows

    async def racing(domain: str) -> list[list[str]]:
        rows = await real(domain)
        if authz.loads == 0:
            authz.invalidate(domain)  # a role change committed while the rows were being read
        return rows

    authz._load_rows = racing  # type: ignore[method-assign]
    assert await authz.allowed(county_admin, a, STAFF_READ)
    assert authz.loads == 2 and authz.loaded_domains() == [a]


async def test_the_bound_comes_from_the_setting(app_settings, demo) -> None:  # type: ignore[no-untyped-def]
    app = create_app(replace(app_settings, authz_cache_tenants=2))
    async with AsyncTestClient(app=app):
        assert app.state.authz.max_tenants == 2

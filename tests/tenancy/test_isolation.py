"""A query for tenant A never returns tenant B's rows; writes never cross tenants (ORM guard; both databases)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from govhall.domain.org.models import Department, Staff, Window
from govhall.tenancy import TenantScopeError, system_scope, tenant_scope

CITY, COUNTY = "421100", "421121"


async def test_each_tenant_sees_only_its_own_staff(demo, app_session) -> None:  # type: ignore[no-untyped-def]
    seen = {}
    for code in (CITY, COUNTY, CITY):  # A, B, A again: a cached statement must not keep A's (or B's) id
        tenant = demo[code]
        with tenant_scope(tenant.id):
            rows = (await app_session.scalars(select(Staff))).all()
            await app_session.commit()
        assert rows and {r.tenant_id for r in rows} == {tenant.id}
        seen.setdefault(code, {r.employee_no for r in rows})
    assert seen[CITY].isdisjoint(seen[COUNTY])
    assert seen[CITY] == {"C001", "C002"}


async def test_no_scope_returns_nothing(demo, app_session) -> None:  # type: ignore[no-untyped-def]
    assert (await app_session.scalar(select(func.count()).select_from(Staff))) == 0
    assert (await app_session.scalars(select(Staff))).all() == []


async def test_get_by_id_of_another_tenant_finds_nothing(demo, app_session, owner_session) -> None:  # type: ignore[no-untyped-def]
    with tenant_scope(demo[CITY].id):
        city_staff = (await owner_session.scalars(select(Staff))).first()
    with tenant_scope(demo[COUNTY].id):
        assert await app_session.get(Staff, city_staff.id) is None
        n = (await app_session.execute(update(Staff).where(Staff.id == city_staff.id).values(phone="x"))).rowcount
        await app_session.rollback()
    assert n == 0


async def test_joins_are_scoped_too(demo, app_session) -> None:  # type: ignore[no-untyped-def]
    with tenant_scope(demo[COUNTY].id):
        rows = (await app_session.execute(select(Staff.name, Window.number).join(Window, Staff.window_id == Window.id))).all()
        await app_session.commit()
    assert {n for n, _ in rows} == {"李建国", "张敏", "陈晓𠀀"}


async def test_writing_a_row_for_another_tenant_is_refused(demo, app_session) -> None:  # type: ignore[no-untyped-def]
    with tenant_scope(demo[COUNTY].id):
        app_session.add(Department(name="越权部门", tenant_id=demo[CITY].id))
        with pytest.raises(TenantScopeError):
            await app_session.flush()
    await app_session.rollback()


async def test_writing_without_a_scope_is_refused(demo, app_session) -> None:  # type: ignore[no-untyped-def]
    app_session.add(Department(name="无主部门"))
    with pytest.raises(TenantScopeError):
        await app_session.flush()
    await app_session.rollback()


async def test_reference_into_another_tenant_is_refused_by_the_database(demo, owner_session) -> None:  # type: ignore[no-untyped-def]
    """Composite FK (tenant_id, window_id) -> window(tenant_id, id): even system code cannot cross tenants."""
    with system_scope():
        city_window = (await owner_session.scalars(select(Window).where(Window.tenant_id == demo[CITY].id))).first()
        owner_session.add(Staff(tenant_id=demo[COUNTY].id, name="跨租户", employee_no="X-CROSS", window_id=city_window.id))
        with pytest.raises(IntegrityError):
            await owner_session.flush()
    await owner_session.rollback()


async def test_new_rows_are_stamped_with_the_scope(demo, app_session) -> None:  # type: ignore[no-untyped-def]
    with tenant_scope(demo[COUNTY].id):
        dept = Department(name="临时部门-stamp")
        app_session.add(dept)
        await app_session.flush()
        assert dept.tenant_id == demo[COUNTY].id
    await app_session.rollback()

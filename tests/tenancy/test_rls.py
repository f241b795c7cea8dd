"""PostgreSQL row-level security: the second wall, tested with the ORM filter switched off."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from govhall.db.base import Base, TenantOwned
from govhall.domain.org.models import Department, Staff
from govhall.tenancy import tenant_scope

pytestmark = pytest.mark.postgres

NO_ORM_FILTER = {"govhall_skip_tenant_filter_for_tests": True}
CITY, COUNTY = "421100", "421121"


@pytest.fixture(autouse=True)
def _postgres_only(test_db) -> None:  # type: ignore[no-untyped-def]
    if not test_db.is_postgres:
        pytest.skip("RLS exists only on PostgreSQL (set GOVHALL_TEST_DATABASE_URL)")


def _tenant_tables() -> list[str]:
    import govhall.models  # noqa: F401  (every model registered)

    return sorted({mp.class_.__table__.name for mp in Base.registry.mappers if issubclass(mp.class_, TenantOwned)})


async def test_every_tenant_table_has_forced_rls(demo, owner_session) -> None:  # type: ignore[no-untyped-def]
    tables = _tenant_tables()
    rows = (await owner_session.execute(text(
        "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = ANY(:t)"
    ), {"t": [t for t in tables if t != "user_account"]})).all()
    assert len(rows) == len(tables) - 1
    assert all(r.relrowsecurity and r.relforcerowsecurity for r in rows), rows


async def test_app_role_is_neither_owner_nor_superuser_nor_bypassrls(demo, app_session) -> None:  # type: ignore[no-untyped-def]
    row = (await app_session.execute(text(
        "SELECT rolsuper, rolbypassrls, current_user AS me FROM pg_roles WHERE rolname = current_user"
    ))).one()
    assert not row.rolsuper and not row.rolbypassrls
    owners = (await app_session.execute(text(
        "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user"
    ))).scalar()
    assert owners == 0


async def test_rls_alone_scopes_reads(demo, app_session) -> None:  # type: ignore[no-untyped-def]
    for code in (CITY, COUNTY):
        with tenant_scope(demo[code].id):
            rows = (await app_session.scalars(select(Staff).execution_options(**NO_ORM_FILTER))).all()
            await app_session.commit()
        assert rows and {r.tenant_id for r in rows} == {demo[code].id}


async def test_rls_without_tenant_returns_nothing(demo, app_session) -> None:  # type: ignore[no-untyped-def]
    rows = (await app_session.execute(text("SELECT count(*) FROM staff"))).scalar()
    assert rows == 0


async def test_rls_refuses_insert_for_another_tenant(demo, app_session) -> None:  # type: ignore[no-untyped-def]
    with tenant_scope(demo[COUNTY].id):
        await app_session.execute(select(Department).execution_options(**NO_ORM_FILTER))  # sets app.tenant_id
        with pytest.raises(DBAPIError, match="row-level security"):
            await app_session.execute(text(
                "INSERT INTO department (id, tenant_id, name, created_at, updated_at) "
                "VALUES (gen_random_uuid(), :t, 'x', now(), now())"), {"t": demo[CITY].id})
    await app_session.rollback()


async def test_tenant_setting_is_transaction_local(demo, app_session) -> None:  # type: ignore[no-untyped-def]
    with tenant_scope(demo[COUNTY].id):
        await app_session.scalars(select(Staff))
        await app_session.commit()
    value = (await app_session.execute(text("SELECT current_setting('app.tenant_id', true)"))).scalar()
    assert value in ("", None)

"""Bulk inserts (``INSERT`` without the ORM unit of work: ``tenancy.bulk.bulk_insert``, ``ingest.store_punches``)
stamp and check the tenant under the same rule as ORM writes, on SQLite too (where no RLS stands behind)."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest
from sqlalchemy import insert, select
from uuid_utils.compat import uuid7

from govhall.domain.org.models import Department
from govhall.tenancy import TenantScopeError, tenant_scope
from govhall.tenancy.bulk import bulk_insert
from govhall.tenancy.guard import ROWS_CHECKED, tenant_rows

COUNTY, CITY = "421121", "421100"


def _row(name: str, **kw) -> dict:  # type: ignore[no-untyped-def]
    now = datetime.now(UTC)
    return {"id": uuid7(), "name": name, "code": None, "created_at": now, "updated_at": now, **kw}


async def test_bulk_insert_stamps_the_scope_tenant_and_refuses_another(demo, app_session) -> None:  # type: ignore[no-untyped-def]
    county, city = demo[COUNTY].id, demo[CITY].id
    table = Department.__table__
    tag = uuid4().hex[:8]
    with tenant_scope(county):
        await bulk_insert(app_session, table, [_row(f"bulk-{tag}-1"), _row(f"bulk-{tag}-2", tenant_id=county)])
        await app_session.commit()
        names = set((await app_session.scalars(select(Department.name).where(Department.name.like(f"bulk-{tag}%")))))
    assert names == {f"bulk-{tag}-1", f"bulk-{tag}-2"}

    with tenant_scope(county), pytest.raises(TenantScopeError):
        await bulk_insert(app_session, table, [_row(f"bulk-{tag}-3"), _row(f"bulk-{tag}-4", tenant_id=city)])
    await app_session.rollback()
    with tenant_scope(city):
        leaked = (await app_session.scalars(select(Department.id).where(Department.name.like(f"bulk-{tag}%")))).all()
    assert leaked == []


async def test_an_insert_with_embedded_values_must_come_from_tenant_rows(demo, app_session) -> None:  # type: ignore[no-untyped-def]
    county, city = demo[COUNTY].id, demo[CITY].id
    table = Department.__table__
    tag = uuid4().hex[:8]
    with tenant_scope(county):
        with pytest.raises(TenantScopeError):  # built by hand: the guard cannot read the rows back, so it refuses
            await app_session.execute(insert(table).values([_row(f"emb-{tag}", tenant_id=city)]))
        await app_session.rollback()
        with pytest.raises(TenantScopeError):
            tenant_rows([_row(f"emb-{tag}", tenant_id=city)])
        await app_session.execute(insert(table).values(tenant_rows([_row(f"emb-{tag}")]))
                                  .execution_options(**ROWS_CHECKED))
        await app_session.commit()
        got = await app_session.scalar(select(Department.tenant_id).where(Department.name == f"emb-{tag}"))
    assert got == county


def test_no_scope_no_rows() -> None:
    with pytest.raises(TenantScopeError):
        tenant_rows([{"name": "x"}])

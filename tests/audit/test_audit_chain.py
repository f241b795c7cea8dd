"""The audit log is append-only and tamper-evident: every kind of tampering breaks the chain (P12)."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError

from govhall.audit import record_audit, verify_chain
from govhall.audit.models import AuditEvent
from govhall.domain.org.tenants import create_tenant
from govhall.tenancy import system_scope, tenant_scope
from govhall.tenancy.models import Tenant, TenantLevel
from tests.conftest import csrf_headers, login

COUNTY = "421121"


async def _fresh_tenant(session, demo) -> Tenant:  # type: ignore[no-untyped-def]
    """A throwaway township under the demo county, so tampering never touches shared chains."""
    code = f"421121-{uuid.uuid4().hex[:6]}"
    with system_scope():
        t = await create_tenant(session, name=f"审计测试{code}", level=TenantLevel.township, division_code=code,
                                parent=demo[COUNTY])
    await session.commit()
    return t


async def _write_events(session, tenant: Tenant, n: int) -> None:  # type: ignore[no-untyped-def]
    actor = uuid.uuid4()
    with tenant_scope(tenant.id):
        for i in range(n):
            await record_audit(session, action="staff.create", target_type="staff", target_id=str(i),
                               details={"name": f"张三{i}", "n": i, "id": uuid.UUID(int=i)}, actor_id=actor)
        await session.commit()


async def test_chain_verifies_and_numbers_events(demo, owner_session) -> None:  # type: ignore[no-untyped-def]
    t = await _fresh_tenant(owner_session, demo)
    await _write_events(owner_session, t, 5)
    with tenant_scope(t.id):
        report = await verify_chain(owner_session)
        rows = (await owner_session.scalars(select(AuditEvent).order_by(AuditEvent.seq))).all()
        await owner_session.commit()
    assert report.ok and report.count == 5
    assert [r.seq for r in rows] == [1, 2, 3, 4, 5]
    assert rows[0].prev_hash == "0" * 64 and rows[1].prev_hash == rows[0].hash
    assert rows[2].details == {"name": "张三2", "n": 2, "id": str(uuid.UUID(int=2))}


@pytest.mark.parametrize("tamper", ["edit", "delete", "reorder", "insert"])
async def test_every_tampering_is_detected(demo, owner_session, tamper: str) -> None:  # type: ignore[no-untyped-def]
    t = await _fresh_tenant(owner_session, demo)
    await _write_events(owner_session, t, 4)
    with tenant_scope(t.id):
        rows = (await owner_session.scalars(select(AuditEvent).order_by(AuditEvent.seq))).all()
        if tamper == "edit":
            await owner_session.execute(update(AuditEvent).where(AuditEvent.id == rows[1].id)
                                        .values(details={"name": "李四", "n": 1}))
        elif tamper == "delete":
            await owner_session.execute(delete(AuditEvent).where(AuditEvent.id == rows[1].id))
        elif tamper == "reorder":
            await owner_session.execute(update(AuditEvent).where(AuditEvent.id == rows[1].id).values(seq=99))
            await owner_session.execute(update(AuditEvent).where(AuditEvent.id == rows[2].id).values(seq=2))
            await owner_session.execute(update(AuditEvent).where(AuditEvent.id == rows[1].id).values(seq=3))
        else:  # forge an event between 2 and 3 with a hash made without the key
            await owner_session.execute(update(AuditEvent).where(AuditEvent.seq >= 3).values(seq=AuditEvent.seq + 10))
            owner_session.add(AuditEvent(seq=3, action="role.assign", target_type="user", target_id="x",
                                         details={}, prev_hash=rows[1].hash, hash="f" * 64))
        await owner_session.flush()
        report = await verify_chain(owner_session)
        await owner_session.rollback()
    assert not report.ok, tamper
    assert report.broken_at in (2, 3), report


async def test_audit_needs_a_tenant_scope(owner_session) -> None:  # type: ignore[no-untyped-def]
    from govhall.tenancy import TenantScopeError

    with pytest.raises(TenantScopeError):
        await record_audit(owner_session, action="x.y", target_type="x", target_id=None, details={})


async def test_app_role_cannot_update_or_delete_audit_events(demo, test_db, owner_session, app_session) -> None:  # type: ignore[no-untyped-def]
    if not test_db.is_postgres:
        pytest.skip("database grants exist only on PostgreSQL")
    t = await _fresh_tenant(owner_session, demo)
    await _write_events(owner_session, t, 1)
    with tenant_scope(t.id):
        assert (await app_session.scalar(select(AuditEvent.seq))) == 1  # SELECT is granted
        for stmt in ("UPDATE audit_event SET action = 'x'", "DELETE FROM audit_event", "TRUNCATE audit_event"):
            with pytest.raises(DBAPIError, match="permission denied"):
                await app_session.execute(text(stmt))
            await app_session.rollback()
            await app_session.scalar(select(AuditEvent.seq))  # re-sets app.tenant_id in the new transaction


async def test_audit_api_lists_and_verifies_own_tenant_only(client, demo) -> None:  # type: ignore[no-untyped-def]
    await login(client, "county_admin")
    county, city = demo[COUNTY].id, demo["421100"].id
    r = await client.get(f"/api/t/{county}/audit")
    assert r.status_code == 200, r.text
    assert {"items", "total", "limit", "offset"} <= set(r.json())
    r = await client.get(f"/api/t/{county}/audit/verify")
    assert r.status_code == 200 and r.json()["ok"] is True, r.text
    assert (await client.get(f"/api/t/{city}/audit")).status_code == 403
    await login(client, "county_clerk")
    assert (await client.get(f"/api/t/{county}/audit")).status_code == 403
    assert csrf_headers(client)

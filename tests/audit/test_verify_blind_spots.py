"""Audit verification has no blind spots (issue 8 item 6).

Before: a forged event with seq 0 or below verified "ok" (the walk started at 1 and never read it); a second
event with an existing seq at a page boundary was never read; a deleted checkpoint file, or one tenant's lines
removed from it, passed with a warning and exit 0.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from govhall.audit import verify_chain
from govhall.audit.checkpoints import checkpoint_path, read_anchors
from govhall.audit.models import AuditEvent
from govhall.tenancy import tenant_scope
from tests.audit.test_audit_chain import _fresh_tenant, _write_events
from tests.audit.test_checkpoints import _checkpoint, _cli, _verify


def _copy(e: AuditEvent, seq: int) -> AuditEvent:
    now = datetime.now(UTC)
    return AuditEvent(tenant_id=e.tenant_id, seq=seq, actor_id=e.actor_id, actor_name=e.actor_name, action=e.action,
                      target_type=e.target_type, target_id=e.target_id, details=e.details, request_id=None,
                      prev_hash=e.prev_hash, hash=e.hash, created_at=now, updated_at=now)


async def test_database_refuses_seq_below_one(demo, owner_session) -> None:  # type: ignore[no-untyped-def]
    t = await _fresh_tenant(owner_session, demo)
    await _write_events(owner_session, t, 1)
    with tenant_scope(t.id):
        first = await owner_session.scalar(select(AuditEvent))
        for forged in [_copy(first, 0), _copy(first, -5)]:
            owner_session.add(forged)
            with pytest.raises(IntegrityError):
                await owner_session.flush()
            await owner_session.rollback()


async def test_forged_seq_zero_and_duplicate_at_page_boundary_are_found(demo, owner_session, test_db) -> None:  # type: ignore[no-untyped-def]
    """With the constraints out of the way (an owner's connection can drop them), the walk still finds both."""
    t = await _fresh_tenant(owner_session, demo)
    await _write_events(owner_session, t, 6)
    pg = test_db.is_postgres
    with tenant_scope(t.id):
        rows = (await owner_session.scalars(select(AuditEvent).order_by(AuditEvent.seq))).all()
        if pg:  # DDL is transactional: the rollback below restores both constraints
            await owner_session.execute(text("ALTER TABLE audit_event DROP CONSTRAINT ck_audit_event_seq_positive"))
            await owner_session.execute(text("ALTER TABLE audit_event DROP CONSTRAINT uq_audit_event_tenant_seq"))
        else:
            await owner_session.execute(text("PRAGMA ignore_check_constraints = ON"))
        try:
            owner_session.add(_copy(rows[0], 0))
            await owner_session.flush()
            report = await verify_chain(owner_session)
            assert (report.ok, report.reason, report.broken_at) == (False, "invalid_seq", 0)
            if pg:
                await owner_session.execute(text("DELETE FROM audit_event WHERE tenant_id = :t AND seq = 0"),
                                            {"t": t.id})
                owner_session.expunge_all()
                owner_session.add(_copy(rows[2], 3))  # a second event 3: the last row of the first page of 3
                await owner_session.flush()
                report = await verify_chain(owner_session, batch=3)
                assert (report.ok, report.reason, report.broken_at) == (False, "duplicate_seq", 3)
        finally:
            await owner_session.rollback()
            if not pg:
                await owner_session.execute(text("PRAGMA ignore_check_constraints = OFF"))
                await owner_session.commit()
        assert (await verify_chain(owner_session, batch=3)).ok
        await owner_session.commit()


async def test_a_tenant_that_had_checkpoints_and_has_none_fails(demo, owner_session, test_db,
                                                               tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    t = await _fresh_tenant(owner_session, demo)
    other = await _fresh_tenant(owner_session, demo)
    await _write_events(owner_session, t, 3)
    await _write_events(owner_session, other, 2)
    path = checkpoint_path(tmp_path)
    assert (await _checkpoint(owner_session, t, path)).status == "written"
    assert (await _checkpoint(owner_session, other, path)).status == "written"
    assert (await _checkpoint(owner_session, t, path)).status == "unchanged"  # its own trace is not a change
    assert (await _verify(owner_session, t, path)).ok

    # the tenant's lines removed from the file: the other tenant's stay
    kept = [x for x in path.read_text().splitlines() if str(t.id) not in x]
    path.write_text("\n".join(kept) + "\n")
    report = await _verify(owner_session, t, path)
    assert (report.ok, report.reason, report.missing_to) == (False, "checkpoint_missing", 3)
    assert (await _verify(owner_session, other, path)).ok
    run = _cli(test_db, tmp_path, "verify", "--tenant", t.division_code)
    assert run.returncode == 1 and "checkpoint_missing" in run.stdout, run.stdout + run.stderr

    # the whole file deleted
    path.unlink()
    assert read_anchors(path).found is False
    report = await _verify(owner_session, other, path)
    assert (report.ok, report.reason) == (False, "checkpoint_missing")
    run = _cli(test_db, tmp_path, "verify", "--tenant", other.division_code)
    assert run.returncode == 1, run.stdout + run.stderr


async def test_count_must_match_the_highest_seq(demo, owner_session) -> None:  # type: ignore[no-untyped-def]
    t = await _fresh_tenant(owner_session, demo)
    await _write_events(owner_session, t, 4)
    with tenant_scope(t.id):
        report = await verify_chain(owner_session, batch=2)
        await owner_session.commit()
    assert report.ok and report.count == 4
    assert uuid.UUID(str(t.id))

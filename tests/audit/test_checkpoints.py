"""Signed checkpoints outside the database make the deletion of the newest audit events detectable (P12).

The chain alone cannot show it: what is left after deleting events N-k..N is still a valid chain. A checkpoint
(seq, hash, time; HMAC with the server secret) written to a file under GOVHALL_VAR_DIR and to the log is what
the truncated chain no longer reaches.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import delete

from govhall.audit import verify_chain
from govhall.audit.checkpoints import checkpoint_path, read_anchors, take_checkpoint
from govhall.audit.models import AuditEvent
from govhall.tenancy import tenant_scope
from tests.audit.test_audit_chain import COUNTY, _fresh_tenant, _write_events
from tests.conftest import csrf_headers, login


async def _checkpoint(session, tenant, path: Path):  # type: ignore[no-untyped-def]
    with tenant_scope(tenant.id):
        res = await take_checkpoint(session, path)
        await session.commit()  # read-only; commit keeps loaded objects (rollback would expire them)
    return res


async def _truncate(session, tenant, from_seq: int) -> None:  # type: ignore[no-untyped-def]
    """What someone with the owner's (or a superuser's) connection can do: the app role has no DELETE."""
    with tenant_scope(tenant.id):
        await session.execute(delete(AuditEvent).where(AuditEvent.seq >= from_seq))
        await session.commit()


async def _verify(session, tenant, path: Path):  # type: ignore[no-untyped-def]
    with tenant_scope(tenant.id):
        report = await verify_chain(session, anchors=read_anchors(path, tenant.id).of(tenant.id))
        await session.commit()  # read-only; commit keeps loaded objects (rollback would expire them)
    return report


def _cli(test_db, var_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    env = {**os.environ, "GOVHALL_DATABASE_URL": test_db.app_url, "GOVHALL_VAR_DIR": str(var_dir),
           "GOVHALL_LOG_JSON": "1", "GOVHALL_LOG_LEVEL": "INFO"}
    return subprocess.run([sys.executable, "-m", "govhall", "audit", *args], env=env, capture_output=True, text=True,
                          timeout=120, check=False)


async def test_truncating_the_newest_events_is_reported_with_tenant_and_range(demo, owner_session, test_db,
                                                                              tmp_path) -> None:  # type: ignore[no-untyped-def]
    t = await _fresh_tenant(owner_session, demo)
    await _write_events(owner_session, t, 5)
    path = checkpoint_path(tmp_path)
    res = await _checkpoint(owner_session, t, path)
    assert (res.status, res.checkpoint.seq) == ("written", 5)
    line = json.loads(path.read_text().splitlines()[-1])
    assert (line["tenant"], line["seq"], len(line["sig"])) == (str(t.id), 5, 64)

    await _truncate(owner_session, t, 4)  # events 4 and 5 gone, 1-3 still a perfect chain
    with tenant_scope(t.id):
        assert (await verify_chain(owner_session)).ok  # without the anchor nothing shows
        await owner_session.commit()
    report = await _verify(owner_session, t, path)
    assert (report.ok, report.reason, report.missing_from, report.missing_to, report.count) == (
        False, "truncated", 4, 5, 3)

    cli = _cli(test_db, tmp_path, "verify", "--tenant", t.division_code)
    assert cli.returncode == 1, cli.stdout + cli.stderr
    assert t.division_code in cli.stdout and str(t.id) in cli.stdout
    assert "FAILED truncated" in cli.stdout and "events 4-5 missing" in cli.stdout, cli.stdout
    doc = json.loads(_cli(test_db, tmp_path, "verify", "--tenant", t.division_code, "--json").stdout)
    row = doc["tenants"][0]
    assert (row["tenant"], row["ok"], row["missingFrom"], row["missingTo"]) == (str(t.id), False, 4, 5)

    # and a truncated chain is never re-anchored
    again = await _checkpoint(owner_session, t, path)
    assert again.status == "broken" and len(path.read_text().splitlines()) == 1


async def test_a_chain_rewritten_after_the_checkpoint_diverges(demo, owner_session, tmp_path) -> None:  # type: ignore[no-untyped-def]
    t = await _fresh_tenant(owner_session, demo)
    await _write_events(owner_session, t, 5)
    path = checkpoint_path(tmp_path)
    await _checkpoint(owner_session, t, path)
    await _truncate(owner_session, t, 4)
    await _write_events(owner_session, t, 3)  # the app carries on: new events 4, 5, 6 with other hashes
    report = await _verify(owner_session, t, path)
    assert (report.ok, report.reason, report.broken_at) == (False, "checkpoint_mismatch", 5)


async def test_checkpoint_cli_signs_heads_into_the_file_and_the_log(demo, owner_session, test_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    t = await _fresh_tenant(owner_session, demo)
    await _write_events(owner_session, t, 3)
    run = _cli(test_db, tmp_path, "checkpoint", "--tenant", t.division_code)
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"{t.division_code}" in run.stdout and "written seq 3" in run.stdout
    logged = [json.loads(x) for x in run.stderr.splitlines() if '"audit_checkpoint"' in x]
    assert len(logged) == 1 and logged[0]["audit_tenant_id"] == str(t.id) and logged[0]["seq"] == 3
    filed = json.loads(checkpoint_path(tmp_path).read_text().splitlines()[-1])
    assert filed["sig"] == logged[0]["sig"] and filed["hash"] == logged[0]["hash"]  # the log is a full copy
    again = _cli(test_db, tmp_path, "checkpoint", "--tenant", t.division_code)
    assert "unchanged seq 3" in again.stdout and len(checkpoint_path(tmp_path).read_text().splitlines()) == 1
    ok = _cli(test_db, tmp_path, "verify", "--tenant", t.division_code)
    assert ok.returncode == 0 and "ok, 3 events, checkpoint at seq 3" in ok.stdout, ok.stdout + ok.stderr


async def test_forged_or_edited_checkpoint_lines_are_findings(demo, owner_session, tmp_path) -> None:  # type: ignore[no-untyped-def]
    t = await _fresh_tenant(owner_session, demo)
    await _write_events(owner_session, t, 2)
    path = checkpoint_path(tmp_path)
    await _checkpoint(owner_session, t, path)
    real = json.loads(path.read_text())
    forged = {**real, "seq": 9}  # claims a longer chain, signature no longer matches
    with path.open("a") as f:
        f.write(json.dumps(forged) + "\n" + "not json\n")
    anchors = read_anchors(path)
    assert anchors.bad_lines == 2 and anchors.of(t.id) == {2: real["hash"]}
    assert (await _verify(owner_session, t, path)).ok


async def test_checkpoint_from_the_audit_page(client, demo, app_settings) -> None:  # type: ignore[no-untyped-def]
    await login(client, "county_admin")
    county, city = demo[COUNTY].id, demo["421100"].id
    r = await client.post(f"/api/t/{county}/audit/checkpoint", headers=csrf_headers(client))
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["status"] == "written" and body["seq"] >= 1 and len(body["hash"]) == 64
    anchors = read_anchors(checkpoint_path(app_settings.var_dir), county)
    assert anchors.latest[county].seq == body["seq"]
    status = (await client.get(f"/api/t/{county}/audit/verify")).json()
    assert status["ok"] and status["checkpointSeq"] >= body["seq"] and status["count"] == body["seq"] + 1
    items = (await client.get(f"/api/t/{county}/audit", params={"pageSize": 1})).json()["items"]
    assert items[0]["action"] == "audit.checkpoint" and items[0]["details"]["seq"] == body["seq"]
    # another center's chain is not the county admin's to anchor; a clerk may not anchor their own
    assert (await client.post(f"/api/t/{city}/audit/checkpoint", headers=csrf_headers(client))).status_code == 403
    await login(client, "county_clerk")
    assert (await client.post(f"/api/t/{county}/audit/checkpoint", headers=csrf_headers(client))).status_code == 403


async def test_an_unreadable_checkpoint_store_is_an_error_not_an_ok(app_settings, demo, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from litestar.testing import AsyncTestClient

    from govhall.app import create_app

    blocked = tmp_path / "not-a-directory"
    blocked.write_text("x")  # GOVHALL_VAR_DIR points at a file: the checkpoints cannot be read or written
    async with AsyncTestClient(app=create_app(replace(app_settings, var_dir=blocked)),
                               base_url="http://testserver.local") as c:
        await login(c, "county_admin")
        county = demo[COUNTY].id
        r = await c.get(f"/api/t/{county}/audit/verify")
        assert r.status_code == 503 and r.json()["code"] == "checkpoint_store_unavailable"
        r = await c.post(f"/api/t/{county}/audit/checkpoint", headers=csrf_headers(c))
        assert r.status_code == 503

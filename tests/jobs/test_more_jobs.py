"""Issue 16: the audit log export and the what-if over the centers below as background jobs. Over their limits (set
small here) the requests answer 409 use_background_job naming the kind; the jobs cover everything (every event,
every center, no time budget) with their progress as done/total, and are refused to users without the kind's
permission."""

from __future__ import annotations

import io
from datetime import datetime

import msgspec
from openpyxl import load_workbook
from sqlalchemy import func, select

from govhall.audit.models import AuditEvent
from govhall.clock import set_clock
from govhall.tenancy import tenant_scope
from tests.attendance.conftest import CST
from tests.conftest import csrf_headers, login
from tests.jobs.limits import small_limits, wait_job

COUNTY, PROVINCE = "421121", "420000"


async def test_a_big_audit_export_runs_as_a_job(client, demo, owner_session, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    county = demo[COUNTY].id
    with tenant_scope(county):
        events = int(await owner_session.scalar(select(func.count()).select_from(AuditEvent)) or 0)
    assert events >= 3
    await login(client, "county_admin")
    r = await client.get(f"/api/t/{county}/audit/export.xlsx", params={"lang": "en"})  # under the limit: a file
    assert r.status_code == 200 and r.content[:2] == b"PK"
    sync_rows = load_workbook(io.BytesIO(r.content)).worksheets[0].max_row - 1

    small_limits(monkeypatch, audit_rows=2)
    r = await client.get(f"/api/t/{county}/audit/export.xlsx")
    assert r.status_code == 409, r.text
    assert r.json()["code"] == "use_background_job" and r.json()["details"]["kind"] == "audit.export_xlsx"
    assert r.json()["details"]["size"] >= events and r.json()["details"]["limit"] == 2
    r = await client.post(f"/api/t/{county}/jobs", json={"kind": "audit.export_xlsx", "params": {"lang": "en"}},
                          headers=csrf_headers(client))
    assert r.status_code == 202, r.text
    job = await wait_job(client, county, r.json()["id"])
    assert job["state"] == "done", job
    rows = job["summary"]["rows"]
    assert rows >= sync_rows and (job["done"], job["total"]) == (rows, rows) and job["hasResult"]
    file = await client.get(f"/api/t/{county}/jobs/{job['id']}/result")
    assert file.status_code == 200 and file.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(file.content)).worksheets[0]
    assert sheet.max_row - 1 == rows and sheet["A1"].value == "Seq" and sheet.title == "Audit log"
    seqs = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert seqs == sorted(seqs, reverse=True) and len(set(seqs)) == rows  # newest first, every event once

    # the filters are the list's: an action filter finds only its events
    r = await client.post(f"/api/t/{county}/jobs", json={"kind": "audit.export_xlsx",
                                                          "params": {"action": ["nothing.like.this"]}},
                          headers=csrf_headers(client))
    empty = await wait_job(client, county, r.json()["id"])
    assert empty["state"] == "done" and empty["summary"]["rows"] == 0 and (empty["done"], empty["total"]) == (0, 0)
    for bad in ({"from": "2026-13-01"}, {"actorId": "nope"}, {"lang": "fr"}, {"action": [1]}):
        r = await client.post(f"/api/t/{county}/jobs", json={"kind": "audit.export_xlsx", "params": bad},
                              headers=csrf_headers(client))
        assert r.status_code == 400 and r.json()["message"]["zh"] and r.json()["message"]["en"], bad
    await client.post("/api/auth/logout", headers=csrf_headers(client))

    await login(client, "county_clerk")  # no audit:read: may not start the export either
    r = await client.post(f"/api/t/{county}/jobs", json={"kind": "audit.export_xlsx"}, headers=csrf_headers(client))
    assert r.status_code == 403


async def test_a_province_what_if_over_many_centers_runs_as_a_job(client, demo, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    set_clock(datetime(2026, 4, 1, 10, 0, tzinfo=CST))
    try:
        province = demo[PROVINCE].id
        await login(client, "prov_admin")
        url = f"/api/t/{province}/packs/work_hours/impact"
        body = {"enabled": False, "overrides": {"late_grace_minutes": 10},
                "locks": ["use_statutory_calendar", "late_grace_minutes"]}
        small_limits(monkeypatch, centers=1)
        r = await client.post(url + "?scope=subtree", json=body, headers=csrf_headers(client))
        assert r.status_code == 409, r.text
        assert r.json()["code"] == "use_background_job" and r.json()["details"]["kind"] == "packs.impact_subtree"
        affected = r.json()["details"]["size"]
        assert affected >= 3 and "中心" in r.json()["message"]["zh"] and "centers" in r.json()["message"]["en"]

        r = await client.post(f"/api/t/{province}/jobs", json={"kind": "packs.impact_subtree",
                                                                "params": {"pack": "work_hours", **body}},
                              headers=csrf_headers(client))
        assert r.status_code == 202, r.text
        job = await wait_job(client, province, r.json()["id"])
        assert job["state"] == "done", job
        assert (job["done"], job["total"], job["progress"]) == (affected, affected, 100)
        assert job["summary"]["centers"] == affected and job["hasResult"]
        file = await client.get(f"/api/t/{province}/jobs/{job['id']}/result")
        assert file.status_code == 200 and file.headers["content-type"].startswith("application/json")
        out = msgspec.json.decode(file.content)
        assert out["scope"] == "subtree" and out["skipped"] == [] and out["budgetMs"] == 0 and out["people"] == []
        assert {"421100", "421121", "421123"} <= {c["divisionCode"] for c in out["centers"]}
        assert len(out["centers"]) == affected and out["month"] == "2026-03"

        for bad in ({"pack": "nope", **body}, {"pack": "work_hours", "enabled": "yes"},
                    {"pack": "work_hours", **body, "month": "2026-3"}):
            r = await client.post(f"/api/t/{province}/jobs", json={"kind": "packs.impact_subtree", "params": bad},
                                  headers=csrf_headers(client))
            assert r.status_code == 400 and r.json()["message"]["en"], bad
        await client.post("/api/auth/logout", headers=csrf_headers(client))

        await login(client, "county_clerk")  # no pack_settings:update in the county
        r = await client.post(f"/api/t/{demo[COUNTY].id}/jobs", json={"kind": "packs.impact_subtree",
                                                                       "params": {"pack": "work_hours", **body}},
                              headers=csrf_headers(client))
        assert r.status_code == 403
    finally:
        set_clock(None)

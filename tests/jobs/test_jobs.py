"""Issue 16, background jobs: long work answers 409 ``use_background_job`` over the size threshold and runs as a job
of the tenant instead (queued -> running -> done with a result file), seen only by who started it, in its tenant;
a job whose worker went silent (a restart) is queued again."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from govhall.domain.identity.models import User
from govhall.jobs.models import Job
from govhall.tenancy import system_scope, tenant_scope
from tests.conftest import csrf_headers, login
from tests.jobs.limits import small_limits

COUNTY, CITY = "421121", "421100"


async def _wait(client, tenant, job_id, timeout: float = 60.0) -> dict:  # type: ignore[no-untyped-def]
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        r = await client.get(f"/api/t/{tenant}/jobs/{job_id}")
        assert r.status_code == 200, r.text
        if r.json()["state"] in ("done", "failed") or asyncio.get_running_loop().time() > deadline:
            return r.json()
        await asyncio.sleep(0.2)


async def test_a_big_month_sheet_runs_as_a_job(client, demo, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Over the threshold (set to 1 staff here) the export answers 409 use_background_job in both languages; the
    job then produces the same workbook, with progress 100 and the staff count in its summary."""
    small_limits(monkeypatch, staff=1)
    county = demo[COUNTY].id
    await login(client, "county_admin")
    r = await client.get(f"/api/t/{county}/attendance/sheet.xlsx", params={"month": "2026-03"})
    assert r.status_code == 409, r.text
    assert r.json()["code"] == "use_background_job" and "后台任务" in r.json()["message"]["zh"]
    assert "background job" in r.json()["message"]["en"]
    r = await client.post(f"/api/t/{county}/attendance/evaluate", params={"month": "2026-03"},
                          headers=csrf_headers(client))
    assert r.status_code == 409 and r.json()["code"] == "use_background_job"

    r = await client.post(f"/api/t/{county}/jobs", json={"kind": "attendance.sheet_xlsx",
                                                          "params": {"month": "2026-03"}},
                          headers=csrf_headers(client))
    assert r.status_code == 202, r.text
    job = r.json()
    assert job["state"] in ("queued", "running", "done") and job["titleZh"]
    done = await _wait(client, county, job["id"])
    assert done["state"] == "done", done
    assert done["progress"] == 100 and done["hasResult"] and done["summary"]["staff"] >= 2
    file = await client.get(f"/api/t/{county}/jobs/{job['id']}/result")
    assert file.status_code == 200 and file.content[:2] == b"PK"  # an xlsx (zip)
    assert "attachment" in file.headers["content-disposition"]
    listed = (await client.get(f"/api/t/{county}/jobs")).json()
    assert job["id"] in {j["id"] for j in listed}

    # the month evaluation as a job
    r = await client.post(f"/api/t/{county}/jobs", json={"kind": "attendance.evaluate", "params": {"month": "2026-03"}},
                          headers=csrf_headers(client))
    ev = await _wait(client, county, r.json()["id"])
    assert ev["state"] == "done" and ev["summary"]["staff"] >= 2 and not ev["hasResult"]

    # bad parameters and unknown kinds are 400, bilingual
    r = await client.post(f"/api/t/{county}/jobs", json={"kind": "attendance.sheet_xlsx", "params": {"month": "03/26"}},
                          headers=csrf_headers(client))
    assert r.status_code == 400 and r.json()["message"]["en"]
    r = await client.post(f"/api/t/{county}/jobs", json={"kind": "nope"}, headers=csrf_headers(client))
    assert r.status_code == 400 and r.json()["code"] == "unknown_job_kind"


async def test_jobs_stay_with_their_starter_and_their_tenant(client, demo) -> None:  # type: ignore[no-untyped-def]
    county, city = demo[COUNTY].id, demo[CITY].id
    await login(client, "county_admin")
    r = await client.post(f"/api/t/{county}/jobs", json={"kind": "attendance.sheet_xlsx", "params": {}},
                          headers=csrf_headers(client))
    job_id = r.json()["id"]
    await _wait(client, county, job_id)
    await client.post("/api/auth/logout", headers=csrf_headers(client))

    await login(client, "city_admin")  # another center: the guard refuses the tenant in the URL
    for path in ("", f"/{job_id}", f"/{job_id}/result"):
        assert (await client.get(f"/api/t/{county}/jobs{path}")).status_code == 403
    assert (await client.get(f"/api/t/{city}/jobs/{job_id}")).status_code == 404  # not in its own tenant either
    await client.post("/api/auth/logout", headers=csrf_headers(client))

    await login(client, "county_clerk")  # same center, not the starter; and may not export the sheet
    assert (await client.get(f"/api/t/{county}/jobs/{job_id}")).status_code == 404
    assert job_id not in {j["id"] for j in (await client.get(f"/api/t/{county}/jobs")).json()}
    r = await client.post(f"/api/t/{county}/jobs", json={"kind": "attendance.sheet_xlsx"}, headers=csrf_headers(client))
    assert r.status_code == 403


async def test_a_job_whose_worker_died_is_queued_again(client, demo, owner_session) -> None:  # type: ignore[no-untyped-def]
    """A running job with a heartbeat 5 minutes old (its process restarted) resumes when its tenant's jobs are read;
    one that already used its three attempts fails with a bilingual error."""
    county = demo[COUNTY].id
    with system_scope():
        admin = await owner_session.scalar(select(User).where(User.username == "county_admin"))
    old = datetime.now(UTC) - timedelta(minutes=5)
    with tenant_scope(county):
        lost = Job(kind="attendance.sheet_xlsx", state="running", progress=40, params={"month": "2026-03", "lang": "en"},
                   created_by=admin.id, attempts=1, worker="gone", heartbeat_at=old)
        spent = Job(kind="attendance.sheet_xlsx", state="running", progress=40, params={}, created_by=admin.id,
                    attempts=3, worker="gone", heartbeat_at=old)
        owner_session.add_all([lost, spent])
        await owner_session.commit()
    await login(client, "county_admin")
    await client.get(f"/api/t/{county}/jobs")  # reading the tenant's jobs recovers them
    done = await _wait(client, county, lost.id)
    assert done["state"] == "done" and done["resultName"].startswith("attendance-2026-03")
    failed = (await client.get(f"/api/t/{county}/jobs/{spent.id}")).json()
    assert failed["state"] == "failed" and failed["error"]["code"] == "job_interrupted" and failed["error"]["zh"]


async def test_finished_jobs_expire_with_their_files(client, demo, owner_session, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """GOVHALL_JOB_RETENTION_DAYS (default 7): a job done or failed more than that long ago is deleted with its result
    file when its tenant's jobs are read, and is already gone for its own URLs; younger finished jobs, running jobs
    and other tenants' jobs stay. 0 keeps everything."""
    import dataclasses

    from govhall.config import get_settings
    from govhall.jobs import runner

    assert get_settings().job_retention_days == 7
    county, city = demo[COUNTY].id, demo[CITY].id
    with system_scope():
        admin = await owner_session.scalar(select(User).where(User.username == "county_admin"))
        other = await owner_session.scalar(select(User).where(User.username == "city_admin"))
    admin_id, other_id = admin.id, other.id
    now = datetime.now(UTC)

    def job(state: str, finished_days_ago: float | None, by: object) -> Job:
        finished = now - timedelta(days=finished_days_ago) if finished_days_ago is not None else None
        return Job(kind="attendance.sheet_xlsx", state=state, progress=100, params={}, created_by=by, attempts=1,
                   worker="w", heartbeat_at=now, finished_at=finished, result_name="old.xlsx" if state == "done" else None,
                   result_type="application/octet-stream", result_data=b"PK old" if state == "done" else None)

    with tenant_scope(county):
        old_done, old_failed, young, running = (job("done", 8, admin_id), job("failed", 30, admin_id),
                                                job("done", 6, admin_id), job("running", None, admin_id))
        owner_session.add_all([old_done, old_failed, young, running])
        await owner_session.commit()
    with tenant_scope(city):
        foreign_old = job("done", 8, other_id)
        owner_session.add(foreign_old)
        await owner_session.commit()
    old_done, old_failed, young, running, foreign_old = (  # their ids (the objects expire below)
        j.id for j in (old_done, old_failed, young, running, foreign_old))

    await login(client, "county_admin")
    # expired before it is purged: its own URLs no longer answer
    assert (await client.get(f"/api/t/{county}/jobs/{old_done}/result")).status_code == 404
    listed = {j["id"] for j in (await client.get(f"/api/t/{county}/jobs")).json()}
    assert str(young) in listed and str(running) in listed
    assert str(old_done) not in listed and str(old_failed) not in listed

    async def ids(tenant) -> set:  # type: ignore[no-untyped-def]
        owner_session.expire_all()
        with tenant_scope(tenant):
            return set((await owner_session.scalars(select(Job.id))).all())

    county_ids = await ids(county)
    assert old_done not in county_ids and old_failed not in county_ids  # the rows and their files are gone
    assert {young, running} <= county_ids
    assert foreign_old in await ids(city)  # no scan across tenants: the city's expired job waits for the city

    # 0 keeps finished jobs forever
    settings = get_settings()
    monkeypatch.setattr(runner, "get_settings", lambda: dataclasses.replace(settings, job_retention_days=0))
    with tenant_scope(county):
        ancient_job = job("done", 400, admin_id)
        owner_session.add(ancient_job)
        await owner_session.commit()
        ancient = ancient_job.id
    listed = {j["id"] for j in (await client.get(f"/api/t/{county}/jobs")).json()}
    assert str(ancient) in listed and ancient in await ids(county)
    assert (await client.get(f"/api/t/{county}/jobs/{ancient}/result")).status_code == 200

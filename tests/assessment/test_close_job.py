"""Issue 16: a big center closes its assessment month as a background job. Over the staff limit (1 here) the close
answers 409 use_background_job (zh and en) and writes nothing; the job assessment.close_month closes the month as
the request would (same records, scorecards and return case), as the user who started it (the lock's closer and the
audit event's actor, not whoever's request started the job worker), with its progress in staff."""

from __future__ import annotations

from sqlalchemy import select

from govhall.audit.models import AuditEvent
from govhall.domain.identity.models import User
from govhall.tenancy import system_scope, tenant_scope
from tests.assessment.conftest import BASE, COUNTY_DAY, LATE_DAYS, as_user, fill_march, points_center, post
from tests.jobs.limits import small_limits, wait_job


async def test_a_big_center_closes_its_month_as_a_job(client, owner_session, demo, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    county = await points_center(owner_session, demo, "county")
    await fill_march(owner_session, county, COUNTY_DAY, {"E001": LATE_DAYS})
    small_limits(monkeypatch, staff=1)
    await as_user(client, county.users["admin"])
    r = await post(client, BASE.format(county.id) + "/months/2026-03/close")
    assert r.status_code == 409, r.text
    body = r.json()
    assert body["code"] == "use_background_job" and body["details"]["kind"] == "assessment.close_month"
    assert "后台任务" in body["message"]["zh"] and "background job" in body["message"]["en"]
    month = (await client.get(BASE.format(county.id) + "/months/2026-03")).json()
    assert month["status"] == "open" and month["scorecards"] == 0  # the refused close wrote nothing

    r = await post(client, f"/api/t/{county.id}/jobs", {"kind": "assessment.close_month", "params": {"month": "2026-03"}})
    assert r.status_code == 202, r.text
    job = await wait_job(client, county.id, r.json()["id"])
    assert job["state"] == "done", job
    staff = len(county.staff)
    assert (job["progress"], job["done"], job["total"]) == (100, staff, staff)
    assert job["summary"]["month"] == "2026-03" and job["summary"]["staff"] == staff
    assert (job["summary"]["attendanceRecords"], job["summary"]["returnCases"]) == (3, 1)
    assert not job["hasResult"]

    month = (await client.get(BASE.format(county.id) + "/months/2026-03")).json()
    assert month["status"] == "closed" and month["scorecards"] == staff
    with system_scope():
        admin = await owner_session.scalar(select(User).where(User.username == county.users["admin"]))
    with tenant_scope(county.id):
        event = await owner_session.scalar(select(AuditEvent).where(AuditEvent.action == "assessment.month.close"))
    assert event is not None and event.actor_id == admin.id
    assert month["closedByName"] == admin.display_name

    # closing it again as a job fails with the close's own bilingual error; a bad month is a 400
    r = await post(client, f"/api/t/{county.id}/jobs", {"kind": "assessment.close_month", "params": {"month": "2026-03"}})
    again = await wait_job(client, county.id, r.json()["id"])
    assert again["state"] == "failed" and again["error"]["code"] == "month_already_closed" and again["error"]["zh"]
    r = await post(client, f"/api/t/{county.id}/jobs", {"kind": "assessment.close_month", "params": {"month": "2026-13"}})
    assert r.status_code == 400 and r.json()["message"]["en"]

    # the clerk may not close: the kind's permission (assessment:close) is checked when the job starts
    await as_user(client, county.users["clerk"])
    r = await post(client, f"/api/t/{county.id}/jobs", {"kind": "assessment.close_month", "params": {"month": "2026-03"}})
    assert r.status_code == 403

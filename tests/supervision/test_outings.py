"""Outings (外出报备) and off post (脱岗) timed on the phone, with concrete days."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time

from sqlalchemy import select

from govhall.clock import set_clock, utcnow
from govhall.domain.attendance.evaluation import evaluate_month
from govhall.domain.attendance.ingest import RawPunch, store_punches
from govhall.domain.attendance.models import AttendanceDay, OffPostRecord, PunchSource
from govhall.domain.attendance.rules import AttendanceRules
from govhall.tenancy import tenant_scope
from tests.attendance.centers import set_pack
from tests.attendance.conftest import CST
from tests.conftest import csrf_headers, login
from tests.supervision.conftest import BASE, patrol_center, template_patrols


async def post(client, url, body=None):  # type: ignore[no-untyped-def]
    return await client.post(url, json=body, headers=csrf_headers(client))


async def test_a_reported_outing_excuses_the_afternoon(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """000 篇七 工作制度 二.2 (事由、地点及时间告知当日值班人员): 员工1 reports at 14:00 on Thursday 2026-0402 an
    outing to 县行政审批局 until 17:00 and punches 08:25, 12:01 and 18:02. The afternoon's arrival at 14:30 falls in
    the outing: the day is on time. 员工2, same punches, no outing: a missed punch (000 county 二)10.7)."""
    c = await patrol_center(owner_session, demo)
    set_clock(datetime(2026, 4, 2, 14, 0, tzinfo=CST))
    await login(client, c.users["clerk"])
    r = await post(client, BASE.format(c.id) + "/outings", {
        "reason": "送审批材料", "place": "县行政审批局", "expectedBack": "2026-04-02T17:00:00+08:00"})
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "approved"  # report only: told to the duty officer, logged
    set_clock(datetime(2026, 4, 3, 10, 0, tzinfo=CST))  # the day is final (48 h cut-off)
    punches = [RawPunch(i, emp, datetime.combine(date(2026, 4, 2), time.fromisoformat(t)))
               for i, (emp, t) in enumerate((e, t) for e in ("E001", "E002") for t in ("08:25", "12:01", "18:02"))]
    set_clock(datetime(2026, 4, 8, 10, 0, tzinfo=CST))
    with tenant_scope(c.id):
        await store_punches(owner_session, source=PunchSource.device_api, device_key="TESTDEV", punches=punches,
                            tz="Asia/Shanghai", now=utcnow(), rules=AttendanceRules())
        await evaluate_month(owner_session, c.id, date(2026, 4, 1))
        rows = {(d.staff_id, d.work_date): d for d in (await owner_session.scalars(select(AttendanceDay))).all()}
    d1 = rows.get((c.staff["E001"], date(2026, 4, 2)))
    assert d1 is None, (d1.finding, d1.details)  # a plain day: on time, nothing stored
    assert rows[(c.staff["E002"], date(2026, 4, 2))].finding == "missed_punch"


async def test_outings_need_approval_when_the_rules_say_so(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """002 四.4 (临时外出公务，经同意): with ``outing_approval: approval`` the outing waits for the duty officer;
    the clerk cannot approve it, the duty officer can; a return the next day is refused."""
    c = await patrol_center(owner_session, demo)
    await set_pack(owner_session, c.id, "patrols", {**template_patrols("county_hall"), "outing_approval": "approval"})
    await login(client, c.users["clerk"])
    url = BASE.format(c.id) + "/outings"
    late = await post(client, url, {"reason": "取证照", "place": "市局", "expectedBack": "2026-04-09T09:00:00+08:00"})
    assert late.status_code == 400 and late.json()["code"] == "invalid_return"
    r = await post(client, url, {"reason": "取证照", "place": "市局", "expectedBack": "2026-04-08T11:00:00+08:00"})
    assert r.status_code == 201 and r.json()["status"] == "reported"
    oid = r.json()["id"]
    assert (await post(client, f"{url}/{oid}/decision", {"approve": True})).status_code == 403
    await login(client, c.users["duty"])
    ok = await post(client, f"{url}/{oid}/decision", {"approve": True})
    assert ok.status_code == 200 and ok.json()["status"] == "approved"
    again = await post(client, f"{url}/{oid}/decision", {"approve": False})
    assert again.status_code == 409


async def test_absence_found_on_patrol_is_timed_as_off_post(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """000 篇七 十一(一)6 因公事外出不报告者视为脱岗: at 09:40 on 2026-04-08 the patrol finds 员工2 away with no outing
    reported: a timer starts; stopped at 10:25 it records 45 minutes off post (the attendance conversions and the
    assessment's 脱岗 items classify it). 员工1, on a reported outing, is not off post (409)."""
    c = await patrol_center(owner_session, demo)
    set_clock(datetime(2026, 4, 8, 9, 30, tzinfo=CST))
    await login(client, c.users["clerk"])
    r = await post(client, BASE.format(c.id) + "/outings", {
        "reason": "送材料", "place": "县政府", "expectedBack": "2026-04-08T11:00:00+08:00"})
    assert r.status_code == 201
    set_clock(datetime(2026, 4, 8, 9, 45, tzinfo=CST))
    await login(client, c.users["duty"])
    form = (await client.get(BASE.format(c.id) + "/patrol-form")).json()
    assert {p["name"]: p["onOuting"] for w in form["windows"] for p in w["staff"]}["员工1"] is True
    url = BASE.format(c.id) + "/patrols"
    body = {"clientId": str(uuid.uuid4()), "startedAt": "2026-04-08T09:40:00+08:00", "mode": "on_site"}
    out = await post(client, url, {**body, "findings": [{"itemKey": "off_post", "staffId": str(c.staff["E001"])}]})
    assert out.status_code == 409 and out.json()["code"] == "outing_reported"
    ok = await post(client, url, {**body, "findings": [{"itemKey": "off_post", "staffId": str(c.staff["E002"])}]})
    assert ok.status_code == 200, ok.text
    assert ok.json()["findings"][0]["violationId"] is None  # no deduction yet: the timer decides
    timers = (await client.get(BASE.format(c.id) + "/off-post")).json()
    assert [(t["staffName"], t["stoppedAt"]) for t in timers] == [("员工2", None)]
    set_clock(datetime(2026, 4, 8, 10, 25, tzinfo=CST))
    stop = await post(client, BASE.format(c.id) + f"/off-post/{timers[0]['id']}/stop")
    assert stop.status_code == 200 and stop.json()["minutes"] == 45
    with tenant_scope(c.id):
        rec = (await owner_session.scalars(select(OffPostRecord))).one()
    assert (rec.staff_id, rec.work_date, rec.minutes) == (c.staff["E002"], date(2026, 4, 8), 45)
    assert (await post(client, BASE.format(c.id) + f"/off-post/{timers[0]['id']}/stop")).status_code == 409

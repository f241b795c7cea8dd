"""Patrols on the phone: submit with findings, idempotency, bad input, the finding as a deduction with its photo,
and compliance per half day (000 篇七 工作制度 七; 004/4 三.1)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func, select

from govhall.clock import set_clock
from govhall.domain.assessment.models import ViolationRecord
from govhall.domain.attendance.models import LeaveRecord
from govhall.domain.supervision.models import Patrol
from govhall.tenancy import tenant_scope
from tests.attendance.conftest import CST
from tests.conftest import csrf_headers, login
from tests.files.conftest import image_bytes
from tests.supervision.conftest import BASE, patrol_center


async def post(client, url, body):  # type: ignore[no-untyped-def]
    return await client.post(url, json=body, headers=csrf_headers(client))


async def photo(client, tenant_id) -> str:  # type: ignore[no-untyped-def]
    up = await client.post(f"/api/t/{tenant_id}/files", files={"file": ("p.png", image_bytes(), "image/png")},
                           data={"purpose": "assessment.patrol"}, headers=csrf_headers(client))
    assert up.status_code == 201, up.text
    return up.json()["id"]


def patrol(at: str, findings: list[dict] | None = None, **kw) -> dict:  # type: ignore[type-arg]
    return {"clientId": str(uuid.uuid4()), "startedAt": f"2026-04-08T{at}:00+08:00", "mode": "on_site",
            "findings": findings or [], **kw}


async def test_a_finding_with_a_photo_becomes_a_deduction_the_clerk_sees(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """000 篇七 七(三)2 / 十一(二)1 不佩证上岗 1 分: the duty officer's patrol at 09:40 on 2026-04-08 finds 员工2 without
    a badge; without a photo it is refused (the item needs one), with a photo it is stored as a violation record
    (source patrol, the photo as evidence) and 员工2's April card shows 1 point off with that photo."""
    c = await patrol_center(owner_session, demo)
    await login(client, c.users["duty"])
    url = BASE.format(c.id) + "/patrols"
    finding = {"itemKey": "no_badge", "staffId": str(c.staff["E002"]), "note": "工作牌放在抽屉里"}
    no_photo = await post(client, url, patrol("09:40", [finding]))
    assert no_photo.status_code == 400 and no_photo.json()["code"] == "photo_required"
    fid = await photo(client, c.id)
    body = patrol("09:40", [{**finding, "evidence": [fid]}])
    r = await post(client, url, body)
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["half"] == "am" and out["findings"][0]["violationKind"] == "no_badge"
    assert out["findings"][0]["violationId"] and out["findings"][0]["evidence"] == [fid]
    again = await post(client, url, body)  # the phone retries: stored once
    assert again.status_code == 200 and again.json()["replayed"] and again.json()["id"] == out["id"]
    with tenant_scope(c.id):
        assert await owner_session.scalar(select(func.count()).select_from(Patrol)) == 1
        rec = (await owner_session.scalars(select(ViolationRecord))).one()
    assert (rec.source, rec.kind, rec.evidence, rec.staff_id) == ("patrol", "no_badge", [fid], c.staff["E002"])
    await login(client, c.users["clerk2"])
    card = (await client.get(f"/api/t/{c.id}/assessment/my?month=2026-04")).json()
    lines = [x for cat in card["categories"] for x in cat["lines"]]
    assert [(x["kind"], x["points"], x["evidence"]) for x in lines] == [("no_badge", -1.0, [fid])]
    assert card["total"] == 99
    assert (await client.get(f"/api/t/{c.id}/files/{fid}/thumbnail")).status_code == 200


async def test_bad_patrols_are_refused_and_nothing_is_written(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """A finding for someone on leave that day, an unknown item, a mode the center does not use, yesterday's
    patrol: 400 each, no patrol and no record stored."""
    c = await patrol_center(owner_session, demo)
    with tenant_scope(c.id):
        owner_session.add(LeaveRecord(staff_id=c.staff["E001"], kind="annual",
                                      starts_at=datetime(2026, 4, 8, 0, 0, tzinfo=CST),
                                      ends_at=datetime(2026, 4, 9, 0, 0, tzinfo=CST)))
        await owner_session.commit()
    await login(client, c.users["duty"])
    url = BASE.format(c.id) + "/patrols"
    on_leave = await post(client, url, patrol("09:40", [{"itemKey": "attitude", "staffId": str(c.staff["E001"])}]))
    assert on_leave.status_code == 400 and on_leave.json()["code"] == "staff_not_on_post"
    unknown = await post(client, url, patrol("09:40", [{"itemKey": "nope", "staffId": str(c.staff["E002"])}]))
    assert unknown.json()["code"] == "unknown_item"
    mode = await post(client, url, patrol("09:40", mode="unannounced"))
    assert mode.json()["code"] == "invalid_mode"
    old = await post(client, url, {**patrol("09:40"), "startedAt": "2026-04-07T09:40:00+08:00"})
    assert old.json()["code"] == "patrol_not_today"
    with tenant_scope(c.id):
        assert await owner_session.scalar(select(func.count()).select_from(Patrol)) == 0
        assert await owner_session.scalar(select(func.count()).select_from(ViolationRecord)) == 0
    form = (await client.get(BASE.format(c.id) + "/patrol-form")).json()
    people = {p["name"] for w in form["windows"] for p in w["staff"]}
    assert "员工1" not in people and "员工2" in people  # on leave: not on post, not offered


async def test_compliance_per_half_day_four_versus_two(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """Two centers, the same day (Wed 2026-04-08), the same three patrols (09:10, 10:00 and 15:00) and the 9:00
    check: the county hall (000 篇七 七(二): 4 a day, 2 + 2) is not compliant, the city hall (004/4 三.1: twice a day)
    is, once its closing check is done."""
    county = await patrol_center(owner_session, demo, "county_hall")
    city = await patrol_center(owner_session, demo, "city_hall")
    set_clock(datetime(2026, 4, 8, 18, 0, tzinfo=CST))
    for c in (county, city):
        await login(client, c.users["duty"])
        url = BASE.format(c.id) + "/patrols"
        for at in ("09:10", "10:00", "15:00"):
            assert (await post(client, url, patrol(at))).status_code == 200
        await post(client, url, patrol("17:55", kind="closing_check",
                                       results={"doors_windows": "ok", "water_power": "ok"}))
    await login(client, county.users["duty"])
    fixed = await post(client, BASE.format(county.id) + "/patrols",
                       patrol("09:00", kind="fixed_check", checkKey="hygiene_safety_0900"))
    assert fixed.status_code == 200, fixed.text
    days = {}
    for c in (county, city):
        await login(client, c.users["admin"])
        r = await client.get(BASE.format(c.id) + "/compliance?start=2026-04-08&end=2026-04-08")
        assert r.status_code == 200, r.text
        days[c.id] = r.json()["days"][0]
    cd, yd = days[county.id], days[city.id]
    assert (cd["requiredTotal"], cd["requiredAm"], cd["requiredPm"]) == (4, 2, 2)
    assert (cd["doneTotal"], cd["doneAm"], cd["donePm"]) == (3, 2, 1)
    assert cd["fixedDone"] == ["hygiene_safety_0900"] and cd["closingDone"] and not cd["compliant"]
    assert (yd["requiredTotal"], yd["doneTotal"], yd["compliant"]) == (2, 3, True)
    # the clerk may not read compliance, another center's admin gets 403
    await login(client, county.users["clerk"])
    assert (await client.get(BASE.format(county.id) + "/compliance")).status_code == 403
    await login(client, city.users["admin"])
    assert (await client.get(BASE.format(county.id) + "/compliance")).status_code == 403

"""Cover (顶岗 / AB岗) in the app: the named colleague confirms or declines, the chief representative registers
someone the home unit sent, the last approval waits for cover where the rules refuse leave without it, and the duty
board shows 顶岗 ✓/✗ from the substitute's punch."""

from __future__ import annotations

from sqlalchemy import select

from govhall.audit.models import AuditEvent
from govhall.tenancy import tenant_scope
from tests.conftest import csrf_headers
from tests.leave.conftest import Api, at, body, leave_center

# 004 考勤 四: 工作人员请假(休假)期间…及时确定顶岗人员，方可准假 — every leave, refused without cover
SEED_004 = {"approval_tiers": [{"over_days": 0, "approvers": ["center"]}], "substitute_scope": "all",
            "no_substitute_effect": "block"}


async def test_seed_004_leave_is_granted_only_once_cover_is_confirmed(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """Seed 004 考勤 四 "及时确定顶岗人员，方可准假": 员工1 asks on Tuesday 2026-03-03 for Monday 2026-03-09 with 员工2
    as substitute. The center's approval is refused (409 cover_not_confirmed) while 员工2 has not confirmed and after
    they decline; the chief representative then registers someone the home unit sent (备案), and the approval goes
    through. Each answer is audited; deciding twice or as somebody else is refused and changes nothing."""
    at(2026, 3, 3)
    lc = await leave_center(owner_session, demo, SEED_004)
    api = Api(client, lc)
    req = await api.ask("clerk", body(substituteStaffId=str(lc.staff("E002"))))
    rid = req["id"]
    assert (req["substituteStatus"], req["coverRule"]) == ("pending", "block")
    waiting = await api.decide("leader", rid, status=409)
    assert waiting["code"] == "cover_not_confirmed" and "方可准假" in waiting["message"]["zh"]
    view = (await api.get(f"/requests/{rid}")).json()
    assert view["status"] == "pending" and view["steps"][0]["decision"] == "pending"

    # the substitute sees it in their inbox and declines
    await api.as_("clerk2")
    assert (await api.get("/meta")).json()["coverToAnswer"] == 1
    inbox = (await api.get("/requests", scope="inbox")).json()
    assert [x["id"] for x in inbox["items"]] == [rid] and inbox["items"][0]["canAnswerSubstitute"] is True
    r = await api.post(f"/requests/{rid}/substitute/answer", {"confirm": False, "note": "当天外出培训"})
    assert r.status_code == 200 and r.json()["substituteStatus"] == "declined"
    again = await api.post(f"/requests/{rid}/substitute/answer", {"confirm": True})
    assert again.status_code == 409 and again.json()["code"] == "substitute_answered"
    await api.as_("other_clerk")
    assert (await api.post(f"/requests/{rid}/substitute/answer", {"confirm": True})).status_code == 404
    assert (await api.decide("leader", rid, status=409))["code"] == "cover_not_confirmed"

    # the holder may name a colleague again, not themselves; the chief registers someone from the home unit
    await api.as_("clerk")
    own = await api.post(f"/requests/{rid}/substitute", {"substituteStaffId": str(lc.staff("E001"))})
    assert own.status_code == 400 and own.json()["code"] == "substitute_self"
    await api.as_("chief")
    reg = await api.post(f"/requests/{rid}/substitute", {"externalSubstitute": {
        "name": "赵敏", "phone": "13800000000", "unit": "县不动产登记局"}, "note": "原单位派驻"})
    assert reg.status_code == 200, reg.text
    assert reg.json()["substituteStatus"] == "registered" and reg.json()["externalSubstitute"]["name"] == "赵敏"
    assert (await api.decide("leader", rid))["status"] == "approved"
    with tenant_scope(lc.id):
        actions = list(await owner_session.scalars(select(AuditEvent.action).where(
            AuditEvent.target_id == rid, AuditEvent.action.like("leave.substitute.%")).order_by(AuditEvent.seq)))
    assert actions == ["leave.substitute.decline", "leave.substitute.register"]


async def test_confirmed_cover_approves_and_the_board_shows_the_substitute_on_post(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """Seed 000 篇六 七.三)1 (the county template: cover from 1 day, 窗口顶岗人员到岗后，请假的工作人员才能离开工作岗位):
    员工1's day of leave on Monday 2026-03-09 with 员工2 covering; 员工2 confirms, the center approves. At 08:05 that
    Monday the duty board shows 员工1 on leave with "顶岗 员工2 ✗" (not punched in); after 员工2 clocks in, ✓."""
    at(2026, 3, 3)
    lc = await leave_center(owner_session, demo, "20_county_hall.yaml")
    api = Api(client, lc)
    req = await api.ask("clerk", body(substituteStaffId=str(lc.staff("E002"))))
    rid = req["id"]
    assert req["coverRule"] == "block"
    await api.as_("clerk2")
    ok = await api.post(f"/requests/{rid}/substitute/answer", {"confirm": True})
    assert ok.json()["substituteStatus"] == "confirmed"
    assert (await api.decide("leader", rid))["status"] == "approved"

    at(2026, 3, 9, 8, 5)
    board_url = f"/api/t/{lc.id}/attendance/board"
    await api.as_("duty")
    row = next(x for x in (await client.get(board_url)).json()["rows"] if x["employeeNo"] == "E001")
    assert row["state"] == "on_leave"
    assert row["cover"] == {"name": "员工2", "external": False, "onPost": False, "onPostFirst": True,
                            "status": "confirmed"}
    await api.as_("clerk2")
    r = await client.post(f"/api/t/{lc.id}/attendance/clock-in", json={}, headers=csrf_headers(client))
    assert r.status_code == 200, r.text
    await api.as_("duty")
    row = next(x for x in (await client.get(board_url)).json()["rows"] if x["employeeNo"] == "E001")
    assert row["cover"]["onPost"] is True


async def test_annual_leave_in_parts_of_five_days_and_statutory_leave_outside_the_quota(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """Seed 000 篇六 七、二) 8 公休假…分期休假的，每次不得低于5天; 9 窗口工作人员不得超过3天或3次…年休假、婚假、产假、探亲假、
    丧假等法定假除外. In the county's rules: 3 days of annual leave (2026-03-09..11) are refused (400, the end field);
    5 days (2026-03-16..20, covered by 员工2) go through and do not touch the March quota, which still allows three
    1-day personal leaves (and refuses a fourth: 3 times)."""
    at(2026, 3, 3)
    lc = await leave_center(owner_session, demo, "20_county_hall.yaml")
    api = Api(client, lc)
    await api.as_("clerk")
    short = await api.post("/requests", body("annual", start="2026-03-09", end="2026-03-11",
                                             substituteStaffId=str(lc.staff("E002"))))
    assert short.status_code == 400 and short.json()["details"]["codes"] == ["annual_chunk_too_small"]
    assert short.json()["fields"][0]["field"] == "end"
    annual = await api.ask("clerk", body("annual", start="2026-03-16", end="2026-03-20",
                                         substituteStaffId=str(lc.staff("E002"))))
    assert annual["days"] == 5
    check = (await api.post("/check", body(start="2026-03-23", end_half="am"))).json()
    assert (check["quota"]["usedDays"], check["quota"]["usedTimes"]) == (0, 0)
    for day in ("2026-03-23", "2026-03-24", "2026-03-25"):
        await api.ask("clerk", body(start=day, end_half="am"))
    fourth = await api.post("/requests", body(start="2026-03-26", end_half="am"))
    assert fourth.status_code == 400 and fourth.json()["details"]["codes"] == ["quota_exceeded"]

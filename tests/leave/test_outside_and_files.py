"""Outside approvers recorded by the center with the scan of the signed slip, and who may read leave files."""

from __future__ import annotations

from typing import Any

from tests.files.conftest import image_bytes, pdf_bytes
from tests.leave.conftest import Api, at, body, leave_center

CENTER_ONLY = {"approval_tiers": [{"over_days": 0, "approvers": ["center"]}], "substitute_from_days": 5}


async def upload(api: Api, data: bytes, name: str, purpose: str) -> str:
    from tests.conftest import csrf_headers

    r = await api.client.post(f"/api/t/{api.center.id}/files", files={"file": (name, data)},
                              data={"purpose": purpose}, headers=csrf_headers(api.client))
    assert r.status_code in (200, 201), r.text
    return str(r.json()["id"])


async def test_city_chain_duty_officer_then_deputy_and_director_together(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """Seed 000 篇七 工作制度 二.3: 二天以上的由窗口单位分管领导和中心主任共同签批 (after the duty officer, 八.4⑤; 以上
    includes two days). A 2-day personal leave, Monday 2026-03-09 and Tuesday: the duty officer, then the window
    unit's deputy (outside the center: the center admin records the signed slip with its scan) and the director
    together, in any order."""
    at(2026, 3, 3)
    lc = await leave_center(owner_session, demo, "10_city_hall.yaml")
    api = Api(client, lc)
    req = await api.ask("clerk", body(start="2026-03-09", end="2026-03-10"))
    assert req["days"] == 2
    assert [(s["seq"], s["approver"], s["outside"]) for s in req["steps"]] == [
        (1, "duty_officer", False), (2, "home_unit_deputy", True), (2, "center_director", False)]
    rid = req["id"]
    await api.decide("duty", rid)
    assert (await api.decide("director", rid))["status"] == "pending"
    await api.as_("admin")
    view = (await api.get(f"/requests/{rid}")).json()
    assert view["canRecordOutside"] is True
    missing = await api.decide("admin", rid, status=400)
    assert missing["code"] == "scan_required" and missing["fields"][0]["field"] == "scanFileId"
    scan = await upload(api, pdf_bytes(), "请假单.pdf", "leave.scan")
    done = await api.decide("admin", rid, scanFileId=scan, note="分管领导已签字盖章")
    assert done["status"] == "approved"
    step = next(s for s in done["steps"] if s["approver"] == "home_unit_deputy")
    assert step["recordedForOutside"] is True and step["scanFileId"] == scan
    # the holder may read the scan of their slip; another clerk may not
    await api.as_("clerk")
    assert (await client.get(f"/api/t/{lc.id}/files/{scan}")).status_code == 200
    await api.as_("clerk2")
    assert (await client.get(f"/api/t/{lc.id}/files/{scan}")).status_code == 404


async def test_sick_note_is_read_by_the_approver_not_by_colleagues(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """A sick note attached to a request: the uploader, the request's approver (the center) and the center admin
    read it; another clerk gets 404; a file of another center is refused on the request (400 file_not_found)."""
    at(2026, 3, 3)
    lc = await leave_center(owner_session, demo, CENTER_ONLY)
    other = await leave_center(owner_session, demo, CENTER_ONLY)
    api = Api(client, lc)
    await api.as_("clerk")
    note = await upload(api, image_bytes("JPEG"), "证明.jpg", "leave.sick_note")
    req: dict[str, Any] = await api.ask("clerk", body("sick", start="2026-03-09", end="2026-03-10",
                                                       sickNoteFileId=note))
    assert req["sickNoteFileId"] == note and req["warnings"] == []
    await api.as_("leader")
    assert (await client.get(f"/api/t/{lc.id}/files/{note}")).status_code == 200
    await api.as_("clerk2")
    assert (await client.get(f"/api/t/{lc.id}/files/{note}")).status_code == 404
    theirs = Api(client, other)
    await theirs.as_("clerk")
    foreign = await upload(theirs, image_bytes("PNG"), "x.png", "leave.sick_note")
    r = await theirs.post("/requests", body("sick", start="2026-03-09", end="2026-03-10", sickNoteFileId=note))
    assert r.status_code == 400 and r.json()["code"] == "file_not_found"
    assert r.json()["fields"][0]["field"] == "sickNoteFileId"
    assert foreign != note

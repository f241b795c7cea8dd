"""The leave workflow through the real API: the seeds' chains end to end, quotas counted by times before days,
retroactive and 事中 requests, cover, closure and the rules' outcomes on attendance. Dates: March 2026
(Mon 2, Mon 9, Sat 7); the clock is the app clock (``set_clock``)."""

from __future__ import annotations

import asyncio
import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import async_sessionmaker

from govhall.audit.models import AuditEvent
from govhall.domain.attendance.models import AttendanceDay, LeaveRecord
from govhall.domain.leave import approvals
from govhall.domain.leave import schemas as s
from govhall.domain.leave.common import Actor
from govhall.domain.leave.models import LeaveRequest
from govhall.errors import AppError
from govhall.tenancy import tenant_scope
from tests.leave.conftest import Api, account, at, body, leave_center

CENTER_ONLY = {"approval_tiers": [{"over_days": 0, "approvers": ["center"]}], "substitute_from_days": 5}


async def test_luotian_two_days_supervision_deputy_chief_director(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """Seed 002 上班请销假制度 五.1-3 (tiers add up): a 2-day personal leave goes 稽查督办科 -> 中心分管领导 ->
    首席代表签字证明 -> 中心主要领导; out of turn and twice are 409, the own request 403; once approved the person is
    请假 (personal) on the board and in the month, not 旷工."""
    at(2026, 3, 3)
    lc = await leave_center(owner_session, demo, "30_luotian.yaml")
    api = Api(client, lc)
    await api.as_("clerk")
    chk = (await api.post("/check", body(start="2026-03-09", end="2026-03-10",
                                         substituteStaffId=str(lc.staff("E002"))))).json()
    assert chk["ok"] and chk["days"] == 2
    assert [(st["seq"], st["approver"]) for st in chk["chain"]] == [
        (1, "inspection_office"), (2, "center_deputy_director"), (3, "chief_representative"), (4, "center_director")]
    assert chk["chain"][0]["approvers"] == ["inspector"] and chk["chain"][2]["approvers"] == ["chief"]
    assert chk["suggestedSubstituteId"] == str(lc.staff("E002"))  # the AB partner
    req = await api.ask("clerk", body(start="2026-03-09", end="2026-03-10", substituteStaffId=str(lc.staff("E002"))))
    rid = req["id"]
    assert req["status"] == "pending" and req["days"] == 2
    await api.decide("director", rid, status=409)  # not the director's turn yet
    await api.decide("clerk", rid, status=403)  # nobody approves their own request
    await api.decide("inspector", rid)
    await api.decide("deputy", rid)
    await api.decide("deputy", rid, status=409)  # twice
    await api.decide("chief", rid)
    done = await api.decide("director", rid)
    assert done["status"] == "approved" and [st["decision"] for st in done["steps"]] == ["approved"] * 4
    with tenant_scope(lc.id):
        rec = await owner_session.scalar(select(LeaveRecord).where(LeaveRecord.source_ref == rid))
        assert rec is not None and rec.kind == "personal"
        actions = set(await owner_session.scalars(select(AuditEvent.action).where(AuditEvent.target_id == rid)))
    assert {"leave.request", "leave.approve_step", "leave.approved"} <= actions
    at(2026, 3, 9, 10)
    await api.as_("duty")
    board = (await client.get(f"/api/t/{lc.id}/attendance/board")).json()
    row = next(r for r in board["rows"] if r["staffId"] == str(lc.staff("E001")))
    assert (row["state"], row["leaveType"]) == ("on_leave", "personal")
    month = (await client.get(f"/api/t/{lc.id}/attendance/staff/{lc.staff('E001')}/month",
                              params={"month": "2026-03"})).json()
    day = next(d for d in month["days"] if d["date"] == "2026-03-09")
    assert (day["finding"], day["leaveType"]) == ("on_leave", "personal")


async def test_all_of_step_needs_every_signature_and_rejection_ends_it(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """Seed 000 篇七 工作制度 二.3 共同签批: after the duty officer, the deputy and the director sign together (any
    order); the request is approved only when both have; a rejection at any step ends the request."""
    at(2026, 3, 3)
    lc = await leave_center(owner_session, demo, {"tiers_add_up": True, "approval_tiers": [
        {"over_days": 0, "approvers": ["duty_officer"]},
        {"over_days": 2, "approvers": ["center_deputy_director", "center_director"], "mode": "all_of"}],
        "substitute_from_days": 5})
    api = Api(client, lc)
    rid = (await api.ask("clerk", body(start="2026-03-09", end="2026-03-11", end_half="am")))["id"]
    await api.decide("director", rid, status=409)  # the duty officer first
    await api.decide("duty", rid)
    after_director = await api.decide("director", rid)
    assert after_director["status"] == "pending"
    assert (await api.decide("deputy", rid))["status"] == "approved"
    rid2 = (await api.ask("clerk2", body(start="2026-03-16", end="2026-03-18")))["id"]
    await api.decide("duty", rid2)
    rejected = await api.decide("deputy", rid2, approve=False, note="人手不足")
    assert rejected["status"] == "rejected"
    assert [st["decision"] for st in rejected["steps"]] == ["approved", "rejected", "skipped"]
    await api.decide("director", rid2, status=409)


async def test_quota_hit_by_times_before_days_and_cancel_returns_it(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """Seed 000 篇六 七.二)9: 窗口工作人员不得超过3天或3次（以先到限额为准）: three half days (1.5 days, 3 times) use up
    the quota; the fourth half day is refused; cancelling an approved one before it starts gives a time back."""
    at(2026, 3, 3)
    lc = await leave_center(owner_session, demo, CENTER_ONLY)
    api = Api(client, lc)
    ids = [(await api.ask("clerk", body(start=f"2026-03-{d:02d}", end_half="am")))["id"] for d in (9, 10, 11)]
    chk = (await api.post("/check", body(start="2026-03-12", end_half="am"))).json()
    assert chk["quota"] == {"role": "clerk", "month": "2026-03", "usedDays": 1.5, "usedTimes": 3, "maxDays": 3,
                            "maxTimes": 3, "counts": True}
    refused = await api.ask("clerk", body(start="2026-03-12", end_half="am"), status=400)
    assert refused["code"] == "leave_rules" and refused["details"]["codes"] == ["quota_exceeded"]
    assert "本月已请 1.5 天 3 次" in refused["message"]["zh"]
    await api.decide("leader", ids[0])
    await api.as_("clerk")
    cancelled = (await api.post(f"/requests/{ids[0]}/cancel")).json()
    assert cancelled["status"] == "cancelled"
    with tenant_scope(lc.id):
        assert await owner_session.scalar(select(func.count()).select_from(LeaveRecord).where(
            LeaveRecord.source_ref == ids[0])) == 0
    assert (await api.ask("clerk", body(start="2026-03-12", end_half="am")))["status"] == "pending"


async def test_retroactive_and_same_half_day_are_refused(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """Seed 000 篇七 工作制度 二.3: 一律事前请假，严禁事后或事中补假. Tuesday 2026-03-03 at 09:00 (the morning has
    begun): Monday is 事后, this morning 事中 (both refused), this afternoon is still ahead."""
    at(2026, 3, 3, 9, 0)
    lc = await leave_center(owner_session, demo, "10_city_hall.yaml")
    api = Api(client, lc)
    await api.as_("clerk")
    codes = lambda r: [p["code"] for p in r.json()["problems"]]  # noqa: E731
    assert codes(await api.post("/check", body(start="2026-03-02"))) == ["retroactive_leave"]
    assert codes(await api.post("/check", body(start="2026-03-03", end_half="am"))) == ["leave_already_begun"]
    assert codes(await api.post("/check", body(start="2026-03-03", start_half="pm"))) == []
    r = await api.post("/requests", body(start="2026-03-03", end_half="am"))
    assert r.status_code == 400 and r.json()["fields"][0]["field"] == "startHalf"
    assert (await api.ask("clerk", body(start="2026-03-03", start_half="pm")))["status"] == "pending"


async def test_unclosed_leave_becomes_a_day_of_absence(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """Seed 000 篇七 工作制度 十一(一)3: 假期休满后必须到管理办公室销假，未销假的按旷工一天处理. A 1-day leave on Monday
    2026-03-09 must be closed by Tuesday the 10th (1 working day); on Wednesday it is 逾期未销假 and the 10th is one
    day of absence in attendance. A leave closed in time has no such effect."""
    at(2026, 3, 3)
    lc = await leave_center(owner_session, demo, "10_city_hall.yaml")
    api = Api(client, lc)
    late = (await api.ask("clerk", body(start="2026-03-09")))["id"]
    ok = (await api.ask("clerk2", body(start="2026-03-09")))["id"]
    assert (await api.decide("duty", late))["closureDue"] == "2026-03-10"
    await api.decide("duty", ok)
    at(2026, 3, 10, 9)
    await api.as_("clerk2")
    closed = (await api.post(f"/requests/{ok}/closure", {"channel": "in_person"}))
    assert closed.status_code == 400 and closed.json()["code"] == "channel_not_allowed"  # recorded by the center
    await api.as_("duty")
    assert (await api.post(f"/requests/{ok}/closure", {"channel": "in_person"})).json()["status"] == "closed"
    at(2026, 3, 11, 10)
    await api.as_("admin")
    assert (await api.post("/outcomes")).json()["applied"] == 1
    view = (await api.get(f"/requests/{late}")).json()
    assert view["status"] == "unclosed"
    assert [(o["kind"], o["on"], o["halfDays"]) for o in view["outcomes"]] == [("absence", "2026-03-10", 2)]
    assert "十一(一)3" in view["outcomes"][0]["clause"]
    assert (await api.post("/outcomes")).json()["applied"] == 0  # applied once
    month = (await client.get(f"/api/t/{lc.id}/attendance/staff/{lc.staff('E001')}/month",
                              params={"month": "2026-03"})).json()
    day = next(d for d in month["days"] if d["date"] == "2026-03-10")
    assert (day["finding"], day["absenceHalfDays"], day["effect"]) == ("absence", 2, "unclosed_leave")
    other = (await client.get(f"/api/t/{lc.id}/attendance/staff/{lc.staff('E002')}/month",
                              params={"month": "2026-03"})).json()
    assert next(d for d in other["days"] if d["date"] == "2026-03-10")["effect"] is None


async def test_sick_without_note_becomes_personal_and_is_recounted(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """Seed 000 篇六 七.二)7: 因病休假1天以上（不含1天）提供《诊断证明书》；当日无法提供的在销假时提供；未能提供的视为
    事假. A 2-day sick leave (sick leave not counted toward the quota here) closed without a note becomes personal
    leave, and the month's quota now counts its 2 days."""
    at(2026, 3, 3)
    lc = await leave_center(owner_session, demo, {**CENTER_ONLY, "leave_types": [
        {"leave_type": "personal", "counts_toward_quota": True}, {"leave_type": "sick", "counts_toward_quota": False}]})
    api = Api(client, lc)
    req = await api.ask("clerk", body("sick", start="2026-03-09", end="2026-03-10"))
    assert [w["code"] for w in req["warnings"]] == ["sick_note_required"]
    await api.decide("leader", req["id"])
    await api.as_("clerk")
    before = (await api.post("/check", body(start="2026-03-20", end_half="am"))).json()["quota"]
    assert (before["usedDays"], before["usedTimes"]) == (0, 0)
    at(2026, 3, 11, 9)
    closed = (await api.post(f"/requests/{req['id']}/closure", {"channel": "app"})).json()
    assert (closed["status"], closed["leaveType"], closed["originalType"]) == ("closed", "personal", "sick")
    assert closed["outcomes"][0]["kind"] == "convert_type"
    after = (await api.post("/check", body(start="2026-03-20", end_half="am"))).json()["quota"]
    assert (after["usedDays"], after["usedTimes"]) == (2, 1)
    with tenant_scope(lc.id):
        rec = await owner_session.scalar(select(LeaveRecord).where(LeaveRecord.source_ref == req["id"])
                                         .execution_options(populate_existing=True))
        assert rec is not None and rec.kind == "personal"


async def test_no_cover_is_off_post(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """Seed 002 上班请销假制度 六: 必须先落实好AB岗…无人顶岗，一律按个人脱岗处理. A half-day leave on Monday morning
    2026-03-09 without a substitute goes ahead with a warning; afterwards the morning (08:00-11:30, 210 minutes)
    counts as off post for the holder."""
    at(2026, 3, 3)
    lc = await leave_center(owner_session, demo, "30_luotian.yaml")
    api = Api(client, lc)
    req = await api.ask("clerk", body(start="2026-03-09", end_half="am"))
    assert [w["code"] for w in req["warnings"]] == ["substitute_missing"]
    assert (await api.decide("inspector", req["id"]))["status"] == "approved"
    at(2026, 3, 10, 9)
    await api.as_("admin")
    assert (await api.post("/outcomes")).json()["applied"] == 1
    view = (await api.get(f"/requests/{req['id']}")).json()
    assert [(o["kind"], o["on"]) for o in view["outcomes"]] == [("off_post", "2026-03-09")]
    await client.get(f"/api/t/{lc.id}/attendance/staff/{lc.staff('E001')}/month", params={"month": "2026-03"})
    with tenant_scope(lc.id):
        row = await owner_session.scalar(select(AttendanceDay).where(
            AttendanceDay.staff_id == lc.staff("E001"), AttendanceDay.work_date == __import__("datetime").date(
                2026, 3, 9)).execution_options(populate_existing=True))
    assert row is not None and row.details["offPost"] == [210] and row.details["leaveType"] == "personal"


async def test_bad_input_is_refused_and_changes_nothing(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """Overlap, end before start, a rest day, a substitute on leave or of another center, an unknown file, an unknown
    type: each a 4xx in both languages naming the field; no request is written."""
    at(2026, 3, 3)
    lc = await leave_center(owner_session, demo, CENTER_ONLY)
    other = await leave_center(owner_session, demo, CENTER_ONLY)
    api = Api(client, lc)
    await api.ask("clerk2", body(start="2026-03-09"))
    await api.ask("clerk", body(start="2026-03-10"))
    with tenant_scope(lc.id):
        before = await owner_session.scalar(select(func.count()).select_from(LeaveRequest))
    cases = [
        (body(start="2026-03-10"), 409, "leave_overlap", "start"),
        (body(start="2026-03-12", end="2026-03-11"), 400, "end_before_start", "end"),
        (body(start="2026-03-12", start_half="pm", end_half="am"), 400, "end_before_start", "end"),
        (body(start="2026-03-07"), 400, "non_workday", "start"),
        (body(start="2026-03-09", substituteStaffId=str(lc.staff("E002"))), 409, "substitute_on_leave",
         "substituteStaffId"),
        (body(start="2026-03-11", substituteStaffId=str(other.staff("E002"))), 400, "substitute_not_found",
         "substituteStaffId"),
        (body(start="2026-03-11", substituteStaffId=str(lc.staff("E001"))), 400, "substitute_self",
         "substituteStaffId"),
        (body(start="2026-03-11", attachments=[str(uuid.uuid4())]), 400, "file_not_found", "attachments"),
        (body("holiday", start="2026-03-11"), 400, "invalid_leave_type", "leaveType"),
    ]
    await api.as_("clerk")
    for payload, status, code, field in cases:
        r = await api.post("/requests", payload)
        assert r.status_code == status, (code, r.text)
        err = r.json()
        assert err["code"] == code and err["fields"][0]["field"] == field, err
        assert err["fields"][0]["message"]["zh"] and err["fields"][0]["message"]["en"]
    with tenant_scope(lc.id):
        assert await owner_session.scalar(select(func.count()).select_from(LeaveRequest)) == before


async def test_withdraw_then_no_decision(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    at(2026, 3, 3)
    lc = await leave_center(owner_session, demo, CENTER_ONLY)
    api = Api(client, lc)
    rid = (await api.ask("clerk", body(start="2026-03-09")))["id"]
    await api.as_("clerk2")
    assert (await api.get(f"/requests/{rid}")).status_code == 404  # another clerk does not see it
    await api.as_("clerk")
    assert (await api.post(f"/requests/{rid}/withdraw")).json()["status"] == "withdrawn"
    await api.decide("leader", rid, status=409)
    mine = (await api.as_("clerk"), await api.get("/requests", scope="mine"))[1].json()
    assert mine["total"] == 1 and mine["items"][0]["status"] == "withdrawn"


async def test_two_approvers_at_once_keep_exactly_one_decision(app_engine, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """Two duty officers decide the same step at the same moment: one decision is kept, the other gets 409."""
    from govhall.domain.identity.models import User
    from govhall.domain.leave import services
    from govhall.domain.leave.common import quota_role

    at(2026, 3, 3)
    lc = await leave_center(owner_session, demo, {**CENTER_ONLY, "approval_tiers": [
        {"over_days": 0, "approvers": ["duty_officer"]}]})
    await account(owner_session, lc.c, "duty2", ["duty_officer"], [])
    with tenant_scope(lc.id):
        users = {u.username: u for u in (await owner_session.scalars(select(User))).all()}
        clerk = users[lc.user("clerk")]
        from govhall.domain.attendance.services import my_staff

        staff = await my_staff(owner_session, clerk.id)
        req = await services.submit(owner_session, Actor(clerk.id, frozenset({quota_role(["clerk"])}), staff),
                                    s.LeaveIn(leave_type="personal", start=__import__("datetime").date(2026, 3, 9),
                                              end=__import__("datetime").date(2026, 3, 9), reason="x"))
    maker = async_sessionmaker(app_engine, expire_on_commit=False)

    async def decide(username: str) -> str:
        async with maker() as session:
            with tenant_scope(lc.id):
                a = Actor(users[username].id, frozenset({"duty_officer"}), None)
                try:
                    await approvals.decide(session, a, req.id, s.DecisionIn(approve=username.endswith("duty")))
                    return "ok"
                except AppError as exc:
                    await session.rollback()
                    return f"{exc.status_code}"

    results = await asyncio.gather(decide(lc.user("duty")), decide(lc.user("duty2")))
    assert sorted(results) == ["409", "ok"], results
    with tenant_scope(lc.id):
        steps = (await approvals.steps_of(owner_session, [req.id]))[req.id]
        final = await owner_session.scalar(select(LeaveRequest.status).where(LeaveRequest.id == req.id)
                                           .execution_options(populate_existing=True))
    assert len([st for st in steps if st.decided_by is not None]) == 1
    assert final.value in ("approved", "rejected")

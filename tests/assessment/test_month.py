"""The assessment through the real stack: the attendance bridge, the late ladder, month close, pay, appeals,
return-to-unit cases, and bad input. Seed 000 = 000 篇七 (county hall), 002 = 罗田 窗口人员日常管理考核办法."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from govhall.audit.models import AuditEvent
from govhall.clock import set_clock
from govhall.domain.assessment.models import AssessmentMonth, ViolationRecord
from govhall.domain.identity.models import User
from govhall.domain.org.models import Staff, StaffStatus
from govhall.tenancy import tenant_scope
from tests.assessment.conftest import (
    BASE,
    COUNTY_DAY,
    LATE_DAYS,
    LUOTIAN_DAY,
    MARCH,
    as_user,
    fill_march,
    points_center,
    post,
)
from tests.attendance.centers import set_pack
from tests.attendance.conftest import CST, register_terminal
from tests.conftest import csrf_headers


async def close(client, c):  # type: ignore[no-untyped-def]
    await as_user(client, c.users["admin"])
    r = await post(client, BASE.format(c.id) + "/months/2026-03/close")
    assert r.status_code == 200, r.text
    return r.json()


async def my(client, c, who: str = "clerk"):  # type: ignore[no-untyped-def]
    await as_user(client, c.users[who])
    r = await client.get(BASE.format(c.id) + "/my?month=2026-03")
    assert r.status_code == 200, r.text
    return r.json()


def schedule_lines(card) -> list[tuple[str, int, float, str]]:  # type: ignore[no-untyped-def]
    return [(x["kind"], x["occurrence"], x["points"], x["clause"]) for cat in card["categories"] for x in cat["lines"]]


async def test_same_behaviour_two_centers_two_scores(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """The same three late arrivals in March (Mondays 2, 9 and 16, ten minutes late each):
    county (000 篇七 办理办法 第三条 and 十二.1): 1st 1 point, 2nd 2, 3rd 2 and return to the home unit -> 95,
    pay 150 / 100 x 95 = 142.5; 罗田 (002 考核 三(二)1: 迟到一次扣5分; 四.1 个人考核资金=150元÷100×个人分数):
    3 x 5 = 15 -> 85, pay 127.5, no return."""
    county = await points_center(owner_session, demo, "county")
    luotian = await points_center(owner_session, demo, "luotian")
    await fill_march(owner_session, county, COUNTY_DAY, {"E001": LATE_DAYS})
    await fill_march(owner_session, luotian, LUOTIAN_DAY, {"E001": LATE_DAYS})
    result = await close(client, county)
    assert (result["attendanceRecords"], result["returnCases"]) == (3, 1)
    assert (await close(client, luotian))["returnCases"] == 0

    for c in (county, luotian):  # published only on publish: the clerk sees a provisional card until then
        await as_user(client, c.users["admin"])
        assert (await post(client, BASE.format(c.id) + "/months/2026-03/publish")).status_code == 200

    card = await my(client, county)
    assert card["state"] == "published"
    assert (card["total"], card["payYuan"], card["returnToUnit"]) == (95, 142.5, True)
    assert card["returnReasons"] == ["迟到或早退 3 次（含）以上"]
    schedule = next(cat for cat in card["categories"] if cat["key"] == "schedule")
    assert (schedule["name"], schedule["maxPoints"], schedule["score"]) == ("作息规范", 20, 15)
    assert [(x["day"], x["occurrence"], x["points"], x["sanction"], x["source"]) for x in schedule["lines"]] == [
        ("2026-03-02", 1, -1, "verbal_warning", "attendance"), ("2026-03-09", 2, -2, "written_self_criticism", "attendance"),
        ("2026-03-16", 3, -2, "written_self_criticism", "attendance")]
    assert all("办理办法 第三条" in x["clause"] and x["name"] == "迟到" for x in schedule["lines"])

    card = await my(client, luotian)
    assert (card["total"], card["payYuan"], card["returnToUnit"]) == (85, 127.5, False)
    attendance = next(cat for cat in card["categories"] if cat["key"] == "attendance")
    assert (attendance["name"], attendance["score"]) == ("严格考勤", 15)
    assert [(x["occurrence"], x["points"], x["clause"]) for x in attendance["lines"]] == [
        (1, -5, "002 罗田 考核 三(二)1"), (2, -5, "002 罗田 考核 三(二)1"), (3, -5, "002 罗田 考核 三(二)1")]

    # the other staff had a clean month: 100 points, full pay; the pay list adds it up
    await as_user(client, county.users["admin"])
    pay = (await client.get(BASE.format(county.id) + "/months/2026-03/pay")).json()
    rows = {r["employeeNo"]: r for r in pay["rows"]}
    assert rows["E002"]["total"] == 100 and rows["E002"]["payYuan"] == 150 and rows["E001"]["payYuan"] == 142.5
    x = await client.get(BASE.format(county.id) + "/months/2026-03/pay.xlsx")
    assert x.status_code == 200 and x.content[:2] == b"PK"
    notice = await client.get(BASE.format(county.id) + f"/months/2026-03/departments/{county.department_id}/notice")
    people = {p["employeeNo"]: p for p in notice.json()["people"]}
    assert people["E001"]["total"] == 95 and people["E001"]["returnToUnit"] and len(people["E001"]["lines"]) == 3
    cases = (await client.get(BASE.format(county.id) + "/return-cases")).json()
    assert [(k["staffName"], k["status"], k["triggers"][0]["name"]) for k in cases] == [
        ("员工1", "flagged", "迟到或早退 3 次（含）以上")]
    assert len(cases[0]["triggers"][0]["recordIds"]) == 3


async def test_close_needs_final_attendance_and_a_finished_month(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """A month is closed only once its attendance is final (every terminal delivered, or the cut-off passed)."""
    c = await points_center(owner_session, demo)
    await fill_march(owner_session, c, COUNTY_DAY, {})
    await register_terminal(owner_session, c.id)  # a terminal that has not delivered: the cut-off decides
    set_clock(datetime(2026, 4, 1, 9, 0, tzinfo=CST))  # March 31 is not final until the cut-off after its end
    await as_user(client, c.users["admin"])
    r = await post(client, BASE.format(c.id) + "/months/2026-03/close")
    assert r.status_code == 409 and r.json()["code"] == "attendance_not_final"
    r = await post(client, BASE.format(c.id) + "/months/2026-04/close")
    assert r.status_code == 409 and r.json()["code"] == "month_not_over"
    with tenant_scope(c.id):
        row = await owner_session.scalar(select(AssessmentMonth).where(AssessmentMonth.month == MARCH))
        await owner_session.commit()
    assert row is None or row.status == "open"


async def test_recording_bad_input_changes_nothing(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """Unknown kinds, quantity 0 or negative, a future day, another center's staff, a person no longer employed,
    points on a fixed item: 4xx with zh and en, nothing written."""
    c = await points_center(owner_session, demo)
    other = await points_center(owner_session, demo)
    await as_user(client, c.users["duty"])
    url = BASE.format(c.id) + "/violations"
    base = {"kind": "quarrel", "day": "2026-04-02", "staffId": str(c.staff["E002"]), "source": "patrol"}
    cases = [({**base, "kind": "no_such_item"}, 400, "unknown_kind"),
             ({**base, "quantity": 0}, 400, None), ({**base, "quantity": -1}, 400, None),
             ({**base, "day": "2026-04-04"}, 400, "day_in_future"),
             ({**base, "staffId": str(other.staff["E002"])}, 404, "not_found"),
             ({**base, "points": 3}, 400, "points_not_allowed")]
    for body, status, code in cases:
        r = await post(client, url, body)
        assert r.status_code == status, (body, r.text)
        if code:
            assert r.json()["code"] == code and r.json()["message"]["zh"] and r.json()["message"]["en"]
    with tenant_scope(c.id):
        gone = await owner_session.get(Staff, c.staff["E003"])
        gone.status = StaffStatus.left
        await owner_session.commit()
    r = await post(client, url, {**base, "staffId": str(c.staff["E003"])})
    assert r.status_code == 400 and r.json()["code"] == "staff_not_employed"
    with tenant_scope(c.id):
        n = len((await owner_session.scalars(select(ViolationRecord))).all())
        await owner_session.commit()
    assert n == 0
    # the clerk may not record at all
    await as_user(client, c.users["clerk"])
    assert (await post(client, url, base)).status_code == 403


async def test_appeal_reduces_a_closed_months_score(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """A quarrel at the window (000 篇七 十一(二)2: 争吵一次扣4分) recorded by the duty officer on a phone; the clerk
    appeals within the deadline; the center admin (not the recorder) reduces it to 1 point: 96 -> 99, pay 148.5.
    Someone else's appeal, a second appeal and a late appeal are refused; the recorder cannot decide."""
    c = await points_center(owner_session, demo)
    await fill_march(owner_session, c, COUNTY_DAY, {})
    set_clock(datetime(2026, 3, 31, 10, 0, tzinfo=CST))
    await as_user(client, c.users["duty"])
    r = await post(client, BASE.format(c.id) + "/violations", {
        "kind": "quarrel", "day": "2026-03-31", "staffId": str(c.staff["E002"]), "source": "patrol",
        "note": "与办事群众争吵"})
    assert r.status_code == 201, r.text
    rec = r.json()
    assert (rec["name"], rec["clause"], rec["recorderName"]) == ("在工作区与人争吵", "000 篇七 十一(二)2", "duty")
    set_clock(datetime(2026, 4, 3, 10, 0, tzinfo=CST))
    await close(client, c)
    await post(client, BASE.format(c.id) + "/months/2026-03/publish")
    card = await my(client, c, "clerk2")
    line = next(x for cat in card["categories"] for x in cat["lines"] if x["kind"] == "quarrel")
    assert card["total"] == 96 and line["canAppeal"] and line["recorderName"] == "duty"

    await as_user(client, c.users["clerk"])  # not the subject
    r = await post(client, BASE.format(c.id) + f"/violations/{rec['id']}/appeal", {"reason": "不是我"})
    assert r.status_code == 403 and r.json()["code"] == "not_your_record"
    await as_user(client, c.users["clerk2"])
    r = await post(client, BASE.format(c.id) + f"/violations/{rec['id']}/appeal", {"reason": "对方先辱骂，我只是解释"})
    assert r.status_code == 201, r.text
    appeal = r.json()
    assert appeal["status"] == "pending" and appeal["deadline"] >= "2026-04-07"
    again = await post(client, BASE.format(c.id) + f"/violations/{rec['id']}/appeal", {"reason": "再申诉"})
    assert again.status_code == 409

    decision = {"decision": "reduce", "note": "经查看监控，情节较轻", "newPoints": 1}
    await as_user(client, c.users["duty"])  # the recorder has no decide right at all
    assert (await post(client, BASE.format(c.id) + f"/appeals/{appeal['id']}/decision", decision)).status_code == 403
    await as_user(client, c.users["admin"])
    r = await post(client, BASE.format(c.id) + f"/appeals/{appeal['id']}/decision", decision)
    assert r.status_code == 200, r.text
    assert (r.json()["status"], r.json()["totalBefore"], r.json()["totalAfter"]) == ("reduced", 96, 99)
    card = await my(client, c, "clerk2")
    line = next(x for cat in card["categories"] for x in cat["lines"] if x["kind"] == "quarrel")
    assert (card["total"], card["payYuan"], line["points"], line["appealStatus"]) == (99, 148.5, -1, "reduced")
    with tenant_scope(c.id):
        actions = [e.action for e in (await owner_session.scalars(
            select(AuditEvent).where(AuditEvent.action.like("assessment.%")).order_by(AuditEvent.seq))).all()]
        await owner_session.commit()
    assert actions == ["assessment.violation.record", "assessment.month.close", "assessment.month.publish",
                       "assessment.appeal.file", "assessment.appeal.decide"]

    # the admin reopens, records one and cannot decide an appeal of their own record; the deadline passes
    await as_user(client, c.users["admin"])
    r = await post(client, BASE.format(c.id) + "/months/2026-03/reopen", {"reason": "补录"})
    assert r.status_code == 200 and r.json()["status"] == "open" and r.json()["reopened"] == 1
    r = await post(client, BASE.format(c.id) + "/violations", {"kind": "untidy", "day": "2026-03-30",
                                                               "staffId": str(c.staff["E002"])})
    own = r.json()
    await as_user(client, c.users["clerk2"])
    r = await post(client, BASE.format(c.id) + f"/violations/{own['id']}/appeal", {"reason": "已整理"})
    await as_user(client, c.users["admin"])
    r = await post(client, BASE.format(c.id) + f"/appeals/{r.json()['id']}/decision",
                   {"decision": "overturn", "note": "x"})
    assert r.status_code == 403 and r.json()["code"] == "own_record"
    r = await post(client, BASE.format(c.id) + "/violations", {"kind": "no_badge", "day": "2026-03-30",
                                                               "staffId": str(c.staff["E002"])})
    late = r.json()
    set_clock(datetime(2026, 4, 30, 10, 0, tzinfo=CST))
    await as_user(client, c.users["clerk2"])
    r = await post(client, BASE.format(c.id) + f"/violations/{late['id']}/appeal", {"reason": "太晚了"})
    assert r.status_code == 409 and r.json()["code"] == "appeal_deadline_passed"


async def test_a_closed_month_keeps_its_rules(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """After March is closed the center raises late arrivals to 5 points from March 1: March's stored scores stay
    (1 + 2 = 3 points -> 97, 000 篇七 办理办法 第三条) and its pay list is unchanged; a record in the closed month is
    refused; only an explicit, audited reopen and a new close apply the new rules (5 + 5 = 10 -> 90)."""
    c = await points_center(owner_session, demo)
    await fill_march(owner_session, c, COUNTY_DAY, {"E001": LATE_DAYS[:2]})
    await close(client, c)
    await set_pack(owner_session, c.id, "point_values", {"violations": [
        {"key": "late", "name": "迟到", "category": "schedule", "points": [5]},
        {"key": "early_leave", "name": "早退", "category": "schedule", "points": [5]},
        {"key": "missed_punch", "name": "未录入考勤", "category": "schedule", "points": [0.5]},
        {"key": "off_post", "name": "脱岗", "category": "schedule", "points": [1]},
        {"key": "off_post_long", "name": "脱岗超过1小时", "category": "schedule", "points": [2]},
        {"key": "absence_half_day", "name": "旷工半天", "category": "schedule", "points": [3]},
        {"key": "absence_day", "name": "旷工", "category": "schedule", "points": [3]}],
        "return_triggers": []}, effective_from=MARCH)
    await as_user(client, c.users["admin"])
    pay = (await client.get(BASE.format(c.id) + "/months/2026-03/pay")).json()
    assert {r["employeeNo"]: r["total"] for r in pay["rows"]}["E001"] == 97
    r = await post(client, BASE.format(c.id) + "/violations", {"kind": "late", "day": "2026-03-20",
                                                               "staffId": str(c.staff["E001"])})
    assert r.status_code == 409 and r.json()["code"] == "month_closed"
    assert (await post(client, BASE.format(c.id) + "/months/2026-03/reopen", {"reason": "规则调整"})).status_code == 200
    r = await post(client, BASE.format(c.id) + "/months/2026-03/close")
    assert r.status_code == 200 and r.json()["attendanceRecords"] == 0  # nothing doubled
    pay = (await client.get(BASE.format(c.id) + "/months/2026-03/pay")).json()
    assert {r["employeeNo"]: r["total"] for r in pay["rows"]}["E001"] == 90


async def test_immediate_return_and_the_case_workflow(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """A physical conflict (000 篇七 十一(二)3 此项不得分; 四.8 直接退回原单位; 十二.4) opens a case at once; the center
    reviews, the county office approves (outside the center: a scan is required), notices go to the home unit and
    the discipline and personnel departments, and the person is returned: status, window, account."""
    c = await points_center(owner_session, demo)
    await as_user(client, c.users["duty"])
    r = await post(client, BASE.format(c.id) + "/violations", {
        "kind": "physical_conflict", "day": "2026-04-02", "staffId": str(c.staff["E001"]), "source": "patrol"})
    assert r.status_code == 201, r.text
    await as_user(client, c.users["admin"])
    cases = (await client.get(BASE.format(c.id) + "/return-cases")).json()
    assert [(k["staffName"], k["status"], k["triggers"][0]["immediate"]) for k in cases] == [("员工1", "flagged", True)]
    case = BASE.format(c.id) + f"/return-cases/{cases[0]['id']}"
    r = await post(client, case + "/approve", {"authority": "县政府办"})
    assert r.status_code == 409  # not reviewed yet
    assert (await post(client, case + "/review", {"confirm": True, "note": "属实"})).json()["status"] == "reviewed"
    r = await post(client, case + "/approve", {"authority": "县协调领导小组", "outside": True})
    assert r.status_code == 400 and r.json()["code"] == "scan_required"
    r = await post(client, case + "/approve", {"authority": "中心主任"})
    assert r.json()["status"] == "approved"
    r = await post(client, case + "/notify", {})
    assert [n["kind"] for n in r.json()["notices"]] == ["home_unit", "discipline", "personnel"]
    assert "测试局" == r.json()["notices"][0]["to"] and "员工1" in r.json()["notices"][0]["text"]
    r = await post(client, case + "/return", {})
    assert r.json()["status"] == "returned" and r.json()["outcome"]["accountsDisabled"] == [c.users["clerk"]]
    with tenant_scope(c.id):
        staff = await owner_session.get(Staff, c.staff["E001"], populate_existing=True)
        user = await owner_session.scalar(select(User).where(User.username == c.users["clerk"]))
        await owner_session.commit()
    assert staff.status is StaffStatus.returned_to_unit and staff.window_id is None and not user.is_active
    # a dismissed case needs a reason
    r = await post(client, BASE.format(c.id) + "/violations", {
        "kind": "physical_conflict", "day": "2026-04-02", "staffId": str(c.staff["E002"])})
    cases = (await client.get(BASE.format(c.id) + "/return-cases?status=flagged")).json()
    r = await post(client, BASE.format(c.id) + f"/return-cases/{cases[0]['id']}/review", {"confirm": False})
    assert r.status_code == 400 and r.json()["code"] == "reason_required"


async def test_visibility_follows_the_staff_scope(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """A clerk sees only their own records, a chief representative their department, the duty officer the center;
    another center's admin sees nothing of this center."""
    c = await points_center(owner_session, demo)
    await as_user(client, c.users["duty"])
    for emp in ("E001", "E002", "X001"):
        r = await post(client, BASE.format(c.id) + "/violations", {"kind": "untidy", "day": "2026-04-01",
                                                                   "staffId": str(c.staff[emp])})
        assert r.status_code == 201, r.text
    seen = {}
    for who in ("clerk", "chief", "duty", "other_clerk"):
        await as_user(client, c.users[who])
        page = (await client.get(BASE.format(c.id) + "/violations?month=2026-04")).json()
        seen[who] = sorted(x["staffName"] for x in page["items"])
    assert seen == {"clerk": ["员工1"], "chief": ["员工1", "员工2"], "duty": ["员工1", "员工2", "外局员工"],
                    "other_clerk": ["外局员工"]}
    await as_user(client, c.users["chief"])  # a chief records in the own department only
    r = await post(client, BASE.format(c.id) + "/violations", {"kind": "untidy", "day": "2026-04-01",
                                                               "staffId": str(c.staff["X001"])})
    assert r.status_code == 404
    other = await points_center(owner_session, demo)
    await as_user(client, other.users["admin"])
    assert (await client.get(BASE.format(c.id) + "/violations")).status_code == 403
    assert (await client.get(BASE.format(other.id) + f"/staff/{c.staff['E001']}/card")).status_code == 404


async def test_evidence_photo_is_read_by_who_may_see_the_record(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """The duty officer attaches a photo from the tenant file store; the subject sees it on the record, another
    clerk of the center does not; an id that is not a file of this center is refused."""
    from tests.files.conftest import image_bytes

    c = await points_center(owner_session, demo)
    await as_user(client, c.users["duty"])
    up = await client.post(f"/api/t/{c.id}/files", files={"file": ("p.png", image_bytes(), "image/png")},
                           data={"purpose": "assessment.evidence"}, headers=csrf_headers(client))
    assert up.status_code in (200, 201), up.text
    fid = up.json()["id"]
    url = BASE.format(c.id) + "/violations"
    bad_id = await post(client, url, {"kind": "untidy", "day": "2026-04-02", "staffId": str(c.staff["E002"]),
                                      "evidence": ["01a22f33-d99f-77c3-98c0-4183433df2e6"]})
    assert bad_id.status_code == 400 and bad_id.json()["code"] == "file_not_found"
    r = await post(client, url, {"kind": "untidy", "day": "2026-04-02", "staffId": str(c.staff["E002"]),
                                 "evidence": [fid]})
    assert r.status_code == 201 and r.json()["evidence"] == [fid]
    await as_user(client, c.users["clerk2"])
    assert (await client.get(f"/api/t/{c.id}/files/{fid}/thumbnail")).status_code == 200
    card = (await client.get(BASE.format(c.id) + "/my?month=2026-04")).json()
    assert [x["evidence"] for cat in card["categories"] for x in cat["lines"]] == [[fid]]
    await as_user(client, c.users["clerk"])
    assert (await client.get(f"/api/t/{c.id}/files/{fid}")).status_code == 404

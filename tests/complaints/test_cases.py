"""The case ledger: service items (the promised time against the rules' ratio), cases logged at the window with
due times on the center's calendar, pauses, extensions, joint cases, numbered notices, the overdue board with its
cards and their points in the assessment, the event import, and the monthly statistics."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from govhall.clock import set_clock
from govhall.domain.assessment.models import ViolationRecord
from govhall.domain.complaints.models import CaseCard, ServiceItem
from govhall.tenancy import tenant_scope
from tests.attendance.conftest import CST
from tests.complaints.conftest import K, as_user, complaints_center, post
from tests.conftest import csrf_headers

ITEMS = ("code,name,department,legal_days,promised_days,default_type\n"
         "A001,食品经营许可,测试局,20,10,承诺件\n"
         "A002,个体工商户登记,测试局,15,0,即办件\n"
         "A003,建设项目联审,测试局,30,12,联办件\n")


def at(s: str) -> datetime:
    return datetime.fromisoformat(s).replace(tzinfo=CST)


async def upload(client, url: str, text: str, name: str = "items.csv"):  # type: ignore[no-untyped-def]
    return await client.post(url, files={"file": (name, text.encode(), "text/csv")}, headers=csrf_headers(client))


async def setup(client, owner_session, demo, kind="county_hall"):  # type: ignore[no-untyped-def]
    c = await complaints_center(owner_session, demo, kind)
    await as_user(client, c.users["admin"])
    r = await upload(client, f"{K.format(c.id)}/items/import", ITEMS)
    assert r.status_code == 200, r.text
    return c


async def test_service_items_import_and_the_promise_ratio(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """002 罗田 限时办结 2: 承诺时限比法定时限缩短50%以上 -> 20 legal days allow at most 10 promised; a promised
    time above the legal one is refused everywhere. Bad rows: a per-row report and nothing written; the good
    rows only on request; re-importing updates by code."""
    c = await complaints_center(owner_session, demo, "luotian")
    await as_user(client, c.users["admin"])
    url = f"{K.format(c.id)}/items/import"
    bad = ITEMS + "B001,超期事项,测试局,10,12,承诺件\nB002,比例不足,测试局,20,11,承诺件\nB003,无部门,不存在局,5,2,\n"
    r = await upload(client, url, bad)
    assert (r.status_code, r.json()["code"]) == (422, "import_has_bad_rows")
    report = r.json()["details"]["report"]
    assert (report["rows"], report["good"], report["bad"], report["committed"]) == (6, 3, 3, False)
    assert [(p["row"], p["field"]) for p in report["problems"]] == [
        (5, "promisedDays"), (5, "promisedDays"), (6, "promisedDays"), (7, "department")]
    assert "缩短50%以上" in report["problems"][2]["zh"]
    assert (await client.get(f"{K.format(c.id)}/items")).json() == []
    r = await upload(client, url + "?goodOnly=true", bad)
    assert (r.status_code, r.json()["applied"], r.json()["committed"]) == (200, 3, True)
    r = await upload(client, url, ITEMS.replace("20,10", "20,8"))
    assert r.json()["applied"] == 3
    items = {i["code"]: (i["promisedDays"], i["defaultType"]) for i in (await client.get(f"{K.format(c.id)}/items")).json()}
    assert items == {"A001": (8, "promised"), "A002": (0, "immediate"), "A003": (12, "joint")}


async def test_promised_case_logged_and_its_numbered_notice(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """000 篇七 服务制度 七(二): 承诺件 accepted Fri 2026-10-09 10:00 with 10 promised working days: 10-10 (调休
    Saturday), 12-16, 19-22 -> due 2026-10-22 23:59:59; the 受理通知书 is numbered 受〔2026〕0001号, the next 0002."""
    c = await setup(client, owner_session, demo)
    await as_user(client, c.users["clerk"])
    r = await post(client, K.format(c.id), {"itemCode": "A001", "applicant": "李四"})
    assert r.status_code == 201, r.text
    case = r.json()
    assert (case["number"], case["caseType"], case["staffName"]) == ("BJ2026-00001", "promised", "员工1")
    assert datetime.fromisoformat(case["dueAt"]) == at("2026-10-22 23:59:59")
    n1 = await post(client, f"{K.format(c.id)}/{case['id']}/notices", {"kind": "acceptance", "materials": ["营业执照"]})
    n2 = await post(client, f"{K.format(c.id)}/{case['id']}/notices", {"kind": "acceptance"})
    assert (n1.json()["number"], n2.json()["number"]) == ("受〔2026〕0001号", "受〔2026〕0002号")
    assert n1.json()["body"]["dueAt"] == "2026-10-22 23:59" and n1.json()["body"]["applicant"] == "李四"
    assert (await client.get(f"{K.format(c.id)}/notices/{n1.json()['id']}")).json()["title"] == "受理通知书"
    await as_user(client, c.users["other_clerk"])  # another department's clerk: not theirs
    assert (await client.get(f"{K.format(c.id)}/notices/{n1.json()['id']}")).status_code == 404


async def test_immediate_case_30_minutes_and_joint_participants(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """004/10 (township template: 即办件 30 分钟): accepted 10:00 -> due 10:30; 000 篇七 服务制度 七(一) (county:
    the same day) -> 23:59:59. A joint case: each department its own due (3 working days -> Tue 10-13)."""
    t = await setup(client, owner_session, demo, "township")
    await as_user(client, t.users["clerk"])
    r = await post(client, K.format(t.id), {"itemCode": "A002", "acceptedAt": "2026-10-09T10:00:00+08:00"})
    assert datetime.fromisoformat(r.json()["dueAt"]) == at("2026-10-09 10:30")
    c = await setup(client, owner_session, demo)
    await as_user(client, c.users["clerk"])
    r = await post(client, K.format(c.id), {"itemCode": "A002"})
    assert datetime.fromisoformat(r.json()["dueAt"]) == at("2026-10-09 23:59:59")
    r = await post(client, K.format(c.id), {"itemCode": "A003", "participants": [
        {"departmentId": str(c.other_department_id), "days": 3}]})
    assert r.status_code == 201, r.text
    assert [(p["departmentName"], datetime.fromisoformat(p["dueAt"])) for p in r.json()["participants"]] == [
        ("另一局", at("2026-10-13 23:59:59"))]
    r = await post(client, K.format(c.id), {"itemCode": "A003"})
    assert (r.status_code, r.json()["code"]) == (400, "participants_required")


async def test_pauses_extensions_and_bad_input(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """002 限时办结 5: 听证、鉴定 not counted -> the due time moves by the paused working time; 000 篇七 七(二)1:
    补正 restarts the time from the day the materials are complete; 002 限时办结 6: an extension, never after the
    due time; a case due before its acceptance is refused."""
    c = await setup(client, owner_session, demo)
    await as_user(client, c.users["clerk"])
    r = await post(client, K.format(c.id), {"itemCode": "A001", "dueAt": "2026-10-09T09:00:00+08:00"})
    assert (r.status_code, r.json()["code"]) == (400, "due_before_accepted")
    case = (await post(client, K.format(c.id), {"itemCode": "A001", "acceptedAt": "2026-10-09T10:00:00+08:00"})).json()
    cid = case["id"]
    assert (await post(client, f"{K.format(c.id)}/{cid}/resume")).json()["code"] == "not_paused"
    assert (await post(client, f"{K.format(c.id)}/{cid}/pause", {"kind": "hearing"})).json()["paused"]
    set_clock(at("2026-10-12 10:00"))  # Fri from ~10:00, Sat 10-10 (调休, worked), Mon 10-12 to 10:00: ~48 h
    r = await post(client, f"{K.format(c.id)}/{cid}/resume")
    due = datetime.fromisoformat(r.json()["dueAt"])  # 10-22 23:59:59 + 48 working hours: Fri 23, (weekend), Mon 26
    assert at("2026-10-26 23:59:00") <= due <= at("2026-10-26 23:59:59")
    assert (await post(client, f"{K.format(c.id)}/{cid}/pause", {"kind": "supplement"})).status_code == 200
    set_clock(at("2026-10-14 09:00"))
    r = await post(client, f"{K.format(c.id)}/{cid}/resume")
    assert datetime.fromisoformat(r.json()["dueAt"]) == at("2026-10-28 23:59:59")  # 10 working days from 10-14
    await as_user(client, c.users["admin"])
    r = await post(client, f"{K.format(c.id)}/{cid}/extend", {"days": 2, "approvedBy": "局长", "reason": "需现场勘查"})
    assert datetime.fromisoformat(r.json()["dueAt"]) == at("2026-10-30 23:59:59")
    assert [p["kind"] for p in r.json()["pauses"]] == ["hearing", "supplement", "extension"]
    set_clock(at("2026-10-31 09:00"))
    r = await post(client, f"{K.format(c.id)}/{cid}/extend", {"days": 2, "approvedBy": "局长", "reason": "再延"})
    assert (r.status_code, r.json()["code"]) == (400, "deadline_passed")


async def test_board_cards_at_thresholds_reach_the_assessment(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """A 承诺件 due Thu 2026-10-22: on Fri 10-23 09:00 overdue (1 working day after its due day) -> yellow
    (000 篇七 十.3⑨ 黄牌 2 分); on Mon 10-26 09:00, 2 working days after (Fri 23, Mon 26) -> red (3 分). The first card records
    the clerk's 不执行限时办结制 (000 篇七 十一(二)3, 2 分) once; cards are issued once per colour."""
    c = await setup(client, owner_session, demo)
    await as_user(client, c.users["clerk"])
    cid = (await post(client, K.format(c.id), {"itemCode": "A001"})).json()["id"]
    board = (await client.get(f"{K.format(c.id)}/board")).json()
    assert board["cases"][0]["card"] == "" and board["cases"][0]["remainingMinutes"] > 0
    set_clock(at("2026-10-23 09:00"))
    board = (await client.get(f"{K.format(c.id)}/board")).json()
    assert (board["yellow"], board["red"], board["cases"][0]["cardPoints"]) == (1, 0, 2)
    assert board["cases"][0]["remainingMinutes"] == -(9 * 60)  # due 23:59:59 -> 9 h and a second on the clock
    await as_user(client, c.users["admin"])
    assert (await post(client, f"{K.format(c.id)}/cards")).json() == {"issued": 1, "violations": 1}
    set_clock(at("2026-10-26 09:00"))
    board = (await client.get(f"{K.format(c.id)}/board")).json()
    assert (board["yellow"], board["red"], board["cases"][0]["overdueWorkingDays"]) == (0, 1, 2)
    assert (await post(client, f"{K.format(c.id)}/cards")).json() == {"issued": 1, "violations": 0}
    assert (await post(client, f"{K.format(c.id)}/cards")).json() == {"issued": 0, "violations": 0}
    with tenant_scope(c.id):
        cards = [(k.card, k.points) for k in await owner_session.scalars(select(CaseCard).order_by(CaseCard.issued_at))]
        recs = [(v.kind, v.source) for v in await owner_session.scalars(select(ViolationRecord))]
    assert cards == [("yellow", 2), ("red", 3)] and recs == [("time_limit", "case")]
    await as_user(client, c.users["clerk"])
    card = (await client.get(f"/api/t/{c.id}/assessment/my?month=2026-10")).json()
    assert [(x["kind"], x["points"]) for cat in card["categories"] for x in cat["lines"]] == [("time_limit", -2)]
    x = await client.get(f"{K.format(c.id)}/stats.xlsx?month=2026-10")
    assert x.status_code == 200 and x.content[:2] == b"PK"
    assert (await post(client, f"{K.format(c.id)}/{cid}/complete")).json()["completedAt"]


async def test_event_import_per_row_report_and_idempotent(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """Events of the platform (CSV or JSON): a bad row refuses the file with its report; the good rows only on
    request; the same file again changes nothing (every event once)."""
    c = await setup(client, owner_session, demo)
    await as_user(client, c.users["admin"])
    url = f"{K.format(c.id)}/events/import"
    csv = ("event_id,case_ref,event,at,item_code,employee_no\n"
           "e1,P-1,accepted,2026-10-08T09:00:00+08:00,A001,E001\n"
           "e2,P-2,accepted,2026-10-08T09:30:00,A002,E002\n"
           "e3,P-1,completed,2026-10-09T09:00:00+08:00,,\n"
           "e4,P-9,completed,2026-10-09T09:00:00+08:00,,\n"
           "e5,P-3,accepted,not-a-time,A001,\n")
    r = await upload(client, url, csv, "events.csv")
    assert r.status_code == 422
    rep = r.json()["details"]["report"]
    assert [(p["row"], p["field"]) for p in rep["problems"]] == [(4, "caseRef"), (5, "at")]
    r = await upload(client, url + "?goodOnly=true", csv, "events.csv")
    assert (r.json()["applied"], r.json()["bad"], r.json()["committed"]) == (3, 2, True)
    r = await upload(client, url + "?goodOnly=true", csv, "events.csv")
    assert (r.json()["applied"], r.json()["skippedDuplicates"]) == (0, 3)
    import json

    r = await upload(client, url, json.dumps({"events": [{"eventId": "j1", "caseRef": "P-2", "event": "completed",
                                                            "at": "2026-10-08T09:45:00+08:00"}]}), "events.json")
    assert r.json()["applied"] == 1
    cases = {x["number"]: x for x in (await client.get(K.format(c.id))).json()}
    assert len(cases) == 2 and all(x["completedAt"] for x in cases.values())
    with tenant_scope(c.id):
        assert len(list(await owner_session.scalars(select(ServiceItem)))) == 3

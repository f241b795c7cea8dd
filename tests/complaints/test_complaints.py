"""Complaints through the real stack: the lifecycle (000 篇七 工作制度 九), a substantiated complaint reaching the
scorecard (九.6, 十一(二)3: 5 分), the window's points by level (十.3⑧), the monthly summary, and bad input."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from govhall.clock import set_clock
from govhall.domain.assessment.models import ViolationRecord
from govhall.tenancy import tenant_scope
from tests.complaints.conftest import OCT_9, C, as_user, complaints_center, post


def body(**kw):  # type: ignore[no-untyped-def]
    return {"channel": "phone", "subject": "办事态度生硬", "classKey": "general", "complainantName": "王五",
            "complainantContact": "13800000000", "problem": "窗口工作人员不耐烦", "demand": "道歉", **kw}


async def walk(client, c, cid, steps):  # type: ignore[no-untyped-def]
    for who, path, data in steps:
        await as_user(client, c.users[who])
        r = await post(client, f"{C.format(c.id)}/{cid}/{path}", data)
        assert r.status_code == 200, (path, data, r.text)
    return r.json()


async def test_lifecycle_substantiated_reaches_the_scorecard(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """Received Fri 2026-10-09 10:00 (一般投诉, 5 个工作日: 10-10 调休 Saturday, 12, 13, 14, 15 -> due 10-15),
    registered (投诉办理单), reviewed by the leader, assigned to the window, investigated, substantiated: the clerk's
    October scorecard shows -5 (000 篇七 十一(二)3 被服务对象投诉) from source complaint; the window costs 1 point
    (oral at the center, 十.3⑧); the reporter's reward 50 元 (办理办法 第六条); replied, feedback, closed."""
    c = await complaints_center(owner_session, demo)
    await as_user(client, c.users["intake"])
    r = await post(client, C.format(c.id), body(staffId=str(c.staff["E001"])))
    assert r.status_code == 201, r.text
    v = r.json()
    assert (v["status"], v["number"], v["deadline"]) == ("received", "TS2026-0001", "5个工作日")
    assert datetime.fromisoformat(v["dueAt"]) == datetime.fromisoformat("2026-10-15T23:59:59+08:00")
    assert v["identityProtected"] and v["intakeOffice"] == "业务科" and "王五" not in r.text
    assert v["departmentName"] == "测试局" and v["windowName"] == "综合窗口"
    cid = v["id"]
    v = await walk(client, c, cid, [("intake", "steps", {"action": "register"}),
                                    ("leader", "review", {"note": "请业务科调查，三日内答复"}),
                                    ("intake", "steps", {"action": "assign", "assignedTo": "window"}),
                                    ("intake", "steps", {"action": "investigate", "note": "调取监控"}),
                                    ("intake", "steps", {"action": "conclude", "conclusion": "substantiated",
                                                         "note": "情况属实，批评教育"})])
    assert (v["status"], v["conclusion"], v["windowPoints"], v["rewardYuan"]) == ("concluded", "substantiated", 1, 50)
    assert v["personViolationId"]
    with tenant_scope(c.id):
        rec = await owner_session.scalar(select(ViolationRecord).where(ViolationRecord.source == "complaint"))
    assert (rec.kind, rec.staff_id, rec.source_ref) == ("complaint", c.staff["E001"], "complaint/TS2026-0001")

    await as_user(client, c.users["clerk"])
    card = (await client.get(f"/api/t/{c.id}/assessment/my?month=2026-10")).json()
    lines = [x for cat in card["categories"] for x in cat["lines"] if x["kind"] == "complaint"]
    assert [(x["points"], x["source"]) for x in lines] == [(-5, "complaint")]
    assert card["total"] == 95

    v = await walk(client, c, cid, [("intake", "steps", {"action": "reply", "replyChannel": "phone"}),
                                    ("intake", "steps", {"action": "feedback", "feedback": "satisfied"}),
                                    ("intake", "steps", {"action": "close"})])
    assert v["status"] == "closed" and [e["action"] for e in v["events"]] == [
        "receive", "register", "review", "assign", "investigate", "conclude", "reply", "feedback", "close"]
    await as_user(client, c.users["admin"])
    s = (await client.get(f"{C.format(c.id)}/summary?month=2026-10")).json()
    assert (s["total"], s["substantiated"], s["repliedOnTime"], s["rewardsYuan"]) == (1, 1, 1, 50)
    assert [(w["name"], w["substantiated"], w["points"]) for w in s["byWindow"]] == [("综合窗口", 1, 1)]
    x = await client.get(f"{C.format(c.id)}/summary.xlsx?month=2026-10")
    assert x.status_code == 200 and x.content[:2] == b"PK"


async def test_a_written_complaint_to_the_city_costs_more(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """000 篇七 十.3⑧: 书面投诉 3, 到市 5, 省级以上此项不得分."""
    c = await complaints_center(owner_session, demo)
    await as_user(client, c.users["intake"])
    got = []
    for extra in ({"channel": "letter"}, {"level": "city"}, {"level": "province"}):
        r = await post(client, C.format(c.id), body(windowId=None, **extra))
        assert r.status_code == 201, r.text
        got.append((r.json()["windowPoints"], r.json()["windowZeroes"]))
    assert got == [(3, False), (5, False), (0, True)]


async def test_bad_input(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """No subject, no name without anonymity, an unknown class, a step out of order, an extension after the
    deadline (000 篇七 服务制度 五.6: the explanation comes within the time limit), a phone reply to a written
    complaint where 004 投诉 7 requires a written one: clear 4xx, nothing written."""
    c = await complaints_center(owner_session, demo, overrides={"written_needs_written_reply": True,
                                                                "anonymous_allowed": False})
    await as_user(client, c.users["intake"])
    url = C.format(c.id)
    for data, code in ((body(subject="   "), "subject_required"), (body(complainantName=None), "complainant_required"),
                       (body(anonymous=True), "anonymous_not_allowed"), (body(classKey="nope"), "unknown_class"),
                       (body(channel="hotline"), "channel_not_accepted")):
        r = await post(client, url, data)
        assert (r.status_code, r.json()["code"]) == (400, code), r.text
    assert (await client.get(url)).json() == []
    r = await post(client, url, body(channel="letter", classKey="important"))
    cid = r.json()["id"]
    r = await post(client, f"{url}/{cid}/steps", {"action": "conclude", "conclusion": "substantiated", "note": "x"})
    assert (r.status_code, r.json()["code"]) == (409, "invalid_transition")
    r = await post(client, f"{url}/{cid}/steps", {"action": "extend", "note": "需补充调查",
                                                  "extendAmount": 2, "extendUnit": "working_days"})
    assert r.status_code == 200 and r.json()["extended"]
    due = datetime.fromisoformat(r.json()["dueAt"])
    set_clock(due + timedelta(minutes=1))
    r = await post(client, f"{url}/{cid}/steps", {"action": "extend", "note": "再延期", "extendAmount": 1,
                                                  "extendUnit": "days"})
    assert (r.status_code, r.json()["code"]) == (400, "deadline_passed")
    assert (await client.get(f"{url}?status=overdue")).json()[0]["overdue"] is True
    set_clock(OCT_9)
    await walk(client, c, cid, [("intake", "steps", {"action": "register"}), ("leader", "review", {"note": "查"}),
                                ("intake", "steps", {"action": "assign", "assignedTo": "back_office"}),
                                ("intake", "steps", {"action": "investigate"}),
                                ("intake", "steps", {"action": "conclude", "conclusion": "unsubstantiated",
                                                     "note": "不属实"})])
    await as_user(client, c.users["intake"])
    r = await post(client, f"{url}/{cid}/steps", {"action": "reply", "replyChannel": "phone"})
    assert (r.status_code, r.json()["code"]) == (400, "written_reply_required")
    r = await post(client, f"{url}/{cid}/steps", {"action": "reply", "replyChannel": "letter"})
    assert r.status_code == 200


async def test_roles_and_other_centers(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """The duty officer takes a phone complaint (000 篇七 服务制度 一.3⑤ 首问人记录在册) but reads no complaint;
    a clerk neither; the chief representative reads his department's complaints only; another center's
    complaint is not found."""
    c = await complaints_center(owner_session, demo)
    other = await complaints_center(owner_session, demo)
    await as_user(client, c.users["duty"])
    r = await post(client, C.format(c.id), body(departmentId=str(c.other_department_id)))
    assert r.status_code == 201 and "王五" not in r.text
    cid = r.json()["id"]
    assert (await client.get(C.format(c.id))).status_code == 403
    await as_user(client, c.users["clerk"])
    assert (await client.get(f"{C.format(c.id)}/{cid}")).status_code == 403
    await as_user(client, c.users["chief"])
    assert (await client.get(C.format(c.id))).json() == []
    assert (await client.get(f"{C.format(c.id)}/{cid}")).status_code == 404
    await as_user(client, other.users["intake"])
    assert (await client.get(f"{C.format(other.id)}/{cid}")).status_code == 404
    assert (await client.get(f"{C.format(other.id)}/{cid}/identity")).status_code == 404

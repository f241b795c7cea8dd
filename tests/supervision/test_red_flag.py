"""Red-flag rounds through the API (000 篇七 工作制度 十; 五.2; 004/4 三.4): the ranking with its drill-down, the award
refused before the ratings and before the award day, publication, the tally; the city's duty negligence."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from govhall.clock import set_clock
from govhall.domain.assessment.models import ViolationRecord
from govhall.domain.org.models import Staff, Window
from govhall.domain.supervision.models import DutyRotaEntry
from govhall.tenancy import tenant_scope
from tests.attendance.centers import Center, set_pack
from tests.attendance.conftest import CST
from tests.conftest import csrf_headers, login
from tests.supervision.conftest import patrol_center
from tests.supervision.test_red_flag_pack import template_red_flag

RF = "/api/t/{}/red-flag"


async def red_flag_center(session: Any, demo: Any, template: str) -> tuple[Center, dict[str, uuid.UUID]]:
    """A center with windows 01 (员工1-3), 02 (员工4) and 03 (员工5) and the red_flag pack of a template."""
    c = await patrol_center(session, demo, template)
    await set_pack(session, c.id, "red_flag", template_red_flag(template))
    with tenant_scope(c.id):
        w1 = (await session.scalars(select(Window).where(Window.number == "01"))).one()
        w2 = Window(number="02", name="社保窗口", department_id=c.department_id)
        w3 = Window(number="03", name="税务窗口", department_id=c.department_id)
        session.add_all([w2, w3])
        await session.flush()
        s4 = Staff(name="员工4", employee_no="E004", department_id=c.department_id, window_id=w2.id)
        s5 = Staff(name="员工5", employee_no="E005", department_id=c.department_id, window_id=w3.id)
        session.add_all([s4, s5])
        await session.flush()
        c.staff.update(E004=s4.id, E005=s5.id)
        windows = {"01": w1.id, "02": w2.id, "03": w3.id}
        await session.commit()
    return c, windows


def record(staff_id: uuid.UUID, kind: str, name: str, category: str, day: date, source: str = "patrol",
           points: float | None = None) -> ViolationRecord:
    return ViolationRecord(subject="staff", staff_id=staff_id, kind=kind, name=name, category=category, day=day,
                           quantity=1, points=points, source=source, source_ref=str(uuid.uuid4()), evidence=[],
                           status="recorded")


async def post(client, url, body=None):  # type: ignore[no-untyped-def]
    return await client.post(url, json=body if body is not None else {}, headers=csrf_headers(client))


async def test_county_round_ranks_awards_on_the_3rd_and_publishes(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """000 篇七 工作制度 十 for March 2026 in a county hall (2 flags, awarded at the meeting on 3 April):
    window 01: 员工2 without a badge (⑤ 0.5) and 员工1 late twice (② 1 + 2 by the ladder), council 90 (⑦ 27):
    10 + 7 + 5 + 5 + 4.5 + 10 + 27 + 10 + 10 + 0 = 88.5;
    window 02: nothing recorded, council 80 (⑦ 24): 89 -> first;
    window 03: council 100 (30) but named by the city (⑨ 0; 五.2 当月不得评为红旗窗口): 85, disqualified.
    The award is refused while the ratings are missing and on 2 April (before the award day); the flags go to 02
    and 01 on 8 April; clerks see the round only once published; the year's tally counts one flag each."""
    c, w = await red_flag_center(owner_session, demo, "county_hall")
    with tenant_scope(c.id):
        owner_session.add_all([
            record(c.staff["E002"], "no_badge", "不佩证上岗", "service", date(2026, 3, 10)),
            record(c.staff["E001"], "late", "迟到", "schedule", date(2026, 3, 11), "attendance"),
            record(c.staff["E001"], "late", "迟到", "schedule", date(2026, 3, 18), "attendance"),
            record(c.staff["E005"], "city_notified", "录入不及时或不录入被市通报", "performance", date(2026, 3, 20),
                   "manual", points=5)])
        await owner_session.commit()
    await login(client, c.users["admin"])
    base = RF.format(c.id)
    created = await post(client, base + "/rounds", {"period": "month", "label": "2026-03"})
    assert created.status_code == 201, created.text
    rnd = created.json()
    assert (rnd["status"], rnd["flags"], rnd["awardDay"], rnd["ratingsMissing"]) == ("draft", 2, "2026-04-03", 3)
    url = f"{base}/rounds/{rnd['id']}"
    again = await post(client, base + "/rounds", {"period": "month", "label": "2026-03"})
    assert again.status_code == 409 and again.json()["code"] == "red_flag_round_exists"

    early = await post(client, url + "/award")
    assert early.status_code == 409 and early.json()["code"] == "red_flag_ratings_missing"
    assert "(3 missing)" in early.json()["message"]["en"]
    assert (await post(client, url + "/propose")).json()["code"] == "red_flag_ratings_missing"

    ratings = {"ratings": [{"unitId": str(w["01"]), "rating": 90}, {"unitId": str(w["02"]), "rating": 80},
                           {"unitId": str(w["03"]), "rating": 100}]}
    bad = await client.put(url + "/ratings", json={"ratings": [{"unitId": str(uuid.uuid4()), "rating": 50}]},
                           headers=csrf_headers(client))
    assert bad.status_code == 400 and bad.json()["code"] == "unknown_unit"
    rated = await client.put(url + "/ratings", json=ratings, headers=csrf_headers(client))
    assert rated.status_code == 200, rated.text
    body = rated.json()
    assert body["status"] == "rated" and body["ratingsMissing"] == 0
    got = [(r["name"], r["total"], r["eligible"], r["flag"]) for r in body["ranking"]]
    assert got == [("02 社保窗口", 89.0, True, True), ("01 综合窗口", 88.5, True, True),
                   ("03 税务窗口", 85.0, False, False)]
    first = body["ranking"][1]
    bearing = next(x for x in first["lines"] if x["key"] == "bearing")
    assert bearing["points"] == 4.5
    assert [(e["kind"], e["staffName"], e["points"], e["day"]) for e in bearing["evidence"]] == [
        ("no_badge", "员工2", -0.5, "2026-03-10")]
    assert bearing["evidence"][0]["recordId"]
    sched = next(x for x in first["lines"] if x["key"] == "schedule")
    assert [e["points"] for e in sched["evidence"]] == [-1.0, -2.0]
    assert [d["key"] for d in body["ranking"][2]["disqualified"]] == ["city_notified"]

    await login(client, c.users["clerk"])
    assert (await client.get(url)).status_code == 404  # not published yet
    assert (await post(client, url + "/award")).status_code == 403

    await login(client, c.users["admin"])
    set_clock(datetime(2026, 4, 2, 10, 0, tzinfo=CST))
    proposed = await post(client, url + "/propose")
    assert proposed.status_code == 200 and proposed.json()["status"] == "proposed"
    before = await post(client, url + "/award")
    assert before.status_code == 409 and before.json()["code"] == "red_flag_before_award_day"
    set_clock(datetime(2026, 4, 8, 10, 0, tzinfo=CST))
    assert (await post(client, url + "/publish")).json()["code"] == "red_flag_not_awarded"
    awarded = await post(client, url + "/award")
    assert awarded.status_code == 200 and awarded.json()["status"] == "awarded"
    assert [r["name"] for r in awarded.json()["ranking"] if r["flag"]] == ["02 社保窗口", "01 综合窗口"]
    assert (await client.put(url + "/ratings", json=ratings, headers=csrf_headers(client))).status_code == 409
    assert (await post(client, url + "/publish")).json()["status"] == "published"

    await login(client, c.users["clerk"])
    seen = await client.get(url)
    assert seen.status_code == 200 and seen.json()["status"] == "published"
    assert (await client.get(base + "/screen")).json()["id"] == rnd["id"]
    tally = (await client.get(base + "/tally?year=2026")).json()
    assert [(r["name"], r["flags"], r["months"]) for r in tally["rows"]] == [
        ("01 综合窗口", 1, ["2026-03"]), ("02 社保窗口", 1, ["2026-03"])]
    ov = (await client.get(base + "/?year=2026")).json()
    assert ov["enabled"] and not ov["canWrite"] and [r["label"] for r in ov["rounds"]] == ["2026-03"]


async def test_city_duty_window_with_too_few_patrols_is_disqualified(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """004/4 一 (值班窗口按月轮流), 三.1 (每天巡视二次以上), 三.4 (值班窗口未认真履行职责，该窗口当月不得评为“红旗窗口”):
    window 02 is a duty window on Tue 2026-03-10 and no patrol was done that day: it ranks first on points (no
    deductions, council 85 -> ⑦ 25.5: 90.5) but is disqualified, with the day as its evidence; the city's one flag goes to 03 (89, no deductions) ahead of 01 (88.5, a badge)."""
    c, w = await red_flag_center(owner_session, demo, "city_hall")
    with tenant_scope(c.id):
        owner_session.add_all([DutyRotaEntry(day=date(2026, 3, 10), slot=1, window_id=w["02"]),
                               record(c.staff["E002"], "no_badge", "不佩证上岗", "service", date(2026, 3, 12))])
        await owner_session.commit()
    await login(client, c.users["admin"])
    base = RF.format(c.id)
    rnd = (await post(client, base + "/rounds", {"period": "month", "label": "2026-03"})).json()
    assert rnd["flags"] == 1
    q = await post(client, base + "/rounds", {"period": "quarter", "label": "2026-Q1"})
    assert q.status_code == 409 and q.json()["code"] == "red_flag_period_unknown"  # the city holds monthly rounds
    url = f"{base}/rounds/{rnd['id']}"
    body = (await client.put(url + "/ratings", json={"ratings": [
        {"unitId": str(w[k]), "rating": r} for k, r in (("01", 80), ("02", 85), ("03", 80))]}, headers=csrf_headers(client))).json()
    by = {r["name"]: r for r in body["ranking"]}
    duty = by["02 社保窗口"]
    assert (duty["rank"], duty["total"], duty["eligible"], duty["flag"]) == (1, 90.5, False, False)
    ev = duty["disqualified"][0]
    assert ev["key"] == "duty_negligence" and ev["evidence"][0]["day"] == "2026-03-10"
    assert ev["evidence"][0]["name"] == "值班日巡查 0 次，少于 2 次"
    assert [r["name"] for r in body["ranking"] if r["flag"]] == ["03 税务窗口"]
    assert by["01 综合窗口"]["total"] == 88.5

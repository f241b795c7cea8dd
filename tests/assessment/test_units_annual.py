"""Window scorecards, the month summary, the year sheet, the record service other domains call, corrections of
bonus records, the rules' approving authority, and close racing a record. Seed 000 = 000 篇七 (county hall)."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, time

import pytest
from sqlalchemy import func, select

from govhall.audit.models import AuditEvent
from govhall.clock import utcnow
from govhall.domain.assessment.models import BonusRecord, Scorecard, ViolationRecord
from govhall.domain.assessment.services import NewViolation, record_violations
from govhall.domain.attendance.ingest import RawPunch, store_punches
from govhall.domain.attendance.models import PunchSource
from govhall.domain.attendance.rules import AttendanceRules
from govhall.domain.identity.models import User
from govhall.errors import AppError
from govhall.tenancy import system_scope, tenant_scope
from tests.assessment.conftest import (
    BASE,
    COUNTY_DAY,
    LATE_DAYS,
    MARCH,
    as_user,
    fill_march,
    points_center,
    post,
    workdays,
)
from tests.attendance.centers import set_pack
from tests.conftest import csrf_headers

ABSENT = (date(2026, 3, 10), date(2026, 3, 11), date(2026, 3, 12))


async def close(client, c):  # type: ignore[no-untyped-def]
    await as_user(client, c.users["admin"])
    r = await post(client, BASE.format(c.id) + "/months/2026-03/close")
    assert r.status_code == 200, r.text
    return r.json()


async def user_id(session, c, key: str):  # type: ignore[no-untyped-def]
    with tenant_scope(c.id):
        uid = await session.scalar(select(User.id).where(User.username == c.users[key]))
        await session.commit()
    return uid


async def fill_with_absence(session, c, absent: dict[str, tuple[date, ...]]) -> None:  # type: ignore[no-untyped-def]
    punches = []
    for emp in c.staff:
        for d in workdays():
            if d in absent.get(emp, ()):
                continue
            punches += [RawPunch(len(punches), emp, datetime.combine(d, time.fromisoformat(t))) for t in COUNTY_DAY]
    with tenant_scope(c.id):
        await store_punches(session, source=PunchSource.device_api, device_key="TESTDEV", punches=punches,
                            tz="Asia/Shanghai", now=utcnow(), rules=AttendanceRules())


async def test_the_window_card_counts_the_chief_and_the_month_summary(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """000 篇七 服务制度 六(五)2 首席代表月考核计算在本窗口分值: the chief (员工3) is late twice (1 + 2 points, 办理办法
    第三条), a clerk (员工1) once (1 point, personal only): window 01 scores 97. The summary: 5 staff, average
    (99 + 100 + 97 + 100 + 100) / 5 = 99.2, pay 150/100 x score added up = 744, 3 attendance records."""
    c = await points_center(owner_session, demo)
    await fill_march(owner_session, c, COUNTY_DAY, {"E003": LATE_DAYS[:2], "E001": LATE_DAYS[:1]})
    result = await close(client, c)
    assert result["unitScorecards"] == 1 and result["attendanceRecords"] == 3
    r = await client.get(BASE.format(c.id) + "/months/2026-03/summary")
    assert r.status_code == 200, r.text
    m = r.json()
    assert (m["staff"], m["averageTotal"], m["fullMarks"], m["totalPayYuan"]) == (5, 99.2, 3, 744.0)
    assert m["distribution"] == {"100": 3, "95-99.9": 2, "90-94.9": 0, "80-89.9": 0, "<80": 0}
    assert [(x["key"], x["count"]) for x in m["bySource"]] == [("attendance", 3)]
    assert next(x for x in m["byCategory"] if x["key"] == "schedule")["points"] == 4
    assert m["topKinds"][0]["name"] == "迟到" and m["topKinds"][0]["points"] == 4
    [unit] = m["units"]
    assert (unit["subject"], unit["name"], unit["total"], unit["awardEligible"]) == ("window", "01 综合窗口", 97, True)
    assert [(x["staffName"], x["occurrence"], x["points"]) for x in unit["lines"]] == [("员工3", 1, -1), ("员工3", 2, -2)]
    assert all("办理办法 第三条" in x["clause"] for x in unit["lines"])


async def test_the_year_sheet(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """员工2 is absent on March 10-12 (3 days): the month is zeroed (000 篇七 十一(一)3), a return case opens
    (十二.3), and the year sheet cancels the annual bonus (工作制度 二.5 累计旷工三天以上) and bars awards; the chief
    (员工3, 100 points) is a candidate for 优秀首席代表 (服务制度 六(五)2)."""
    c = await points_center(owner_session, demo)
    await fill_with_absence(owner_session, c, {"E002": ABSENT})
    result = await close(client, c)
    assert result["returnCases"] == 1
    r = await client.get(BASE.format(c.id) + "/years/2026")
    assert r.status_code == 200, r.text
    y = r.json()
    assert (y["monthsClosed"], y["chiefCandidates"]) == (["2026-03"], 3)
    rows = {x["employeeNo"]: x for x in y["rows"]}
    e2 = rows["E002"]
    assert (e2["absenceDays"], e2["bonusCancelled"], e2["awardEligible"], e2["averageTotal"]) == (3, True, False, 0)
    assert e2["bonusReasons"] == ["全年累计旷工 3 天，达到 3 天（000 篇七 工作制度 二.5）"]
    assert e2["awardReasons"] == ["触发退回原单位：3月"]
    assert rows["E003"]["chief"] and rows["E003"]["chiefCandidate"] and not rows["E001"]["chiefCandidate"]
    assert y["rows"][0]["employeeNo"] == "E003"  # candidates first
    assert (await client.get(BASE.format(c.id) + "/years/2999")).status_code == 400
    await year_sheet_xlsx(client, c)
    await as_user(client, c.users["clerk"])
    assert (await client.get(BASE.format(c.id) + "/years/2026")).status_code == 403
    assert (await client.get(BASE.format(c.id) + "/years/2026/sheet.xlsx")).status_code == 403


async def year_sheet_xlsx(client, c) -> None:  # type: ignore[no-untyped-def]
    """The same year as a printable xlsx: title with the center and 2026年, borders, A4 landscape one page wide with
    the header row repeated, the 制表人/审核人 block; E002's row says 不得 / 取消 with the reasons of 工作制度 二.5."""
    import io

    from openpyxl import load_workbook

    r = await client.get(BASE.format(c.id) + "/years/2026/sheet.xlsx")
    assert r.status_code == 200, r.text
    assert "2026" in r.headers["content-disposition"]
    ws = load_workbook(io.BytesIO(r.content)).worksheets[0]
    assert ws["A1"].value.endswith("2026年度考核汇总表") and c.tenant.name in ws["A1"].value
    assert ws["A2"].value == f"单位：{c.tenant.name}" and ws["E2"].value == "年度：2026年" and ws["I2"].value == "已结算月份：3月"
    head = [x.value for x in ws[3]]
    assert head[:3] == ["序号", "工号", "姓名"] and "年度考核奖" in head
    rows = {ws.cell(r_, 2).value: [x.value for x in ws[r_]] for r_ in range(4, ws.max_row + 1) if ws.cell(r_, 2).value}
    e2 = rows["E002"]
    assert (e2[9], e2[10], e2[11], e2[12]) == ("不得", "触发退回原单位：3月", "取消",
                                             "全年累计旷工 3 天，达到 3 天（000 篇七 工作制度 二.5）")
    assert rows["E003"][13] == "候选" and rows["E001"][11] == "保留"
    assert ws.cell(4, 2).border.left.style == "thin" and ws.cell(3, 1).font.bold
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.print_title_rows == "$3:$3"
    values = [str(x.value) for row in ws.iter_rows(min_row=ws.max_row, max_row=ws.max_row) for x in row if x.value]
    assert values[:2] == ["制表人：", "审核人："]


async def test_record_violations_for_other_domains(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """The service patrols, meetings, complaints and cases call: in the caller's transaction, idempotent on
    (source, source_ref, subject), all-or-nothing on bad input. Two complaints in one quarter (February and
    March, 000 篇七 十二.5 一季度内投诉2次以上) open a return case at March's close."""
    c = await points_center(owner_session, demo)
    await fill_march(owner_session, c, COUNTY_DAY, {})
    duty = await user_id(owner_session, c, "duty")
    batch = [NewViolation(kind="complaint", day=date(2026, 2, 16), source="complaint", source_ref="complaint/1",
                          staff_id=c.staff["E001"], note="群众投诉：态度生硬"),
             NewViolation(kind="complaint", day=date(2026, 3, 18), source="complaint", source_ref="complaint/2",
                          staff_id=c.staff["E001"]),
             NewViolation(kind="meeting_late", day=date(2026, 3, 2), source="meeting", source_ref="meeting/7/E002",
                          staff_id=c.staff["E002"])]
    with tenant_scope(c.id):
        rows = await record_violations(owner_session, batch, recorded_by=duty)
        await owner_session.commit()
        again = await record_violations(owner_session, batch, recorded_by=duty)
        await owner_session.commit()
        assert [r.id for r in again] == [r.id for r in rows]
        assert [(r.source, r.clause) for r in rows][:1] == [("complaint", "000 篇七 十一(二)3 (原文“赞扬”); 十二.5")]
        bad = [NewViolation(kind="quarrel", day=date(2026, 3, 3), source="patrol", source_ref="patrol/1",
                            staff_id=c.staff["E002"]),
               NewViolation(kind="quarrel", day=date(2026, 3, 3), source="patrol", source_ref="patrol/2",
                            staff_id=c.staff["E002"], quantity=0)]
        with pytest.raises(AppError) as err:
            await record_violations(owner_session, bad, recorded_by=duty)
        await owner_session.rollback()
        assert err.value.code == "invalid_quantity" and err.value.status_code == 400
        with pytest.raises(AppError) as err:
            await record_violations(owner_session, [NewViolation(kind="quarrel", day=date(2026, 3, 3),
                                                                 source="attendance", source_ref="x",
                                                                 staff_id=c.staff["E002"])], recorded_by=duty)
        await owner_session.rollback()
        assert err.value.code == "invalid_source"
        n = await owner_session.scalar(select(func.count(ViolationRecord.id)))
        audits = await owner_session.scalar(select(func.count(AuditEvent.id)).where(
            AuditEvent.action == "assessment.violation.record"))
        await owner_session.commit()
    assert (n, audits) == (3, 3)
    with system_scope():
        await owner_session.refresh(c.tenant)  # (the rollbacks expired it)
        await owner_session.commit()
    await close(client, c)
    cases = (await client.get(BASE.format(c.id) + "/return-cases")).json()
    assert [(k["staffName"], k["triggers"][0]["name"]) for k in cases] == [("员工1", "一季度内被服务对象投诉 2 次以上")]


async def test_bonus_corrections_are_new_records(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """A bonus is corrected by a new record pointing to the old one (now void) and voided with a reason; nothing
    is deleted and each step is audited. 员工2's banner (2 points) becomes 2 banners (4, the monthly cap)."""
    c = await points_center(owner_session, demo)
    await as_user(client, c.users["duty"])
    url = BASE.format(c.id) + "/bonuses"
    r = await post(client, url, {"kind": "praise_letter", "day": "2026-04-01", "staffId": str(c.staff["E002"])})
    assert r.status_code == 201, r.text
    first = r.json()
    r = await post(client, url + f"/{first['id']}/amend", {"reason": "实为两面锦旗", "record": {
        "kind": "praise_letter", "day": "2026-04-01", "staffId": str(c.staff["E002"]), "quantity": 2}})
    assert r.status_code == 201, r.text
    second = r.json()
    assert second["amendsId"] == first["id"] and second["quantity"] == 2
    r = await post(client, url + f"/{first['id']}/void", {"reason": "再次作废"})
    assert r.status_code == 409 and r.json()["code"] == "not_voidable"
    page = (await client.get(url + "?month=2026-04")).json()
    assert sorted((x["status"], x["quantity"]) for x in page["items"]) == [("recorded", 2), ("void", 1)]
    r = await post(client, url + f"/{second['id']}/void", {"reason": "录入错误"})
    assert r.status_code == 200 and r.json()["status"] == "void" and r.json()["voidReason"] == "录入错误"
    with tenant_scope(c.id):
        n = await owner_session.scalar(select(func.count(BonusRecord.id)))
        actions = list(await owner_session.scalars(select(AuditEvent.action).where(
            AuditEvent.action.like("assessment.bonus.%")).order_by(AuditEvent.seq)))
        await owner_session.commit()
    assert n == 2 and actions == ["assessment.bonus.record", "assessment.bonus.void", "assessment.bonus.record",
                                  "assessment.bonus.void"]


async def test_the_rules_name_the_approving_authority(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """002 罗田 首问负责 4: 中心报县协调领导小组批准其退回原单位: with that authority in the rules (outside the center)
    an approval without a scan is refused, and with one the case carries the rules' authority."""
    from tests.files.conftest import image_bytes

    c = await points_center(owner_session, demo)
    await set_pack(owner_session, c.id, "point_values", {"return_authority": "县协调领导小组",
                                                          "return_authority_outside": True})
    await as_user(client, c.users["duty"])
    r = await post(client, BASE.format(c.id) + "/violations", {
        "kind": "physical_conflict", "day": "2026-04-02", "staffId": str(c.staff["E001"]), "source": "patrol"})
    assert r.status_code == 201, r.text
    await as_user(client, c.users["admin"])
    cat = (await client.get(BASE.format(c.id) + "/catalogue")).json()
    assert (cat["returnAuthority"], cat["returnAuthorityOutside"]) == ("县协调领导小组", True)
    [case] = (await client.get(BASE.format(c.id) + "/return-cases")).json()
    url = BASE.format(c.id) + f"/return-cases/{case['id']}"
    assert (await post(client, url + "/review", {"confirm": True, "note": "属实"})).status_code == 200
    r = await post(client, url + "/approve", {})
    assert r.status_code == 400 and r.json()["code"] == "scan_required"
    up = await client.post(f"/api/t/{c.id}/files", files={"file": ("scan.png", image_bytes(), "image/png")},
                           data={"purpose": "assessment.evidence"}, headers=csrf_headers(client))
    r = await post(client, url + "/approve", {"scanFileId": up.json()["id"]})
    assert r.status_code == 200, r.text
    assert (r.json()["status"], r.json()["authority"]) == ("approved", "县协调领导小组")


async def test_close_and_record_race(owner_session, app_engine, demo) -> None:  # type: ignore[no-untyped-def]
    """A record of March sent while March is being closed (two transactions at once) either lands before the close
    (and is on the stored scorecard) or is refused with month_closed: never stored outside the scorecard."""
    from sqlalchemy.ext.asyncio import async_sessionmaker

    from govhall.domain.assessment import closing
    from govhall.domain.assessment import schemas as s
    from govhall.domain.assessment import services as svc
    from govhall.domain.org.rules import scope_for

    c = await points_center(owner_session, demo)
    await fill_march(owner_session, c, COUNTY_DAY, {})
    admin, duty = await user_id(owner_session, c, "admin"), await user_id(owner_session, c, "duty")
    maker = async_sessionmaker(app_engine, expire_on_commit=False)

    async def run(what: str) -> str:
        async with maker() as session:
            with tenant_scope(c.id):
                try:
                    if what == "close":
                        a = svc.Actor(admin, frozenset({"center_admin"}), None, scope_for({"center_admin"}, None))
                        await closing.close_month(session, a, MARCH)
                    else:
                        a = svc.Actor(duty, frozenset({"duty_officer"}), None, scope_for({"duty_officer"}, None))
                        await svc.record(session, a, s.RecordIn(kind="quarrel", day=date(2026, 3, 31),
                                                                staff_id=c.staff["E002"], source="patrol"))
                    return "ok"
                except AppError as exc:
                    await session.rollback()
                    return exc.code

    closed, recorded = await asyncio.gather(run("close"), run("record"))
    assert closed == "ok" and recorded in ("ok", "month_closed"), (closed, recorded)
    with tenant_scope(c.id):
        card = await owner_session.scalar(select(Scorecard).where(Scorecard.month == MARCH,
                                                                  Scorecard.staff_id == c.staff["E002"]))
        n = await owner_session.scalar(select(func.count(ViolationRecord.id)).where(ViolationRecord.kind == "quarrel"))
        await owner_session.commit()
    if recorded == "ok":
        assert n == 1 and card.total == 96 and [x["kind"] for x in card.lines] == ["quarrel"]
    else:
        assert n == 0 and card.total == 100

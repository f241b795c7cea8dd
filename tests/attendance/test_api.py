"""Attendance API through the real stack: clock-in, today, my month, boards, 补卡, leave, sheet + xlsx, terminals,
the JSON terminal endpoint, and cross-tenant denial for every route."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from sqlalchemy import select

from govhall.audit.models import AuditEvent
from govhall.clock import set_clock
from govhall.tenancy import tenant_scope
from tests.attendance.centers import LUOTIAN_HOURS, make_center, set_pack
from tests.attendance.conftest import CST, count_punches, register_terminal
from tests.conftest import csrf_headers, login

BASE = "/api/t/{}/attendance"


async def as_user(client, username: str) -> None:  # type: ignore[no-untyped-def]
    client.cookies.clear()
    await login(client, username)


async def post(client, url: str, json=None):  # type: ignore[no-untyped-def]
    return await client.post(url, json=json, headers=csrf_headers(client))


async def test_clock_in_late_in_one_center_on_time_in_another(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """08:10: late by 10 minutes where the day starts at 8:00, on time where it starts at 8:30; the boards show it."""
    set_clock(datetime(2026, 3, 2, 8, 10, tzinfo=CST))
    early = await make_center(owner_session, demo, hours=LUOTIAN_HOURS)
    later = await make_center(owner_session, demo)
    for c in (early, later):
        await as_user(client, c.users["clerk"])
        r = await post(client, BASE.format(c.id) + "/clock-in", {"latitude": 30.78, "longitude": 115.4})
        assert r.status_code == 200, r.text
        assert r.json()["time"].startswith("08:10") and r.json()["duplicate"] is False
        again = await post(client, BASE.format(c.id) + "/clock-in")
        assert again.status_code == 200  # a double click in the same second is the same punch
    await as_user(client, early.users["clerk"])
    today = (await client.get(BASE.format(early.id) + "/today")).json()
    assert today["day"]["sessions"][0]["status"] == "late" and today["day"]["lateMinutes"] == 10
    await as_user(client, later.users["clerk"])
    today = (await client.get(BASE.format(later.id) + "/today")).json()
    assert today["day"]["sessions"][0]["status"] == "in_progress" and today["day"]["punches"] == ["08:10"]
    for c, state in ((early, "late"), (later, "in")):
        await as_user(client, c.users["duty"])
        board = (await client.get(BASE.format(c.id) + "/board")).json()
        row = next(r for r in board["rows"] if r["employeeNo"] == "E001")
        assert row["state"] == state
        assert board["counts"][state] >= 1 and board["scope"] == "center"
        assert {r["employeeNo"] for r in board["rows"] if r["state"] == "not_punched"} >= {"E002", "X001"}


async def test_a_punch_outside_every_window_is_stored_and_explained(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """Issue 13 (honest clock-in): 07:10 where the morning starts at 08:30 and punches count from 60 minutes before
    (work_hours punch_open_before_minutes): the punch is stored, the answer and today's view say it counts for no
    session and name the nearest window (上午 arrival 07:30-10:15); a punch at 08:20 then counts as usual."""
    set_clock(datetime(2026, 3, 2, 7, 10, tzinfo=CST))
    c = await make_center(owner_session, demo)
    await as_user(client, c.users["clerk"])
    r = await post(client, BASE.format(c.id) + "/clock-in")
    assert r.status_code == 200, r.text
    assert r.json()["outside"] == {"time": "07:10", "reason": "before_window", "label": "上午", "window": "in",
                                   "windowStart": "07:30", "windowEnd": "10:15"}
    today = (await client.get(BASE.format(c.id) + "/today")).json()
    assert today["day"]["punches"] == ["07:10"] and today["day"]["outsidePunches"][0]["time"] == "07:10"
    set_clock(datetime(2026, 3, 2, 8, 20, tzinfo=CST))
    r = await post(client, BASE.format(c.id) + "/clock-in")
    assert r.json()["outside"] is None
    today = (await client.get(BASE.format(c.id) + "/today")).json()
    assert today["day"]["sessions"][0]["inTime"] == "08:20"
    assert [p["time"] for p in today["day"]["outsidePunches"]] == ["07:10"]
    # the month keeps saying it: the day of 2 March, read on the 3rd
    set_clock(datetime(2026, 3, 3, 9, 0, tzinfo=CST))
    month = (await client.get(BASE.format(c.id) + "/my-month", params={"month": "2026-03"})).json()
    day = next(d for d in month["days"] if d["date"] == "2026-03-02")
    assert [p["time"] for p in day["outsidePunches"]] == ["07:10"]


async def test_repeated_clicks_within_a_minute_are_one_punch(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """A second click 30 s later (slow network, impatient finger) is the same clock-in; 2 minutes later is a new one."""
    c = await make_center(owner_session, demo)
    await as_user(client, c.users["clerk"])
    set_clock(datetime(2026, 3, 2, 8, 20, 0, tzinfo=CST))
    first = (await post(client, BASE.format(c.id) + "/clock-in")).json()
    set_clock(datetime(2026, 3, 2, 8, 20, 30, tzinfo=CST))
    again = (await post(client, BASE.format(c.id) + "/clock-in")).json()
    assert (first["duplicate"], again["duplicate"]) == (False, True)
    assert again["time"] == first["time"] == "08:20:00"
    set_clock(datetime(2026, 3, 2, 8, 22, 0, tzinfo=CST))
    later = (await post(client, BASE.format(c.id) + "/clock-in")).json()
    assert later["duplicate"] is False and later["time"] == "08:22:00"
    today = (await client.get(BASE.format(c.id) + "/today")).json()
    assert today["day"]["punches"] == ["08:20", "08:22"]


async def test_clock_in_needs_a_staff_record_and_follows_the_rules(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    set_clock(datetime(2026, 3, 2, 8, 20, tzinfo=CST))
    c = await make_center(owner_session, demo, rules={"web_location_required": True})
    await as_user(client, c.users["admin"])  # a center admin without a staff record
    r = await post(client, BASE.format(c.id) + "/clock-in")
    assert (r.status_code, r.json()["code"]) == (403, "no_staff_record")
    await as_user(client, c.users["clerk"])
    r = await post(client, BASE.format(c.id) + "/clock-in")
    assert (r.status_code, r.json()["code"]) == (400, "location_required")
    assert r.json()["message"]["zh"] and r.json()["fields"][0]["field"] == "latitude"
    r = await post(client, BASE.format(c.id) + "/clock-in", {"latitude": 91, "longitude": 0})
    assert r.status_code == 400
    await set_pack(owner_session, c.id, "attendance_rules", {"web_clock_in": False}, effective_from=date(2026, 3, 1))
    r = await post(client, BASE.format(c.id) + "/clock-in", {"latitude": 30, "longitude": 115})
    assert (r.status_code, r.json()["code"]) == (403, "web_clock_in_disabled")


async def test_my_month_shows_each_day_with_its_reason(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    set_clock(datetime(2026, 3, 4, 9, 0, tzinfo=CST))
    c = await make_center(owner_session, demo)
    term = await register_terminal(owner_session, c.id)
    from govhall.domain.attendance.emulator import PushTerminal

    t = PushTerminal(client, term.serial)
    for hhmm in ("08:42", "12:01", "14:20", "18:01"):  # Monday: late 12 minutes
        t.punch("E001", datetime(2026, 3, 2, int(hhmm[:2]), int(hhmm[3:])))
    for hhmm in ("08:20", "12:01", "14:20"):  # Tuesday: left without punching
        t.punch("E001", datetime(2026, 3, 3, int(hhmm[:2]), int(hhmm[3:])))
    assert await t.sync() == 7
    await as_user(client, c.users["clerk"])
    r = await client.get(BASE.format(c.id) + "/my-month", params={"month": "2026-03"})
    assert r.status_code == 200, r.text
    body = r.json()
    days = {d["date"]: d for d in body["days"]}
    assert days["2026-03-01"]["finding"] == "rest_day" and days["2026-03-01"]["reason"] == "weekend"
    mon, tue = days["2026-03-02"], days["2026-03-03"]
    assert (mon["finding"], mon["lateMinutes"], mon["final"]) == ("late", 12, True)
    assert mon["sessions"][0] == {**mon["sessions"][0], "status": "late", "inTime": "08:42", "lateMinutes": 12}
    assert (tue["finding"], tue["missedPunches"], tue["sessions"][1]["status"]) == ("missed_punch", 1, "missed_out")
    assert days["2026-03-04"]["final"] is False and days["2026-03-05"]["finding"] == "future"
    assert body["totals"]["lateCount"] == 1 and body["missedPunchRequestsLeft"] == 3
    r = await client.get(BASE.format(c.id) + "/my-month", params={"month": "2026-13"})
    assert r.status_code == 400


async def test_missed_punch_request_and_approval(client, owner_session, app_session, demo) -> None:  # type: ignore[no-untyped-def]
    set_clock(datetime(2026, 3, 4, 9, 0, tzinfo=CST))
    c = await make_center(owner_session, demo, rules={"missed_punch_requests_per_month": 2})
    await as_user(client, c.users["clerk"])
    url = BASE.format(c.id) + "/missed-punches"
    r = await post(client, url, {"workDate": "2026-03-03", "time": "18:05", "reason": "考勤机故障"})
    assert r.status_code == 201, r.text
    first = r.json()
    assert first["status"] == "pending" and first["time"] == "18:05"
    assert (await post(client, url, {"workDate": "2026-03-03", "time": "18:05", "reason": "x"})).status_code == 409
    assert (await post(client, url, {"workDate": "2026-03-05", "time": "08:00", "reason": "x"})).status_code == 400
    assert (await post(client, url, {"workDate": "2026-03-02", "time": "08:29", "reason": "忘记打卡"})).status_code == 201
    r = await post(client, url, {"workDate": "2026-03-02", "time": "12:00", "reason": "再补一次"})
    assert (r.status_code, r.json()["code"]) == (409, "missed_punch_cap")  # 2 a month in this center
    assert len((await client.get(url + "/mine")).json()) == 2
    assert (await client.get(url)).status_code == 403  # a clerk does not approve

    # the chief representative of the clerk's department approves; the other department's clerk cannot be seen
    await as_user(client, c.users["chief"])
    pending = (await client.get(url, params={"status": "pending"})).json()
    assert first["id"] in {p["id"] for p in pending} and len(pending) == 2
    r = await post(client, f"{url}/{first['id']}/decision", {"approve": True, "note": "属实"})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "approved"
    again = await post(client, f"{url}/{first['id']}/decision", {"approve": False})
    assert (again.status_code, again.json()["code"]) == (409, "already_decided")
    assert await count_punches(owner_session, "missed_punch") >= 1
    with tenant_scope(c.id):
        events = (await app_session.scalars(select(AuditEvent).where(AuditEvent.target_id == first["id"])
                                            .order_by(AuditEvent.seq))).all()
        await app_session.commit()
    assert [e.action for e in events] == ["missed_punch.request", "missed_punch.approve"]

    # the chief cannot decide their own request; the duty officer can
    await as_user(client, c.users["chief"])
    own = await post(client, url, {"workDate": "2026-03-03", "time": "08:29", "reason": "出差返回"})
    assert own.status_code == 201
    r = await post(client, f"{url}/{own.json()['id']}/decision", {"approve": True})
    assert (r.status_code, r.json()["code"]) == (403, "own_request")
    await as_user(client, c.users["duty"])
    assert (await post(client, f"{url}/{own.json()['id']}/decision", {"approve": False})).json()["status"] == "rejected"

    # the approved punch closes Tuesday's evening session (the clerk punched 08:20, 12:01, 14:20 that day)
    await as_user(client, c.users["clerk"])
    month = (await client.get(BASE.format(c.id) + "/my-month", params={"month": "2026-03"})).json()
    tue = next(d for d in month["days"] if d["date"] == "2026-03-03")
    assert "18:05" in tue["punches"]
    assert month["missedPunchRequestsLeft"] == 0


async def test_chief_sees_only_their_department(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    set_clock(datetime(2026, 3, 2, 9, 0, tzinfo=CST))
    c = await make_center(owner_session, demo)
    await as_user(client, c.users["other_clerk"])
    r = await post(client, BASE.format(c.id) + "/missed-punches",
                   {"workDate": "2026-03-02", "time": "08:30", "reason": "x"})
    other_request = r.json()["id"]
    await as_user(client, c.users["chief"])
    board = (await client.get(BASE.format(c.id) + "/board")).json()
    assert board["scope"] == "department"
    assert {r["employeeNo"] for r in board["rows"]} == {"E001", "E002", "E003"}
    assert other_request not in {p["id"] for p in (await client.get(BASE.format(c.id) + "/missed-punches")).json()}
    r = await post(client, BASE.format(c.id) + f"/missed-punches/{other_request}/decision", {"approve": True})
    assert r.status_code == 404
    r = await client.get(BASE.format(c.id) + f"/staff/{c.staff['X001']}/month")
    assert r.status_code == 404
    await as_user(client, c.users["clerk"])
    assert (await client.get(BASE.format(c.id) + "/board")).status_code == 403


async def test_leave_record_makes_the_day_on_leave(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """An approved leave record (written by the leave workflow since issue 10; inserted here) makes the day 请假
    with its type, on the person's month and in the list of leave records."""
    from govhall.domain.attendance.models import LeaveRecord

    set_clock(datetime(2026, 3, 4, 9, 0, tzinfo=CST))
    c = await make_center(owner_session, demo)
    with tenant_scope(c.id):
        owner_session.add(LeaveRecord(staff_id=c.staff["E002"], kind="sick",
                                      starts_at=datetime(2026, 3, 2, tzinfo=CST), ends_at=datetime(2026, 3, 3,
                                                                                                   tzinfo=CST)))
        await owner_session.commit()
    await as_user(client, c.users["duty"])
    r = await client.get(BASE.format(c.id) + f"/staff/{c.staff['E002']}/month", params={"month": "2026-03"})
    mon = next(d for d in r.json()["days"] if d["date"] == "2026-03-02")
    assert (mon["finding"], mon["leaveHalfDays"], mon["leaveType"]) == ("on_leave", 2, "sick")
    assert len((await client.get(BASE.format(c.id) + "/leaves", params={"month": "2026-03"})).json()) == 1
    assert (await post(client, BASE.format(c.id) + "/leaves", {})).status_code in (404, 405)  # no free-form writes


async def test_sheet_and_excel_export(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    set_clock(datetime(2026, 3, 4, 9, 0, tzinfo=CST))
    c = await make_center(owner_session, demo)
    await as_user(client, c.users["clerk"])
    await as_user(client, c.users["admin"])
    r = await client.get(BASE.format(c.id) + "/sheet", params={"month": "2026-03"})
    assert r.status_code == 200, r.text
    sheet = r.json()
    assert sheet["finalThrough"] == "2026-03-03" and len(sheet["dates"]) == 31 and len(sheet["workdays"]) == 22
    e1 = next(row for row in sheet["rows"] if row["employeeNo"] == "E001")
    assert e1["days"]["2026-03-02"] == "absence" and e1["days"]["2026-03-04"] == "today"
    assert e1["totals"]["absenceHalfDays"] == 4
    r = await client.get(BASE.format(c.id) + "/sheet.xlsx", params={"month": "2026-03"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "attachment" in r.headers["content-disposition"]
    wb = load_workbook(io.BytesIO(r.content))
    ws = wb.worksheets[0]
    assert ws["A1"].value.endswith("2026年3月考勤表") and ws["E2"].value == "月份：2026年3月"
    header = [cell.value for cell in ws[3]]
    assert header[:4] == ["工号", "姓名", "部门", "窗口"] and "旷工合计（半天）" in header
    weekdays = [cell.value for cell in ws[4]]
    assert weekdays[0] == "星期" and weekdays[4:11] == ["日", "一", "二", "三", "四", "五", "六"]  # 2026-03-01 a Sunday
    rows = {row[0].value: [cell.value for cell in row] for row in ws.iter_rows(min_row=5)}
    assert rows["E001"][4 + 1] == "旷" and rows["E001"][4] == "休"  # March 2 absent, March 1 a Sunday
    # a form a hall prints and files: borders on the table, landscape one page wide, the signature block
    assert ws.cell(5, 2).border.left.style == "thin" and ws.cell(3, 5).border.bottom.style == "thin"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_area and ws.print_title_rows == "$3:$4"
    sign = [cell.value for row in ws.iter_rows(min_row=6) for cell in row if cell.value]
    assert "制表人：" in sign and "审核人：" in sign and any(str(v).startswith("日期：") for v in sign)
    en = await client.get(BASE.format(c.id) + "/sheet.xlsx", params={"month": "2026-03", "lang": "en"})
    ws_en = load_workbook(io.BytesIO(en.content)).worksheets[0]
    assert ws_en.cell(3, 2).value == "Name" and ws_en.cell(4, 5).value == "Su" and "March 2026" in ws_en["A1"].value
    await as_user(client, c.users["duty"])
    assert (await client.get(BASE.format(c.id) + "/sheet")).status_code == 403


async def test_terminals_page_shows_contact_and_backlog(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    from govhall.domain.attendance.emulator import PushTerminal

    set_clock(datetime(2026, 3, 2, 9, 0, tzinfo=CST))
    c = await make_center(owner_session, demo)
    term = await register_terminal(owner_session, c.id)
    t = PushTerminal(client, term.serial)
    await t.handshake()
    t.punch("E001", datetime(2026, 3, 2, 8, 20))
    await t.push()
    for m in range(5):
        t.records.append(type(t.records[0])("E002", datetime(2026, 3, 2, 8, 30 + m)))  # recorded, not yet sent
    await t.heartbeat()
    await as_user(client, c.users["admin"])
    rows = (await client.get(BASE.format(c.id) + "/terminals")).json()
    (row,) = rows
    assert row["serialNumber"] == term.serial and row["receivedCount"] == 1
    assert (row["deviceRecordCount"], row["backlog"]) == (6, 5)
    assert row["lastContactAt"] and row["lastPunchAt"]
    await as_user(client, c.users["duty"])
    assert (await client.get(BASE.format(c.id) + "/terminals")).status_code == 403


# ---- the JSON terminal endpoint -----------------------------------------------------------------------------


async def test_json_endpoint_authenticates_each_device(client, county_terminal, demo, owner_session) -> None:  # type: ignore[no-untyped-def]
    url = "/api/devices/punches"
    batch = {"punches": [{"pin": "T001", "time": "2026-03-02T08:21:00"}]}
    assert (await client.post(url, json=batch)).status_code == 401
    headers = {"X-Device-Serial": county_terminal.serial, "Authorization": "Bearer wrong"}
    assert (await client.post(url, json=batch, headers=headers)).status_code == 401
    revoked = await register_terminal(owner_session, demo["421121"].id, revoked=True)
    r = await client.post(url, json=batch, headers={"X-Device-Serial": revoked.serial,
                                                    "Authorization": f"Bearer {revoked.token}"})
    assert r.status_code == 401 and r.json()["message"]["zh"]
    assert await count_punches(owner_session, county_terminal.serial) == 0


async def test_json_batch_partial_duplicate_and_watermark(client, county_terminal, owner_session) -> None:  # type: ignore[no-untyped-def]
    headers = {"X-Device-Serial": county_terminal.serial, "Authorization": f"Bearer {county_terminal.token}"}
    batch = {"punches": [
        {"pin": "T001", "time": "2026-03-02T08:21:00", "verify": 15},
        {"pin": "T002", "time": "2026-03-02T00:25:00Z"},  # with an offset: 08:25 in the hall
        {"pin": "T003", "time": "yesterday"},
        {"pin": "", "time": "2026-03-02T08:30:00"},
        {"pin": "T003", "time": "2026-03-02T08:31:00", "status": "in"},
        {"pin": "T009", "time": "2026-03-02T08:32:00", "tenantId": "x"},
        {"pin": "NEW1", "time": "2026-03-02T08:33:00"},
    ], "pending": 0}
    r = await client.post("/api/devices/punches", json=batch, headers=headers)
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["received"], body["accepted"], body["duplicates"]) == (7, 3, 0)
    assert [(x["index"], x["code"]) for x in body["rejected"]] == [
        (2, "bad_time"), (3, "bad_pin"), (4, "bad_field"), (5, "unknown_field")]
    assert body["unmappedPins"] == ["NEW1"]
    again = (await client.post("/api/devices/punches", json=batch, headers=headers)).json()
    assert (again["accepted"], again["duplicates"]) == (0, 3)
    assert await count_punches(owner_session, county_terminal.serial) == 3
    # an unreadable syncedUntil is ignored and named, never a refused batch (issue 8 item 5; was 400)
    r = await client.post("/api/devices/punches", json={"punches": [], "syncedUntil": "soon"}, headers=headers)
    assert r.status_code == 200 and r.json()["ignored"][0]["field"] == "syncedUntil"
    assert (await client.post("/api/devices/punches", content=b"{not json", headers=headers)).status_code == 400


# ---- cross-tenant denial ----------------------------------------------------------------------------------------

ROUTES = [
    ("POST", "/clock-in"), ("GET", "/today"), ("GET", "/my-month"), ("GET", "/board"), ("GET", "/sheet"),
    ("GET", "/sheet.xlsx"), ("POST", "/evaluate"), ("POST", "/missed-punches"), ("GET", "/missed-punches"),
    ("GET", "/missed-punches/mine"), ("GET", "/leaves"), ("POST", "/off-post"),
    ("GET", "/terminals"),
]


@pytest.mark.parametrize("role", ["clerk", "duty", "admin"])
async def test_every_route_refuses_another_center(client, owner_session, demo, role: str) -> None:  # type: ignore[no-untyped-def]
    set_clock(datetime(2026, 3, 2, 9, 0, tzinfo=CST))
    mine, theirs = await make_center(owner_session, demo), await make_center(owner_session, demo)
    await as_user(client, theirs.users["clerk"])
    req = await post(client, BASE.format(theirs.id) + "/missed-punches",
                     {"workDate": "2026-03-02", "time": "08:00", "reason": "x"})
    await as_user(client, mine.users[role])
    for method, path in [*ROUTES, ("POST", f"/missed-punches/{req.json()['id']}/decision"),
                         ("GET", f"/staff/{theirs.staff['E001']}/month")]:
        url = BASE.format(theirs.id) + path
        r = await (client.get(url) if method == "GET" else post(client, url, {}))
        assert r.status_code == 403, (method, path, r.status_code)
    # and with the own tenant in the URL, another center's ids are not found
    r = await post(client, BASE.format(mine.id) + f"/missed-punches/{req.json()['id']}/decision", {"approve": True})
    assert r.status_code in (403, 404)

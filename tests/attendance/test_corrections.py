"""Corrections by the center (考勤更正, issue 13): a day or a range, morning / afternoon / whole day, for many staff
at once, with a reason and evidence; applied by the month evaluation, shown as corrected (更) on the sheet, the
board and the person's month; voided (audited), never deleted.

The test center (tests/attendance/centers.py): sessions 08:30-12:00 and 14:30-18:00 on weekdays; E001-E003 in
测试局 at window 01, X001 in 另一局, D001 the duty officer. Nobody punches: every final workday is 旷工 twice (two
half days) until corrected. 2026-03-02 is a Monday, 2026-03-01 a Sunday.
"""

from __future__ import annotations

import io
from datetime import datetime

from openpyxl import load_workbook
from sqlalchemy import func, select

from govhall.audit.models import AuditEvent
from govhall.clock import set_clock
from govhall.domain.attendance.models import AttendanceCorrection
from govhall.tenancy import tenant_scope
from tests.attendance.centers import make_center
from tests.attendance.conftest import CST
from tests.conftest import csrf_headers, login
from tests.files.conftest import pdf_bytes

BASE = "/api/t/{}/attendance"


async def as_user(client, username: str) -> None:  # type: ignore[no-untyped-def]
    client.cookies.clear()
    await login(client, username)


async def post(client, url: str, json=None):  # type: ignore[no-untyped-def]
    return await client.post(url, json=json, headers=csrf_headers(client))


async def evidence(client, center) -> str:  # type: ignore[no-untyped-def]
    r = await client.post(f"/api/t/{center.id}/files", files={"file": ("考勤机故障报修单.pdf", pdf_bytes(),
                                                                         "application/pdf")},
                          data={"purpose": "attendance.correction"}, headers=csrf_headers(client))
    assert r.status_code == 201, r.text
    return r.json()["id"]


def correction(**kw):  # type: ignore[no-untyped-def]
    body = {"dateFrom": "2026-03-02", "dateTo": "2026-03-02", "sessions": "day", "kind": "present",
            "reason": "考勤机故障，当日全员在岗", "fileIds": []}
    body.update(kw)
    return body


async def sheet_rows(client, center) -> dict[str, dict]:  # type: ignore[no-untyped-def, type-arg]
    r = await client.get(BASE.format(center.id) + "/sheet", params={"month": "2026-03"})
    assert r.status_code == 200, r.text
    return {row["employeeNo"]: row for row in r.json()["rows"]}


async def test_corrections_for_many_staff_change_the_month_and_voiding_restores_it(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """Issue 13 (corrections by the center), on 2026-03-04 09:00 with 2 and 3 March final:
    - 2 March, whole day, E001 and E002 by name, as present (terminal failure): their 2 March is on time and
      marked corrected; E003 and X001 stay 旷工 (2 half days).
    - 3 March, morning, everyone at window 01 (E001-E003), on duty elsewhere: the morning is corrected, the
      afternoon stays 旷工 (1 half day).
    Totals through 3 March: E001 0+1 = 1 half day, E003 2+1 = 3, X001 2+2 = 4. Voiding the 2 March correction
    brings E001 back to 2+1 = 3; the correction stays in the list, void, and both steps are audited."""
    set_clock(datetime(2026, 3, 4, 9, 0, tzinfo=CST))
    c = await make_center(owner_session, demo)
    await as_user(client, c.users["admin"])
    before = await sheet_rows(client, c)
    assert before["E001"]["totals"]["absenceHalfDays"] == 4 and before["E001"]["days"]["2026-03-02"] == "absence"
    file_id = await evidence(client, c)
    window_id = None
    r = await client.get(f"/api/t/{c.id}/windows")
    if r.status_code == 200:
        body = r.json()
        items = body["items"] if isinstance(body, dict) else body
        window_id = items[0]["id"]
    r = await post(client, BASE.format(c.id) + "/corrections",
                   correction(staffIds=[str(c.staff["E001"]), str(c.staff["E002"])], fileIds=[file_id]))
    assert r.status_code == 201, r.text
    day = r.json()
    assert (day["staffCount"], day["staffNames"], day["files"][0]["name"]) == (2, ["员工1", "员工2"],
                                                                               "考勤机故障报修单.pdf")
    morning = correction(dateFrom="2026-03-03", dateTo="2026-03-03", sessions="am", kind="elsewhere",
                         reason="全体到市民中心参加联合办公", fileIds=[file_id],
                         **({"windowIds": [window_id]} if window_id else
                            {"departmentIds": [str(c.department_id)], "staffIds": []}))
    r = await post(client, BASE.format(c.id) + "/corrections", morning)
    assert r.status_code == 201, r.text
    assert r.json()["staffCount"] == 3

    rows = await sheet_rows(client, c)
    e1, e3, x1 = rows["E001"], rows["E003"], rows["X001"]
    assert e1["days"]["2026-03-02"] == "on_time" and e1["corrections"]["2026-03-02"][0]["kind"] == "present"
    assert e1["days"]["2026-03-03"] == "absence" and e1["corrections"]["2026-03-03"][0]["sessions"] == "am"
    assert (e1["totals"]["absenceHalfDays"], e3["totals"]["absenceHalfDays"], x1["totals"]["absenceHalfDays"]) \
        == (1, 3, 4)
    assert "2026-03-02" not in e3["corrections"] and x1["corrections"] == {}
    # the printable xlsx: 更 alone where the correction made the day whole, after the finding otherwise
    r = await client.get(BASE.format(c.id) + "/sheet.xlsx", params={"month": "2026-03"})
    ws = load_workbook(io.BytesIO(r.content)).worksheets[0]
    cells = {row[0].value: [cell.value for cell in row] for row in ws.iter_rows(min_row=5)}
    assert (cells["E001"][5], cells["E001"][6], cells["E003"][5]) == ("更", "旷更", "旷")

    # the person's month: the corrected sessions, with the correction's reason
    await as_user(client, c.users["clerk"])
    month = (await client.get(BASE.format(c.id) + "/my-month", params={"month": "2026-03"})).json()
    mon = next(d for d in month["days"] if d["date"] == "2026-03-02")
    assert [x["status"] for x in mon["sessions"]] == ["corrected", "corrected"]
    assert mon["corrections"][0]["reason"] == "考勤机故障，当日全员在岗" and mon["absenceHalfDays"] == 0
    tue = next(d for d in month["days"] if d["date"] == "2026-03-03")
    assert [x["status"] for x in tue["sessions"]] == ["corrected", "absence"]
    assert tue["sessions"][0]["correction"] == "elsewhere"

    # void the 2 March correction: audited, kept, the month re-evaluated
    await as_user(client, c.users["admin"])
    r = await post(client, BASE.format(c.id) + f"/corrections/{day['id']}/void", {"reason": "录入错误"})
    assert r.status_code == 200, r.text
    assert r.json()["voidedAt"] and r.json()["voidReason"] == "录入错误"
    again = await post(client, BASE.format(c.id) + f"/corrections/{day['id']}/void", {"reason": "再次"})
    assert (again.status_code, again.json()["code"]) == (409, "already_voided")
    rows = await sheet_rows(client, c)
    assert rows["E001"]["days"]["2026-03-02"] == "absence" and rows["E001"]["totals"]["absenceHalfDays"] == 3
    listed = (await client.get(BASE.format(c.id) + "/corrections")).json()
    assert listed["total"] == 2 and [x["voidedAt"] is not None for x in listed["items"]] == [False, True]
    found = (await client.get(BASE.format(c.id) + "/corrections", params={"searchString": "员工3"})).json()
    assert found["total"] == 1 and found["items"][0]["reason"] == "全体到市民中心参加联合办公"
    paged = (await client.get(BASE.format(c.id) + "/corrections", params={"pageSize": 1, "currentPage": 2})).json()
    assert (paged["total"], len(paged["items"]), paged["items"][0]["id"]) == (2, 1, day["id"])
    with tenant_scope(c.id):
        actions = (await owner_session.scalars(select(AuditEvent.action).where(
            AuditEvent.action.like("attendance_correction.%")).order_by(AuditEvent.seq))).all()
        kept = await owner_session.scalar(select(func.count()).select_from(AttendanceCorrection))
        await owner_session.commit()
    assert list(actions) == ["attendance_correction.create", "attendance_correction.create",
                             "attendance_correction.void"]
    assert kept == 2


async def test_a_correction_of_this_morning_shows_on_the_board(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """Issue 13: the terminal fails on 2026-03-04 morning; at 10:00 the admin corrects the morning for E002: the
    board shows E002 in (corrected), E001 still not punched."""
    set_clock(datetime(2026, 3, 4, 10, 0, tzinfo=CST))
    c = await make_center(owner_session, demo)
    await as_user(client, c.users["admin"])
    file_id = await evidence(client, c)
    r = await post(client, BASE.format(c.id) + "/corrections",
                   correction(dateFrom="2026-03-04", dateTo="2026-03-04", sessions="am",
                              staffIds=[str(c.staff["E002"])], fileIds=[file_id]))
    assert r.status_code == 201, r.text
    await as_user(client, c.users["duty"])
    board = (await client.get(BASE.format(c.id) + "/board")).json()
    rows = {row["employeeNo"]: row for row in board["rows"]}
    assert rows["E002"]["state"] == "in" and rows["E002"]["corrections"][0]["sessions"] == "am"
    assert rows["E001"]["state"] == "not_punched" and rows["E001"]["corrections"] == []
    await as_user(client, c.users["clerk2"])
    today = (await client.get(BASE.format(c.id) + "/today")).json()
    assert today["day"]["sessions"][0]["status"] == "corrected"


async def test_a_correction_needs_reason_evidence_people_and_the_right(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """Bilingual 400s for a missing reason, evidence, people or a reversed / too long range; 403 for the duty
    officer; another center's admin cannot void it (404) nor use its file (400)."""
    set_clock(datetime(2026, 3, 4, 9, 0, tzinfo=CST))
    c = await make_center(owner_session, demo)
    other = await make_center(owner_session, demo)
    await as_user(client, c.users["admin"])
    file_id = await evidence(client, c)
    url = BASE.format(c.id) + "/corrections"
    me = [str(c.staff["E001"])]
    cases = [
        (correction(staffIds=me, fileIds=[file_id], reason="  "), "reason_required", "reason"),
        (correction(staffIds=me), "evidence_required", "fileIds"),
        (correction(fileIds=[file_id]), "correction_no_staff", "staffIds"),
        (correction(staffIds=me, fileIds=[file_id], dateTo="2026-03-01"), "invalid_range", "dateTo"),
        (correction(staffIds=me, fileIds=[file_id], dateTo="2026-05-31"), "range_too_long", "dateTo"),
    ]
    for body, code, field in cases:
        r = await post(client, url, body)
        assert (r.status_code, r.json()["code"]) == (400, code), r.text
        assert r.json()["message"]["zh"] and r.json()["message"]["en"] and r.json()["fields"][0]["field"] == field
    r = await post(client, url, correction(staffIds=me, fileIds=[file_id], sessions="evening"))
    assert r.status_code == 400
    r = await post(client, url, correction(staffIds=me, fileIds=[file_id]))
    assert r.status_code == 201
    cid = r.json()["id"]
    await as_user(client, c.users["duty"])
    assert (await post(client, url, correction(staffIds=me, fileIds=[file_id]))).status_code == 403
    assert (await client.get(url)).status_code == 403
    await as_user(client, other.users["admin"])
    r = await post(client, BASE.format(other.id) + f"/corrections/{cid}/void", {"reason": "x"})
    assert r.status_code == 404
    r = await post(client, BASE.format(other.id) + "/corrections",
                   correction(staffIds=[str(other.staff["E001"])], fileIds=[file_id]))
    assert (r.status_code, r.json()["code"]) == (400, "file_not_found")
    r = await post(client, BASE.format(other.id) + "/corrections",
                   correction(staffIds=[str(c.staff["E001"])], fileIds=[await evidence(client, other)]))
    assert (r.status_code, r.json()["code"]) == (404, "staff_not_found")
    assert (await client.get(url)).status_code == 403  # c's list from other's admin


async def test_accounts_without_a_staff_record_have_no_clock_in(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """Issue 13: /api/auth/me says whether the account has a staff record (the UI hides clock-in and 我的考勤
    without one); the clock-in itself answers 403 ``no_staff_record`` in both languages."""
    c = await make_center(owner_session, demo)
    await as_user(client, c.users["admin"])
    assert (await client.get("/api/auth/me")).json()["hasStaff"] is False
    r = await post(client, BASE.format(c.id) + "/clock-in")
    assert (r.status_code, r.json()["code"]) == (403, "no_staff_record")
    assert "工作人员" in r.json()["message"]["zh"] and "staff record" in r.json()["message"]["en"]
    await as_user(client, c.users["clerk"])
    assert (await client.get("/api/auth/me")).json()["hasStaff"] is True
